package capture

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"qosplayground/app/capworker"
	"qosplayground/app/mqttframe"
	"qosplayground/app/wiretap"
)

// Read reads a pcap or pcapng capture (pcapgo's readers) and returns the
// MQTT packets it holds on TCP port port: the TCP segments of each
// connection are put back in order per direction by their sequence numbers
// (retransmissions and overlaps dropped, segments that arrive early kept
// until the gap is filled), and the byte stream is split into MQTT packets
// however it was cut into segments: a packet split across segments, or
// several in one. A packet's time is that of the segment that completed
// it. The side whose port is port is the broker; the other, the client.
//
// Packets are numbered in the order they were completed, and connections
// in the order they first appear (a new SYN on the same addresses is a new
// connection). A stream that turns out not to be MQTT ends with one packet
// of type wiretap.Undecodable holding the bytes that were refused.
//
// The error is a *capworker.Error. With Kind Truncated the packets read
// before the file ended are returned too.
func Read(r io.Reader, port int, maxPackets int) (pkts []wiretap.Packet, more bool, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	src, err := open(br)
	if err != nil {
		return nil, false, err
	}
	a := &assembler{port: uint16(port), conns: map[connKey]*tcpConn{}, ports: map[uint16]int{}, max: maxPackets}
	for !a.full() {
		data, ci, err := src.read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			kind := capworker.Damaged
			if errors.Is(err, io.ErrUnexpectedEOF) {
				kind = capworker.Truncated
			}
			return a.out, false, a.finish(&capworker.Error{Kind: kind, Port: port, Detail: err.Error()})
		}
		a.frame(data, src.linkType(ci), ci.Timestamp)
	}
	return a.out, a.full(), a.finish(nil)
}

// source is pcapgo's pcap or pcapng reader.
type source struct {
	read     func() ([]byte, gopacket.CaptureInfo, error)
	linkType func(gopacket.CaptureInfo) layers.LinkType
}

// open tells pcap from pcapng by the first four bytes, and anything else
// from both.
func open(br *bufio.Reader) (*source, error) {
	head, err := br.Peek(4)
	if err != nil {
		if len(head) == 0 {
			return nil, &capworker.Error{Kind: capworker.NotCapture, Detail: "the file is empty"}
		}
		return nil, &capworker.Error{Kind: capworker.NotCapture, Detail: fmt.Sprintf("the file has only %d bytes", len(head))}
	}
	magic := binary.LittleEndian.Uint32(head)
	switch magic {
	case 0x0a0d0d0a: // pcapng's Section Header Block
		ng, err := pcapgo.NewNgReader(br, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, headerError(err)
		}
		return &source{read: ng.ReadPacketData, linkType: func(ci gopacket.CaptureInfo) layers.LinkType {
			if in, err := ng.Interface(ci.InterfaceIndex); err == nil {
				return in.LinkType
			}
			return ng.LinkType()
		}}, nil
	case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1: // pcap, either byte order, µs or ns
		pr, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, headerError(err)
		}
		return &source{read: pr.ReadPacketData, linkType: func(gopacket.CaptureInfo) layers.LinkType { return pr.LinkType() }}, nil
	}
	return nil, &capworker.Error{Kind: capworker.NotCapture, Detail: fmt.Sprintf("it starts with % x, which is neither pcap nor pcapng", head)}
}

func headerError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &capworker.Error{Kind: capworker.Truncated, Detail: "the file ends inside its header: " + err.Error()}
	}
	return &capworker.Error{Kind: capworker.Damaged, Detail: err.Error()}
}

// connKey names a TCP connection by its client's address and port and its
// broker's address.
type connKey struct {
	client, broker string
	clientPort     uint16
}

// tcpConn is one TCP connection: its number and a stream per direction
// (0 client → broker, 1 broker → client).
type tcpConn struct {
	id      int
	streams [2]*stream
}

// stream is one direction of a connection.
type stream struct {
	started bool
	next    uint32 // the sequence number of the next byte in order
	early   []segment
	split   *mqttframe.Splitter
	failed  bool
}

type segment struct {
	seq  uint32
	data []byte
}

// maxEarly bounds the segments kept ahead of a gap per stream: a capture
// that lost a segment for good cannot make the reader hold everything
// after it.
const maxEarly = 4096

type assembler struct {
	port    uint16
	conns   map[connKey]*tcpConn
	nconns  int
	ports   map[uint16]int // TCP ports with payload, for the error that names them
	onPort  int            // segments on port
	out     []wiretap.Packet
	max     int
	refused []string
}

func (a *assembler) full() bool { return a.max > 0 && len(a.out) >= a.max }

// frame decodes one captured frame down to TCP and hands its segment on.
func (a *assembler) frame(data []byte, lt layers.LinkType, at time.Time) {
	p := gopacket.NewPacket(data, lt, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if tcp == nil {
		return
	}
	var srcIP, dstIP net.IP
	switch ip := p.NetworkLayer().(type) {
	case *layers.IPv4:
		srcIP, dstIP = ip.SrcIP, ip.DstIP
	case *layers.IPv6:
		srcIP, dstIP = ip.SrcIP, ip.DstIP
	default:
		return
	}
	src, dst := uint16(tcp.SrcPort), uint16(tcp.DstPort)
	if len(tcp.Payload) > 0 {
		a.ports[src]++
		a.ports[dst]++
	}
	var dir int
	var key connKey
	switch {
	case dst == a.port:
		dir, key = 0, connKey{client: srcIP.String(), clientPort: src, broker: dstIP.String()}
	case src == a.port:
		dir, key = 1, connKey{client: dstIP.String(), clientPort: dst, broker: srcIP.String()}
	default:
		return
	}
	a.onPort++
	c := a.conns[key]
	// A client's SYN after data on the same addresses: a new connection.
	if c == nil || (tcp.SYN && !tcp.ACK && dir == 0 && c.streams[0] != nil && c.streams[0].started && c.streams[0].next != tcp.Seq+1) {
		a.nconns++
		c = &tcpConn{id: a.nconns}
		a.conns[key] = c
	}
	s := c.streams[dir]
	if s == nil {
		s = &stream{split: mqttframe.NewSplitter(0)}
		c.streams[dir] = s
	}
	if tcp.SYN {
		s.started, s.next, s.early = true, tcp.Seq+1, nil
		return
	}
	if len(tcp.Payload) == 0 || s.failed {
		return
	}
	if !s.started {
		s.started, s.next = true, tcp.Seq
	}
	a.segment(c, dir, s, segment{tcp.Seq, tcp.Payload}, at)
}

// segment puts a segment's bytes in order: those already seen are
// dropped, those ahead of a gap kept for later.
func (a *assembler) segment(c *tcpConn, dir int, s *stream, sg segment, at time.Time) {
	ahead := int32(sg.seq - s.next)
	if ahead > 0 {
		if len(s.early) < maxEarly {
			s.early = append(s.early, segment{sg.seq, bytes.Clone(sg.data)})
		}
		return
	}
	if -ahead >= int32(len(sg.data)) {
		return // a retransmission of bytes already in order
	}
	a.push(c, dir, s, sg.data[-ahead:], at)
	// Segments that came early may fit now.
	for len(s.early) > 0 && !s.failed {
		i := slices.IndexFunc(s.early, func(e segment) bool { return int32(e.seq-s.next) <= 0 })
		if i < 0 {
			return
		}
		e := s.early[i]
		s.early = slices.Delete(s.early, i, i+1)
		if d := int32(s.next - e.seq); d < int32(len(e.data)) {
			a.push(c, dir, s, e.data[d:], at)
		}
	}
}

// push feeds bytes in order to the stream's MQTT splitter.
func (a *assembler) push(c *tcpConn, dir int, s *stream, b []byte, at time.Time) {
	s.next += uint32(len(b))
	wdir := wiretap.Sent
	if dir == 1 {
		wdir = wiretap.Received
	}
	err := s.split.Push(b, func(_ mqttframe.Header, raw []byte) {
		if a.full() {
			return
		}
		p := wiretap.Decode(raw)
		p.Seq, p.Conn, p.At, p.Dir = len(a.out)+1, c.id, at, wdir
		a.out = append(a.out, p)
	})
	if err != nil {
		s.failed, s.early = true, nil
		if len(a.out) < a.max || a.max <= 0 {
			p := wiretap.Decode(s.split.Rejected())
			if p.Type != wiretap.Undecodable {
				p = wiretap.Packet{Type: wiretap.Undecodable, Raw: p.Raw}
			}
			p.Err = err.Error()
			p.Seq, p.Conn, p.At, p.Dir = len(a.out)+1, c.id, at, wdir
			a.out = append(a.out, p)
		}
		a.refused = append(a.refused, err.Error())
	}
}

// finish says what went wrong, if anything: err, else no MQTT found.
func (a *assembler) finish(err *capworker.Error) error {
	if err != nil {
		return err
	}
	port := int(a.port)
	if a.onPort == 0 || len(a.out) == 0 && len(a.refused) == 0 {
		type pc struct{ port, n int }
		var seen []pc
		for p, n := range a.ports {
			seen = append(seen, pc{int(p), n})
		}
		slices.SortFunc(seen, func(x, y pc) int {
			if x.n != y.n {
				return y.n - x.n
			}
			return x.port - y.port
		})
		e := &capworker.Error{Kind: capworker.NoMQTT, Port: port}
		for _, s := range seen[:min(len(seen), 3)] {
			e.Ports = append(e.Ports, s.port)
		}
		return e
	}
	// Every packet refused: the port carries something else.
	for _, p := range a.out {
		if p.Type != wiretap.Undecodable {
			return nil
		}
	}
	return &capworker.Error{Kind: capworker.NotMQTT, Port: port, Detail: a.refused[0]}
}
