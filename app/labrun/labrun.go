// Package labrun keeps a page's experiment runs outside the page.
//
// go-app makes a new component each time the learner navigates to a page
// (app/ui/routes.go registers a factory per route), so a run whose state
// lived in the component went on after the learner left while its result
// was lost, and the page they came back to offered to start another run
// (issue 13, item 5). A Slot, held in a package-level variable, keeps the
// run instead: the page reads its state when it is drawn, and a page that
// comes back finds the run still going, or its result.
//
// The package imports neither go-app nor syscall/js.
package labrun

import (
	"errors"
	"sync"
)

// ErrBusy reports a run refused because another run sharing the same
// Guard is in progress.
var ErrBusy = errors.New("labrun: another run is in progress")

// Guard lets one run at a time go among the slots that share it: a page's
// experiments use the same broker and the same client ids.
type Guard struct {
	mu      sync.Mutex
	running string // the name of the running slot; "" when idle
}

// Running returns the name of the slot whose run is in progress, or "".
func (g *Guard) Running() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.running
}

func (g *Guard) acquire(name string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.running != "" {
		return false
	}
	g.running = name
	return true
}

func (g *Guard) release() {
	g.mu.Lock()
	g.running = ""
	g.mu.Unlock()
}

// State is a slot's run as the page draws it.
type State[P, R any] struct {
	Runs     int  // runs started so far; 0 before any
	Running  bool // the latest run is in progress
	Progress P    // what the latest run reported last
	// Finished says the latest run has ended; Result and Err are its
	// outcome.
	Finished bool
	Result   R
	Err      error
}

// Slot keeps the latest run of one experiment: its progress while it runs
// (P) and its outcome once done (R).
type Slot[P, R any] struct {
	guard *Guard
	name  string

	mu   sync.Mutex // guards st and done
	st   State[P, R]
	done chan struct{} // closed when the latest run ends
}

// NewSlot returns an empty slot named name that runs only while no other
// slot of g runs.
func NewSlot[P, R any](g *Guard, name string) *Slot[P, R] {
	done := make(chan struct{})
	close(done)
	return &Slot[P, R]{guard: g, name: name, done: done}
}

// Start runs f on a goroutine of its own, with progress first set to
// initial, unless a run of any slot of the guard is in progress (ErrBusy).
// f reports progress with update, which runs its argument on the progress
// under the slot's lock (it must be quick). The returned channel is closed
// when the run has ended and its outcome is in the slot.
func (s *Slot[P, R]) Start(initial P, f func(update func(func(p *P))) (R, error)) (<-chan struct{}, error) {
	if !s.guard.acquire(s.name) {
		return nil, ErrBusy
	}
	done := make(chan struct{})
	s.mu.Lock()
	var zero R
	s.st = State[P, R]{Runs: s.st.Runs + 1, Running: true, Progress: initial, Result: zero}
	s.done = done
	s.mu.Unlock()
	update := func(fn func(p *P)) {
		s.mu.Lock()
		fn(&s.st.Progress)
		s.mu.Unlock()
	}
	go func() {
		var res R
		var err error
		defer func() {
			s.mu.Lock()
			s.st.Running, s.st.Finished, s.st.Result, s.st.Err = false, true, res, err
			s.mu.Unlock()
			s.guard.release()
			close(done)
		}()
		res, err = f(update)
	}()
	return done, nil
}

// State returns the slot's state now.
func (s *Slot[P, R]) State() State[P, R] {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

// Done returns a channel closed when the latest run has ended (already
// closed when none runs).
func (s *Slot[P, R]) Done() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// Clear forgets the outcome of the latest run, unless one is in progress:
// the page shows nothing until the next.
func (s *Slot[P, R]) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.st.Running {
		s.st = State[P, R]{Runs: s.st.Runs}
	}
}
