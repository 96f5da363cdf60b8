package ui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"qosplayground/app/brokerapi"
	"qosplayground/app/fault"
	"qosplayground/app/faultlab"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
	"qosplayground/app/labrun"
)

// english finds English words other than MQTT packet names.
var english = regexp.MustCompile(`\b(?:[a-z]{2,}|[A-Z][a-z]+)\b`)

// TestCutText: the fault commands the page shows are said in the
// learner's language (fault.Command.String is English, for logs; issue
// 13, item 16).
func TestCutText(t *testing.T) {
	for _, tc := range []struct {
		cmd    fault.Command
		en, ja string
	}{
		{faultlab.LessonCut(1), "cut before PUBACK (broker→tab)", "PUBACK が届く前に切断（ブローカー→タブ）"},
		{faultlab.LessonCut(2), "cut before PUBREC (broker→tab)", "PUBREC が届く前に切断（ブローカー→タブ）"},
		{faultlab.LessonCut(0), "cut before PUBLISH (tab→broker)", "PUBLISH が届く前に切断（タブ→ブローカー）"},
		{fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBREL", When: fault.After, Skip: 2}, "cut right after PUBREL number 3 (tab→broker)", "3 番目の PUBREL を通した直後に切断（タブ→ブローカー）"},
	} {
		if got := faultCutText(i18n.EN, tc.cmd); got != tc.en {
			t.Errorf("%v in English: %q, want %q", tc.cmd, got, tc.en)
		}
		if got := faultCutText(i18n.JA, tc.cmd); got != tc.ja {
			t.Errorf("%v in Japanese: %q, want %q", tc.cmd, got, tc.ja)
		}
	}
	for _, cmd := range []fault.Command{{Op: fault.OpCutNow}, {Op: fault.OpClear}, {Op: fault.OpFreeze}, {Op: fault.OpRandom, Min: 1, Max: 9, Seed: 3}} {
		if got := faultCutText(i18n.JA, cmd); english.MatchString(got) {
			t.Errorf("%v in Japanese: %q", cmd, got)
		}
	}
}

// TestFaultErrText: the errors of the fault lab's runs and of the broker
// API are the app's own, in the learner's language, never the server's or
// a library's English.
func TestFaultErrText(t *testing.T) {
	errs := []error{
		labrun.ErrBusy,
		fmt.Errorf("%w: %w", faultlab.ErrNoAckAfterCut, context.DeadlineExceeded),
		fmt.Errorf("%w: 3 of 100 at QoS 1", faultlab.ErrBlipNotSettled),
		fmt.Errorf("%w: POST http://x/api/broker/restart: %w", brokerapi.ErrNoAnswer, fmt.Errorf("TypeError: Failed to fetch")),
		&brokerapi.RefusedError{HTTPStatus: 403, Code: brokerapi.CodeForbidden, WhyNot: brokerapi.WhyPublic, Message: "The server listens on [::]:8080"},
		&brokerapi.RefusedError{HTTPStatus: 403, Code: brokerapi.CodeForbidden, WhyNot: brokerapi.WhyProxy, Message: "This page reached the server through a proxy"},
		&brokerapi.RefusedError{HTTPStatus: 403, Code: brokerapi.CodeForbidden, WhyNot: brokerapi.WhyOperatorOff, Message: "turned off"},
		&brokerapi.RefusedError{HTTPStatus: 409, Code: brokerapi.CodeBusy, Message: "a broker restart is already under way"},
		&brokerapi.RefusedError{HTTPStatus: 409, Code: brokerapi.CodeUnsupported, Message: "The broker at x is external"},
		&brokerapi.RefusedError{HTTPStatus: 503, Code: brokerapi.CodeNotBack, Message: "the broker did not come back"},
		&brokerapi.RefusedError{HTTPStatus: 503, Code: brokerapi.CodeShutdown, Message: "the server is shutting down"},
		&brokerapi.RefusedError{HTTPStatus: 500, Message: "oops"},
		faultlab.NeedsServer(true),
		func() error { _, err := formcheck.CrashKeepAliveSeconds("0"); return err }(),
		func() error {
			_, es := (formcheck.Blips{Messages: "10", CutMin: "50", CutMax: "20"}).Check()
			return es.Of(formcheck.BlipsCutMax)
		}(),
	}
	for _, err := range errs {
		ja := faultErrText(i18n.JA, err)
		en := faultErrText(i18n.EN, err)
		if ja == "" || ja == en {
			t.Errorf("%v: Japanese %q, English %q", err, ja, en)
		}
		// What is left once the allowed names are gone.
		rest := ja
		for _, name := range []string{"QoS", "HTTP", "-broker-restart", "on", "off"} {
			rest = strings.ReplaceAll(rest, name, "")
		}
		if english.MatchString(rest) {
			t.Errorf("%v in Japanese: %q", err, ja)
		}
	}
}
