// Package memconn is an in-memory connection whose writes never block: the
// in-tab broker's connections (app/inbroker, app/intab) are made of it.
package memconn

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Pipe returns the two ends of an in-memory, full-duplex connection
// whose writes never block: each direction is a byte queue that grows as
// needed, like a socket's send buffer that is never full.
//
// net.Pipe would be simpler, but it is synchronous: a Write returns only
// when the other end has read it all. paho and mochi each read with one
// goroutine and write with another, and each one's reader hands packets to
// its writer (an acknowledgement answers every QoS 1 and 2 PUBLISH). When
// both writers are blocked on a full net.Pipe, each waiting for the other
// side's reader, and both readers are waiting to hand an acknowledgement to
// their own blocked writer, nothing moves again: a QoS 2 stream between a
// publisher and a subscriber in the same tab does exactly that (seen
// natively and in Chromium; QoS 0 and 1 happen to pass). A queue that always
// accepts a write breaks the cycle, as the kernel's socket buffers do for
// TCP.
//
// The queue is not bounded, but neither side can fill it without limit:
// paho keeps at most its window of QoS 1 and 2 messages unacknowledged, and
// mochi bounds what it has pending per client
// (Capabilities.MaximumClientWritesPending).
//
// The ends' addresses are a and b, in the network "intab".
func Pipe(a, b string) (net.Conn, net.Conn) {
	ab, ba := newQueue(), newQueue()
	ca := &pipeConn{in: ba, out: ab, local: pipeAddr(a), remote: pipeAddr(b)}
	cb := &pipeConn{in: ab, out: ba, local: pipeAddr(b), remote: pipeAddr(a)}
	return ca, cb
}

// pipeAddr is the address of either end of a pipe.
type pipeAddr string

func (a pipeAddr) Network() string { return "intab" }
func (a pipeAddr) String() string  { return string(a) }

// queue is one direction of a pipe.
type queue struct {
	// mu guards the fields below.
	mu           sync.Mutex
	data         []byte
	eof          bool      // the writing end closed: reads drain data, then io.EOF
	readerClosed bool      // the reading end closed: reads and writes fail
	deadline     time.Time // for reads; zero means none
	// wake has room for one token: whoever changes the queue leaves one so
	// that a waiting reader looks again.
	wake chan struct{}
}

func newQueue() *queue { return &queue{wake: make(chan struct{}, 1)} }

func (q *queue) poke() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pipeConn is one end of a pipe made by newPipe.
type pipeConn struct {
	in, out       *queue
	local, remote net.Addr

	// mu guards writeDeadline.
	mu            sync.Mutex
	writeDeadline time.Time
}

// Read reads what the other end wrote, waiting for it if there is none. It
// returns io.EOF once the other end closed and everything it wrote was read,
// net.ErrClosed after this end was closed, and os.ErrDeadlineExceeded (a
// net.Error whose Timeout is true, as the net package's connections do) when
// the read deadline passes.
func (c *pipeConn) Read(p []byte) (int, error) {
	q := c.in
	for {
		q.mu.Lock()
		switch {
		case q.readerClosed:
			q.mu.Unlock()
			return 0, c.opError("read", net.ErrClosed)
		case len(q.data) > 0:
			n := copy(p, q.data)
			q.data = q.data[n:]
			if len(q.data) == 0 {
				q.data = nil // let the backing array go
			}
			q.mu.Unlock()
			return n, nil
		case q.eof:
			q.mu.Unlock()
			return 0, io.EOF
		}
		deadline := q.deadline
		q.mu.Unlock()
		if deadline.IsZero() {
			<-q.wake
			continue
		}
		wait := time.Until(deadline)
		if wait <= 0 {
			return 0, c.opError("read", os.ErrDeadlineExceeded)
		}
		t := time.NewTimer(wait)
		select {
		case <-q.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// Write queues p for the other end and returns at once. It fails after
// either end was closed, and once the write deadline has passed.
func (c *pipeConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	deadline := c.writeDeadline
	c.mu.Unlock()
	if !deadline.IsZero() && !time.Now().Before(deadline) {
		return 0, c.opError("write", os.ErrDeadlineExceeded)
	}
	q := c.out
	q.mu.Lock()
	switch {
	case q.eof: // this end closed
		q.mu.Unlock()
		return 0, c.opError("write", net.ErrClosed)
	case q.readerClosed:
		q.mu.Unlock()
		return 0, c.opError("write", io.ErrClosedPipe)
	}
	q.data = append(q.data, p...)
	q.mu.Unlock()
	q.poke()
	return len(p), nil
}

// Close closes this end: the other end reads what was already written and
// then io.EOF, and its writes fail. It is idempotent.
func (c *pipeConn) Close() error {
	c.in.mu.Lock()
	c.in.readerClosed, c.in.data = true, nil
	c.in.mu.Unlock()
	c.in.poke()
	c.out.mu.Lock()
	c.out.eof = true
	c.out.mu.Unlock()
	c.out.poke()
	return nil
}

func (c *pipeConn) LocalAddr() net.Addr  { return c.local }
func (c *pipeConn) RemoteAddr() net.Addr { return c.remote }

func (c *pipeConn) SetDeadline(t time.Time) error {
	_ = c.SetReadDeadline(t)
	return c.SetWriteDeadline(t)
}

func (c *pipeConn) SetReadDeadline(t time.Time) error {
	c.in.mu.Lock()
	c.in.deadline = t
	c.in.mu.Unlock()
	c.in.poke() // a waiting reader recomputes its timer
	return nil
}

func (c *pipeConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.writeDeadline = t
	c.mu.Unlock()
	return nil
}

func (c *pipeConn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "intab", Source: c.local, Addr: c.remote, Err: err}
}
