package task1

import "fmt"

// Choices are the learner's QoS choices of Task 1, kept per system: each
// scenario's streams have their own, whichever system is shown, so that
// switching from one system to the other and back keeps both.
//
// The page sets a choice from the control that changed, which names its
// scenario and stream: a control's handler must not close over a stream
// (go-app keeps the first closure of a reused element), so the identity
// travels with the element and Set checks it.
type Choices struct {
	qos map[string]map[string]byte // scenario id → stream id → QoS
}

// NewChoices returns every stream of every scenario at qos: a neutral
// start, the learner decides.
func NewChoices(qos byte) Choices {
	c := Choices{qos: make(map[string]map[string]byte)}
	for _, sc := range IoTScenarios() {
		c.qos[sc.ID] = make(map[string]byte, len(sc.Streams))
		for _, s := range sc.Streams {
			c.qos[sc.ID][s.ID] = qos
		}
	}
	return c
}

// Set makes qos the choice for stream of scenario. It refuses a stream
// that is not the scenario's and a QoS above 2, and changes nothing then.
func (c Choices) Set(scenario, stream string, qos byte) error {
	streams, ok := c.qos[scenario]
	if !ok {
		return fmt.Errorf("lab: no scenario %q", scenario)
	}
	if _, ok := streams[stream]; !ok {
		return fmt.Errorf("lab: scenario %s has no stream %q", scenario, stream)
	}
	if qos > 2 {
		return fmt.Errorf("lab: stream %s: QoS %d", stream, qos)
	}
	streams[stream] = qos
	return nil
}

// Get returns the choice for stream of scenario (0 for an unknown one).
func (c Choices) Get(scenario, stream string) byte { return c.qos[scenario][stream] }

// Of returns a copy of scenario's choices, stream id → QoS: what a run of
// that scenario uses (ScenarioConfig.Choices).
func (c Choices) Of(scenario string) map[string]byte {
	out := make(map[string]byte, len(c.qos[scenario]))
	for k, v := range c.qos[scenario] {
		out[k] = v
	}
	return out
}

// All returns a copy of every choice, stream id → QoS (stream ids are
// unique across the scenarios): the form a link's configuration takes.
func (c Choices) All() map[string]byte {
	out := make(map[string]byte)
	for _, streams := range c.qos {
		for k, v := range streams {
			out[k] = v
		}
	}
	return out
}

// SetAll sets every stream named in m (stream id → QoS) in whichever
// scenario has it; other ids and bad QoS values are ignored.
func (c Choices) SetAll(m map[string]byte) {
	for sc, streams := range c.qos {
		for id := range streams {
			if v, ok := m[id]; ok {
				_ = c.Set(sc, id, v)
			}
		}
	}
}

// Matches compares a run's results with the recommended choices: for each
// stream that ran, whether the QoS it ran at is the recommended one. The
// reveal judges what ran, not a choice changed since.
func Matches(results []StreamResult) map[string]bool {
	out := make(map[string]bool, len(results))
	for _, r := range results {
		out[r.Stream.ID] = r.QoS == r.Stream.Recommended
	}
	return out
}
