package seqdiag

import (
	"testing"
	"time"

	"qosplayground/app/netcond"
)

func TestSince(t *testing.T) {
	t0 := time.Unix(1000, 0)
	sat := netcond.Conditions{LatencyMS: 300}
	var ps []Period
	ps = Since(ps, t0, netcond.Conditions{}, 2)
	ps = Since(ps, t0.Add(time.Second), netcond.Conditions{}, 2) // the same: no new period
	if len(ps) != 1 || !ps[0].From.Equal(t0) {
		t.Fatalf("the same conditions twice: %v, want one period from the first", ps)
	}
	ps = Since(ps, t0.Add(2*time.Second), sat, 2)
	ps = Since(ps, t0.Add(3*time.Second), netcond.Conditions{}, 2)
	if len(ps) != 2 || ps[0].Conditions != sat || !ps[1].From.Equal(t0.Add(3*time.Second)) {
		t.Errorf("three changes, at most 2 kept: %v, want the satellite's and the last", ps)
	}
	if got := ConditionsAt(ps, t0.Add(2500*time.Millisecond)); got != sat {
		t.Errorf("conditions between the two: %v, want the satellite's", got)
	}
}
