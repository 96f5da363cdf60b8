package faultlab

import (
	"slices"
	"testing"

	"qosplayground/app/exercises"
)

func TestLessonPoints(t *testing.T) {
	tests := []struct {
		scenario string
		r        LessonResult
		want     []LessonPoint
	}{
		{"QoS 0 lost", LessonResult{QoS: 0}, []LessonPoint{LessonAtMostOnce}},
		{"QoS 1 resent and doubled", LessonResult{QoS: 1, Resent: true, Ledger: exercises.LedgerRow{Received: 1, DuplicatesSeen: 1}},
			[]LessonPoint{LessonAtLeastOnce}},
		{"QoS 2 resent, once", LessonResult{QoS: 2, Resent: true, Ledger: exercises.LedgerRow{Received: 1}},
			[]LessonPoint{LessonExactlyOnce}},
		{"QoS 2, the broker's PUBREC first", LessonResult{QoS: 2, Ledger: exercises.LedgerRow{Received: 1}},
			[]LessonPoint{LessonExactlyOnce, LessonBrokerFirst}},
		{"QoS 2 resent and delivered twice (mochi)", LessonResult{QoS: 2, Resent: true, Ledger: exercises.LedgerRow{Received: 1, DuplicatesSeen: 1}},
			[]LessonPoint{LessonExactlyOnce, LessonQoS2Dup}},
	}
	for _, tc := range tests {
		if got := tc.r.Points(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Points = %v, want %v", tc.scenario, got, tc.want)
		}
	}
	if got := (LessonResult{Ledger: exercises.LedgerRow{Received: 1, DuplicatesSeen: 2}}).Delivered(); got != 3 {
		t.Errorf("Delivered = %d, want 3 (once and two duplicates)", got)
	}
}
