// Package task1 is the tutorial's Task 1 (課題1: QoSレベルの使い分け): two
// IoT systems, three message streams each, and a QoS to choose for every
// stream. A learner runs a scenario with their choices over a flaky network
// (the gateway cuts the connections every few dozen packets: the fault
// lab's RunBlips), sees what each choice cost and what it lost or doubled,
// and then compares with the recommended choices.
//
// It imports neither go-app nor syscall/js.
package task1

import (
	"context"
	"errors"
	"fmt"
	"qosplayground/app/client"
	"qosplayground/app/faultlab"
	"time"
)

// Stream is one kind of message in a scenario.
type Stream struct {
	ID       string        // "temperature"; names the stream's texts in the user interface
	Topic    string        // where it is published
	Messages int           // per run
	Gap      time.Duration // between messages
	// Recommended is the QoS the tutorial's guidance leads to: 0 for
	// frequent sensor data, 1 for alerts and notifications, 2 for control
	// commands.
	Recommended byte
	// LossOK: a lost message does no harm (the next reading replaces it).
	LossOK bool
	// DupOK: a second copy does no harm (showing an alert twice); a
	// command run twice does.
	DupOK bool
}

// IoTScenario is one system of Task 1.
type IoTScenario struct {
	ID      string // "factory" or "smarthome"
	Streams []Stream
}

// IoTScenarios returns Task 1's two systems, in the tutorial's order.
func IoTScenarios() []IoTScenario {
	return []IoTScenario{
		{ID: "factory", Streams: []Stream{
			{ID: "temperature", Topic: "factory/line1/temperature", Messages: 200, Gap: 5 * time.Millisecond, Recommended: 0, LossOK: true, DupOK: true},
			{ID: "anomaly", Topic: "factory/line1/alerts/temperature", Messages: 40, Gap: 20 * time.Millisecond, Recommended: 1, DupOK: true},
			{ID: "cooling", Topic: "factory/line1/cooling/command", Messages: 40, Gap: 20 * time.Millisecond, Recommended: 2},
		}},
		{ID: "smarthome", Streams: []Stream{
			{ID: "light", Topic: "home/livingroom/light/status", Messages: 200, Gap: 5 * time.Millisecond, Recommended: 0, LossOK: true, DupOK: true},
			{ID: "security", Topic: "home/security/alerts", Messages: 40, Gap: 20 * time.Millisecond, Recommended: 1, DupOK: true},
			{ID: "doorlock", Topic: "home/frontdoor/lock/command", Messages: 40, Gap: 20 * time.Millisecond, Recommended: 2},
		}},
	}
}

// FindIoTScenario returns the scenario with this id.
func FindIoTScenario(id string) (IoTScenario, bool) {
	for _, s := range IoTScenarios() {
		if s.ID == id {
			return s, true
		}
	}
	return IoTScenario{}, false
}

// PacketsPerLeg is how many packets one message costs on one leg
// (publisher to broker, or broker to subscriber) at qos: 1 at QoS 0
// (PUBLISH), 2 at QoS 1 (PUBLISH, PUBACK), 4 at QoS 2 (PUBLISH, PUBREC,
// PUBREL, PUBCOMP).
func PacketsPerLeg(qos byte) int { return 1 << qos }

// PacketsPerMessage is how many packets one message costs end to end: both
// legs, each at qos (the subscription asks for the same QoS in Task 1).
func PacketsPerMessage(qos byte) int { return 2 * PacketsPerLeg(qos) }

// Verdict judges a QoS choice for a stream.
type Verdict string

// Verdicts.
const (
	VerdictFits      Verdict = "fits"       // the recommended choice
	VerdictCanLose   Verdict = "can-lose"   // QoS 0 where a loss matters
	VerdictCanDouble Verdict = "can-double" // QoS 1 where a second copy matters
	VerdictCostly    Verdict = "costly"     // more than the stream needs: more packets, more latency
)

// Judge says what choosing qos for s means.
func (s Stream) Judge(qos byte) Verdict {
	switch {
	case qos == s.Recommended:
		return VerdictFits
	case qos == 0 && !s.LossOK:
		return VerdictCanLose
	case qos == 1 && !s.DupOK:
		return VerdictCanDouble
	case qos > s.Recommended:
		return VerdictCostly
	}
	return VerdictFits
}

// ScenarioConfig configures RunScenario.
type ScenarioConfig struct {
	URL      string
	IDPrefix string
	Scenario IoTScenario
	Choices  map[string]byte // stream id → the learner's QoS; a missing stream runs at its recommended QoS
	// CutMin and CutMax: the flaky network, as in BlipConfig; 0 for a
	// perfect one.
	CutMin, CutMax int
	Seed           int64
	OnStream       func(i int, s Stream) // called as each stream starts; must not block
	OnProgress     func(faultlab.BlipProgress)
}

// StreamResult is one stream's run.
type StreamResult struct {
	Stream  Stream
	QoS     byte
	Verdict Verdict
	Blips   faultlab.BlipResult
}

// RunScenario runs each stream of the scenario in turn at the learner's
// QoS, through the same flaky network, and returns what happened to each.
// A stream whose QoS 1 or 2 messages did not all arrive (ErrBlipNotSettled)
// does not stop the run: its ledger counts them lost, the other streams
// run, and the error comes back with every stream's result.
func RunScenario(ctx context.Context, cfg ScenarioConfig) ([]StreamResult, error) {
	var out []StreamResult
	var unsettled error // the first stream whose messages did not all arrive
	for i, s := range cfg.Scenario.Streams {
		qos, ok := cfg.Choices[s.ID]
		if !ok {
			qos = s.Recommended
		}
		if qos > 2 {
			return out, fmt.Errorf("lab: stream %s: %w", s.ID, client.ErrBadQoS)
		}
		if cfg.OnStream != nil {
			cfg.OnStream(i, s)
		}
		res, err := faultlab.RunBlips(ctx, faultlab.BlipConfig{
			URL: cfg.URL, IDPrefix: cfg.IDPrefix + s.ID + "-", Topic: s.Topic, QoS: qos,
			Messages: s.Messages, Gap: s.Gap,
			CutMin: cfg.CutMin, CutMax: cfg.CutMax, CutPublisher: cfg.CutMax > 0, CutSubscriber: cfg.CutMax > 0,
			Seed: cfg.Seed + int64(i)*1000, OnProgress: cfg.OnProgress,
		})
		out = append(out, StreamResult{Stream: s, QoS: qos, Verdict: s.Judge(qos), Blips: res})
		switch {
		case errors.Is(err, faultlab.ErrBlipNotSettled) && unsettled == nil:
			// Messages that never came are the stream's result (its
			// ledger counts them lost: a broker that loses QoS 1 or 2
			// messages, as a NATS cluster may at QoS 2, is what the run
			// shows); the other streams still run.
			unsettled = fmt.Errorf("lab: stream %s: %w", s.ID, err)
		case errors.Is(err, faultlab.ErrBlipNotSettled):
		case err != nil:
			return out, fmt.Errorf("lab: stream %s: %w", s.ID, err)
		}
	}
	return out, unsettled
}
