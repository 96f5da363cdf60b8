package eventlog

import "sync"

// Inbox hands events over from the goroutines that see them (paho's, for
// received messages) to a page that takes them in batches, one batch per
// redraw however fast they come. Of the events not taken yet it keeps the
// newest keep (those a page shows at most); it counts every event. Adding
// is cheap: the oldest are dropped in chunks, once twice keep wait. The
// zero Inbox is empty and ready; it is safe for concurrent use.
type Inbox[T any] struct {
	mu      sync.Mutex // guards pending and total
	pending []T        // oldest first
	total   int        // every event added
}

// Add keeps ev, of which the page will show the newest keep.
func (in *Inbox[T]) Add(ev T, keep int) {
	keep = max(keep, 1)
	in.mu.Lock()
	defer in.mu.Unlock()
	in.pending = append(in.pending, ev)
	if len(in.pending) > 2*keep {
		in.pending = append(in.pending[:0:0], in.pending[len(in.pending)-keep:]...)
	}
	in.total++
}

// Take returns the events added since the last Take, oldest first, at most
// the newest keep of them, and the count of all events ever added.
func (in *Inbox[T]) Take(keep int) (batch []T, total int) {
	keep = max(keep, 1)
	in.mu.Lock()
	defer in.mu.Unlock()
	batch = in.pending[max(0, len(in.pending)-keep):]
	in.pending = nil
	return batch, in.total
}
