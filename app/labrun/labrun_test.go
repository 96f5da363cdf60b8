package labrun

import (
	"errors"
	"testing"
	"time"
)

func wait(t *testing.T, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the run did not end")
	}
}

// TestSlotOutlivesItsReader: a run keeps going and its outcome is kept
// whoever watches it, as when the learner leaves the page and a new
// component reads the slot later.
func TestSlotOutlivesItsReader(t *testing.T) {
	var g Guard
	s := NewSlot[int, string](&g, "lesson")
	if st := s.State(); st.Runs != 0 || st.Running || st.Finished {
		t.Fatalf("new slot: %+v", st)
	}
	select {
	case <-s.Done():
	default:
		t.Fatal("Done of an idle slot is not closed")
	}

	step, finish := make(chan struct{}), make(chan struct{})
	done, err := s.Start(0, func(update func(func(*int))) (string, error) {
		update(func(p *int) { *p = 1 })
		close(step)
		<-finish
		update(func(p *int) { *p = 2 })
		return "result", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	<-step
	// A page drawn now (a new component) sees the run going.
	if st := s.State(); !st.Running || st.Finished || st.Progress != 1 || st.Runs != 1 {
		t.Errorf("while running: %+v", st)
	}
	if g.Running() != "lesson" {
		t.Errorf("guard says %q is running, want lesson", g.Running())
	}
	if s.Done() != done {
		t.Error("Done is not the running run's channel")
	}
	close(finish)
	wait(t, done)
	st := s.State()
	if st.Running || !st.Finished || st.Result != "result" || st.Err != nil || st.Progress != 2 {
		t.Errorf("after the run: %+v", st)
	}
	if g.Running() != "" {
		t.Errorf("guard still says %q is running", g.Running())
	}
}

// TestGuardOneAtATime: while one slot runs, no slot of the same guard
// starts, and the busy one keeps its state; a failed run keeps its error.
func TestGuardOneAtATime(t *testing.T) {
	var g Guard
	a := NewSlot[struct{}, int](&g, "a")
	b := NewSlot[struct{}, int](&g, "b")
	release := make(chan struct{})
	done, err := a.Start(struct{}{}, func(func(func(*struct{}))) (int, error) { <-release; return 1, nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Start(struct{}{}, func(func(func(*struct{}))) (int, error) { return 2, nil }); !errors.Is(err, ErrBusy) {
		t.Errorf("b started while a runs: %v", err)
	}
	if _, err := a.Start(struct{}{}, func(func(func(*struct{}))) (int, error) { return 3, nil }); !errors.Is(err, ErrBusy) {
		t.Errorf("a started twice: %v", err)
	}
	if st := b.State(); st.Runs != 0 {
		t.Errorf("b's refused start changed it: %+v", st)
	}
	a.Clear() // refused while running
	if st := a.State(); !st.Running {
		t.Errorf("Clear stopped showing a running run: %+v", st)
	}
	close(release)
	wait(t, done)

	boom := errors.New("boom")
	done, err = b.Start(struct{}{}, func(func(func(*struct{}))) (int, error) { return 0, boom })
	if err != nil {
		t.Fatalf("b after a ended: %v", err)
	}
	wait(t, done)
	if st := b.State(); !errors.Is(st.Err, boom) || !st.Finished || st.Runs != 1 {
		t.Errorf("b after its failure: %+v", st)
	}
	if st := a.State(); st.Result != 1 {
		t.Errorf("a's result was lost when b ran: %+v", st)
	}
	a.Clear()
	if st := a.State(); st.Finished || st.Result != 0 || st.Runs != 1 {
		t.Errorf("after Clear: %+v", st)
	}

	// A new run starts from its initial progress and no outcome.
	release = make(chan struct{})
	done, _ = b.Start(struct{}{}, func(func(func(*struct{}))) (int, error) { <-release; return 5, nil })
	if st := b.State(); st.Err != nil || st.Finished || !st.Running || st.Runs != 2 {
		t.Errorf("a new run shows the old outcome: %+v", st)
	}
	close(release)
	wait(t, done)
}
