package ui

import (
	"strings"

	"qosplayground/app/brokerapi"
	"qosplayground/app/fault"
	"qosplayground/app/i18n"
	"qosplayground/app/lab"
)

// cutText says what a fault command cuts, in the learner's language
// (fault.Command.String is the English of logs and close reasons).
func cutText(l i18n.Lang, c fault.Command) string {
	switch c.Op {
	case fault.OpCutNow:
		return i18n.CutNow.In(l)
	case fault.OpFreeze:
		return i18n.CutFreeze.In(l)
	case fault.OpRandom:
		return tr(l, i18n.CutRandomAfter, c.Draw(), c.Min, c.Max)
	case fault.OpCutAt:
		what := c.Packet
		if c.Skip > 0 {
			what = tr(l, i18n.CutNth, c.Packet, c.Skip+1)
		}
		dir := map[fault.Dir]i18n.Msg{fault.Up: i18n.CutUp, fault.Down: i18n.CutDown}[c.Dir]
		when := i18n.CutBefore
		if c.When == fault.After {
			when = i18n.CutAfter
		}
		return tr(l, when, what, dir.In(l))
	}
	return c.String()
}

// labWords is a text of the lab's own (the tutorial's English words, such
// as a record's result or error) where the page is English, and nothing
// where it is not: a Japanese page shows the translated account beside it,
// never the English (issue 13, item 16).
func labWords(l i18n.Lang, s string) string {
	if l != i18n.EN {
		return ""
	}
	return s
}

// processingError says a reliable subscriber's processing error (a
// SubscriberEvent's Err, the lab's English) in the learner's language: a
// message for the errors the lab names, else the text as it is, shown as
// data.
func processingError(err string) any {
	switch {
	case err == lab.ErrSimulatedAlertFailure.Error():
		return i18n.ErrSimulatedAlert
	case strings.Contains(err, lab.ErrPayloadNotJSON.Error()):
		return i18n.ErrPayloadNotJSON
	}
	return err
}

// restartReason says why the page may not restart the broker, in the
// learner's language where the server named its reason, else in the
// server's words.
func restartReason(st brokerapi.Status) any {
	switch st.ReasonCode {
	case brokerapi.ReasonOperatorOff:
		return i18n.RestartReasonOperatorOff
	case brokerapi.ReasonShared:
		return i18n.RestartReasonShared
	case brokerapi.ReasonNotLocal:
		return i18n.RestartReasonNotLocal
	case brokerapi.ReasonExternal:
		return i18n.RestartReasonExternal
	}
	return st.ReasonIfNot
}
