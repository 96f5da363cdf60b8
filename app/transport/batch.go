package transport

import (
	"context"
	"net"
	"sync"

	"github.com/coder/websocket"
)

// maxBatch is the most bytes a batch gathers; a write that reaches it sends
// the batch at once.
const maxBatch = 64 << 10

// batcher gathers the MQTT packets paho writes during one turn of the
// browser's event loop into one binary WebSocket message.
//
// In the browser every WebSocket.send is a call out of the wasm and a
// message handed to the network process, and the gateway relays a stream,
// not messages (MQTT 3.1.1 section 6 lets a message hold several packets).
// When a PUBACK or a delivery wakes the tab, paho and the lab's publisher
// answer with several packets before the tab goes idle again; the batch
// sends them together once it does (schedule runs flush then: in the
// browser, as a task of its own queued behind the events already waiting,
// so that the PUBACKs of several deliveries that arrived together go in one
// message too). make bench, measurement 1, saw this and the gateway's own
// batching raise the tab's throughput by half at QoS 1 and 2; flushing in a
// task rather than a microtask, which ran after each event, took QoS 1 from
// 1866–1909 msg/s (1.17–1.37x mqtt.js) in the runs before to 1955–2182
// (1.37–1.41x) in the three after.
//
// A write never waits for the network: Write appends, and a failed send is
// returned by the writes after it. Close and WriteText send the batch
// first, so that DISCONNECT goes out and a fault command acts on exactly
// the packets written after it.
type batcher struct {
	ws       *websocket.Conn
	schedule func(flush func()) // calls flush once the writers have yielded
	// open, if set, says whether the socket still takes messages. In the
	// browser a WebSocket is CLOSING from the moment the server's close
	// frame arrives (a fault's cut, a broker restart) until its close
	// event, and coder/websocket, which learns of the close only from that
	// event, would still call send: the browser drops the message and logs
	// "WebSocket is already in CLOSING or CLOSED state" (59 in one fault
	// lab session, issue 13). A write then fails as on a closed connection
	// instead.
	open func() bool

	// mu is never held while waiting for anything: flush, which takes
	// it, runs in the browser in a callback from JavaScript.
	mu        sync.Mutex
	buf       []byte
	scheduled bool // a flush is scheduled
	// now: the next write goes out at once rather than in a batch. Set
	// for a new connection (newBatcher): its first write is paho's
	// CONNECT, and nothing can follow it before CONNACK, so a batch would
	// only hold it back, behind whatever tasks the page has queued
	// meanwhile (go-app's redraw of the page after the Connect press).
	now bool
	err error // the first failed send: the writes after it fail too
}

// Write queues p for the next flush.
func (b *batcher) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	b.buf = append(b.buf, p...)
	if b.now || len(b.buf) >= maxBatch {
		b.now = false
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if !b.scheduled {
		b.scheduled = true
		b.schedule(b.flush)
	}
	return len(p), nil
}

// flush sends what was written since the last flush.
func (b *batcher) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.scheduled = false
	b.flushLocked()
}

// sendFirst sends the batch, then runs f (a text message or the close)
// with no write in between.
func (b *batcher) sendFirst(f func() error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.flushLocked(); err != nil {
		return err
	}
	if b.open != nil && !b.open() {
		b.err = net.ErrClosed
		return b.err
	}
	return f()
}

// close sends the batch if it can, then closes the connection with
// closeConn; later writes fail with net.ErrClosed.
//
// closeConn runs without the lock: in the browser it waits for the
// WebSocket's close event, and a flush scheduled meanwhile runs in a
// callback from JavaScript that must not block. Had it to
// wait for the lock, the event loop could deliver no event, the close
// would never end, and the tab would hang (as a browser test did).
func (b *batcher) close(closeConn func() error) error {
	b.mu.Lock()
	b.flushLocked() // a send that fails leaves closeConn to say how the connection ended
	if b.err == nil {
		b.err = net.ErrClosed
	}
	b.mu.Unlock()
	return closeConn()
}

func (b *batcher) flushLocked() error {
	if b.err != nil || len(b.buf) == 0 {
		return b.err
	}
	if b.open != nil && !b.open() {
		b.buf, b.err = nil, net.ErrClosed // nobody will read it: the server has closed
		return b.err
	}
	err := b.ws.Write(context.Background(), websocket.MessageBinary, b.buf)
	if cap(b.buf) > maxBatch {
		b.buf = nil // a large packet passed: do not keep its buffer
	} else {
		b.buf = b.buf[:0]
	}
	if err != nil {
		b.err = err
	}
	return err
}
