package task1

import (
	"fmt"
	"testing"

	"qosplayground/app/i18n"
)

func said(s i18n.Sentence) string { return s.Msg.EN + fmt.Sprint(s.Args) }

func TestTexts(t *testing.T) {
	for _, sc := range IoTScenarios() {
		if sc.Name() == (i18n.Msg{}) {
			t.Errorf("system %q has no name", sc.ID)
		}
		for _, s := range sc.Streams {
			if s.Name() == (i18n.Msg{}) || s.Reason() == (i18n.Msg{}) || s.Name() == s.Reason() {
				t.Errorf("stream %q: name %q, reason %q", s.ID, s.Name().EN, s.Reason().EN)
			}
		}
	}
	if got := StreamName("cooling"); got != i18n.StreamCooling {
		t.Errorf("StreamName(cooling) = %q", got.EN)
	}
	if got := ScenarioName("smarthome"); got != i18n.ScenarioHome {
		t.Errorf("ScenarioName(smarthome) = %q", got.EN)
	}
}

func TestFlakyCuts(t *testing.T) {
	if lo, hi := FlakyCuts(false); lo != 0 || hi != 0 {
		t.Errorf("a perfect network cuts every %d-%d packets, want never (0, 0)", lo, hi)
	}
	if lo, hi := FlakyCuts(true); lo != 20 || hi != 60 {
		t.Errorf("the flaky network cuts every %d-%d packets, want 20-60", lo, hi)
	}
}

func TestStatus(t *testing.T) {
	factory, _ := FindIoTScenario("factory")
	for _, tc := range []struct {
		scenario         string
		running          bool
		current, results int
		want             string
	}{
		{"never run", false, 0, 0, i18n.Task1NotRun.EN + "[]"},
		{"the first stream running", true, 0, 0, i18n.Task1Running.EN + fmt.Sprint([]any{i18n.StreamTemp, 1, 3})},
		{"the last stream running", true, 2, 0, i18n.Task1Running.EN + fmt.Sprint([]any{i18n.StreamCooling, 3, 3})},
		{"running past the streams (between the last and the result)", true, 3, 0, i18n.Task1NotRun.EN + "[]"},
		{"a new run over an old result", true, 1, 3, i18n.Task1Running.EN + fmt.Sprint([]any{i18n.StreamAnomaly, 2, 3})},
		{"done", false, 2, 3, i18n.Task1Done.EN + "[3]"},
	} {
		if got := said(Status(factory, tc.running, tc.current, tc.results)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.scenario, got, tc.want)
		}
	}
}

func TestReveal(t *testing.T) {
	factory, _ := FindIoTScenario("factory")
	ran := func(id string, qos byte) StreamResult {
		for _, s := range factory.Streams {
			if s.ID == id {
				return StreamResult{Stream: s, QoS: qos}
			}
		}
		t.Fatalf("no stream %q", id)
		return StreamResult{}
	}
	// The table's choices, in another order than the system's; cooling
	// did not run.
	rows := Reveal(factory, []StreamResult{ran("anomaly", 2), ran("temperature", 0)})
	want := []struct {
		id    string
		yours byte
		match bool
		mark  string
		says  i18n.Msg
	}{
		{"temperature", 0, true, "✓", i18n.RevealMatch},
		{"anomaly", 2, false, "✗", i18n.RevealDiffers},
		{"cooling", 0, false, "✗", i18n.RevealDiffers},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		r := rows[i]
		mark, says := r.Verdict()
		if r.Stream.ID != w.id || r.Yours != w.yours || r.Match != w.match || mark != w.mark || says != w.says {
			t.Errorf("row %d: %s yours %d match %v %s %q; want %s %d %v %s %q", i, r.Stream.ID, r.Yours, r.Match, mark, says.EN, w.id, w.yours, w.match, w.mark, w.says.EN)
		}
	}
}

func TestConsequenceTexts(t *testing.T) {
	factory, _ := FindIoTScenario("factory")
	temp, cooling := factory.Streams[0], factory.Streams[2]
	lost := StreamResult{Stream: cooling, QoS: 0, Verdict: VerdictCanLose}
	lost.Blips.Ledger.Lost = 4
	costly := StreamResult{Stream: temp, QoS: 2, Verdict: VerdictCostly}
	fits := StreamResult{Stream: temp, QoS: 0, Verdict: VerdictFits}
	for _, tc := range []struct {
		scenario string
		r        StreamResult
		want     []string
	}{
		{"a command lost", lost, []string{i18n.ConseqLostBad.EN + "[4]"}},
		{"sensor data at QoS 2", costly, []string{i18n.ConseqCostly.EN + "[8 4 2 1]"}},
		{"the recommended QoS", fits, []string{i18n.ConseqFits.EN + "[]"}},
	} {
		got := ConsequenceTexts(tc.r)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d sentences, want %d", tc.scenario, len(got), len(tc.want))
			continue
		}
		for i := range got {
			if said(got[i]) != tc.want[i] {
				t.Errorf("%s: %q, want %q", tc.scenario, said(got[i]), tc.want[i])
			}
		}
	}
}
