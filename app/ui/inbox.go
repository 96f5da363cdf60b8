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
	q         eventlog.Inbox[received]
	scheduled atomic.Bool // a drain is scheduled
}

// add keeps r and schedules drain on the UI goroutine.
func (in *inbox) add(r received, drain func()) {
	in.q.Add(r, maxMessages)
	if in.scheduled.CompareAndSwap(false, true) {
		time.AfterFunc(refreshInterval/2, func() {
			in.scheduled.Store(false)
			drain()
		})
	}
}

// take returns the messages received since the last take, oldest first,
// at most maxMessages of them, and the count of all messages ever received.
func (in *inbox) take() (batch []received, total int) { return in.q.Take(maxMessages) }
