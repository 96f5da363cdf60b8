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
// make. ok is false for any other error, which the page says as it says
// every error.
func ErrorText(err error) (text i18n.Sentence, ok bool) {
	var refused *brokerapi.RefusedError
	switch {
	case err == nil:
		return i18n.Sentence{}, false
	case errors.Is(err, ErrNeedsServer):
		return i18n.Say(i18n.FaultsNeedServer), true
	case errors.Is(err, labrun.ErrBusy):
		return i18n.Say(i18n.FaultErrBusy), true
	case errors.Is(err, ErrNoAckAfterCut):
		return i18n.Say(i18n.FaultErrNoAck), true
	case errors.As(err, &refused):
		return refusedText(refused), true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, brokerapi.ErrNoAnswer):
		return i18n.Say(i18n.FaultErrNoReply), true
	}
	return i18n.Sentence{}, false
}

// refusedText says why the server refused a restart.
func refusedText(r *brokerapi.RefusedError) i18n.Sentence {
	switch r.Code {
	case brokerapi.CodeForbidden:
		return i18n.Say(i18n.RestartNotAllowed, brokerapi.WhyNotText(r.WhyNot, r.Message))
	case brokerapi.CodeUnsupported:
		if r.WhyNot == brokerapi.WhyCluster {
			return i18n.Say(i18n.RestartNotAllowed, i18n.RestartWhyCluster)
		}
		return i18n.Say(i18n.RestartNotAllowed, i18n.RestartWhyExternal)
	case brokerapi.CodeBusy:
		return i18n.Say(i18n.RestartErrBusy)
	case brokerapi.CodeNotBack:
		return i18n.Say(i18n.RestartErrNotBack)
	case brokerapi.CodeShutdown:
		return i18n.Say(i18n.RestartErrShutdown)
	}
	if r.HTTPStatus == 409 { // Conflict (net/http, which would name it, keeps crypto/tls in app.wasm)
		return i18n.Say(i18n.RestartErrBusy)
	}
	return i18n.Say(i18n.RestartErrRefused, r.HTTPStatus)
}
