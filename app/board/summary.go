package board

import (
	"maps"
	"strconv"
	"strings"

	"qosplayground/app/lab"
)

// Task1Choices is what a learner chose in a Task 1 run: the scenario and
// each stream's QoS, by the playground's ids.
type Task1Choices struct {
	Scenario string          `json:"scenario"`
	QoS      map[string]byte `json:"qos"`
}

// Task1Of returns the choices of a Task 1 run's results.
func Task1Of(scenario string, res []lab.StreamResult) *Task1Choices {
	c := &Task1Choices{Scenario: scenario, QoS: make(map[string]byte, len(res))}
	for _, r := range res {
		c.QoS[r.Stream.ID] = r.QoS
	}
	return c.clean()
}

// clean keeps only the scenarios and streams Task 1 has, at QoS 0 to 2:
// nil when nothing is left.
func (c *Task1Choices) clean() *Task1Choices {
	if c == nil {
		return nil
	}
	sc, ok := lab.FindIoTScenario(c.Scenario)
	if !ok {
		return nil
	}
	out := &Task1Choices{Scenario: sc.ID, QoS: make(map[string]byte)}
	for _, s := range sc.Streams {
		if q, ok := c.QoS[s.ID]; ok && q <= 2 {
			out.QoS[s.ID] = q
		}
	}
	if len(out.QoS) == 0 {
		return nil
	}
	return out
}

// StreamTally is how a class chose the QoS of one Task 1 stream.
type StreamTally struct {
	Scenario, Stream string
	Recommended      byte
	Counts           [3]int // learners who chose QoS 0, 1 and 2
}

// Task1Tally returns, for every stream of the scenarios that at least one
// learner on the board ran, in Task 1's order, how many chose each QoS,
// with the recommended one.
func (b *Board) Task1Tally() []StreamTally {
	counts := map[[2]string]*[3]int{}
	ran := map[string]bool{}
	for _, r := range b.rows {
		if r.Task1 == nil {
			continue
		}
		ran[r.Task1.Scenario] = true
		for stream, q := range maps.All(r.Task1.QoS) {
			k := [2]string{r.Task1.Scenario, stream}
			if counts[k] == nil {
				counts[k] = new([3]int)
			}
			counts[k][q]++
		}
	}
	var out []StreamTally
	for _, sc := range lab.IoTScenarios() {
		if !ran[sc.ID] {
			continue
		}
		for _, s := range sc.Streams {
			t := StreamTally{Scenario: sc.ID, Stream: s.ID, Recommended: s.Recommended}
			if c := counts[[2]string{sc.ID, s.ID}]; c != nil {
				t.Counts = *c
			}
			out = append(out, t)
		}
	}
	return out
}

// Task1Summary is the report's Last for a Task 1 run: the scenario, each
// stream's QoS and its verdict, in the run's order, e.g.
// "task1 factory: temperature 2 costly, anomaly 1 fits, cooling 0 can-lose".
// It uses the playground's ids, the same in both languages.
func Task1Summary(scenario string, res []lab.StreamResult) string {
	var b strings.Builder
	b.WriteString("task1 " + scenario + ":")
	for i, r := range res {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(" " + r.Stream.ID + " " + strconv.Itoa(int(r.QoS)) + " " + string(r.Verdict))
	}
	return cut(b.String(), MaxLast)
}

// LessonSummary is the report's Last for a fault lab lesson: its QoS, and
// what the reliable subscriber received, caught as duplicates and
// processed, e.g. "faults lesson qos1: received 2, duplicates 1, processed 1".
func LessonSummary(r lab.LessonResult) string {
	return "faults lesson qos" + strconv.Itoa(int(r.QoS)) +
		": received " + strconv.Itoa(r.Stats.TotalReceived) +
		", duplicates " + strconv.Itoa(r.Stats.DuplicatesDetected) +
		", processed " + strconv.Itoa(r.Stats.SuccessfullyProcessed)
}
