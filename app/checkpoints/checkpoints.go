// Package checkpoints is the tutorial's list of learning checkpoints (学習チェ
// ックポイント) as a checklist that ticks itself: each checkpoint is done
// when the learner has done the experiments that show it, recorded as facts
// by the pages that run them.
//
// It imports neither go-app nor syscall/js: the pages record facts and keep
// the Progress in the browser's local storage.
package checkpoints

import (
	"maps"
	"slices"
	"time"
)

// Fact is something the learner did in the playground.
type Fact string

// The facts the pages record.
const (
	// QoS0, QoS1 and QoS2: a message published at that QoS completed its
	// exchange (written at QoS 0, PUBACK at 1, PUBCOMP at 2).
	QoS0 Fact = "qos0-exchange"
	QoS1 Fact = "qos1-exchange"
	QoS2 Fact = "qos2-exchange"
	// SessionResumed: a connection with clean session off found its
	// session at the broker (CONNACK session present).
	SessionResumed Fact = "session-resumed"
	// OfflineDelivered: messages published while a persistent session's
	// client was away reached it when it came back.
	OfflineDelivered Fact = "offline-delivered"
	// DuplicateDetected: the reliable subscriber recognised a message it
	// had processed already and did not process it again.
	DuplicateDetected Fact = "duplicate-detected"
	// RetryDone: the reliable subscriber retried a failed processing.
	RetryDone Fact = "retry-done"
	// Opened0, Opened1 and Opened2: the learner opened a packet of a QoS
	// 0, 1 or 2 publish in a sequence diagram or a packet list (see
	// Opened).
	Opened0 Fact = "qos0-opened"
	Opened1 Fact = "qos1-opened"
	Opened2 Fact = "qos2-opened"
	// ScenarioRun and ScenarioRevealed: a Task 1 scenario was run with QoS
	// choices the learner changed, and then the recommended choices were
	// revealed (see Task1).
	ScenarioRun      Fact = "scenario-run"
	ScenarioRevealed Fact = "scenario-revealed"
)

// ID names a checkpoint.
type ID string

// Checkpoint is one line of the tutorial's checklist and the facts that
// tick it.
type Checkpoint struct {
	ID       ID
	Requires []Fact
}

// The tutorial's five checkpoints, in its order.
var All = []Checkpoint{
	{"qos-levels", []Fact{QoS0, QoS1, QoS2, Opened0, Opened1, Opened2}},
	{"persistent-session", []Fact{SessionResumed, OfflineDelivered}},
	{"duplicates", []Fact{DuplicateDetected}},
	{"retries", []Fact{RetryDone}},
	{"qos-choice", []Fact{ScenarioRun, ScenarioRevealed}},
}

// Starter says who started a run: the learner (a click) or a link
// (autorun=1 in the address, e.g. a course page's embed).
type Starter int

const (
	ByLearner Starter = iota
	ByLink
)

// Earned returns the facts a run started by s earns: all of them when the
// learner started it, none when a link did. A checkpoint is earned by the
// learner's own act, never by a page that ran by itself.
func Earned(s Starter, facts ...Fact) []Fact {
	if s != ByLearner {
		return nil
	}
	return facts
}

// Opened is the fact earned by opening (selecting, to see its fields and
// bytes) a packet of the given MQTT type and QoS: a PUBLISH at its QoS, a
// PUBACK for QoS 1, a PUBREC, PUBREL or PUBCOMP for QoS 2. Other packets
// earn nothing.
func Opened(packetType string, qos byte) (Fact, bool) {
	switch packetType {
	case "PUBLISH":
		if qos <= 2 {
			return [...]Fact{Opened0, Opened1, Opened2}[qos], true
		}
	case "PUBACK":
		return Opened1, true
	case "PUBREC", "PUBREL", "PUBCOMP":
		return Opened2, true
	}
	return "", false
}

// Task1 follows one visit of Task 1's page and says what its acts earn.
// Its zero value is a fresh visit. Running earns ScenarioRun only when the
// learner changed at least one stream's QoS before and started the run
// themselves; revealing earns ScenarioRevealed only after such a run: the
// reveal then compares the learner's own choices. Untouched defaults, a
// link's preselected choices and a link's autorun earn nothing.
type Task1 struct {
	chose  bool // the learner changed a stream's QoS
	ownRun bool // a run of the learner's own choices finished
}

// Chose records that the learner changed a stream's QoS.
func (t *Task1) Chose() { t.chose = true }

// Ran records a finished run (ok: without error) started by s, and
// returns the facts it earns.
func (t *Task1) Ran(s Starter, ok bool) []Fact {
	if !ok || s != ByLearner || !t.chose {
		return nil
	}
	t.ownRun = true
	return []Fact{ScenarioRun}
}

// Revealed records that the learner revealed the recommended choices, and
// returns the facts it earns.
func (t *Task1) Revealed() []Fact {
	if !t.ownRun {
		return nil
	}
	return []Fact{ScenarioRevealed}
}

// Progress is what the learner has done: each fact and when it was first
// recorded. Its zero value is no progress. It is stored as JSON.
type Progress struct {
	Facts map[Fact]time.Time `json:"facts,omitempty"`
}

// Record adds facts not recorded yet, at time at, and reports whether any
// was new (so a caller saves only then).
func (p *Progress) Record(at time.Time, facts ...Fact) bool {
	changed := false
	for _, f := range facts {
		if _, ok := p.Facts[f]; ok {
			continue
		}
		if p.Facts == nil {
			p.Facts = make(map[Fact]time.Time)
		}
		p.Facts[f], changed = at, true
	}
	return changed
}

// Has reports whether fact f is recorded.
func (p Progress) Has(f Fact) bool {
	_, ok := p.Facts[f]
	return ok
}

// Status is a checkpoint's state in a Progress.
type Status struct {
	Checkpoint
	Done    bool
	Missing []Fact    // the facts still to do, in Requires order
	DoneAt  time.Time // when the last required fact was recorded, if Done
}

// Statuses returns every checkpoint's status, in the tutorial's order.
func (p Progress) Statuses() []Status {
	out := make([]Status, 0, len(All))
	for _, c := range All {
		s := Status{Checkpoint: c}
		for _, f := range c.Requires {
			at, ok := p.Facts[f]
			if !ok {
				s.Missing = append(s.Missing, f)
				continue
			}
			if at.After(s.DoneAt) {
				s.DoneAt = at
			}
		}
		s.Done = len(s.Missing) == 0
		if !s.Done {
			s.DoneAt = time.Time{}
		}
		out = append(out, s)
	}
	return out
}

// Done counts the checkpoints done.
func (p Progress) Done() int {
	n := 0
	for _, s := range p.Statuses() {
		if s.Done {
			n++
		}
	}
	return n
}

// Clone returns a copy that shares nothing with p.
func (p Progress) Clone() Progress {
	return Progress{Facts: maps.Clone(p.Facts)}
}

// Known reports whether f is one of the facts this package defines: facts
// stored by another version of the playground are kept but not shown.
func Known(f Fact) bool {
	for _, c := range All {
		if slices.Contains(c.Requires, f) {
			return true
		}
	}
	return false
}
