package board

import (
	"maps"
	"strconv"
	"strings"

	"qosplayground/app/faultlab"
	"qosplayground/app/task1"
)

// Task1Choices is what a learner chose in a Task 1 run: the scenario and
// each stream's QoS, by the playground's ids.
type Task1Choices struct {
	Scenario string          `json:"scenario"`
	QoS      map[string]byte `json:"qos"`
}

// Task1Of returns the choices of a Task 1 run's results.
func Task1Of(scenario string, res []task1.StreamResult) *Task1Choices {
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
	sc, ok := task1.FindIoTScenario(c.Scenario)
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
	for _, sc := range task1.IoTScenarios() {
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
func Task1Summary(scenario string, res []task1.StreamResult) string {
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
func LessonSummary(r faultlab.LessonResult) string {
	return "faults lesson qos" + strconv.Itoa(int(r.QoS)) +
		": received " + strconv.Itoa(r.Stats.TotalReceived) +
		", duplicates " + strconv.Itoa(r.Stats.DuplicatesDetected) +
		", processed " + strconv.Itoa(r.Stats.SuccessfullyProcessed)
}

// LastExperiment is a report's Last read back: a Task 1 run or a fault lab
// lesson, for the board to say in the teacher's language. Kind is "" for a
// text in neither format (an older tab's, or a cut one), which the board
// shows as it came.
type LastExperiment struct {
	Kind     string // "task1" or "lesson"
	Scenario string // task1: the scenario's id
	Streams  []StreamChoice
	// lesson: its QoS and the reliable subscriber's counts.
	QoS                             byte
	Received, Duplicates, Processed int
}

// StreamChoice is one stream of a Task 1 run in a LastExperiment.
type StreamChoice struct {
	Stream  string
	QoS     byte
	Verdict task1.Verdict
}

// ParseLast reads a Last made by Task1Summary or LessonSummary. The text
// comes from a learner's tab: anything else, or an id Task 1 does not have,
// gives Kind "".
func ParseLast(s string) LastExperiment {
	head, rest, ok := strings.Cut(s, ": ")
	if !ok {
		return LastExperiment{}
	}
	if sc, found := strings.CutPrefix(head, "task1 "); found {
		scenario, ok := task1.FindIoTScenario(sc)
		if !ok {
			return LastExperiment{}
		}
		out := LastExperiment{Kind: "task1", Scenario: scenario.ID}
		for _, part := range strings.Split(rest, ", ") {
			f := strings.Fields(part)
			if len(f) != 3 || len(f[1]) != 1 || f[1][0] < '0' || f[1][0] > '2' || !hasStream(scenario, f[0]) || !knownVerdict(task1.Verdict(f[2])) {
				return LastExperiment{}
			}
			out.Streams = append(out.Streams, StreamChoice{Stream: f[0], QoS: f[1][0] - '0', Verdict: task1.Verdict(f[2])})
		}
		return out
	}
	q, found := strings.CutPrefix(head, "faults lesson qos")
	if !found || len(q) != 1 || q[0] < '0' || q[0] > '2' {
		return LastExperiment{}
	}
	out := LastExperiment{Kind: "lesson", QoS: q[0] - '0'}
	for i, want := range []string{"received", "duplicates", "processed"} {
		parts := strings.Split(rest, ", ")
		if len(parts) != 3 {
			return LastExperiment{}
		}
		name, num, _ := strings.Cut(parts[i], " ")
		n, err := strconv.Atoi(num)
		if name != want || err != nil || n < 0 {
			return LastExperiment{}
		}
		*[]*int{&out.Received, &out.Duplicates, &out.Processed}[i] = n
	}
	return out
}

func hasStream(sc task1.IoTScenario, id string) bool {
	for _, s := range sc.Streams {
		if s.ID == id {
			return true
		}
	}
	return false
}

func knownVerdict(v task1.Verdict) bool {
	switch v {
	case task1.VerdictFits, task1.VerdictCanLose, task1.VerdictCanDouble, task1.VerdictCostly:
		return true
	}
	return false
}
