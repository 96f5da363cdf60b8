package netcond

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"qosplayground/app/mqttframe"
)

// ErrCut is what Read and Write return once the link's cut rate has cut
// the connection (ShapeMQTT, ArmCut). Its text must not contain "use of
// closed network connection": paho does not report a read error that
// does, and would never notice the connection was lost.
var ErrCut = errors.New("netcond: the link cut the connection (its cut rate)")

// Conn is a net.Conn seen through network conditions: what is written
// goes through the up stages (bandwidth, then latency) before it reaches
// the connection under it, and what the connection yields goes through the
// down stages before Read returns it. The in-tab broker's link uses it, so
// that the offline page teaches what the server's gateway does on real
// frames (server/gateway/netcond.go).
//
// Writes never block on the conditions (the bytes are queued, as a
// socket's send buffer queues them) unless QueueLen chunks wait; a write
// error of the connection under it is returned by the next Write. Read
// honours its deadline; SetWriteDeadline is passed to the connection under
// it.
//
// Made by ShapeMQTT, it also reads the MQTT packets going each way, lets
// only whole packets into the stages (as the gateway forwards whole
// packets), and cuts the connection as the gateway's random cut does once
// a cut is armed (ArmCut): the packet past the cut is dropped, what is
// still on its way in the stages is lost with it, and both ends see the
// connection end.
type Conn struct {
	net.Conn
	done      chan struct{}
	closeOnce sync.Once
	closed    atomic.Bool // Close was called: Read reads nothing more
	up        chan<- Chunk

	// MQTT framing and the cut (ShapeMQTT).
	framed  bool
	upMu    sync.Mutex          // guards upSplit and orders Writes into the stages
	upSplit *mqttframe.Splitter // tab → broker
	cutMu   sync.Mutex          // guards cut and wasCut
	cut     *Cut                // nil: none armed
	wasCut  bool

	mu        sync.Mutex // guards what follows
	werr      error      // the first write error under
	rbuf      []byte     // arrived, not yet read
	rerr      error      // the end of the stream, after rbuf
	rdone     bool       // the down stages have let everything out: rerr is due
	rdeadline time.Time
	rwake     chan struct{} // poked when rbuf, rerr or rdeadline change
}

// Shape returns c through conditions cond, read for each chunk (so that a
// change applies to the next bytes). The bytes may be anything.
func Shape(c net.Conn, cond func() Conditions) *Conn { return shape(c, cond, false) }

// ShapeMQTT is Shape for a connection that carries MQTT: the bytes go
// through the stages as whole packets, and a cut can be armed (ArmCut).
func ShapeMQTT(c net.Conn, cond func() Conditions) *Conn { return shape(c, cond, true) }

func shape(c net.Conn, cond func() Conditions, framed bool) *Conn {
	s := &Conn{Conn: c, done: make(chan struct{}), rwake: make(chan struct{}, 1), framed: framed}
	var downSplit *mqttframe.Splitter
	if framed {
		s.upSplit, downSplit = mqttframe.NewSplitter(0), mqttframe.NewSplitter(0)
	}
	clock := RealClock{}
	stages := func(kbps func(Conditions) int) []Stage {
		return []Stage{
			&Bandwidth{Kbps: func() int { return kbps(cond()) }, Clock: clock},
			&Latency{Delay: func() (time.Duration, time.Duration) { k := cond(); return k.Latency(), k.Jitter() }, Clock: clock},
		}
	}
	up, upOut := Chain(s.done, stages(func(k Conditions) int { return k.UpKbps })...)
	down, downOut := Chain(s.done, stages(func(k Conditions) int { return k.DownKbps })...)
	s.up = up
	go func() { // up: leave the stages, into the connection
		for ch := range upOut {
			if _, err := c.Write(ch.Data); err != nil {
				s.mu.Lock()
				if s.werr == nil {
					s.werr = err
				}
				s.mu.Unlock()
			}
		}
	}()
	go func() { // down: from the connection, into the stages
		defer close(down)
		for {
			buf := make([]byte, 32<<10)
			n, err := c.Read(buf)
			data, cut := buf[:n], false
			if framed && n > 0 {
				data, cut, err = s.packets(downSplit, data, err)
			}
			if len(data) > 0 {
				select {
				case down <- Chunk{Data: data, At: time.Now()}:
				case <-s.done:
					return
				}
			}
			if cut {
				s.cutNow()
				return
			}
			if err != nil {
				s.mu.Lock()
				if s.rerr == nil { // not after a cut: ErrCut stays
					s.rerr = err // delivered once the stages have let out what came before
				}
				s.mu.Unlock()
				return
			}
		}
	}()
	go func() { // down: leave the stages, for Read
		for ch := range downOut {
			s.mu.Lock()
			s.rbuf = append(s.rbuf, ch.Data...)
			s.mu.Unlock()
			s.poke()
		}
		s.mu.Lock()
		if s.rerr == nil {
			s.rerr = io.EOF
		}
		s.ended()
		s.mu.Unlock()
		s.poke()
	}()
	return s
}

// packets returns the whole packets of p that pass the cut, if one is
// armed, in a new slice; cut reports that the cut has come (the packets
// after it are dropped). A stream that is not MQTT ends the connection
// with the splitter's error.
func (s *Conn) packets(sp *mqttframe.Splitter, p []byte, err error) (out []byte, cut bool, _ error) {
	s.cutMu.Lock()
	defer s.cutMu.Unlock()
	if s.wasCut {
		return nil, true, err
	}
	if serr := sp.Push(p, func(h mqttframe.Header, pkt []byte) {
		if s.wasCut {
			return
		}
		if s.cut != nil && !s.cut.Pass(h) {
			s.wasCut = true
			return
		}
		out = append(out, pkt...)
	}); serr != nil && err == nil {
		err = serr
	}
	return out, s.wasCut, err
}

// ArmCut arms a cut after n more packets, both ways counted (Cut: resends
// pass uncounted), replacing the one armed; n < 0 disarms it. It does
// nothing on a connection made by Shape, which does not read packets.
func (s *Conn) ArmCut(n int) {
	if !s.framed {
		return
	}
	s.cutMu.Lock()
	defer s.cutMu.Unlock()
	if n < 0 {
		s.cut = nil
		return
	}
	s.cut = &Cut{Left: n}
}

// cutNow ends the connection after a cut: what is on its way is lost.
func (s *Conn) cutNow() {
	s.mu.Lock()
	s.rerr, s.rdone = ErrCut, true
	if s.werr == nil {
		s.werr = ErrCut
	}
	s.mu.Unlock()
	s.shut()
}

// ended marks that rerr may now be returned; s.mu is held.
func (s *Conn) ended() { s.rdone = true }

func (s *Conn) poke() {
	select {
	case s.rwake <- struct{}{}:
	default:
	}
}

// Read returns the bytes that have come through the down stages. After
// Close it reads nothing more (net.ErrClosed), as a closed socket: a
// client reads until an error, and bytes read from a connection it has
// closed would go past a wiretap, which ends at Close (after a cut, what
// had arrived is still read, then ErrCut).
func (s *Conn) Read(p []byte) (int, error) {
	for {
		if s.closed.Load() {
			return 0, net.ErrClosed
		}
		s.mu.Lock()
		if len(s.rbuf) > 0 {
			n := copy(p, s.rbuf)
			s.rbuf = s.rbuf[n:]
			s.mu.Unlock()
			return n, nil
		}
		if s.rdone {
			err := s.rerr
			s.mu.Unlock()
			return 0, err
		}
		dl := s.rdeadline
		s.mu.Unlock()
		var timeout <-chan time.Time
		var t *time.Timer
		if !dl.IsZero() {
			d := time.Until(dl)
			if d <= 0 {
				return 0, &net.OpError{Op: "read", Net: "netcond", Err: os.ErrDeadlineExceeded}
			}
			t = time.NewTimer(d)
			timeout = t.C
		}
		select {
		case <-s.rwake:
		case <-timeout:
		case <-s.done:
			s.mu.Lock()
			err := s.rerr
			s.mu.Unlock()
			if err != ErrCut {
				err = net.ErrClosed
			}
			return 0, err
		}
		if t != nil {
			t.Stop()
		}
	}
}

// Write queues p on the up stages.
func (s *Conn) Write(p []byte) (int, error) {
	s.mu.Lock()
	err := s.werr
	s.mu.Unlock()
	if err != nil {
		return 0, err
	}
	if !s.framed {
		return s.send(append([]byte(nil), p...), len(p))
	}
	s.upMu.Lock()
	defer s.upMu.Unlock()
	data, cut, err := s.packets(s.upSplit, p, nil)
	if err != nil {
		s.shut()
		return 0, err
	}
	if len(data) > 0 {
		if _, err := s.send(data, len(p)); err != nil {
			return 0, err
		}
	}
	if cut {
		// Written, as into a socket's buffer, and lost on the way: the
		// writer learns of the cut from its next read or write.
		s.cutNow()
	}
	return len(p), nil
}

// send queues data, a slice of its own, on the up stages.
func (s *Conn) send(data []byte, n int) (int, error) {
	select {
	case s.up <- Chunk{Data: data, At: time.Now()}:
		return n, nil
	case <-s.done:
		return 0, net.ErrClosed
	}
}

// Close closes the connection under it and drops what is still on its way
// and what has arrived unread.
func (s *Conn) Close() error {
	s.closed.Store(true)
	return s.shut()
}

// shut closes the connection under it, once.
func (s *Conn) shut() error {
	err := net.ErrClosed
	s.closeOnce.Do(func() {
		close(s.done)
		err = s.Conn.Close()
	})
	return err
}

// SetDeadline sets the read deadline and the write deadline under it.
func (s *Conn) SetDeadline(t time.Time) error {
	s.SetReadDeadline(t)
	return s.Conn.SetWriteDeadline(t)
}

// SetReadDeadline sets the deadline of Read.
func (s *Conn) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	s.rdeadline = t
	s.mu.Unlock()
	s.poke()
	return nil
}
