package task1

import (
	"slices"
	"testing"

	"qosplayground/app/exercises"
	"qosplayground/app/faultlab"
)

func TestConsequences(t *testing.T) {
	factory, _ := FindIoTScenario("factory")
	stream := func(id string) Stream {
		for _, s := range factory.Streams {
			if s.ID == id {
				return s
			}
		}
		t.Fatalf("factory has no stream %q", id)
		return Stream{}
	}
	temp, anomaly, cooling := stream("temperature"), stream("anomaly"), stream("cooling")
	if !temp.LossOK || !temp.DupOK || anomaly.LossOK || !anomaly.DupOK || cooling.LossOK || cooling.DupOK {
		t.Fatalf("the factory's streams changed: %+v %+v %+v; fix the cases below", temp, anomaly, cooling)
	}
	result := func(s Stream, qos byte, lost, dups int) StreamResult {
		return StreamResult{Stream: s, QoS: qos, Verdict: s.Judge(qos),
			Blips: faultlab.BlipResult{Ledger: exercises.LedgerRow{Lost: lost, DuplicatesSeen: dups}}}
	}
	c := func(k ConsequenceKind, n int) Consequence { return Consequence{Kind: k, N: n} }
	tests := []struct {
		scenario string
		r        StreamResult
		want     []Consequence
	}{
		{"recommended, nothing happened", result(temp, temp.Recommended, 0, 0), []Consequence{c(ConseqFits, 0)}},
		{"losses a reading can afford", result(temp, 0, 3, 0), []Consequence{c(ConseqLostOK, 3)}},
		{"losses that matter", result(cooling, 0, 2, 0), []Consequence{c(ConseqLostBad, 2)}},
		{"QoS 0 lost nothing this time", result(cooling, 0, 0, 0), []Consequence{c(ConseqCanLose, 0)}},
		{"duplicates at QoS 2", result(cooling, 2, 0, 1), []Consequence{c(ConseqQoS2Dups, 1)}},
		{"duplicates an alert can afford", result(anomaly, 1, 0, 4), []Consequence{c(ConseqDupOK, 4)}},
		{"duplicates that matter", result(cooling, 1, 0, 2), []Consequence{c(ConseqDupBad, 2)}},
		{"QoS 1 doubled nothing this time", result(cooling, 1, 0, 0), []Consequence{c(ConseqCanDouble, 0)}},
		{"more than needed", result(temp, 2, 0, 0), []Consequence{c(ConseqCostly, 0)}},
		{"losses first, then duplicates, then cost", result(temp, 1, 1, 1),
			[]Consequence{c(ConseqLostOK, 1), c(ConseqDupOK, 1), c(ConseqCostly, 0)}},
	}
	for _, tc := range tests {
		if got := Consequences(tc.r); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Consequences = %v, want %v", tc.scenario, got, tc.want)
		}
	}
}
