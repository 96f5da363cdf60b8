package task1

import "qosplayground/app/i18n"

// What Task 1's page says of its systems, streams and runs.

var (
	scenarioNames = map[string]i18n.Msg{"factory": i18n.ScenarioFactory, "smarthome": i18n.ScenarioHome}
	streamNames   = map[string]i18n.Msg{
		"temperature": i18n.StreamTemp, "anomaly": i18n.StreamAnomaly, "cooling": i18n.StreamCooling,
		"light": i18n.StreamLight, "security": i18n.StreamSecurity, "doorlock": i18n.StreamDoorLock,
	}
	streamReasons = map[string]i18n.Msg{
		"temperature": i18n.ReasonTemp, "anomaly": i18n.ReasonAnomaly, "cooling": i18n.ReasonCooling,
		"light": i18n.ReasonLight, "security": i18n.ReasonSecurity, "doorlock": i18n.ReasonDoorLock,
	}
)

// ScenarioName is the name of the system whose id is id.
func ScenarioName(id string) i18n.Msg { return scenarioNames[id] }

// StreamName is the name of the stream whose id is id.
func StreamName(id string) i18n.Msg { return streamNames[id] }

// Name is the system's name.
func (sc IoTScenario) Name() i18n.Msg { return ScenarioName(sc.ID) }

// Name is the stream's name.
func (s Stream) Name() i18n.Msg { return StreamName(s.ID) }

// Reason says why the tutorial recommends the stream's QoS.
func (s Stream) Reason() i18n.Msg { return streamReasons[s.ID] }

// The flaky network cuts the connections every few dozen packets.
const (
	FlakyCutMin = 20
	FlakyCutMax = 60
)

// FlakyCuts is the cut range of a run (ScenarioConfig.CutMin, CutMax):
// Task 1's flaky network, or none (0, 0) on a perfect one.
func FlakyCuts(flaky bool) (min, max int) {
	if !flaky {
		return 0, 0
	}
	return FlakyCutMin, FlakyCutMax
}

// Status says where a run of the system sc stands: the stream running
// (current, from 0) while it runs, else how many streams the last run
// ran (results), else that none has run.
func Status(sc IoTScenario, running bool, current, results int) i18n.Sentence {
	switch {
	case running && current >= 0 && current < len(sc.Streams):
		return i18n.Say(i18n.Task1Running, sc.Streams[current].Name(), current+1, len(sc.Streams))
	case results > 0:
		return i18n.Say(i18n.Task1Done, results)
	}
	return i18n.Say(i18n.Task1NotRun)
}

// RevealRow is a stream of the reveal: the tutorial's QoS beside the one
// the learner's run used.
type RevealRow struct {
	Stream Stream
	Yours  byte // the QoS the stream ran at (0 if it did not run)
	Match  bool // Yours is the recommended QoS
}

// Verdict is the row's mark and what it says.
func (r RevealRow) Verdict() (mark string, says i18n.Msg) {
	if r.Match {
		return "✓", i18n.RevealMatch
	}
	return "✗", i18n.RevealDiffers
}

// Reveal judges what ran (the results' choices, not the selects' now),
// stream by stream of the system sc, in its order.
func Reveal(sc IoTScenario, results []StreamResult) []RevealRow {
	ran := make(map[string]byte, len(results))
	for _, r := range results {
		ran[r.Stream.ID] = r.QoS
	}
	matches := Matches(results)
	rows := make([]RevealRow, len(sc.Streams))
	for i, s := range sc.Streams {
		rows[i] = RevealRow{Stream: s, Yours: ran[s.ID], Match: matches[s.ID]}
	}
	return rows
}

// consequenceTexts say each kind of Consequence; the kinds that count
// take the count.
var consequenceTexts = map[ConsequenceKind]i18n.Msg{
	ConseqLostOK: i18n.ConseqLostOK, ConseqLostBad: i18n.ConseqLostBad, ConseqCanLose: i18n.ConseqCanLose,
	ConseqQoS2Dups: i18n.ConseqQoS2Dups, ConseqDupOK: i18n.ConseqDupOK, ConseqDupBad: i18n.ConseqDupBad,
	ConseqCanDouble: i18n.ConseqCanDouble, ConseqFits: i18n.ConseqFits, ConseqCostly: i18n.ConseqCostly,
}

// ConsequenceTexts say what a stream's choice meant in this run
// (Consequences), a sentence each.
func ConsequenceTexts(r StreamResult) []i18n.Sentence {
	var out []i18n.Sentence
	for _, c := range Consequences(r) {
		switch c.Kind {
		case ConseqCostly:
			out = append(out, i18n.Say(i18n.ConseqCostly, PacketsPerMessage(r.QoS), PacketsPerLeg(r.QoS),
				PacketsPerMessage(r.Stream.Recommended), PacketsPerLeg(r.Stream.Recommended)))
		case ConseqCanLose, ConseqCanDouble, ConseqFits:
			out = append(out, i18n.Say(consequenceTexts[c.Kind]))
		default:
			out = append(out, i18n.Say(consequenceTexts[c.Kind], c.N))
		}
	}
	return out
}
