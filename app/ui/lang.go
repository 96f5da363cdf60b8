package ui

import (
	"errors"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/client"
	"qosplayground/app/exercises"
	"qosplayground/app/faultlab"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
	"qosplayground/app/intab"
	"qosplayground/app/topic"
	"qosplayground/app/transport"
)

// stateLang is the go-app state holding the tab's language; every page
// observes it, so a switch redraws them all at once.
const stateLang = "lang"

// storageLang is the local-storage key of the learner's choice.
const storageLang = "qos-playground-lang"

// StorageLang is storageLang for the static copy's pages, which read the
// choice before the app runs (server/static.go).
const StorageLang = storageLang

// CookieLang is the cookie holding the learner's choice of language, for
// the server: it pre-renders every page in that language (server/lang.go),
// since it cannot read local storage. The app writes it with the choice.
const CookieLang = "qos-playground-lang"

// tabLang is the tab's language once picked (firstLang, setLang): the
// pages' constructors start in it, so that the app's first drawing, which
// replaces the server's pre-rendered page, is already in the language of
// that page instead of English for a frame.
var tabLang i18n.Lang

// firstLang is the language a new component starts in: the tab's, picked
// on its first page from ?lang= in the URL (for course pages that embed a
// ready experiment), else the learner's earlier choice, else the browser's
// preferred languages. On the server it is empty: the pre-render's
// language comes with the request (preRenderLang).
func firstLang() i18n.Lang {
	if app.IsServer {
		return ""
	}
	if tabLang != "" {
		return tabLang
	}
	l, ok := i18n.Parse(app.Window().URL().Query().Get("lang"))
	if stored, found := storedLang(); !ok && found {
		l, ok = stored, true
	}
	if !ok {
		var preferred []string
		langs := app.Window().Get("navigator").Get("languages")
		for i := 0; i < langs.Length(); i++ {
			preferred = append(preferred, langs.Index(i).String())
		}
		l = i18n.Detect(preferred)
	}
	tabLang = l
	return l
}

// storedLang is the learner's earlier choice, from local storage (go-app
// stores it as JSON). A choice made before the app wrote the cookie is
// written into it, so that the server pre-renders in it from the next
// page on.
func storedLang() (i18n.Lang, bool) {
	v := app.Window().Get("localStorage").Call("getItem", storageLang)
	if !v.Truthy() {
		return "", false
	}
	l, ok := i18n.Parse(strings.Trim(v.String(), `"`))
	if ok && !strings.Contains(app.Window().Get("document").Get("cookie").String(), CookieLang+"="+string(l)) {
		writeLangCookie(l)
	}
	return l, ok
}

// writeLangCookie tells the server the learner's choice, for a year.
func writeLangCookie(l i18n.Lang) {
	app.Window().Get("document").Set("cookie", CookieLang+"="+string(l)+"; path=/; max-age=31536000; SameSite=Lax")
}

// preRenderLang is the language of a page the server pre-renders: the
// server's handler for that language renders it (server/lang.go).
func preRenderLang(ctx app.Context) i18n.Lang {
	if l, ok := i18n.Parse(ctx.Page().Lang()); ok {
		return l
	}
	return i18n.EN
}

// observeLang makes *lang follow the tab's language, picking it on the
// tab's first page (firstLang).
func observeLang(ctx app.Context, lang *i18n.Lang) {
	var cur i18n.Lang
	ctx.GetState(stateLang, &cur)
	if cur == "" {
		setLang(ctx, firstLang(), false)
	}
	ctx.ObserveState(stateLang).Value(lang)
}

// setLang switches the tab's language; remember stores the choice (the
// learner's click), in local storage for the app and in a cookie for the
// server, and writes it into the address as ?lang=, keeping the other
// parameters: a reload or a copied link then opens in the language
// chosen, not the one the page was first opened with. The service worker
// is told the language in use: offline, it opens the app in it.
func setLang(ctx app.Context, l i18n.Lang, remember bool) {
	if remember {
		ctx.LocalStorage().Set(storageLang, string(l))
		writeLangCookie(l)
		u := *app.Window().URL()
		q := u.Query()
		if q.Get("lang") != string(l) {
			q.Set("lang", string(l))
			u.RawQuery = q.Encode()
			app.Window().Get("history").Call("replaceState", app.Window().Get("history").Get("state"), "", u.String())
		}
	}
	tabLang = l
	doc := app.Window().Get("document")
	doc.Get("documentElement").Set("lang", string(l))
	doc.Set("title", i18n.PageTitle.In(l)) // the tab's title, as the server's pre-render has it (server/lang.go)
	if sw := app.Window().Get("navigator").Get("serviceWorker"); sw.Truthy() {
		if c := sw.Get("controller"); c.Truthy() {
			msg := app.Window().Get("Object").New()
			msg.Set("qosPlaygroundLang", string(l))
			c.Call("postMessage", msg)
		}
	}
	ctx.SetState(stateLang, l)
}

// phrase is a message with its arguments, put into words when shown.
type phrase = i18n.Sentence

func phraseOf(msg i18n.Msg, args ...any) phrase { return i18n.Say(msg, args...) }

// say says sentences in l, one after the other.
func say(l i18n.Lang, sentences ...i18n.Sentence) string {
	s := ""
	for _, st := range sentences {
		s += tr(l, st.Msg, st.Args...)
	}
	return s
}

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
	var cutOrder *formcheck.CutOrderError
	var millis *formcheck.MillisError
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
	case errors.Is(err, exercises.ErrNotConfirmed):
		return tr(l, i18n.ErrNotConfirmed)
	case errors.Is(err, exercises.ErrSubscriberUnfinished):
		return tr(l, i18n.ErrSubscriberSettle)
	case errors.Is(err, faultlab.ErrBlipNotSettled):
		// The fault lab's random cuts and Task 1's flaky network.
		return tr(l, i18n.FaultErrNotSettled)
	case errors.As(err, &unavailable):
		return tr(l, i18n.ErrInTabUnavailable, unavailable.Why)
	case errors.As(err, &bigConnect):
		return tr(l, i18n.ErrConnectTooLarge, bigConnect.Size, bigConnect.Limit)
	case errors.As(err, &outOfRange):
		if outOfRange.Field == formcheck.KeepAlive {
			return tr(l, i18n.KeepAliveInvalid)
		}
		return tr(l, i18n.ErrNumberRange, rangeLabels[outOfRange.Field], outOfRange.Min, outOfRange.Max)
	case errors.As(err, &cutOrder):
		return tr(l, i18n.FaultErrCutMax, cutOrder.Min)
	case errors.As(err, &millis):
		return tr(l, i18n.ErrNumberMillis, millisLabel(millis.Field))
	case errors.Is(err, formcheck.ErrMessageID):
		return tr(l, i18n.ErrMessageIDNumber)
	}
	return tr(l, i18n.ErrOther, err.Error())
}

// rangeLabels name the number fields in their range errors.
var rangeLabels = map[formcheck.Field]i18n.Msg{
	formcheck.PubCount:  i18n.CountLabel,
	formcheck.PubWindow: i18n.WindowLabel,

	formcheck.ExWindow:   i18n.FieldWindow,
	formcheck.ExMessages: i18n.FieldMessages,

	formcheck.BlipsMessages:  i18n.BlipsMessages,
	formcheck.BlipsCutMin:    i18n.BlipsCutMin,
	formcheck.BlipsCutMax:    i18n.BlipsCutMax,
	formcheck.CrashKeepAlive: i18n.CrashKeepAlive,

	formcheck.SubAttempts: i18n.FieldAttempts,
	formcheck.SubTTL:      i18n.FieldTTL,
	formcheck.SubPrune:    i18n.FieldPrune,
}

// millisLabel names a time field in its error.
func millisLabel(f formcheck.Field) i18n.Msg {
	if family, ok := f.Family(); ok {
		return phraseMsg(i18n.FieldWorkTime, familyLabels[family])
	}
	if f == formcheck.ExGap {
		return i18n.FieldGap
	}
	return i18n.FieldRetryDelay
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
			out[i] = tr(l, v.Msg, v.Args...)
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

// OnPreRender draws the server's pre-render of each page in the request's
// language (OnMount does not run on the server).
func (p *playground) OnPreRender(ctx app.Context) {
	p.lang, p.embed = preRenderLang(ctx), preRenderEmbed(ctx)
	// The page's own /mqtt, as the tab fills it in (the form would
	// otherwise show its error under an empty field, and the tab's drawing
	// take that line away). go-app says http even behind TLS: the tab
	// writes wss:// there.
	p.brokerURL = transport.BrokerURL(ctx.Page().URL())
}
func (p *subscriberPage) OnPreRender(ctx app.Context) {
	p.lang, p.embed = preRenderLang(ctx), preRenderEmbed(ctx)
}
func (p *integrationPage) OnPreRender(ctx app.Context) {
	p.lang, p.embed = preRenderLang(ctx), preRenderEmbed(ctx)
}
func (p *task1Page) OnPreRender(ctx app.Context) {
	p.lang, p.embed = preRenderLang(ctx), preRenderEmbed(ctx)
}
func (p *faultsPage) OnPreRender(ctx app.Context) {
	p.lang, p.embed = preRenderLang(ctx), preRenderEmbed(ctx)
}
func (c *checklist) OnPreRender(ctx app.Context) { c.lang = preRenderLang(ctx) }
