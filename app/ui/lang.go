package ui

import (
	"errors"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/client"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
	"qosplayground/app/intab"
	"qosplayground/app/lab"
	"qosplayground/app/topic"
	"qosplayground/app/transport"
)

// stateLang is the go-app state holding the tab's language; every page
// observes it, so a switch redraws them all at once.
const stateLang = "lang"

// storageLang is the local-storage key of the learner's choice.
const storageLang = "qos-playground-lang"

// observeLang makes *lang follow the tab's language. On the tab's first
// page the language is picked: ?lang= in the URL (for course pages that
// embed a ready experiment), else the learner's earlier choice, else the
// browser's preferred languages.
func observeLang(ctx app.Context, lang *i18n.Lang) {
	ctx.ObserveState(stateLang).Value(lang)
	if *lang != "" {
		return
	}
	l, ok := i18n.Parse(app.Window().URL().Query().Get("lang"))
	if !ok {
		var stored string
		ctx.LocalStorage().Get(storageLang, &stored)
		l, ok = i18n.Parse(stored)
	}
	if !ok {
		var preferred []string
		langs := app.Window().Get("navigator").Get("languages")
		for i := 0; i < langs.Length(); i++ {
			preferred = append(preferred, langs.Index(i).String())
		}
		l = i18n.Detect(preferred)
	}
	setLang(ctx, l, false)
	*lang = l
}

// setLang switches the tab's language; remember stores the choice (the
// learner's click) and writes it into the address as ?lang=, keeping the
// other parameters: a reload or a copied link then opens in the language
// chosen, not the one the page was first opened with.
func setLang(ctx app.Context, l i18n.Lang, remember bool) {
	if remember {
		ctx.LocalStorage().Set(storageLang, string(l))
		u := *app.Window().URL()
		q := u.Query()
		if q.Get("lang") != string(l) {
			q.Set("lang", string(l))
			u.RawQuery = q.Encode()
			app.Window().Get("history").Call("replaceState", app.Window().Get("history").Get("state"), "", u.String())
		}
	}
	doc := app.Window().Get("document")
	doc.Get("documentElement").Set("lang", string(l))
	doc.Set("title", i18n.PageTitle.In(l)) // the tab's title, as the loading screen set it (server/appfilter.go)
	ctx.SetState(stateLang, l)
}

// phrase is a message with its arguments, put into words when shown.
type phrase struct {
	msg  i18n.Msg
	args []any
}

func phraseOf(msg i18n.Msg, args ...any) phrase { return phrase{msg, args} }

// uiError is an error the user interface made, with its message.
type uiError struct {
	msg  i18n.Msg
	args []any
}

func (e uiError) Error() string { return i18n.T(i18n.EN, e.msg, e.args...) }

func newUIError(msg i18n.Msg, args ...any) error { return uiError{msg, args} }

// errText says err in the learner's language. Errors the learner can cause
// have messages of their own; others are shown as they are.
func errText(l i18n.Lang, err error) string {
	var ue uiError
	var tooLarge *client.TooLargeError
	var unavailable *intab.UnavailableError
	var outOfRange *formcheck.RangeError
	var bigConnect *formcheck.ConnectTooLargeError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ue):
		return tr(l, ue.msg, ue.args...)
	case errors.Is(err, topic.ErrEmpty):
		return tr(l, i18n.ErrTopicEmpty)
	case errors.Is(err, topic.ErrTooLong):
		return tr(l, i18n.ErrTopicTooLong)
	case errors.Is(err, topic.ErrInvalidUTF8):
		return tr(l, i18n.ErrTopicUTF8)
	case errors.Is(err, topic.ErrWildcardInName):
		return tr(l, i18n.ErrTopicWildcard)
	case errors.Is(err, topic.ErrHashNotLast):
		return tr(l, i18n.ErrTopicHash)
	case errors.Is(err, topic.ErrPlusNotWhole):
		return tr(l, i18n.ErrTopicPlus)
	case errors.Is(err, client.ErrNotConnected):
		return tr(l, i18n.ErrNotConnected)
	case errors.Is(err, client.ErrBadQoS):
		return tr(l, i18n.ErrBadQoS)
	case errors.Is(err, client.ErrTimeout):
		return tr(l, i18n.ErrTimeout)
	case errors.As(err, &tooLarge):
		return tr(l, i18n.ErrTooLarge, tooLarge.Size, tooLarge.Limit)
	case errors.Is(err, client.ErrPersistentNoID):
		return tr(l, i18n.ErrPersistentNoID)
	case errors.Is(err, client.ErrRefused):
		return tr(l, i18n.ErrSubRefused)
	case errors.Is(err, transport.ErrUnreachable):
		return tr(l, i18n.ErrUnreachable)
	case errors.Is(err, transport.ErrClosedByServer):
		return tr(l, i18n.ErrServerClosed)
	case errors.Is(err, transport.ErrBadURL):
		return tr(l, i18n.ErrBadURL)
	case errors.Is(err, lab.ErrNotConfirmed):
		return tr(l, i18n.ErrNotConfirmed)
	case errors.Is(err, lab.ErrSubscriberUnfinished):
		return tr(l, i18n.ErrSubscriberSettle)
	case errors.As(err, &unavailable):
		return tr(l, i18n.ErrInTabUnavailable, unavailable.Why)
	case errors.As(err, &bigConnect):
		return tr(l, i18n.ErrConnectTooLarge, bigConnect.Size, bigConnect.Limit)
	case errors.As(err, &outOfRange):
		if outOfRange.Field == formcheck.KeepAlive {
			return tr(l, i18n.KeepAliveInvalid)
		}
		return tr(l, i18n.ErrNumberRange, rangeLabels[outOfRange.Field], outOfRange.Min, outOfRange.Max)
	}
	return tr(l, i18n.ErrOther, err.Error())
}

// rangeLabels name the number fields in their range errors.
var rangeLabels = map[formcheck.Field]i18n.Msg{
	formcheck.PubCount:  i18n.CountLabel,
	formcheck.PubWindow: i18n.WindowLabel,
}

// tr formats msg in l, with its arguments in l too: messages, errors and
// yes/no.
func tr(l i18n.Lang, msg i18n.Msg, args ...any) string {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case i18n.Msg:
			out[i] = v.In(l)
		case phrase:
			out[i] = tr(l, v.msg, v.args...)
		case error:
			out[i] = errText(l, v)
		case bool:
			out[i] = yesNo(l, v)
		default:
			out[i] = a
		}
	}
	return i18n.T(l, msg, out...)
}

func yesNo(l i18n.Lang, b bool) string {
	if b {
		return i18n.Yes.In(l)
	}
	return i18n.No.In(l)
}
