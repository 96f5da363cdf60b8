package faultlab

import (
	"context"
	"errors"

	"qosplayground/app/brokerapi"
	"qosplayground/app/i18n"
	"qosplayground/app/labrun"
)

// ErrNeedsServer refuses a one-click lesson on the broker in the tab: its
// cuts are the server's gateway's.
var ErrNeedsServer = errors.New("faultlab: the lessons need the server's broker")

// NeedsServer says why a one-click lesson cannot run on the broker the
// page talks to (inTab: the broker in the tab), nil when it can.
func NeedsServer(inTab bool) error {
	if inTab {
		return ErrNeedsServer
	}
	return nil
}

// ErrorText says an error of the fault lab in the learner's words: the
// errors the lab, its run slots, the broker API and the browser's fetch
// make. Args are the message's arguments (an i18n.Msg among them is said in
// the page's language). ok is false for any other error, which the page
// says as it says every error.
func ErrorText(err error) (msg i18n.Msg, args []any, ok bool) {
	var refused *brokerapi.RefusedError
	switch {
	case err == nil:
		return i18n.Msg{}, nil, false
	case errors.Is(err, ErrNeedsServer):
		return i18n.FaultsNeedServer, nil, true
	case errors.Is(err, labrun.ErrBusy):
		return i18n.FaultErrBusy, nil, true
	case errors.Is(err, ErrNoAckAfterCut):
		return i18n.FaultErrNoAck, nil, true
	case errors.As(err, &refused):
		msg, args := refusedText(refused)
		return msg, args, true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, brokerapi.ErrNoAnswer):
		return i18n.FaultErrNoReply, nil, true
	}
	return i18n.Msg{}, nil, false
}

// refusedText says why the server refused a restart.
func refusedText(r *brokerapi.RefusedError) (i18n.Msg, []any) {
	switch r.Code {
	case brokerapi.CodeForbidden:
		return i18n.RestartNotAllowed, []any{brokerapi.WhyNotText(r.WhyNot, r.Message)}
	case brokerapi.CodeUnsupported:
		if r.WhyNot == brokerapi.WhyCluster {
			return i18n.RestartNotAllowed, []any{i18n.RestartWhyCluster}
		}
		return i18n.RestartNotAllowed, []any{i18n.RestartWhyExternal}
	case brokerapi.CodeBusy:
		return i18n.RestartErrBusy, nil
	case brokerapi.CodeNotBack:
		return i18n.RestartErrNotBack, nil
	case brokerapi.CodeShutdown:
		return i18n.RestartErrShutdown, nil
	}
	if r.HTTPStatus == 409 { // Conflict (net/http, which would name it, keeps crypto/tls in app.wasm)
		return i18n.RestartErrBusy, nil
	}
	return i18n.RestartErrRefused, []any{r.HTTPStatus}
}
