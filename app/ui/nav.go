package ui

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/expconfig"
	"qosplayground/app/i18n"
)

// navItem is one link of the navigation bar.
type navItem struct {
	Path  string
	Label i18n.Msg
}

var navItems = []navItem{
	{"/", i18n.NavHome},
	{"/lab/publisher", i18n.NavPub},
	{"/lab/subscriber", i18n.NavSub},
	{"/lab/integration", i18n.NavInt},
	{"/lab/task1", i18n.NavTask1},
	{"/lab/faults", i18n.NavFaults},
}

var (
	embedOnce sync.Once
	embedded  bool
)

// embedMode reports whether the tab was opened with ?embed=1: a view for an
// iframe in a course page, without the title and the navigation. It is
// decided once per tab, so the app's own links keep it.
func embedMode() bool {
	if !app.IsClient {
		return false
	}
	embedOnce.Do(func() { embedded = expconfig.Embedded(app.Window().URL().Query()) })
	return embedded
}

// fullAppURL is this page's address without ?embed=1: the whole app.
func fullAppURL() string { return expconfig.WholeApp(*app.Window().URL()) }

// embedView is whether a page is drawn embedded (embedMode), and on the
// server the link to the whole app: the server pre-renders the embedded
// view of an embed link too, so that the app's first drawing does not
// move everything up (the header without title and navigation).
type embedView struct {
	on   bool
	full string // the server's; the tab's is the address bar's
}

// tabEmbed is the tab's view, for a page's constructor.
func tabEmbed() embedView { return embedView{on: embedMode()} }

// preRenderEmbed is the view of the page the server pre-renders.
func preRenderEmbed(ctx app.Context) embedView {
	u := *ctx.Page().URL()
	u.Scheme, u.Host = "", "" // go-app says http even behind TLS
	return embedView{on: expconfig.Embedded(u.Query()), full: expconfig.WholeApp(u)}
}

// pageHeader is the title, the language switch, the navigation and an
// optional status badge; in an iframe (embedMode), only the badge, the
// language switch and a link to the whole app.
func pageHeader(l i18n.Lang, v embedView, active string, status app.UI) app.UI {
	if v.on {
		full := v.full
		if full == "" {
			full = fullAppURL()
		}
		return app.Header().Class("top", "embed").Body(
			app.If(status != nil, status),
			langSwitch(l),
			app.A().ID("open-full").Href(full).Target("_blank").Rel("noopener").Text(i18n.OpenFullApp.In(l)),
			newBrokerBanner(),
			newClassroomBadge(),
		)
	}
	return app.Header().Class("top").Body(
		app.Div().Class("title").Body(
			app.H1().Text(i18n.AppName.In(l)),
			app.P().Class("tagline").Text(i18n.Tagline.In(l)),
		),
		app.If(status != nil, status),
		langSwitch(l),
		app.Nav().Class("nav").Aria("label", i18n.NavPages.In(l)).Body(
			app.Range(navItems).Slice(func(i int) app.UI {
				it := navItems[i]
				a := app.A().Href(it.Path).Text(it.Label.In(l))
				if it.Path == active {
					a = a.Class("active").Aria("current", "page")
				}
				return a
			}),
		),
		newUpdateNotice(),
		newBrokerBanner(),
		newClassroomBadge(),
	)
}

// langSwitch offers the languages, each named in itself.
func langSwitch(current i18n.Lang) app.UI {
	return app.Div().Class("lang").Attr("role", "group").Aria("label", i18n.LangLabel.In(current)).Body(
		app.Range(i18n.Langs).Slice(func(i int) app.UI {
			l := i18n.Langs[i]
			return app.Button().Type("button").ID("lang-"+string(l)).Lang(string(l)).
				Aria("pressed", strconv.FormatBool(l == current)).
				OnClick(func(ctx app.Context, e app.Event) { setLang(ctx, l, true) }).
				Text(l.Name())
		}),
	)
}

var tabOnce sync.Once
var tabPrefix string

// tabID returns a prefix for this tab's client ids, so that learners who
// share a server never take over each other's sessions. In classroom mode
// it is the prefix the gateway enforces (classroom.go).
func tabID() string {
	tabOnce.Do(func() {
		if classroomMode() {
			tabPrefix = classroomIDPrefix()
			return
		}
		tabPrefix = "tab-" + randomSuffix() + "-"
	})
	return tabPrefix
}

func randomSuffix() string {
	b := make([]byte, 3)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// EnvMaxPacket names the go-app environment variable in which the server
// tells the page its packet limit (-max-packet).
const EnvMaxPacket = "QOS_MAX_PACKET"

// maxPacket returns the server's packet limit, or 0 (the client's default)
// when the page does not know it.
func maxPacket() int {
	n, err := strconv.Atoi(app.Getenv(EnvMaxPacket))
	if err != nil || n <= 0 {
		return 0
	}
	return n
}
