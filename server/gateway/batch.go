package gateway

import "sync"

// Packets that arrive together travel on together.
//
// Each pump (brokerToBrowser, browserToBroker) gathers the packets it reads
// while the next one is already whole in its read buffer, and writes them
// at once when it would have to wait for the network: one WebSocket message
// to the browser (MQTT 3.1.1 section 6 lets a message hold several
// packets), one write to the broker's socket. Nothing waits that could have
// gone. In the browser every message is an event that wakes the Go runtime,
// paho's reader and the wire tap, and on the server every write is a system
// call: a QoS 1 burst of PUBACKs or deliveries costs one of each instead of
// dozens (make bench, measurement 1: the tab's QoS 1 and 2 throughput rose
// by about half with this and the tab's own batching, app/transport).
//
// While a fault is armed packets go one by one, so that a cut falls exactly
// between the packets it names; what was gathered before is written first.

// maxBatch is the most bytes a batch gathers.
const maxBatch = 16 << 10

// batchPool holds the batches' buffers between bursts: a learner who
// publishes once a second never holds one.
var batchPool = sync.Pool{New: func() any { b := make([]byte, 0, maxBatch); return &b }}

// batch is the packets one pump has gathered; the zero batch is empty.
// Only its pump's goroutine touches it.
type batch struct{ buf *[]byte }

// fits reports whether n more bytes fit.
func (b *batch) fits(n int) bool { return b.len()+n <= maxBatch }

func (b *batch) len() int {
	if b.buf == nil {
		return 0
	}
	return len(*b.buf)
}

// add appends a packet.
func (b *batch) add(pkt []byte) {
	if b.buf == nil {
		b.buf = batchPool.Get().(*[]byte)
		*b.buf = (*b.buf)[:0]
	}
	*b.buf = append(*b.buf, pkt...)
}

// flush writes the batch, if any, with write, and empties it.
func (b *batch) flush(write func([]byte) (closeReason, bool)) (closeReason, bool) {
	if b.buf == nil {
		return closeReason{}, false
	}
	why, end := write(*b.buf)
	batchPool.Put(b.buf)
	b.buf = nil
	return why, end
}
