package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"qosplayground/app/faultlab"
	"qosplayground/internal/testenv"
)

// TestRestartLesson runs the fault lab's broker restart through the real
// server, on both brokers: queued QoS 1/2 messages for an absent persistent
// session survive a clean restart with persistence, and are lost, counted,
// without it; Mosquitto with its own autosave loses them to a crash, the
// embedded broker (which writes every change) does not.
func TestRestartLesson(t *testing.T) {
	for _, mode := range []string{"mosquitto", "embedded"} {
		t.Run(mode, func(t *testing.T) {
			if mode == "mosquitto" {
				testenv.NeedMosquitto(t)
			}
			base, _, stop := runServer(t, "-broker", mode)
			defer stop()
			mqttURL := "ws" + strings.TrimPrefix(base, "http") + "/mqtt"
			for _, tc := range []struct {
				persistence string
				kill        bool
				lost        int // of 2 × 10
				present     bool
			}{
				{"default", false, 0, true},
				{"off", false, 20, false},
				{"on", true, map[string]int{"mosquitto": 20, "embedded": 0}[mode], mode == "embedded"},
				{"on", false, 0, true},
			} {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				var steps []string
				res, err := faultlab.RunRestart(ctx, faultlab.RestartConfig{
					URL: mqttURL, APIBase: base, IDPrefix: "lesson-" + mode + "-", Persistence: tc.persistence, Kill: tc.kill,
					Messages: 10, OnStep: func(s string) { steps = append(steps, s) },
				})
				cancel()
				if err != nil {
					t.Fatalf("persistence %s, kill %v: %v", tc.persistence, tc.kill, err)
				}
				lost := 0
				for _, r := range res.Ledger {
					lost += r.Lost
					if r.Sent != 10 || r.DuplicatesProcessed != 0 {
						t.Errorf("persistence %s, kill %v: QoS %d row %+v", tc.persistence, tc.kill, r.QoS, r)
					}
				}
				t.Logf("persistence %s, kill %v: session present %v, %d of 20 lost, restart %d ms", tc.persistence, tc.kill, res.SessionPresent, lost, res.TookMS)
				if lost != tc.lost || res.SessionPresent != tc.present || len(res.Ledger) != 2 {
					t.Errorf("persistence %s, kill %v: %d lost, session present %v (%d rows); want %d and %v",
						tc.persistence, tc.kill, lost, res.SessionPresent, len(res.Ledger), tc.lost, tc.present)
				}
				if len(steps) != 5 || steps[3] != faultlab.RestartStepRestart {
					t.Errorf("steps %v", steps)
				}
			}
		})
	}
}
