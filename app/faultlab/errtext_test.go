package faultlab

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"qosplayground/app/brokerapi"
	"qosplayground/app/i18n"
	"qosplayground/app/labrun"
)

// TestErrorText: each error of the fault lab, its slots and the broker API
// has its own message, with the arguments it takes; any other error is
// left to the page.
func TestErrorText(t *testing.T) {
	refused := func(status int, code, whyNot string) error {
		return &brokerapi.RefusedError{HTTPStatus: status, Code: code, WhyNot: whyNot, Message: "the server's sentence"}
	}
	for _, tc := range []struct {
		err  error
		msg  i18n.Msg
		args []any
		ok   bool
	}{
		{nil, i18n.Msg{}, nil, false},
		{errors.New("something else"), i18n.Msg{}, nil, false},
		{fmt.Errorf("%w: 3 of 100 at QoS 1", ErrBlipNotSettled), i18n.Msg{}, nil, false}, // Task 1's too: the page's errText
		{NeedsServer(true), i18n.FaultsNeedServer, nil, true},
		{labrun.ErrBusy, i18n.FaultErrBusy, nil, true},
		{fmt.Errorf("%w: %w", ErrNoAckAfterCut, context.DeadlineExceeded), i18n.FaultErrNoAck, nil, true},
		{context.DeadlineExceeded, i18n.FaultErrNoReply, nil, true},
		{fmt.Errorf("%w: POST /api/broker/restart: TypeError: Failed to fetch", brokerapi.ErrNoAnswer), i18n.FaultErrNoReply, nil, true},
		{refused(403, brokerapi.CodeForbidden, brokerapi.WhyPublic), i18n.RestartNotAllowed, []any{i18n.RestartWhyPublic}, true},
		{refused(403, brokerapi.CodeForbidden, ""), i18n.RestartNotAllowed, []any{"the server's sentence"}, true},
		{refused(409, brokerapi.CodeUnsupported, ""), i18n.RestartNotAllowed, []any{i18n.RestartWhyExternal}, true},
		{refused(409, brokerapi.CodeUnsupported, brokerapi.WhyCluster), i18n.RestartNotAllowed, []any{i18n.RestartWhyCluster}, true},
		{refused(409, brokerapi.CodeBusy, ""), i18n.RestartErrBusy, nil, true},
		{refused(409, "", ""), i18n.RestartErrBusy, nil, true}, // an older server
		{refused(503, brokerapi.CodeNotBack, ""), i18n.RestartErrNotBack, nil, true},
		{refused(503, brokerapi.CodeShutdown, ""), i18n.RestartErrShutdown, nil, true},
		{refused(500, "", ""), i18n.RestartErrRefused, []any{500}, true},
	} {
		text, ok := ErrorText(tc.err)
		msg, args := text.Msg, text.Args
		if msg != tc.msg || ok != tc.ok || fmt.Sprint(args) != fmt.Sprint(tc.args) {
			t.Errorf("%v: ErrorText = %q %v %v, want %q %v %v", tc.err, msg.EN, args, ok, tc.msg.EN, tc.args, tc.ok)
		}
	}
	if err := NeedsServer(false); err != nil {
		t.Errorf("NeedsServer(false) = %v, want nil: the lessons run on the server's broker", err)
	}
}

func TestWillTexts(t *testing.T) {
	for _, tc := range []struct {
		w                 WillResult
		headline, explain i18n.Msg
		label             i18n.Msg
	}{
		{WillResult{Leave: LeaveCrash, Delivered: true}, i18n.CrashDelivered, i18n.CrashExplainOpen, i18n.CrashCrash},
		{WillResult{Leave: LeaveFreeze, Delivered: true}, i18n.CrashDelivered, i18n.CrashExplainIdle, i18n.CrashFreeze},
		{WillResult{Leave: LeaveDisconnect}, i18n.CrashNone, i18n.CrashExplainBye, i18n.CrashDisconnect},
		// Not what a broker does, but what the page would say of it.
		{WillResult{Leave: LeaveCrash}, i18n.CrashNone, i18n.CrashExplainBye, i18n.CrashCrash},
		{WillResult{Leave: LeaveDisconnect, Delivered: true}, i18n.CrashDelivered, i18n.Msg{}, i18n.CrashDisconnect},
	} {
		headline, explain := tc.w.Texts()
		if headline != tc.headline || explain != tc.explain {
			t.Errorf("%+v: Texts = %q, %q; want %q, %q", tc.w, headline.EN, explain.EN, tc.headline.EN, tc.explain.EN)
		}
		if got := LeaveLabel(tc.w.Leave); got != tc.label {
			t.Errorf("LeaveLabel(%q) = %q, want %q", tc.w.Leave, got.EN, tc.label.EN)
		}
	}
}
