package ui

import (
	"fmt"
	"testing"

	"qosplayground/app/brokerapi"
	"qosplayground/app/fault"
	"qosplayground/app/i18n"
	"qosplayground/app/lab"
)

// The fault lab's cut and the lab's processing errors reach a Japanese page
// in Japanese (issue 13, item 16: "cut before PUBACK (broker→tab)" and
// "alert processing error: simulated…" were English there).
func TestCutText(t *testing.T) {
	c := fault.Command{Op: fault.OpCutAt, When: fault.Before, Packet: "PUBACK", Dir: fault.Down}
	if got, want := cutText(i18n.JA, c), "PUBACK の前で切断（ブローカー→タブ）"; got != want {
		t.Errorf("Japanese: %q, want %q", got, want)
	}
	if got, want := cutText(i18n.EN, c), c.String(); got != want {
		t.Errorf("English: %q, want the command's own %q", got, want)
	}
	c = fault.Command{Op: fault.OpCutAt, When: fault.After, Packet: "PUBREC", Skip: 1, Dir: fault.Up}
	if got, want := cutText(i18n.JA, c), "2 番目の PUBREC の直後に切断（タブ→ブローカー）"; got != want {
		t.Errorf("Japanese: %q, want %q", got, want)
	}
	for _, qos := range []byte{0, 1, 2} {
		if got := cutText(i18n.EN, lab.LessonCut(qos)); got != lab.LessonCut(qos).String() {
			t.Errorf("QoS %d lesson: English %q, want %q", qos, got, lab.LessonCut(qos).String())
		}
	}
}

func TestProcessingError(t *testing.T) {
	notJSON := fmt.Errorf("alerts processing error: %w: %v", lab.ErrPayloadNotJSON, "invalid character")
	for _, c := range []struct {
		err  string
		want any
	}{
		{lab.ErrSimulatedAlertFailure.Error(), i18n.ErrSimulatedAlert},
		{notJSON.Error(), i18n.ErrPayloadNotJSON},
		{"something else", "something else"},
	} {
		if got := processingError(c.err); got != c.want {
			t.Errorf("processingError(%q) = %v, want %v", c.err, got, c.want)
		}
	}
}

// The fault lab says in the learner's language why it may not restart the
// broker (issue 13, item 16): the server's English sentence only for a
// reason it names no code for.
func TestRestartReason(t *testing.T) {
	for _, code := range []string{brokerapi.ReasonOperatorOff, brokerapi.ReasonShared, brokerapi.ReasonNotLocal, brokerapi.ReasonExternal} {
		msg, ok := restartReason(brokerapi.Status{ReasonCode: code, ReasonIfNot: "English"}).(i18n.Msg)
		if !ok || msg.JA == "" {
			t.Errorf("%s: %v, want a message of the catalogue", code, msg)
		}
	}
	if got := restartReason(brokerapi.Status{ReasonIfNot: "English"}); got != "English" {
		t.Errorf("no code: %v, want the server's sentence", got)
	}
}
