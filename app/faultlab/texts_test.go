package faultlab

import (
	"fmt"
	"testing"

	"qosplayground/app/fault"
	"qosplayground/app/i18n"
)

func sayEN(s i18n.Sentence) string { return s.Msg.EN + fmt.Sprint(s.Args) }

func TestLessonAndRestartTexts(t *testing.T) {
	for p, want := range map[LessonPoint]i18n.Msg{
		LessonAtMostOnce: i18n.LessonExplain0, LessonAtLeastOnce: i18n.LessonExplain1, LessonExactlyOnce: i18n.LessonExplain2,
		LessonBrokerFirst: i18n.LessonExplain2Rec, LessonQoS2Dup: i18n.LessonExplain2Dup,
	} {
		if got := p.Text(); got != want {
			t.Errorf("%s: %q, want %q", p, got.EN, want.EN)
		}
	}
	for o, want := range map[RestartOutcome]i18n.Msg{RestartKept: i18n.RestartExplainKept, RestartLostOff: i18n.RestartExplainOff, RestartLostCrash: i18n.RestartExplainCrash} {
		if got := o.Text(); got != want {
			t.Errorf("%s: %q, want %q", o, got.EN, want.EN)
		}
	}
	for step, want := range map[string]i18n.Msg{RestartStepPrepare: i18n.StepPrepare, RestartStepAway: i18n.StepAway, RestartStepQueue: i18n.StepQueue,
		RestartStepRestart: i18n.StepRestart, RestartStepReturn: i18n.StepReturn} {
		if got := RestartStepText(step); got.Msg != i18n.RestartStepMsg || len(got.Args) != 1 || got.Args[0] != want {
			t.Errorf("step %s: %s", step, sayEN(got))
		}
	}
}

func TestBlipStatus(t *testing.T) {
	pr := BlipProgress{Published: 10, Received: 8, PublisherCuts: 2, SubscriberCuts: 3}
	for _, tc := range []struct {
		scenario     string
		qos, results int
		want         string // "" for none
		done         bool
	}{
		{"never run", -1, 0, "", false},
		{"QoS 0 running", 0, 0, i18n.BlipsRunning.EN + "[0 10 8 5]", false},
		{"QoS 2 running", 2, 2, i18n.BlipsRunning.EN + "[2 10 8 5]", false},
		{"stopped after one QoS", -1, 1, i18n.BlipsDone.EN + "[]", false},
		{"all three done", -1, 3, i18n.BlipsDone.EN + "[]", true},
	} {
		text, ok := BlipStatus(tc.qos, pr, tc.results)
		got := ""
		if ok {
			got = sayEN(text)
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.scenario, got, tc.want)
		}
		if d := BlipsDone(tc.qos, tc.results); d != tc.done {
			t.Errorf("%s: BlipsDone = %v, want %v", tc.scenario, d, tc.done)
		}
	}
}

func TestCutText(t *testing.T) {
	for _, tc := range []struct {
		cmd  fault.Command
		want string // "" for none
	}{
		{LessonCut(1), i18n.FaultCutBefore.EN + fmt.Sprint([]any{"PUBACK", i18n.FaultCutDown})},
		{LessonCut(0), i18n.FaultCutBefore.EN + fmt.Sprint([]any{"PUBLISH", i18n.FaultCutUp})},
		{fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBREL", When: fault.After, Skip: 2},
			i18n.FaultCutAfter.EN + fmt.Sprint([]any{i18n.Say(i18n.FaultCutNth, "PUBREL", 3), i18n.FaultCutUp})},
		{fault.Command{Op: fault.OpCutNow}, i18n.FaultCutNow.EN + "[]"},
		{fault.Command{Op: fault.OpClear}, i18n.FaultCutClear.EN + "[]"},
		{fault.Command{Op: fault.OpFreeze}, i18n.FaultCutFreeze.EN + "[]"},
		{fault.Command{Op: fault.OpRandom, Min: 1, Max: 9, Seed: 3}, i18n.FaultCutRandom.EN + fmt.Sprint([]any{fault.Command{Op: fault.OpRandom, Min: 1, Max: 9, Seed: 3}.Draw(), 1, 9, int64(3)})},
		{fault.Command{Op: "moon"}, ""},
	} {
		text, ok := CutText(tc.cmd)
		got := ""
		if ok {
			got = sayEN(text)
		}
		if got != tc.want {
			t.Errorf("%v: %q, want %q", tc.cmd, got, tc.want)
		}
	}
}
