package ui

import (
	"context"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/brokerapi"
	"qosplayground/app/i18n"
	"qosplayground/app/tabbroker"
)

// EnvBroker names the go-app environment variable that starts every tab on
// the in-tab broker when it is EnvBrokerInTab: the static build (make
// static) sets it, having no server and no /mqtt.
const (
	EnvBroker      = "QOS_BROKER"
	EnvBrokerInTab = "intab"
)

// stateBroker is the go-app state holding the tab's broker (a
// tabbroker.Broker); the pages that depend on it observe it.
//
// The tab's broker lives in go-app's state, not in a package variable nor
// in a root component: go-app makes new components at every navigation
// (there is no root that outlives a page), while its state store lives as
// long as the tab, is guarded by its own lock (the lab's runs may read it
// off the UI goroutine), and tells every mounted page that observes it
// when it changes. The zero Broker (before the tab's first page decides,
// and in the server's pre-render) is the server's.
const stateBroker = "broker"

// currentBroker is the tab's broker now.
func currentBroker(ctx app.Context) tabbroker.Broker {
	var b tabbroker.Broker
	ctx.GetState(stateBroker, &b)
	return b
}

// brokerURL is what the tab's clients dial: the /mqtt endpoint on this
// page's own origin, or the in-tab broker.
func brokerURL(ctx app.Context) string { return currentBroker(ctx).URL }

// setBroker makes b the tab's broker; the clients already connected keep
// theirs.
func setBroker(ctx app.Context, b tabbroker.Broker) { ctx.SetState(stateBroker, b) }

// fellBack switches the tab to the in-tab broker because the server cannot
// be reached, unless it is on it already.
func fellBack(ctx app.Context) { setBroker(ctx, currentBroker(ctx).FallBack()) }

// observeBroker makes *b follow the tab's broker, calling onChange (if not
// nil) after each change that moves the tab to another broker
// (tabbroker.Moved). On the tab's first page it also decides where to
// start (tabbroker.New): the in-tab broker in the static build; otherwise
// the server's, unless the server's broker API does not answer at all, in
// which case the tab falls back to the in-tab broker and says so
// (brokerBanner). (A connection that fails later with
// transport.ErrUnreachable makes the playground fall back too.)
func observeBroker(ctx app.Context, b *tabbroker.Broker, onChange func()) {
	was := currentBroker(ctx)
	o := ctx.ObserveState(stateBroker)
	if onChange != nil {
		o = o.OnChange(func() {
			if tabbroker.Moved(was, *b) {
				onChange()
			}
			was = *b
		})
	}
	o.Value(b)
	*b = was
	if !app.IsClient || was.Known() {
		return
	}
	first := tabbroker.New(tabFacts())
	setBroker(ctx, first)
	*b, was = first, first
	if first.InTab() {
		return
	}
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), tabbroker.ProbeTimeout)
		defer cancel()
		st, err := brokerapi.GetStatus(c, first.APIBase)
		ctx.Dispatch(func(ctx app.Context) {
			if was := currentBroker(ctx); was.Answered(st, err) != was {
				setBroker(ctx, was.Answered(st, err))
			}
		})
	})
}

// tabFacts are what the tab knows of its broker as it opens: the page's
// address, the static build, the classroom's learner token and room.
func tabFacts() tabbroker.Facts {
	f := tabbroker.Facts{Page: *app.Window().URL(), Static: app.Getenv(EnvBroker) == EnvBrokerInTab}
	if classroomMode() {
		learnerState()
		f.Learner, f.Room = learner.token, learner.room
	}
	return f
}

// brokerBanner says, in a live region on every page, that the tab runs on
// its own broker and why; it is empty while the tab uses the server's.
// Being on every page, it also makes the first page of a tab decide where
// the tab starts (observeBroker).
type brokerBanner struct {
	app.Compo
	lang i18n.Lang
	b    tabbroker.Broker
}

func newBrokerBanner() *brokerBanner { return &brokerBanner{lang: firstLang()} }

// OnPreRender draws the server's pre-render in the request's language.
func (n *brokerBanner) OnPreRender(ctx app.Context) { n.lang = preRenderLang(ctx) }

func (n *brokerBanner) OnMount(ctx app.Context) {
	observeLang(ctx, &n.lang)
	observeBroker(ctx, &n.b, nil)
}

// brokerReasons say why the tab runs on its own broker.
var brokerReasons = map[tabbroker.Reason]i18n.Msg{
	tabbroker.Static: i18n.InTabStatic, tabbroker.Unreachable: i18n.InTabFallback, tabbroker.Chosen: i18n.InTabChosen,
}

func (n *brokerBanner) Render() app.UI {
	return app.P().ID("broker-notice").Class("help").Attr("role", "status").
		Attr("data-intab", strconv.FormatBool(n.b.InTab())).Attr("data-reason", string(n.b.Reason)).
		Text(brokerReasons[n.b.Reason].In(n.lang))
}
