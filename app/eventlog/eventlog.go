// Package eventlog is a bounded log of events kept in the order they
// happened, not the order they were reported: a run reports some events
// late (a connection is reported once its subscription is also done, while
// the messages it brought were reported as they came), and a log that
// prints lines as they are reported tells the learner a wrong story
// ("received" before "reconnected").
//
// Each event carries the time taken when it happened; the log keeps them
// sorted by that time, events of the same time in the order reported.
// Inbox, beside it, hands events over to a page in batches, one per
// redraw. Both are safe for concurrent use; the package imports neither
// go-app nor syscall/js.
package eventlog

import (
	"sort"
	"sync"
	"time"
)

// Entry is one event and when it happened.
type Entry[T any] struct {
	At    time.Time
	Event T
}

// Log keeps at most Max events, dropping the earliest.
type Log[T any] struct {
	mu      sync.Mutex
	entries []Entry[T] // earliest first
	max     int
}

// New returns an empty log of at most n events (n < 1 means 1).
func New[T any](n int) *Log[T] {
	return &Log[T]{max: max(n, 1)}
}

// Add records ev, which happened at at.
func (l *Log[T]) Add(at time.Time, ev T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// After every entry at or before at: equal times keep their order.
	i := sort.Search(len(l.entries), func(i int) bool { return l.entries[i].At.After(at) })
	l.entries = append(l.entries, Entry[T]{})
	copy(l.entries[i+1:], l.entries[i:])
	l.entries[i] = Entry[T]{At: at, Event: ev}
	if over := len(l.entries) - l.max; over > 0 {
		l.entries = append(l.entries[:0:0], l.entries[over:]...)
	}
}

// Newest returns the events, latest first.
func (l *Log[T]) Newest() []Entry[T] {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Entry[T], len(l.entries))
	for i, e := range l.entries {
		out[len(out)-1-i] = e
	}
	return out
}

// Len returns the number of events kept.
func (l *Log[T]) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}
