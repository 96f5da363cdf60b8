package task1

import (
	"testing"
	"time"

	"qosplayground/internal/teststack"
)

func TestJudge(t *testing.T) {
	factory, ok := FindIoTScenario("factory")
	if !ok || len(factory.Streams) != 3 {
		t.Fatalf("factory scenario: %+v", factory)
	}
	want := map[string][3]Verdict{
		"temperature": {VerdictFits, VerdictCostly, VerdictCostly},
		"anomaly":     {VerdictCanLose, VerdictFits, VerdictCostly},
		"cooling":     {VerdictCanLose, VerdictCanDouble, VerdictFits},
	}
	for _, s := range factory.Streams {
		for qos := byte(0); qos <= 2; qos++ {
			if got := s.Judge(qos); got != want[s.ID][qos] {
				t.Errorf("%s at QoS %d: %s, want %s", s.ID, qos, got, want[s.ID][qos])
			}
		}
	}
	for _, sc := range IoTScenarios() {
		for _, s := range sc.Streams {
			if s.Judge(s.Recommended) != VerdictFits {
				t.Errorf("%s/%s: the recommended QoS does not fit", sc.ID, s.ID)
			}
		}
	}
	if _, ok := FindIoTScenario("spaceship"); ok {
		t.Error("an unknown scenario was found")
	}
	if PacketsPerMessage(0) != 2 || PacketsPerMessage(1) != 4 || PacketsPerMessage(2) != 8 {
		t.Error("packets per message")
	}
}

// TestScenarioRun runs the factory with the learner's worst choices over a
// flaky network: the cooling command at QoS 0 can be lost, and the ledger
// of every stream adds up.
func TestScenarioRun(t *testing.T) {
	env := teststack.Start(t, teststack.Modes[0])
	factory, _ := FindIoTScenario("factory")
	var started []string
	res, err := RunScenario(ctxFor(t, 2*time.Minute), ScenarioConfig{
		URL: env.URL, IDPrefix: "task1-", Scenario: factory,
		Choices: map[string]byte{"temperature": 2, "anomaly": 1, "cooling": 0},
		CutMin:  20, CutMax: 60, Seed: 7,
		OnStream: func(i int, s Stream) { started = append(started, s.ID) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || len(started) != 3 {
		t.Fatalf("%d results, %d streams started", len(res), len(started))
	}
	for _, r := range res {
		row := r.Blips.Ledger
		t.Logf("%s at QoS %d (%s): %+v, cuts %d+%d", r.Stream.ID, r.QoS, r.Verdict, row, r.Blips.PublisherCuts, r.Blips.SubscriberCuts)
		if row.Sent != r.Stream.Messages || row.QoS != r.QoS || row.Lost != row.Sent-row.Received || row.DuplicatesProcessed != 0 {
			t.Errorf("%s: ledger %+v", r.Stream.ID, row)
		}
		if r.QoS > 0 && row.Lost != 0 {
			t.Errorf("%s at QoS %d lost %d", r.Stream.ID, r.QoS, row.Lost)
		}
	}
	if res[0].Verdict != VerdictCostly || res[2].Verdict != VerdictCanLose {
		t.Errorf("verdicts %s, %s", res[0].Verdict, res[2].Verdict)
	}
}
