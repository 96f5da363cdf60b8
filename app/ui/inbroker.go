package ui

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/brokerapi"
	"qosplayground/app/i18n"
	"qosplayground/app/intab"
)

// EnvBroker names the go-app environment variable that starts every tab on
// the in-tab broker when it is EnvBrokerInTab: the static build (make
// static) sets it, having no server and no /mqtt.
const (
	EnvBroker      = "QOS_BROKER"
	EnvBrokerInTab = "intab"
)

// Why a tab runs on the in-tab broker (tabBroker.Reason).
const (
	reasonStatic      = "static"      // the static build: there is no server
	reasonUnreachable = "unreachable" // the server did not answer: the tab fell back
	reasonChosen      = "chosen"      // the learner chose it in the playground
)

// stateBroker is the go-app state holding the tab's tabBroker; the pages
// that depend on it observe it.
const stateBroker = "broker"

// tabBroker says which broker the tab's clients use.
type tabBroker struct {
	InTab  bool
	Reason string // reasonStatic, reasonUnreachable or reasonChosen; "" with the server's broker
}

// current is the tab's broker for code off the UI goroutine (the lab's
// runs call brokerURL there); the go-app state mirrors it for the pages.
var current struct {
	mu sync.Mutex // guards b
	b  tabBroker
}

func currentBroker() tabBroker {
	current.mu.Lock()
	defer current.mu.Unlock()
	return current.b
}

// inTabURL is intab.URL when the tab runs on the in-tab broker, "" when
// it uses the server's (brokerURL, nav.go).
func inTabURL() string {
	if currentBroker().InTab {
		return intab.URL
	}
	return ""
}

// setBroker switches the tab's broker; the clients already connected keep
// theirs.
func setBroker(ctx app.Context, b tabBroker) {
	current.mu.Lock()
	current.b = b
	current.mu.Unlock()
	ctx.SetState(stateBroker, b)
}

// fellBack switches the tab to the in-tab broker because the server cannot
// be reached, unless it is on it already.
func fellBack(ctx app.Context) {
	if !currentBroker().InTab {
		setBroker(ctx, tabBroker{InTab: true, Reason: reasonUnreachable})
	}
}

var probeOnce sync.Once

// probeTimeout bounds the check whether the server answers.
const probeTimeout = 5 * time.Second

// observeBroker makes *b follow the tab's broker, calling onChange (if not
// nil) after each change. On the tab's first page it also decides where to
// start: the in-tab broker in the static build; otherwise the server's,
// unless the server does not answer at all, in which case the tab falls
// back to the in-tab broker and says so (brokerBanner).
//
// The check asks the server's broker API (GET /api/broker) rather than
// opening /mqtt: a fetch that fails is a server that cannot be reached as
// surely as a WebSocket that does, and it costs the gateway no connection
// at every page load. The service worker answers only the app's own files
// from its cache, so offline the fetch fails. A server that answers with an
// error is reachable. (A connection that fails later with
// transport.ErrUnreachable makes the playground fall back too.)
func observeBroker(ctx app.Context, b *tabBroker, onChange func()) {
	o := ctx.ObserveState(stateBroker)
	if onChange != nil {
		o = o.OnChange(onChange)
	}
	o.Value(b)
	*b = currentBroker()
	if !app.IsClient {
		return
	}
	probeOnce.Do(func() {
		if app.Getenv(EnvBroker) == EnvBrokerInTab {
			setBroker(ctx, tabBroker{InTab: true, Reason: reasonStatic})
			*b = currentBroker()
			return
		}
		base := origin()
		ctx.Async(func() {
			c, cancel := context.WithTimeout(context.Background(), probeTimeout)
			defer cancel()
			_, err := brokerapi.GetStatus(c, base)
			if err == nil || errors.Is(err, brokerapi.ErrRefused) {
				return
			}
			ctx.Dispatch(fellBack)
		})
	})
}

// brokerBanner says, in a live region on every page, that the tab runs on
// its own broker and why; it is empty while the tab uses the server's.
// Being on every page, it also makes the first page of a tab decide where
// the tab starts (observeBroker).
type brokerBanner struct {
	app.Compo
	lang i18n.Lang
	b    tabBroker
}

func newBrokerBanner() *brokerBanner { return &brokerBanner{lang: firstLang()} }

// OnPreRender draws the server's pre-render in the request's language.
func (n *brokerBanner) OnPreRender(ctx app.Context) { n.lang = preRenderLang(ctx) }

func (n *brokerBanner) OnMount(ctx app.Context) {
	observeLang(ctx, &n.lang)
	observeBroker(ctx, &n.b, nil)
}

func (n *brokerBanner) Render() app.UI {
	msg := map[string]i18n.Msg{reasonStatic: i18n.InTabStatic, reasonUnreachable: i18n.InTabFallback, reasonChosen: i18n.InTabChosen}[n.b.Reason]
	return app.P().ID("broker-notice").Class("help").Attr("role", "status").
		Attr("data-intab", strconv.FormatBool(n.b.InTab)).Attr("data-reason", n.b.Reason).
		Text(msg.In(n.lang))
}
