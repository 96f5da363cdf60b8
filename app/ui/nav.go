package ui

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/transport"
)

// navItem is one link of the navigation bar.
type navItem struct {
	Path  string
	Label string
}

var navItems = []navItem{
	{"/", "Playground"},
	{"/lab/publisher", "Publisher (Ex. 1)"},
	{"/lab/subscriber", "Reliable subscriber (Ex. 2)"},
	{"/lab/integration", "Integration (Ex. 3)"},
}

// pageHeader is the title, the navigation and an optional status badge.
func pageHeader(active string, status app.UI) app.UI {
	return app.Header().Class("top").Body(
		app.Div().Class("title").Body(
			app.H1().Text("QoS Playground"),
			app.P().Class("tagline").Text("MQTT QoS and reliability, hands-on, in your browser tab: a real broker, real packets."),
		),
		app.If(status != nil, status),
		app.Nav().Class("nav").Aria("label", "Pages").Body(
			app.Range(navItems).Slice(func(i int) app.UI {
				it := navItems[i]
				a := app.A().Href(it.Path).Text(it.Label)
				if it.Path == active {
					a = a.Class("active").Aria("current", "page")
				}
				return a
			}),
		),
	)
}

var tabOnce sync.Once
var tabPrefix string

// tabID returns a prefix for this tab's client ids, so that learners who
// share a server never take over each other's sessions.
func tabID() string {
	tabOnce.Do(func() { tabPrefix = "tab-" + randomSuffix() + "-" })
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

// brokerURL is the /mqtt endpoint on this page's own origin.
func brokerURL() string { return transport.BrokerURL(app.Window().URL()) }
