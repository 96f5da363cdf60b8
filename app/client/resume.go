package client

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// resumeGate holds new QoS 1/2 publishes back while paho re-sends the
// unacknowledged ones of a new connection, so that the re-sends go first,
// as MQTT 3.1.1 section 4.6 wants of the order.
//
// paho v1.5.1's reconnect marks the connection up (startCommsWorkers) and
// only then runs resume, which pushes the stored packets to the writer one
// by one: a Publish made meanwhile went straight to the writer, ahead of
// the re-sends, and the broker forwarded the new message before the older
// ones (the fault lab's side-by-side run, TestOrderWhenOnlyTheSubscriberIsCut
// with the publisher cut). The gate closes when a connection is dialled,
// learns from the store what resume lists (All), and opens when each
// listed PUBLISH has been written on that connection or acknowledged
// (deleted from the store), or when nothing is listed (Reset, the first
// connection of a clean session).
type resumeGate struct {
	mu      sync.Mutex
	conn    int64           // the connection dialled last
	armed   bool            // dialled; resume has not listed the store yet
	pending map[uint16]bool // PUBLISHes resume listed, not written or acknowledged yet
	open    chan struct{}   // closed while publishes may go
}

// resumeWait bounds how long a publish waits for the re-sends: a resume
// that never writes (a connection that dies at once) must not stop the
// publisher; the next connection's resume then sends it in order anyway,
// from the store.
const resumeWait = 5 * time.Second

func newResumeGate() *resumeGate {
	open := make(chan struct{})
	close(open)
	return &resumeGate{open: open}
}

// dialled closes the gate for connection conn: its resume is to come.
func (g *resumeGate) dialled(conn int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.conn, g.armed, g.pending = conn, true, nil
	select {
	case <-g.open:
		g.open = make(chan struct{})
	default:
	}
}

// listed records the stored keys resume is about to re-send (the store's
// All): the gate opens once each outbound PUBLISH among them is written
// or acknowledged. isPublish tells which keys hold a PUBLISH. Only the
// first listing after a dial counts (paho also lists the store before
// connecting, to reserve packet ids).
func (g *resumeGate) listed(keys []string, isPublish func(key string) bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.armed {
		return
	}
	g.armed = false
	g.pending = map[uint16]bool{}
	for _, k := range keys {
		if id, ok := outboundID(k); ok && isPublish(k) {
			g.pending[id] = true
		}
	}
	g.release()
}

// wrote records a QoS 1/2 PUBLISH written on connection conn (or held
// back there, sendPublish2), and done one acknowledged (its key deleted
// from the store).
func (g *resumeGate) wrote(conn int64, id uint16) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if conn == g.conn {
		g.settled(id)
	}
}

func (g *resumeGate) done(id uint16) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.settled(id)
}

func (g *resumeGate) settled(id uint16) {
	if g.armed || g.pending == nil {
		return
	}
	delete(g.pending, id)
	g.release()
}

// release opens the gate when nothing listed is left; g.mu held.
func (g *resumeGate) release() {
	if len(g.pending) > 0 {
		return
	}
	select {
	case <-g.open:
	default:
		close(g.open)
	}
}

// wait returns when the gate is open, the connection is not open (paho
// then stores the publish, and the next resume sends it in order), or
// after resumeWait.
func (g *resumeGate) wait(connOpen func() bool) {
	g.mu.Lock()
	open := g.open
	g.mu.Unlock()
	select {
	case <-open:
		return
	default:
	}
	if !connOpen() {
		return
	}
	t := time.NewTimer(resumeWait)
	defer t.Stop()
	select {
	case <-open:
	case <-t.C:
	}
}

// outboundID is the packet id of paho's store key of an outbound packet
// ("o.<id>", outboundKey).
func outboundID(key string) (uint16, bool) {
	s, ok := strings.CutPrefix(key, "o.")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 16)
	return uint16(n), err == nil
}
