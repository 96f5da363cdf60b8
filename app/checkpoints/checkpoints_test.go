package checkpoints

import (
	"encoding/json"
	"testing"
	"time"
)

func TestCheckpointsTickWhenEveryFactIsDone(t *testing.T) {
	var p Progress
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	if p.Done() != 0 {
		t.Fatal("zero progress has checkpoints done")
	}
	if !p.Record(t0, QoS0, QoS1) {
		t.Fatal("new facts not reported as a change")
	}
	if p.Record(t0.Add(time.Hour), QoS1) {
		t.Error("a fact recorded twice reported as a change")
	}
	if got := p.Facts[QoS1]; !got.Equal(t0) {
		t.Errorf("a second record moved the time to %v", got)
	}
	s := p.Statuses()[0]
	if s.ID != "qos-levels" || s.Done || len(s.Missing) != 1 || s.Missing[0] != QoS2 {
		t.Fatalf("after QoS 0 and 1: %+v", s)
	}
	p.Record(t0.Add(time.Minute), QoS2)
	s = p.Statuses()[0]
	if !s.Done || !s.DoneAt.Equal(t0.Add(time.Minute)) || p.Done() != 1 {
		t.Errorf("after QoS 2: %+v, %d done", s, p.Done())
	}
	for _, c := range All[1:] {
		for _, f := range c.Requires {
			p.Record(t0, f)
		}
	}
	if p.Done() != len(All) {
		t.Errorf("%d of %d done after every fact", p.Done(), len(All))
	}
}

func TestProgressIsStoredAsJSON(t *testing.T) {
	var p Progress
	p.Record(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), DuplicateDetected)
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"facts":{"duplicate-detected":"2026-11-25T10:00:00Z"}}` {
		t.Errorf("stored as %s", b)
	}
	var back Progress
	if err := json.Unmarshal(b, &back); err != nil || !back.Has(DuplicateDetected) || back.Done() != 1 {
		t.Errorf("read back %+v, %v", back, err)
	}
	// A fact from another version is kept, and ticks nothing.
	var other Progress
	if err := json.Unmarshal([]byte(`{"facts":{"future-fact":"2026-11-25T10:00:00Z"}}`), &other); err != nil {
		t.Fatal(err)
	}
	if other.Done() != 0 || Known("future-fact") || !Known(RetryDone) {
		t.Error("an unknown fact ticked a checkpoint or was taken as known")
	}
	c := p.Clone()
	c.Record(time.Now(), RetryDone)
	if p.Has(RetryDone) {
		t.Error("Clone shares its facts")
	}
}

func TestEveryFactBelongsToACheckpoint(t *testing.T) {
	for _, f := range []Fact{QoS0, QoS1, QoS2, SessionResumed, OfflineDelivered, DuplicateDetected, RetryDone, ScenarioRun, ScenarioRevealed} {
		if !Known(f) {
			t.Errorf("fact %s ticks no checkpoint", f)
		}
	}
}
