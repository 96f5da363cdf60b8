// Package eventrec records what a callback reports, for tests: a client's
// messages and its other events (state changes) kept apart, each waited
// for in order, without ever blocking the callback. It knows no client:
// the tests of app/client and of server/gateway give it theirs.
package eventrec

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// Recorder records events of type E; those that carry a message M are kept
// as messages, the others as events whose state is S.
type Recorder[E, M any, S comparable] struct {
	timeout time.Duration
	message func(E) (M, bool)
	state   func(E) S
	changed chan struct{}

	mu     sync.Mutex // guards msgs and events
	msgs   []M
	events []E
}

// New returns a recorder whose waits fail the test after timeout. message
// says whether an event carries a message, and which; state gives an
// event's state.
func New[E, M any, S comparable](timeout time.Duration, message func(E) (M, bool), state func(E) S) *Recorder[E, M, S] {
	return &Recorder[E, M, S]{timeout: timeout, message: message, state: state, changed: make(chan struct{}, 1)}
}

// On records ev. It never blocks.
func (r *Recorder[E, M, S]) On(ev E) {
	r.mu.Lock()
	if m, ok := r.message(ev); ok {
		r.msgs = append(r.msgs, m)
	} else {
		r.events = append(r.events, ev)
	}
	r.mu.Unlock()
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

// WaitMessage returns the first message not returned before.
func (r *Recorder[E, M, S]) WaitMessage(t testing.TB) M {
	t.Helper()
	var m M
	r.wait(t, "no message", func() bool {
		if len(r.msgs) == 0 {
			return false
		}
		m, r.msgs = r.msgs[0], r.msgs[1:]
		return true
	})
	return m
}

// WaitState waits for an event in state s, and returns it; it and the
// events before it are dropped.
func (r *Recorder[E, M, S]) WaitState(t testing.TB, s S) E {
	t.Helper()
	var ev E
	r.wait(t, fmt.Sprintf("no %q state event", fmt.Sprint(s)), func() bool {
		for i, e := range r.events {
			if r.state(e) == s {
				ev, r.events = e, r.events[i+1:]
				return true
			}
		}
		return false
	})
	return ev
}

// Messages returns the messages recorded and not returned by WaitMessage
// yet, leaving them recorded.
func (r *Recorder[E, M, S]) Messages() []M {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]M(nil), r.msgs...)
}

// TakeStates returns and forgets the events recorded so far.
func (r *Recorder[E, M, S]) TakeStates() []E {
	r.mu.Lock()
	defer r.mu.Unlock()
	evs := r.events
	r.events = nil
	return evs
}

// wait runs take, locked, until it reports true, failing the test with
// what after the timeout.
func (r *Recorder[E, M, S]) wait(t testing.TB, what string, take func() bool) {
	t.Helper()
	timer := time.NewTimer(r.timeout)
	defer timer.Stop()
	for {
		r.mu.Lock()
		done := take()
		r.mu.Unlock()
		if done {
			return
		}
		select {
		case <-r.changed:
		case <-timer.C:
			t.Fatalf("%s within %v", what, r.timeout)
		}
	}
}
