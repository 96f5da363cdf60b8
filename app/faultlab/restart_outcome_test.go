package faultlab

import (
	"testing"

	"qosplayground/app/exercises"
)

func TestRestartOutcome(t *testing.T) {
	rows := func(lost ...int) []exercises.LedgerRow {
		var out []exercises.LedgerRow
		for i, l := range lost {
			out = append(out, exercises.LedgerRow{QoS: byte(i + 1), Sent: 10, Received: 10 - l, Lost: l})
		}
		return out
	}
	tests := []struct {
		scenario   string
		r          RestartResult
		lost, sent int
		want       RestartOutcome
	}{
		{"nothing queued", RestartResult{Persistence: "off"}, 0, 0, RestartKept},
		{"all kept", RestartResult{Persistence: "on", Ledger: rows(0, 0)}, 0, 20, RestartKept},
		{"lost with persistence off", RestartResult{Persistence: "off", Ledger: rows(10, 10)}, 20, 20, RestartLostOff},
		{"lost in a crash with persistence on", RestartResult{Persistence: "on", Kill: true, Ledger: rows(0, 3)}, 3, 20, RestartLostCrash},
		{"lost with the default setting", RestartResult{Persistence: "default", Ledger: rows(1, 0)}, 1, 20, RestartLostCrash},
	}
	for _, tc := range tests {
		lost, sent := tc.r.Totals()
		if lost != tc.lost || sent != tc.sent {
			t.Errorf("%s: Totals = %d lost, %d sent; want %d, %d", tc.scenario, lost, sent, tc.lost, tc.sent)
		}
		if got := tc.r.Outcome(); got != tc.want {
			t.Errorf("%s: Outcome = %q, want %q", tc.scenario, got, tc.want)
		}
	}
}
