//go:build js && wasm

// Command floorapp is the least a go-app page with a paho client can be:
// measurement 3's floor (make bench -floor). It is served as app.wasm by
// the playground's own server, behind the same pre-rendered page, app.js
// and service worker, and draws only what the benchmark's open script uses:
// the broker's address (#broker-url), a Connect button (#connect) and the
// connection's state (#conn-state). Connect dials the page's /mqtt through
// the app's WebSocket transport (app/transport) with paho, built by
// wasmbuild with the app's lean copies and flags. Its open times bound the
// app's from below: no page of this stack, however small its own code, can
// open faster than the Go runtime, go-app and paho do.
package main

import (
	"context"
	"net"
	"net/url"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/transport"
)

type floor struct {
	app.Compo
	state string
}

func (f *floor) Render() app.UI {
	scheme := "ws"
	if app.Window().URL().Scheme == "https" {
		scheme = "wss"
	}
	return app.Main().Body(
		app.Input().ID("broker-url").ReadOnly(true).Value(scheme+"://"+app.Window().URL().Host+"/mqtt"),
		app.Button().ID("connect").Text("Connect").OnClick(f.connect),
		app.Div().ID("conn-state").DataSet("state", f.stateOr()).Text(f.stateOr()),
	)
}

func (f *floor) stateOr() string {
	if f.state == "" {
		return "disconnected"
	}
	return f.state
}

func (f *floor) connect(ctx app.Context, _ app.Event) {
	broker := app.Window().GetElementByID("broker-url").Get("value").String()
	f.state = "connecting"
	ctx.Async(func() {
		o := mqtt.NewClientOptions().AddBroker(broker).SetClientID("floor").SetAutoReconnect(false)
		o.SetCustomOpenConnectionFn(func(*url.URL, mqtt.ClientOptions) (net.Conn, error) {
			return transport.Dial(context.Background(), broker)
		})
		t := mqtt.NewClient(o).Connect()
		t.Wait()
		state := "connected"
		if t.Error() != nil {
			state = "failed: " + t.Error().Error()
		}
		ctx.Dispatch(func(app.Context) { f.state = state })
	})
}

func main() {
	app.Route("/", &floor{})
	app.RunWhenOnBrowser()
}
