package ui

import (
	"sync"
	"sync/atomic"
	"time"
)

// inbox hands received messages from paho's goroutine to the UI goroutine
// in batches: one redraw per refreshInterval however fast messages arrive,
// so a burst of thousands a second does not become thousands of renders.
type inbox struct {
	mu      sync.Mutex // guards pending and total
	pending []received // oldest first, at most maxMessages
	total   int        // every message received

	scheduled atomic.Bool // a drain is scheduled
}

// add keeps r and schedules drain on the UI goroutine.
func (in *inbox) add(r received, drain func()) {
	in.mu.Lock()
	in.pending = append(in.pending, r)
	if len(in.pending) > 2*maxMessages {
		in.pending = append(in.pending[:0:0], in.pending[len(in.pending)-maxMessages:]...)
	}
	in.total++
	in.mu.Unlock()
	if in.scheduled.CompareAndSwap(false, true) {
		time.AfterFunc(refreshInterval/2, func() {
			in.scheduled.Store(false)
			drain()
		})
	}
}

// take returns the messages received since the last take, oldest first,
// at most maxMessages of them, and the count of all messages ever received.
func (in *inbox) take() (batch []received, total int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	batch = in.pending[max(0, len(in.pending)-maxMessages):]
	in.pending = nil
	return batch, in.total
}
