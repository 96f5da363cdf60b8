package netcond

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

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
type Conn struct {
	net.Conn
	done      chan struct{}
	closeOnce sync.Once
	up        chan<- Chunk

	mu        sync.Mutex // guards what follows
	werr      error      // the first write error under
	rbuf      []byte     // arrived, not yet read
	rerr      error      // the end of the stream, after rbuf
	rdone     bool       // the down stages have let everything out: rerr is due
	rdeadline time.Time
	rwake     chan struct{} // poked when rbuf, rerr or rdeadline change
}

// Shape returns c through conditions cond, read for each chunk (so that a
// change applies to the next bytes).
func Shape(c net.Conn, cond func() Conditions) *Conn {
	s := &Conn{Conn: c, done: make(chan struct{}), rwake: make(chan struct{}, 1)}
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
			if n > 0 {
				select {
				case down <- Chunk{Data: buf[:n], At: time.Now()}:
				case <-s.done:
					return
				}
			}
			if err != nil {
				s.mu.Lock()
				s.rerr = err // delivered once the stages have let out what came before
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

// ended marks that rerr may now be returned; s.mu is held.
func (s *Conn) ended() { s.rdone = true }

func (s *Conn) poke() {
	select {
	case s.rwake <- struct{}{}:
	default:
	}
}

// Read returns the bytes that have come through the down stages.
func (s *Conn) Read(p []byte) (int, error) {
	for {
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
			return 0, net.ErrClosed
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
	select {
	case s.up <- Chunk{Data: append([]byte(nil), p...), At: time.Now()}:
		return len(p), nil
	case <-s.done:
		return 0, net.ErrClosed
	}
}

// Close closes the connection under it and drops what is still on its way.
func (s *Conn) Close() error {
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
