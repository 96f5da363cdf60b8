package mochibroker

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// ConnSet remembers the connections a listener hands mochi: the open ones,
// so that a crash can cut them all at once, and the ones mochi has not read
// yet, so that closing the server can wait for them.
//
// The wait is for the race detector's sake, and for mochi's (v2.7.9):
// mochi counts each connection in a WaitGroup, with its Add in the
// connection's own goroutine before the first read, and waits on it in
// Close. A connection handed over just before would make that Add
// concurrent with the Wait. Its first read comes after the Add, so once
// every connection has been read, every Add happened before the Wait.
//
// The zero ConnSet is empty and ready.
type ConnSet struct {
	mu     sync.Mutex
	open   map[*Conn]struct{} // not closed through Conn.Close yet
	unread map[*Conn]struct{} // not read yet
}

// Track wraps c, a connection about to be handed to mochi, and remembers it.
func (s *ConnSet) Track(c net.Conn) *Conn {
	tc := &Conn{Conn: c, set: s, reading: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open == nil {
		s.open, s.unread = map[*Conn]struct{}{}, map[*Conn]struct{}{}
	}
	s.open[tc] = struct{}{}
	s.unread[tc] = struct{}{}
	return tc
}

// Open returns the connections not closed yet.
func (s *ConnSet) Open() []*Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return keys(s.open)
}

// TakeOpen returns the connections not closed yet and forgets them all.
func (s *ConnSet) TakeOpen() []*Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	open := keys(s.open)
	s.open = map[*Conn]struct{}{}
	return open
}

// WaitFirstReads waits, at most max, until mochi has read every connection
// handed to it so far at least once.
func (s *ConnSet) WaitFirstReads(max time.Duration) {
	s.mu.Lock()
	unread := keys(s.unread)
	s.mu.Unlock()
	t := time.NewTimer(max)
	defer t.Stop()
	for _, c := range unread {
		select {
		case <-c.reading:
		case <-t.C:
			return
		}
	}
}

func keys(m map[*Conn]struct{}) []*Conn {
	out := make([]*Conn, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	return out
}

// Conn is a connection of a ConnSet: it marks its first Read and its first
// Write, and leaves the set's open ones when closed.
type Conn struct {
	net.Conn
	set      *ConnSet
	readOnce sync.Once
	reading  chan struct{} // closed at the first Read
	answered atomic.Bool   // mochi has written to it (CONNACK at least)
}

// Answered reports whether mochi has written to the connection.
func (c *Conn) Answered() bool { return c.answered.Load() }

func (c *Conn) Write(p []byte) (int, error) {
	c.answered.Store(true)
	return c.Conn.Write(p)
}

func (c *Conn) Read(p []byte) (int, error) {
	c.readOnce.Do(func() {
		c.set.mu.Lock()
		delete(c.set.unread, c)
		c.set.mu.Unlock()
		close(c.reading)
	})
	return c.Conn.Read(p)
}

func (c *Conn) Close() error {
	c.set.mu.Lock()
	delete(c.set.open, c)
	c.set.mu.Unlock()
	return c.Conn.Close()
}
