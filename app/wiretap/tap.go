// Package wiretap observes the MQTT packets on the client's connection, in
// both directions, without changing a byte, and decodes each one for the
// learner: the raw bytes for a hex view, the fields for a packet sequence
// diagram.
//
// A Tap wraps the connection (client.Options.WrapConn) and splits each
// direction's byte stream into packets itself, whatever the sizes of the
// reads and writes: over WebSocket, frames and packets need not align.
// Packets are decoded with paho's packets package, guarded so that no bytes,
// however malformed, make it panic; bytes that are not a well-formed MQTT
// 3.1.1 packet are reported as a packet of Type Undecodable with the reason.
//
// A Log keeps a tap's newest packets, bounded in number and bytes, for a
// page to draw.
//
// The package imports neither go-app nor syscall/js: the browser runs it in
// WebAssembly and the tests run it natively against real brokers.
package wiretap

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"qosplayground/app/mqttframe"
)

// DefaultMaxPacket is the default size limit of one packet, fixed header
// included: the gateway's default limit (256 KiB) plus the largest fixed
// header, so that no packet the gateway relays is refused here.
const DefaultMaxPacket = 256<<10 + 5

// Tap reports every packet on the connections it wraps to its callback, in
// order, numbered with one sequence across both directions and all
// connections. Its methods are safe for concurrent use: paho reads and
// writes from different goroutines.
type Tap struct {
	// MaxPacket is the largest packet, fixed header included, the tap
	// decodes; a larger one stops the decoding of its direction (the bytes
	// still pass). 0 means DefaultMaxPacket. Set it before the first Wrap.
	MaxPacket int

	onPacket func(Packet)

	// mu guards seq and conns, and is held while onPacket runs, so the
	// callback is never called twice at once and sees Seq in order.
	mu    sync.Mutex
	seq   int
	conns int
}

// New returns a Tap that calls onPacket with every packet it sees (nil
// means no callback). onPacket must return at once: it is called from the
// connection's reading and writing goroutines, which wait for it. The
// packet is the callback's to keep.
func New(onPacket func(Packet)) *Tap {
	return &Tap{onPacket: onPacket}
}

// Wrap returns c wrapped so that the tap sees every byte read from it and
// written to it, for client.Options.WrapConn. The returned connection
// passes every byte unchanged and never waits for anything but c.
//
// A packet written is reported when the client hands it to the connection,
// just before it is written, and a packet read is reported before the
// client gets its last byte: an answer is never reported before the packet
// it answers. (If a write fails, the last packets reported may not have
// reached the wire.)
//
// When a direction's bytes stop being MQTT (a malformed fixed header, or a
// packet larger than MaxPacket), the tap reports one Undecodable packet with
// the bytes of the bad packet as far as it saw them, and decodes nothing
// more in that direction. When the connection ends inside a packet, the
// bytes of that packet are reported as Undecodable too.
func (t *Tap) Wrap(c net.Conn) net.Conn {
	max := t.MaxPacket
	if max <= 0 {
		max = DefaultMaxPacket
	}
	t.mu.Lock()
	t.conns++
	id := t.conns
	t.mu.Unlock()
	tc := &conn{Conn: c}
	tc.sent = stream{tap: t, conn: id, dir: Sent, sp: mqttframe.NewSplitter(max)}
	tc.recv = stream{tap: t, conn: id, dir: Received, sp: mqttframe.NewSplitter(max)}
	return tc
}

// report numbers p and hands it to the callback.
func (t *Tap) report(p Packet) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	p.Seq = t.seq
	if t.onPacket != nil {
		t.onPacket(p)
	}
}

// conn is a tapped connection.
type conn struct {
	net.Conn
	sent, recv stream
}

// Read reads from the connection and reports the packets the bytes read
// complete.
func (c *conn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.recv.push(b[:n])
	}
	if err == io.EOF {
		c.recv.end()
	}
	return n, err
}

// Write reports the packets b completes and writes b to the connection.
func (c *conn) Write(b []byte) (int, error) {
	c.sent.push(b)
	return c.Conn.Write(b)
}

// Close closes the connection; a packet cut short in either direction is
// reported.
func (c *conn) Close() error {
	err := c.Conn.Close()
	c.sent.end()
	c.recv.end()
	return err
}

// stream is one direction of a tapped connection.
type stream struct {
	tap  *Tap
	conn int
	dir  Direction

	mu   sync.Mutex // guards sp and done
	sp   *mqttframe.Splitter
	done bool // malformed or ended: nothing more is reported
}

func (s *stream) push(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return
	}
	err := s.sp.Push(b, func(_ mqttframe.Header, pkt []byte) {
		s.emit(decode(bytes.Clone(pkt)))
	})
	if err != nil {
		s.done = true
		s.emit(Packet{
			Type: Undecodable,
			Raw:  bytes.Clone(s.sp.Rejected()),
			Err: fmt.Sprintf("%s; the tap decodes no more %s packets on this connection",
				strings.TrimPrefix(err.Error(), "mqttframe: "), s.dir),
		})
	}
}

// end reports a packet cut short by the end of the stream.
func (s *stream) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return
	}
	s.done = true
	if s.sp.Buffered() == 0 {
		return
	}
	raw := bytes.Clone(s.sp.Pending())
	what := "packet"
	if h, ok, _ := mqttframe.ParseHeader(raw); ok {
		what = fmt.Sprintf("%s of %d bytes", mqttframe.TypeName(h.Type), h.Size)
	}
	s.emit(Packet{Type: Undecodable, Raw: raw,
		Err: fmt.Sprintf("the connection ended inside a %s: only %d bytes of it went by", what, len(raw))})
}

func (s *stream) emit(p Packet) {
	p.At, p.Dir, p.Conn = time.Now(), s.dir, s.conn
	s.tap.report(p)
}
