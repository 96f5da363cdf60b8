package exercises

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"qosplayground/app/client"
)

// eventLog collects a subscriber's events for a test.
type eventLog struct {
	mu     sync.Mutex // guards events
	events []SubscriberEvent
	signal chan struct{}
}

func newEventLog() *eventLog { return &eventLog{signal: make(chan struct{}, 1)} }

func (l *eventLog) add(ev SubscriberEvent) {
	l.mu.Lock()
	l.events = append(l.events, ev)
	l.mu.Unlock()
	select {
	case l.signal <- struct{}{}:
	default:
	}
}

func (l *eventLog) count(kind SubscriberEventKind) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, ev := range l.events {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

// waitUntil waits for cond, re-checking on every event, for at most 10 s.
func (l *eventLog) waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-l.signal:
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func jsonMsg(topic string, id int, qos byte) client.Message {
	return client.Message{Topic: topic, QoS: qos, Payload: Payload{MessageID: int64(id), Content: "c", QoS: qos}.Encode()}
}

func quickConfig(events *eventLog) SubscriberConfig {
	return SubscriberConfig{
		WorkTimes:  map[string]time.Duration{},
		RetryDelay: -1,
		OnEvent:    events.add,
	}
}

func TestSubscriberProcessesDuplicatesOnce(t *testing.T) {
	events := newEventLog()
	s := NewReliableSubscriber(quickConfig(events))
	defer s.Close()
	m := jsonMsg("alerts/temperature_high", 1, 1)
	s.Handle(m)
	dup := m
	dup.Duplicate = true
	s.Handle(dup)
	s.Handle(jsonMsg("alerts/temperature_high", 2, 1))
	events.waitUntil(t, "three messages handled", func() bool {
		return s.Stats().TotalReceived == 3 && events.count(EventProcessed)+events.count(EventDuplicate) == 3
	})

	want := Stats{TotalReceived: 3, DuplicatesDetected: 1, SuccessfullyProcessed: 2}
	if got := s.Stats(); got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
	if got := events.count(EventProcessed); got != 2 {
		t.Errorf("%d processed events, want 2 (the duplicate must not be processed)", got)
	}
	if !s.Processed("alerts/temperature_high:1") || !s.Processed("alerts/temperature_high:2") {
		t.Error("processed keys missing")
	}
	if got := len(s.History()); got != 2 {
		t.Errorf("history has %d records, want 2", got)
	}
	if p := s.Stats().Percent(1); p < 33.3 || p > 33.4 {
		t.Errorf("1 of 3 = %.2f%%, want 33.3%%", p)
	}
}

func TestSubscriberRetriesThenGivesUp(t *testing.T) {
	clock := NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	events := newEventLog()
	cfg := quickConfig(events)
	cfg.Clock = clock
	cfg.RetryDelay = 2 * time.Second
	cfg.SimulateAlertFailure = true
	s := NewReliableSubscriber(cfg)
	defer s.Close()

	// The tutorial's failing alert: "high" in the topic, key ending in 3.
	s.Handle(jsonMsg("alerts/temperature_high", 3, 1))
	for retry := 1; retry <= 2; retry++ {
		events.waitUntil(t, fmt.Sprintf("retry %d", retry), func() bool { return events.count(EventRetry) == retry })
		// The retry waits on the clock, not on a sleep: nothing happens
		// until the clock moves the whole delay. (The other waiter is the
		// prune loop's.)
		events.waitUntil(t, "the retry timer", func() bool { return clock.Waiters() >= 2 })
		clock.Advance(1999 * time.Millisecond)
		if events.count(EventRetry) != retry || events.count(EventFailed) != 0 {
			t.Fatalf("attempt %d ran before the retry delay was over", retry+1)
		}
		clock.Advance(time.Millisecond)
	}
	events.waitUntil(t, "the failure", func() bool { return events.count(EventFailed) == 1 })
	want := Stats{TotalReceived: 1, ProcessingErrors: 1}
	if got := s.Stats(); got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
	h := s.History()
	if len(h) != 1 || h[0].Attempts != 3 || h[0].Processed {
		t.Fatalf("history = %+v, want one unprocessed record after 3 attempts", h)
	}

	// A failed message is not "processed": when it comes again it is
	// processed again, not counted as a duplicate. Message 13 fails too;
	// message 2 on the same topic and 3 on a topic without "high" do not.
	s.Handle(jsonMsg("alerts/temperature_low", 3, 1))
	s.Handle(jsonMsg("alerts/temperature_high", 2, 1))
	events.waitUntil(t, "two more processed", func() bool { return events.count(EventProcessed) == 2 })
	if got := s.Stats().DuplicatesDetected; got != 0 {
		t.Errorf("%d duplicates, want 0", got)
	}
}

func TestSubscriberRefusesNonJSONForFamilies(t *testing.T) {
	events := newEventLog()
	s := NewReliableSubscriber(quickConfig(events))
	defer s.Close()
	s.Handle(client.Message{Topic: "sensors/temperature", Payload: []byte("23.5")})  // JSON (a number)
	s.Handle(client.Message{Topic: "sensors/humidity", Payload: []byte("not json")}) // fails 3 times
	s.Handle(client.Message{Topic: "misc/anything", Payload: []byte("not json")})    // generic: fine
	s.Handle(client.Message{Topic: "actuators/valve/control", QoS: 2, Payload: []byte(`{}`)})
	events.waitUntil(t, "all four handled", func() bool { return events.count(EventProcessed)+events.count(EventFailed) == 4 })
	want := Stats{TotalReceived: 4, ProcessingErrors: 1, SuccessfullyProcessed: 3}
	if got := s.Stats(); got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
	for _, r := range s.History() {
		if r.Topic == "actuators/valve/control" && r.Result != "Actuator command executed for valve (QoS 2: exactly once)" {
			t.Errorf("actuator result %q", r.Result)
		}
	}
}

func TestSubscriberPrunesOnSchedule(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := NewManualClock(start)
	events := newEventLog()
	cfg := quickConfig(events)
	cfg.Clock = clock
	s := NewReliableSubscriber(cfg)
	defer s.Close()

	s.Handle(jsonMsg("important/messages", 1, 1))
	events.waitUntil(t, "message 1 processed", func() bool { return events.count(EventProcessed) == 1 })
	// The prune loop waits on the clock from the start.
	events.waitUntil(t, "the prune timer", func() bool { return clock.Waiters() >= 1 })

	clock.Advance(6 * time.Minute) // first prune at 5 min: record 1 is only 5 min old
	s.Handle(jsonMsg("important/messages", 2, 1))
	events.waitUntil(t, "message 2 processed", func() bool { return events.count(EventProcessed) == 2 })
	if got := events.count(EventPruned); got != 0 {
		t.Fatalf("pruned at 5 min; records are kept 10 min")
	}
	events.waitUntil(t, "the prune timer", func() bool { return clock.Waiters() >= 1 })
	clock.Advance(5 * time.Minute) // prune at 11 min: record 1 (11 min) goes, record 2 (5 min) stays
	events.waitUntil(t, "a prune", func() bool { return events.count(EventPruned) == 1 })
	if h := s.History(); len(h) != 1 || h[0].Key != "important/messages:2" {
		t.Errorf("history after pruning = %+v, want only message 2", h)
	}
	// A pruned key is forgotten: the same message is processed again.
	if s.Processed("important/messages:1") {
		t.Error("pruned key still marked processed")
	}
	s.Handle(jsonMsg("important/messages", 1, 1))
	events.waitUntil(t, "message 1 processed again", func() bool { return events.count(EventProcessed) == 3 })
}

func TestFamily(t *testing.T) {
	for topic, want := range map[string]string{
		"sensors/temperature": FamilySensors, "alerts/x": FamilyAlerts, "actuators/valve/control": FamilyActuators,
		"important/messages": FamilyImportant, "important/other": FamilyGeneric, "playground/x": FamilyGeneric,
	} {
		if got := Family(topic); got != want {
			t.Errorf("Family(%q) = %q, want %q", topic, got, want)
		}
	}
}
