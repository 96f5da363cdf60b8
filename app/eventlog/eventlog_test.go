package eventlog

import (
	"slices"
	"sync"
	"testing"
	"time"
)

func events(es []Entry[string]) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Event
	}
	return out
}

// TestOrderOfHappening: the persistent-session run reports "reconnected"
// after the messages the reconnection brought; the log shows it first.
func TestOrderOfHappening(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	l := New[string](10)
	l.Add(t0, "disconnected")
	l.Add(t0.Add(30*time.Millisecond), "received 3")
	l.Add(t0.Add(31*time.Millisecond), "received 4")
	l.Add(t0.Add(20*time.Millisecond), "reconnected") // reported late
	l.Add(t0.Add(40*time.Millisecond), "done")
	want := []string{"done", "received 4", "received 3", "reconnected", "disconnected"}
	if got := events(l.Newest()); !slices.Equal(got, want) {
		t.Errorf("newest first: %v, want %v", got, want)
	}
}

func TestEqualTimesKeepTheirOrder(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	l := New[string](10)
	for _, e := range []string{"a", "b", "c"} {
		l.Add(t0, e)
	}
	l.Add(t0.Add(-time.Second), "before")
	if got := events(l.Newest()); !slices.Equal(got, []string{"c", "b", "a", "before"}) {
		t.Errorf("got %v", got)
	}
}

func TestBoundDropsTheEarliest(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	l := New[int](3)
	for _, i := range []int{5, 1, 4, 2, 3} {
		l.Add(t0.Add(time.Duration(i)*time.Second), i)
	}
	got := l.Newest()
	if len(got) != 3 || l.Len() != 3 {
		t.Fatalf("%d kept, want 3", len(got))
	}
	for i, want := range []int{5, 4, 3} {
		if got[i].Event != want || !got[i].At.Equal(t0.Add(time.Duration(want)*time.Second)) {
			t.Errorf("entry %d: %+v, want %d", i, got[i], want)
		}
	}
	// An event earlier than all kept is dropped at once.
	l.Add(t0, 0)
	if got := l.Newest(); got[len(got)-1].Event != 3 {
		t.Errorf("an event earlier than the bound was kept: %v", got)
	}
}

func TestConcurrentAdds(t *testing.T) {
	l := New[int](1000)
	t0 := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				l.Add(t0.Add(time.Duration(i*4+g)), i*4+g)
			}
		}(g)
	}
	wg.Wait()
	got := l.Newest()
	if len(got) != 400 {
		t.Fatalf("%d events, want 400", len(got))
	}
	for i := range got {
		if got[i].Event != 399-i {
			t.Fatalf("position %d holds %d", i, got[i].Event)
		}
	}
}
