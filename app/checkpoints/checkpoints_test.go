package checkpoints

import (
	"encoding/json"
	"slices"
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
	if s.ID != "qos-levels" || s.Done || len(s.Missing) != 4 || s.Missing[0] != QoS2 {
		t.Fatalf("after QoS 0 and 1: %+v", s)
	}
	p.Record(t0.Add(time.Minute), QoS2)
	if p.Statuses()[0].Done {
		t.Fatal("QoS characteristics ticked by publishes alone, without a look at their packets")
	}
	p.Record(t0, Opened0, Opened1, Opened2)
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
	for _, f := range []Fact{QoS0, QoS1, QoS2, Opened0, Opened1, Opened2, SessionResumed, OfflineDelivered, DuplicateDetected, RetryDone, ScenarioRun, ScenarioRevealed} {
		if !Known(f) {
			t.Errorf("fact %s ticks no checkpoint", f)
		}
	}
}

// TestEachCheckpointNeedsItsAct lists, per checkpoint, the facts that earn
// it (the README's table says the same in words): no fact short of them
// all ticks it.
func TestEachCheckpointNeedsItsAct(t *testing.T) {
	want := map[ID][]Fact{
		"qos-levels":         {QoS0, QoS1, QoS2, Opened0, Opened1, Opened2},
		"persistent-session": {SessionResumed, OfflineDelivered},
		"duplicates":         {DuplicateDetected},
		"retries":            {RetryDone},
		"qos-choice":         {ScenarioRun, ScenarioRevealed},
	}
	if len(All) != len(want) {
		t.Fatalf("%d checkpoints, want %d", len(All), len(want))
	}
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for i, c := range All {
		facts, ok := want[c.ID]
		if !ok || !slices.Equal(c.Requires, facts) {
			t.Errorf("%s requires %v, want %v", c.ID, c.Requires, facts)
			continue
		}
		// Every fact but one: not done.
		for skip := range facts {
			var p Progress
			for j, f := range facts {
				if j != skip {
					p.Record(t0, f)
				}
			}
			if p.Statuses()[i].Done {
				t.Errorf("%s done without %s", c.ID, facts[skip])
			}
		}
	}
}

func TestOpenedPackets(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		qos  byte
		want Fact
		ok   bool
	}{
		{"PUBLISH", 0, Opened0, true},
		{"PUBLISH", 1, Opened1, true},
		{"PUBLISH", 2, Opened2, true},
		{"PUBACK", 0, Opened1, true},
		{"PUBREC", 0, Opened2, true},
		{"PUBREL", 0, Opened2, true},
		{"PUBCOMP", 0, Opened2, true},
		{"PUBLISH", 3, "", false},
		{"CONNECT", 0, "", false},
		{"CONNACK", 0, "", false},
		{"SUBSCRIBE", 1, "", false},
		{"SUBACK", 0, "", false},
		{"PINGREQ", 0, "", false},
	} {
		got, ok := Opened(tc.typ, tc.qos)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Opened(%s, %d) = %q, %v; want %q, %v", tc.typ, tc.qos, got, ok, tc.want, tc.ok)
		}
	}
}

func TestALinkEarnsNothing(t *testing.T) {
	if got := Earned(ByLink, QoS0, DuplicateDetected); len(got) != 0 {
		t.Errorf("a run a link started earned %v", got)
	}
	if got := Earned(ByLearner, QoS0, DuplicateDetected); !slices.Equal(got, []Fact{QoS0, DuplicateDetected}) {
		t.Errorf("the learner's run earned %v", got)
	}
}

func TestTask1(t *testing.T) {
	// Untouched defaults: running and revealing earn nothing.
	var v Task1
	if f := v.Ran(ByLearner, true); f != nil {
		t.Errorf("a run of the untouched defaults earned %v", f)
	}
	if f := v.Revealed(); f != nil {
		t.Errorf("revealing after a run of the defaults earned %v", f)
	}
	// A link's autorun, even after a change (the page cannot be changed
	// before its autorun, but the rule holds anyway): nothing.
	v = Task1{}
	v.Chose()
	if f := v.Ran(ByLink, true); f != nil {
		t.Errorf("an autorun earned %v", f)
	}
	if f := v.Revealed(); f != nil {
		t.Errorf("revealing after an autorun earned %v", f)
	}
	// A failed run: nothing.
	if f := v.Ran(ByLearner, false); f != nil {
		t.Errorf("a failed run earned %v", f)
	}
	// Reveal first, then change and run: the reveal did not compare the
	// learner's choices.
	v = Task1{}
	if f := v.Revealed(); f != nil {
		t.Errorf("revealing before any run earned %v", f)
	}
	// Change, run, reveal: both facts, and the checkpoint.
	v.Chose()
	run := v.Ran(ByLearner, true)
	rev := v.Revealed()
	if !slices.Equal(run, []Fact{ScenarioRun}) || !slices.Equal(rev, []Fact{ScenarioRevealed}) {
		t.Fatalf("change, run, reveal earned %v and %v", run, rev)
	}
	var p Progress
	p.Record(time.Now(), append(run, rev...)...)
	if !p.Statuses()[4].Done {
		t.Error("qos-choice not done after change, run, reveal")
	}
}
