package exercises

import (
	"sync"
	"testing"
	"time"

	"qosplayground/internal/teststack"
)

// TestSimulatedAlertFailureRule is the tutorial's rule: "high" in the
// alert's type and a key ending in 3.
func TestSimulatedAlertFailureRule(t *testing.T) {
	for _, tc := range []struct {
		topic string
		id    int
		fails bool
	}{
		{"alerts/temperature_high", 3, true},
		{"alerts/temperature_high", 13, true},
		{"alerts/temperature_high", 2, false},  // the tutorial's own alert
		{"alerts/temperature_low", 3, false},   // no "high"
		{"sensors/temperature_high", 3, false}, // not an alert
		{"alerts", 3, false},
	} {
		key := DedupKey(tc.topic, Payload{MessageID: int64(tc.id)}.Encode(), 1)
		if got := SimulatedAlertFailure(tc.topic, key); got != tc.fails {
			t.Errorf("%s message_id %d: fails %v, want %v", tc.topic, tc.id, got, tc.fails)
		}
		// What the subscriber page says of its test message before sending it.
		if got := TestWillFail(tc.topic, int64(tc.id)); got != tc.fails {
			t.Errorf("%s message_id %d: TestWillFail %v, want %v", tc.topic, tc.id, got, tc.fails)
		}
	}
}

// TestRetryEventsSayTheirDelay: each retry event carries the wait before the
// next attempt and the number of attempts (issue 13, item 2: the learner
// sees each attempt with its delay).
func TestRetryEventsSayTheirDelay(t *testing.T) {
	events := newEventLog()
	cfg := quickConfig(events)
	cfg.RetryDelay = 5 * time.Millisecond
	cfg.SimulateAlertFailure = true
	s := NewReliableSubscriber(cfg)
	defer s.Close()
	s.Handle(jsonMsg("alerts/temperature_high", 3, 1))
	events.waitUntil(t, "the failure", func() bool { return events.count(EventFailed) == 1 })
	events.mu.Lock()
	defer events.mu.Unlock()
	retries := 0
	for _, ev := range events.events {
		switch ev.Kind {
		case EventRetry:
			retries++
			if ev.Delay != 5*time.Millisecond || ev.Attempts != 3 || ev.Record.Attempts != retries {
				t.Errorf("retry event %d: delay %s, %d attempts, record at attempt %d", retries, ev.Delay, ev.Attempts, ev.Record.Attempts)
			}
		case EventFailed:
			if ev.Attempts != 3 || ev.Record.Attempts != 3 {
				t.Errorf("failed event: %d attempts, record %d", ev.Attempts, ev.Record.Attempts)
			}
		}
	}
	if retries != 2 {
		t.Errorf("%d retry events, want 2", retries)
	}
}

// TestIntegrationAlertFailure: with the failure simulated, Exercise 3 sends
// an alert that fails (message_id 3) and counts it as a processing error;
// the tutorial's run alone (alert 2) never would (issue 13, item 2).
func TestIntegrationAlertFailure(t *testing.T) {
	env := teststack.Start(t, teststack.Modes[0])
	var mu sync.Mutex // guards retries
	retries := 0
	res, err := RunIntegration(ctxFor(t, 60*time.Second), IntegrationConfig{
		URL: env.URL, IDPrefix: "itfail-",
		Subscriber: SubscriberConfig{
			SimulateAlertFailure: true, WorkTimes: map[string]time.Duration{}, RetryDelay: 10 * time.Millisecond,
			OnEvent: func(ev SubscriberEvent) {
				if ev.Kind == EventRetry {
					mu.Lock()
					retries++
					mu.Unlock()
				}
			},
		},
		Comparison: ComparisonConfig{Gap: time.Millisecond},
		Persistent: PersistentConfig{Settle: 2 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{TotalReceived: 8, ProcessingErrors: 1, SuccessfullyProcessed: 7}
	if res.Stats != want {
		t.Errorf("stats %+v, want %+v", res.Stats, want)
	}
	if len(res.Comparison) != 4 || res.Comparison[2].MessageID != 3 || res.Comparison[2].Topic != "alerts/temperature_high" {
		t.Errorf("comparison %+v: want the failing alert third, as message 3", res.Comparison)
	}
	failed := 0
	for _, r := range res.History {
		if r.Failed {
			failed++
			if r.Key != "alerts/temperature_high:3" || r.Attempts != 3 {
				t.Errorf("failed record %+v", r)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if failed != 1 || retries != 2 {
		t.Errorf("%d failed records, %d retries; want 1 and 2", failed, retries)
	}
}
