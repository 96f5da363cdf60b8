package broker

import (
	"testing"
	"time"
)

// TestRestartLoop: the waits double up to the limit, attempt learns the
// next one, and the loop ends when attempt is done.
func TestRestartLoop(t *testing.T) {
	var nexts []time.Duration
	restartLoop(make(chan struct{}), time.Millisecond, 5*time.Millisecond, func(next time.Duration) bool {
		nexts = append(nexts, next)
		return len(nexts) == 5
	})
	want := []time.Duration{2, 4, 5, 5, 5}
	if len(nexts) != len(want) {
		t.Fatalf("attempts = %d, want %d", len(nexts), len(want))
	}
	for i, w := range want {
		if nexts[i] != w*time.Millisecond {
			t.Errorf("attempt %d: next wait %v, want %v", i+1, nexts[i], w*time.Millisecond)
		}
	}
}

// TestRestartLoopClosing: a closed channel ends the loop before any
// attempt, however long the wait.
func TestRestartLoopClosing(t *testing.T) {
	closing := make(chan struct{})
	close(closing)
	done := make(chan struct{})
	go func() {
		defer close(done)
		restartLoop(closing, time.Hour, time.Hour, func(time.Duration) bool {
			t.Error("attempt called after closing")
			return true
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("restartLoop did not stop when closing closed")
	}
}
