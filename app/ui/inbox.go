package ui

import (
	"sync/atomic"
	"time"

	"qosplayground/app/eventlog"
)

// inbox hands received messages from paho's goroutine to the UI goroutine
// in batches (eventlog.Inbox, keeping the newest maxMessages): one redraw
// per refreshInterval however fast messages arrive, so a burst of
// thousands a second does not become thousands of renders.
type inbox struct {
	q     eventlog.Inbox[received]
	drain batched
}

// add keeps r and schedules drain on the UI goroutine.
func (in *inbox) add(r received, drain func()) {
	in.q.Add(r, maxMessages)
	in.drain.soon(drain)
}

// take returns the messages received since the last take, oldest first,
// at most maxMessages of them, and the count of all messages ever received.
func (in *inbox) take() (batch []received, total int) { return in.q.Take(maxMessages) }

// batched runs a function half a refreshInterval after it is first asked
// to, once for all the asks meanwhile: a redraw per batch of packets or
// messages, not per packet.
type batched struct{ pending atomic.Bool }

// soon runs f soon, unless a run is already pending.
func (b *batched) soon(f func()) {
	if b.pending.CompareAndSwap(false, true) {
		time.AfterFunc(refreshInterval/2, func() {
			b.pending.Store(false)
			f()
		})
	}
}
