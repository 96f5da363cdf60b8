package exercises

import (
	"fmt"
	"slices"
	"testing"

	"qosplayground/app/i18n"
)

func TestJudgeWaiting(t *testing.T) {
	msg := func(topic string, id int64, qos byte) Unheard {
		return Unheard{Topic: topic, MessageID: id, QoS: qos, Key: topic + fmt.Sprint(id)}
	}
	fs := []Followed{
		{msg("alerts/a", 1, 1), FateKept}, // judged at an earlier start
		{msg("alerts/a", 2, 1), FateWaiting},
		{msg("other/b", 3, 1), FateWaiting},
		{msg("alerts/a", 4, 0), FateWaiting},
	}
	if !Waiting(fs) {
		t.Fatal("Waiting: false with three waiting")
	}
	arrived := func(key string) bool { return key == "alerts/a2" }
	judged := JudgeWaiting(fs, arrived, true, []Subscription{{Filter: "alerts/#", QoS: 1}})
	if !slices.Equal(judged, []int{1, 2, 3}) {
		t.Errorf("judged %v, want [1 2 3]", judged)
	}
	want := []Fate{FateKept, FateKept, FateNoMatch, FateQoS0}
	for i, f := range fs {
		if f.Fate != want[i] {
			t.Errorf("message %d: %s, want %s", i+1, f.Fate, want[i])
		}
	}
	if Waiting(fs) {
		t.Error("Waiting: true once all are judged")
	}
	if len(JudgeWaiting(fs, arrived, true, nil)) != 0 {
		t.Error("judged again")
	}
}

func TestFollowedText(t *testing.T) {
	u := Unheard{Topic: "alerts/x", MessageID: 7, QoS: 2}
	for _, tc := range []struct {
		fate  Fate
		want  string
		state string
	}{
		{FateWaiting, i18n.FateWaiting.EN + "[7 alerts/x 2]", "waiting"},
		{FateKept, i18n.FateKept.EN + "[7]", "kept"},
		{FateNoSession, i18n.FateNoSession.EN + "[7 alerts/x]", "dropped"},
		{FateNoMatch, i18n.FateNoMatch.EN + "[7 alerts/x]", "dropped"},
		{FateQoS0, i18n.FateQoS0.EN + "[7]", "dropped"},
		{FateMissing, i18n.FateMissing.EN + "[7]", "missing"},
	} {
		text := Followed{u, tc.fate}.Text()
		if got := text.Msg.EN + fmt.Sprint(text.Args); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.fate, got, tc.want)
		}
		if got := tc.fate.State(); got != tc.state {
			t.Errorf("%s: state %q, want %q", tc.fate, got, tc.state)
		}
	}
}

func TestSent(t *testing.T) {
	subs := []Subscription{{Filter: "alerts/#", QoS: 1}}
	for _, tc := range []struct {
		scenario          string
		topic             string
		running           bool
		follow, unmatched bool
	}{
		{"stopped: followed until it starts", "alerts/a", false, true, false},
		{"stopped, a topic it does not hear: followed all the same", "other/a", false, true, false},
		{"running, a topic it hears", "alerts/a", true, false, false},
		{"running, a topic nobody hears", "other/a", true, false, true},
	} {
		u := Unheard{Topic: tc.topic, MessageID: 1, QoS: 1}
		follow, unmatched := Sent(u, tc.running, subs)
		if (follow != nil) != tc.follow || unmatched != tc.unmatched {
			t.Errorf("%s: follow %v, unmatched %v", tc.scenario, follow, unmatched)
		}
		if follow != nil && (follow.Fate != FateWaiting || follow.Msg != u) {
			t.Errorf("%s: follows %+v", tc.scenario, *follow)
		}
	}
}
