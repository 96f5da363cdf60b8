package main

import (
	"encoding/json"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/capworker"
	"qosplayground/app/i18n"
	"qosplayground/app/intab"
	"qosplayground/app/ui"
	"qosplayground/server/broker"
	"qosplayground/server/gateway"
	"qosplayground/server/internal/precompress"
)

// newMux routes /mqtt to the gateway, /healthz to the health check, app.wasm
// and the manifest to handlers of their own, and everything else to go-app,
// which pre-renders the pages of ui.Routes and writes the service worker.
func newMux(gw *gateway.Gateway, b broker.Broker, webDir string, maxPacket int, classroom bool, restart restartPolicy, teacher *teacherAuth) http.Handler {
	ui.Routes()
	// What the page must know of the server: the packet limit, so it
	// refuses a too-large message in the form instead of losing the
	// connection to it.
	env := app.Environment{ui.EnvMaxPacket: strconv.Itoa(maxPacket)}
	if classroom {
		// And that it runs a classroom (-classroom): the page then sends
		// its learner token and room, and builds its client ids with its
		// prefix.
		env[ui.EnvClassroom] = "1"
	}
	if teacher != nil {
		// And that it has a teacher's board (-teacher-key-file).
		ui.TeacherRoute()
		env[ui.EnvTeacher] = "1"
	}
	worker, err := appWorkerJS(cacheLater(webDir))
	if err != nil {
		panic(err) // go-app was upgraded: a test fails the same way
	}
	mux := http.NewServeMux()
	mux.Handle("/mqtt", gw)
	mux.HandleFunc("/healthz", healthz(gw, b))
	newBrokerAPI(b, restart).register(mux) // /api/broker and /api/broker/restart: brokerapi.go
	mux.Handle(appWASMPath, &precompress.Handler{Path: filepath.Join(webDir, "app.wasm"), ContentType: "application/wasm"})
	mux.Handle(intab.WASM, &precompress.Handler{Path: filepath.Join(webDir, brokerWASM), ContentType: "application/wasm"})
	// The teacher's board's wasm (app.js fetches it on /teacher): without
	// -teacher-key-file it does not exist either.
	if teacher != nil {
		mux.Handle(teacherWASMPath, &precompress.Handler{Path: filepath.Join(webDir, teacherWASM), ContentType: "application/wasm"})
	} else {
		mux.Handle(teacherWASMPath, http.NotFoundHandler())
	}
	mux.Handle(capworker.WASM, &precompress.Handler{Path: filepath.Join(webDir, captureWASM), ContentType: "application/wasm"})
	webManifest := filterApp(serveBytes(manifest(), "application/manifest+json"))
	mux.Handle("/manifest.webmanifest", webManifest)
	mux.Handle("/manifest.json", webManifest)
	pages := filterApp(newLangPages(webDir, env, worker))
	mux.Handle("/", pages)
	// The teacher's board (teacher.go): without -teacher-key-file nothing
	// of it is served.
	notFound := http.NotFoundHandler()
	if teacher != nil {
		notFound = teacherHandler(teacher, pages)
	}
	mux.Handle(teacherPath, notFound)
	mux.Handle(teacherPath+"/", notFound)
	return mux
}

// appHandler is go-app's handler of the pages, the service worker and the
// web directory, in English: the static build's (static.go).
func appHandler(webDir string, env app.Environment, worker string) *app.Handler {
	return appHandlerIn(i18n.EN, webDir, env, worker, appVersion(webDir, env))
}

// appHandlerIn is go-app's handler with its pages pre-rendered in language
// l (langPages serves one per language). version is appVersion's.
func appHandlerIn(l i18n.Lang, webDir string, env app.Environment, worker, version string) *app.Handler {
	return &app.Handler{
		Name:            appName,
		ShortName:       appName,
		Title:           i18n.PageTitle.In(l),
		Description:     i18n.FirstOpenDescription.In(l),
		Lang:            string(l),
		BackgroundColor: backgroundColor,
		ThemeColor:      themeColor,
		// The status of the download, shown under the pre-rendered page
		// (web/app.css) until the app runs. app.js is one for all
		// languages: it reads its texts from the page (firstOpenTexts).
		LoadingLabel: i18n.FirstOpenStarting.In(l),
		RawHeaders:   []string{firstOpenTexts(l)},
		Icon: app.Icon{
			Default: "/web/icon-192.png",
			Large:   "/web/icon-512.png",
			// iOS rounds the corners of a home screen icon itself and
			// shows transparency as black: the full-bleed one fits.
			AppleTouch: "/web/icon-maskable-192.png",
			SVG:        "/web/icon.svg",
		},
		Styles: []string{"/web/app.css"},
		// go-app's worker caches the icons it knows; these complete the
		// set, so that the favicon shows offline too. (The in-tab broker
		// is cached later: cacheLater.)
		CacheableResources: []string{"/web/icon.svg", "/web/icon-maskable-512.png"},
		Env:                maps.Clone(env), // go-app adds to it: one map per handler
		Resources:          webResources(webDir),
		// See appVersion: the cache is replaced exactly when what it
		// holds has changed.
		Version:               version,
		ServiceWorkerTemplate: worker,
		// app.wasm may arrive compressed: the loader's progress counts
		// decompressed bytes, so it needs the uncompressed size.
		WasmContentLengthHeader: precompress.LengthHeader,
		// A tab left open through a lesson checks for a new version now
		// and then, not only when it is reloaded (a few hundred bytes).
		AutoUpdateInterval: 15 * time.Minute,
	}
}

// cacheLater is what the service worker caches once a page has started
// (cacheLaterJS): the in-tab broker, which a tab offline falls back to.
// Without a built broker.wasm it is nothing: cache.addAll fails as a whole
// on one missing file.
func cacheLater(webDir string) []string {
	if _, err := os.Stat(filepath.Join(webDir, brokerWASM)); err != nil {
		return nil
	}
	return []string{intab.WorkerCommon, intab.WorkerScript, intab.WASM}
}

// brokerWASM is the in-tab broker's WebAssembly in the web directory
// (intab.WASM), built from wasm/broker beside app.wasm.
const brokerWASM = "broker.wasm"

// appWASMPath is the address of the learners' app.wasm.
const appWASMPath = "/web/app.wasm"

// teacherWASM is the teacher's board's WebAssembly in the web directory,
// built from wasm/teacher, and teacherWASMPath its address.
const (
	teacherWASM     = "teacher.wasm"
	teacherWASMPath = "/web/" + teacherWASM
)

// captureWASM is the capture worker's WebAssembly in the web directory
// (capworker.WASM), built from wasm/capture: gopacket, for the pcapng
// export and the import of captures. The service worker caches it and its
// script the first time a page uses them (cacheOnUse).
const captureWASM = "capture.wasm"

// cacheOnUse are the files the service worker keeps the first time a page
// fetches them, rather than at its install or a moment after the app
// starts: the capture worker, which only a learner who exports or imports
// a capture needs, and who can then do it again offline.
var cacheOnUse = []string{capworker.PageScript, intab.WorkerCommon, capworker.WorkerScript, capworker.WASM}

// webResources serves the web directory at /web/ for go-app, wherever it is
// on disk (go-app's LocalDir only serves ./web).
func webResources(dir string) app.ResourceProvider {
	return webDir{Handler: http.StripPrefix("/web/", http.FileServer(http.Dir(dir)))}
}

type webDir struct{ http.Handler }

func (webDir) Package() string { return "" }
func (webDir) Static() string  { return "" }
func (webDir) AppWASM() string { return appWASMPath }

// healthz reports whether the broker answers a TCP dial, for load balancers
// and operators: 200 when it does, 503 when it does not.
func healthz(gw *gateway.Gateway, b broker.Broker) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Every node of a cluster is dialled: the server is healthy while
		// one answers (the gateway moves tabs to it), and says how many do.
		addrs := broker.Addrs(b)
		var up int
		var lastErr error
		for _, a := range addrs {
			conn, err := net.DialTimeout("tcp", a, 2*time.Second)
			if err != nil {
				lastErr = err
				continue
			}
			conn.Close()
			up++
		}
		status, code := "ok", http.StatusOK
		if up == 0 {
			status, code = "broker unreachable: "+strings.TrimSpace(lastErr.Error()), http.StatusServiceUnavailable
		}
		body := map[string]any{
			"status":      status,
			"broker_mode": b.Mode(),
			"connections": gw.Conns(),
		}
		if len(addrs) > 1 {
			body["broker_nodes"], body["broker_nodes_up"] = len(addrs), up
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(body)
	}
}
