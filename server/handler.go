package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/ui"
	"qosplayground/server/broker"
	"qosplayground/server/gateway"
)

// newMux routes /mqtt to the gateway, /healthz to the health check and
// everything else to go-app, which pre-renders the pages of ui.Routes.
func newMux(gw *gateway.Gateway, b broker.Broker, webDir string, maxPacket int) http.Handler {
	ui.Routes()
	mux := http.NewServeMux()
	mux.Handle("/mqtt", gw)
	mux.HandleFunc("/healthz", healthz(gw, b))
	mux.Handle("/", &app.Handler{
		Name:            "QoS Playground",
		ShortName:       "QoS Playground",
		Title:           "QoS Playground — MQTT QoS and reliability, hands-on",
		Description:     "An MQTT learning lab in a browser tab: publish and subscribe at QoS 0, 1 and 2 against a real broker and watch every packet.",
		Lang:            "en",
		BackgroundColor: "#f7f7f4",
		ThemeColor:      "#1f4e79",
		LoadingLabel:    "Loading QoS Playground… {progress}%",
		Icon: app.Icon{
			Default:    "/web/icon-192.png",
			Large:      "/web/icon-512.png",
			AppleTouch: "/web/icon-192.png",
			SVG:        "/web/icon.svg",
		},
		Styles: []string{"/web/app.css"},
		// What the page must know of the server: the packet limit, so it
		// refuses a too-large message in the form instead of losing the
		// connection to it.
		Env:       app.Environment{ui.EnvMaxPacket: strconv.Itoa(maxPacket)},
		Resources: webResources(webDir),
	})
	return mux
}

// webResources serves the web directory at /web/ for go-app, wherever it is
// on disk (go-app's LocalDir only serves ./web).
func webResources(dir string) app.ResourceProvider {
	return webDir{Handler: http.StripPrefix("/web/", http.FileServer(http.Dir(dir)))}
}

type webDir struct{ http.Handler }

func (webDir) Package() string { return "" }
func (webDir) Static() string  { return "" }
func (webDir) AppWASM() string { return "/web/app.wasm" }

// healthz reports whether the broker answers a TCP dial, for load balancers
// and operators: 200 when it does, 503 when it does not.
func healthz(gw *gateway.Gateway, b broker.Broker) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status, code := "ok", http.StatusOK
		conn, err := net.DialTimeout("tcp", b.Addr(), 2*time.Second)
		if err != nil {
			status, code = "broker unreachable: "+strings.TrimSpace(err.Error()), http.StatusServiceUnavailable
		} else {
			conn.Close()
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]any{
			"status":      status,
			"broker_mode": b.Mode(),
			"connections": gw.Conns(),
		})
	}
}
