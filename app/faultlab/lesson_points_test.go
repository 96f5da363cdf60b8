package faultlab

import (
	"slices"
	"testing"

	"qosplayground/app/exercises"
	"qosplayground/app/wiretap"
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

func TestFirstResend(t *testing.T) {
	pk := func(seq int, typ string, dup bool) wiretap.Packet {
		return wiretap.Packet{Seq: seq, Type: typ, Dup: dup}
	}
	tests := []struct {
		scenario string
		pkts     []wiretap.Packet // newest first
		seq      int
		ok       bool
	}{
		{"no packets", nil, 0, false},
		{"no resend", []wiretap.Packet{pk(3, "PUBACK", false), pk(2, "PUBLISH", false), pk(1, "CONNECT", false)}, 0, false},
		{"one resend", []wiretap.Packet{pk(9, "PUBACK", false), pk(8, "PUBLISH", true), pk(2, "PUBLISH", false)}, 8, true},
		{"the first of two", []wiretap.Packet{pk(12, "PUBLISH", true), pk(8, "PUBLISH", true), pk(2, "PUBLISH", false)}, 8, true},
		{"DUP on another type is not a resend", []wiretap.Packet{pk(5, "PUBREL", true)}, 0, false},
	}
	for _, tc := range tests {
		seq, ok := FirstResend(tc.pkts)
		if seq != tc.seq || ok != tc.ok {
			t.Errorf("%s: FirstResend = %d, %v; want %d, %v", tc.scenario, seq, ok, tc.seq, tc.ok)
		}
	}
}
