package labrun

import (
	"errors"
	"testing"
)

func TestStateOutcomeAndEnded(t *testing.T) {
	failed := errors.New("cut")
	for _, tc := range []struct {
		scenario string
		st       State[string, int]
		result   int // -1 for none
		err      error
		ended    int
	}{
		{"no run yet", State[string, int]{}, -1, nil, 0},
		{"the first run going", State[string, int]{Runs: 1, Running: true}, -1, nil, 0},
		{"the first run done", State[string, int]{Runs: 1, Finished: true, Result: 7}, 7, nil, 1},
		{"the first run failed", State[string, int]{Runs: 1, Finished: true, Result: 7, Err: failed}, -1, failed, 1},
		{"the third run going", State[string, int]{Runs: 3, Running: true}, -1, nil, 2},
		{"a zero result is a result", State[string, int]{Runs: 2, Finished: true}, 0, nil, 2},
	} {
		res, err := tc.st.Outcome()
		if (res == nil) != (tc.result < 0) || (res != nil && *res != tc.result) || err != tc.err {
			t.Errorf("%s: Outcome = %v, %v", tc.scenario, res, err)
		}
		if got := tc.st.Ended(); got != tc.ended {
			t.Errorf("%s: Ended = %d, want %d", tc.scenario, got, tc.ended)
		}
	}
}

func TestGoingRanAway(t *testing.T) {
	g := Going{}
	g.Note("lesson", 2, true) // going when the page was drawn
	g.Note("blips", 5, false) // done before
	for _, tc := range []struct {
		name string
		runs int
		want bool
	}{
		{"lesson", 2, true},  // the run that went on while away
		{"lesson", 3, false}, // a run started since, from this page
		{"blips", 5, false},
		{"will", 0, false},
	} {
		if got := g.RanAway(tc.name, tc.runs); got != tc.want {
			t.Errorf("RanAway(%q, %d) = %v, want %v", tc.name, tc.runs, got, tc.want)
		}
	}
}

func TestSeenFirst(t *testing.T) {
	var s Seen
	for i, tc := range []struct {
		run  int
		want bool
	}{{1, true}, {1, false}, {1, false}, {2, true}, {2, false}, {0, true}} {
		if got := s.First(tc.run); got != tc.want {
			t.Errorf("call %d: First(%d) = %v, want %v", i+1, tc.run, got, tc.want)
		}
	}
}
