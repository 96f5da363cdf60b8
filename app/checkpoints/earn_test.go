package checkpoints

import (
	"slices"
	"testing"

	"qosplayground/app/exercises"
)

func TestQoSFactAndPublished(t *testing.T) {
	for qos, want := range []Fact{QoS0, QoS1, QoS2} {
		if got := QoSFact(byte(qos)); got != want {
			t.Errorf("QoSFact(%d) = %q, want %q", qos, got, want)
		}
		if got := Published(ByLearner, byte(qos)); !slices.Equal(got, []Fact{want}) {
			t.Errorf("Published(learner, %d) = %v", qos, got)
		}
		if got := Published(ByLink, byte(qos)); got != nil {
			t.Errorf("Published(link, %d) = %v, want nothing", qos, got)
		}
	}
}

func TestPublishFacts(t *testing.T) {
	rec := func(qos byte, st exercises.Status) exercises.PublishRecord {
		return exercises.PublishRecord{QoS: qos, Status: st}
	}
	tests := []struct {
		scenario string
		recs     []exercises.PublishRecord
		want     []Fact
	}{
		{"nothing sent", nil, nil},
		{"QoS 0 written", []exercises.PublishRecord{rec(0, exercises.StatusSentQoS0)}, []Fact{QoS0}},
		{"confirmed once per QoS, in order", []exercises.PublishRecord{
			rec(2, exercises.StatusConfirmed), rec(1, exercises.StatusConfirmed), rec(2, exercises.StatusConfirmed),
		}, []Fact{QoS2, QoS1}},
		{"unconfirmed earns nothing", []exercises.PublishRecord{
			rec(1, exercises.StatusFailed), rec(2, exercises.StatusPending),
		}, nil},
	}
	for _, tc := range tests {
		if got := PublishFacts(tc.recs); !slices.Equal(got, tc.want) {
			t.Errorf("%s: PublishFacts = %v, want %v", tc.scenario, got, tc.want)
		}
	}
}

func TestPersistentFacts(t *testing.T) {
	tests := []struct {
		scenario string
		r        exercises.PersistentResult
		want     []Fact
	}{
		{"clean session: nothing kept", exercises.PersistentResult{CleanSession: true, OfflineReceived: 3}, nil},
		{"kept and delivered", exercises.PersistentResult{SessionPresentReconnect: true, OfflineReceived: 2}, []Fact{SessionResumed, OfflineDelivered}},
		{"kept, nothing published away", exercises.PersistentResult{SessionPresentReconnect: true}, []Fact{SessionResumed}},
	}
	for _, tc := range tests {
		if got := PersistentFacts(tc.r); !slices.Equal(got, tc.want) {
			t.Errorf("%s: PersistentFacts = %v, want %v", tc.scenario, got, tc.want)
		}
	}
}

func TestSubscriberFactsAndDuplicates(t *testing.T) {
	dup := exercises.Stats{TotalReceived: 3, DuplicatesDetected: 1}
	clean := exercises.Stats{TotalReceived: 3}
	if got := SubscriberFacts(dup, true); !slices.Equal(got, []Fact{DuplicateDetected, RetryDone}) {
		t.Errorf("SubscriberFacts(dup, retried) = %v", got)
	}
	if got := SubscriberFacts(clean, false); got != nil {
		t.Errorf("SubscriberFacts(clean) = %v, want nothing", got)
	}
	if got := Duplicates(ByLearner, clean, dup); !slices.Equal(got, []Fact{DuplicateDetected}) {
		t.Errorf("Duplicates(learner, clean, dup) = %v", got)
	}
	if got := Duplicates(ByLearner, clean, clean); got != nil {
		t.Errorf("Duplicates without a duplicate = %v", got)
	}
	if got := Duplicates(ByLink, dup); got != nil {
		t.Errorf("Duplicates of a link's run = %v, want nothing", got)
	}
}

func TestPlaygroundConnectionFacts(t *testing.T) {
	if got := Connack(ByLearner, true); !slices.Equal(got, []Fact{SessionResumed}) {
		t.Errorf("Connack(learner, present) = %v", got)
	}
	if got := Connack(ByLearner, false); got != nil {
		t.Errorf("Connack(learner, no session) = %v", got)
	}
	if got := Connack(ByLink, true); got != nil {
		t.Errorf("Connack(link, present) = %v", got)
	}
	tests := []struct {
		scenario string
		by       Starter
		present  bool
		subs     int
		want     []Fact
	}{
		{"kept session, nothing subscribed yet", ByLearner, true, 0, []Fact{OfflineDelivered}},
		{"subscribed on this connection", ByLearner, true, 1, nil},
		{"new session", ByLearner, false, 0, nil},
		{"a link's connection", ByLink, true, 0, nil},
	}
	for _, tc := range tests {
		if got := Delivered(tc.by, tc.present, tc.subs); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Delivered = %v, want %v", tc.scenario, got, tc.want)
		}
	}
}
