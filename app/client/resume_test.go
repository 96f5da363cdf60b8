package client

import (
	"testing"
)

// TestResumeGate: the gate closes at a dial, learns from the first
// listing after it which PUBLISHes resume re-sends, and opens once each
// is written on that connection or acknowledged; with nothing listed it
// opens at once. A publish waits while it is closed and the connection
// open, never while the connection is down.
func TestResumeGate(t *testing.T) {
	isOpen := func(g *resumeGate) bool {
		select {
		case <-g.open:
			return true
		default:
			return false
		}
	}
	publishes := func(k string) bool { return k != "o.9" } // o.9 holds a PUBREL
	g := newResumeGate()
	if !isOpen(g) {
		t.Fatal("a new gate is closed")
	}
	g.listed([]string{"o.1"}, publishes) // paho reserving ids before any dial: ignored
	if !isOpen(g) {
		t.Fatal("a listing before a dial closed the gate")
	}
	g.dialled(1)
	if isOpen(g) {
		t.Fatal("open after a dial")
	}
	g.wait(func() bool { return false }) // the connection is down: no wait (the test would hang)
	g.listed([]string{"o.3", "i.4", "o.9", "o.5"}, publishes)
	if isOpen(g) {
		t.Fatal("open with o.3 and o.5 to re-send")
	}
	g.listed(nil, publishes) // a second listing (a resume of an older connection): ignored
	g.wrote(2, 3)            // another connection's write
	g.wrote(1, 3)
	if isOpen(g) {
		t.Fatal("open with o.5 to re-send")
	}
	g.done(5) // acknowledged before resume wrote it
	if !isOpen(g) {
		t.Fatal("closed with everything re-sent or acknowledged")
	}
	g.wait(func() bool { return true })

	g.dialled(2)
	g.listed(nil, nil) // the store reset (clean session): nothing to re-send
	if !isOpen(g) {
		t.Fatal("closed after a reset")
	}
	g.dialled(3)
	g.dialled(4) // the last connection failed before its resume
	g.listed([]string{"o.7"}, publishes)
	g.wrote(3, 7)
	if isOpen(g) {
		t.Fatal("a write on an old connection opened the gate")
	}
	g.wrote(4, 7)
	if !isOpen(g) {
		t.Fatal("closed after the re-send")
	}
}

// TestOutboundID reads paho's store keys.
func TestOutboundID(t *testing.T) {
	for key, want := range map[string]int{"o.1": 1, "o.65535": 65535, "i.3": -1, "o.x": -1, "o.70000": -1} {
		id, ok := outboundID(key)
		if (want < 0) == ok || (ok && int(id) != want) {
			t.Errorf("outboundID(%q) = %d, %v; want %d", key, id, ok, want)
		}
	}
}
