package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// appOpenScript runs in every document of the app's tab before the app's
// own scripts: it presses Connect as soon as the app has started (the
// learner's first click, with no human delay; the pre-rendered page's
// Connect is there before, disabled), and stores the time since
// navigation when the page shows "connected", with the bytes the page
// fetched until then. On the way it notes when go-app's loader went away
// (go.run has run the Go program up to its first wait: its start-up and
// first render).
const appOpenScript = `(() => {
	let clicked = false, sawLoader = false;
	const check = () => {
		if (document.getElementById("app-wasm-loader")) {
			sawLoader = true;
		} else if (sawLoader && !window.benchGoStarted) {
			window.benchGoStarted = performance.now();
		}
		const u = document.querySelector("#broker-url");
		if (!clicked && u && u.value.endsWith("/mqtt") && !document.getElementById("app-wasm-loader")) {
			const b = document.querySelector("#connect");
			if (b && !b.disabled) { clicked = true; window.benchStarted = performance.now(); performance.mark("bench-click"); b.click(); }
		}
		const s = document.querySelector("#conn-state");
		if (s && s.dataset.state === "connected") {
			performance.mark("bench-connected");
			const w = performance.getEntriesByName(location.origin + "/web/app.wasm")[0];
			window.benchOpen = JSON.stringify({connected: performance.now(), started: window.benchStarted,
				goStarted: window.benchGoStarted || 0, wasmFetched: w ? w.responseEnd : 0});
			return;
		}
		setTimeout(check, 2);
	};
	check();
})()`

// transferExpr sums the bytes a page fetched over the network: its
// document and every resource, as encoded on the wire with headers
// (transferSize; 0 for what came from a cache or the service worker).
const transferExpr = `(() => {
	const all = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
	return JSON.stringify({bytes: all.reduce((n, e) => n + (e.transferSize || 0), 0),
		wasm: all.filter(e => e.name.endsWith("/app.wasm")).reduce((n, e) => n + (e.encodedBodySize || 0), 0)});
})()`

// swReady is true once a service worker is active for the page: go-app's
// has then cached its resources (its install step is one cache.addAll).
const swReady = `(() => {
	navigator.serviceWorker.getRegistration().then(r => { window.__swState = r && r.active ? r.active.state : ""; });
	return window.__swState === "activated" ? "yes" : "";
})()`

// openResult is one page open: milliseconds from navigation to connected,
// and the bytes fetched.
type openResult struct {
	ms          float64 // navigation to connected
	started     float64 // navigation to the app (or mqtt.js) ready to connect
	bytes, wasm float64
	// The app only: navigation to app.wasm's last byte, and to the Go
	// program's first wait (go-app's loader removed).
	wasmFetched, goStarted float64
}

// openPage navigates c to u and waits for window.benchOpen.
func (c *chrome) openPage(u string) (openResult, error) {
	var r openResult
	if err := c.navigate(u); err != nil {
		return r, err
	}
	raw, err := c.waitString(`window.benchOpen || ""`, 90*time.Second)
	if err != nil {
		return r, err
	}
	var v struct {
		Connected   float64 `json:"connected"`
		Started     float64 `json:"started"`
		GoStarted   float64 `json:"goStarted"`
		WasmFetched float64 `json:"wasmFetched"`
		Error       string  `json:"error"`
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return r, fmt.Errorf("benchOpen %q: %v", raw, err)
	}
	if v.Error != "" {
		return r, fmt.Errorf("the page could not connect: %s", v.Error)
	}
	r.ms, r.started, r.goStarted, r.wasmFetched = v.Connected, v.Started, v.GoStarted, v.WasmFetched
	raw, err = chromedp.Run(c.ctx, chromedp.Evaluate[string](transferExpr))
	if err != nil {
		return r, err
	}
	var t struct{ Bytes, Wasm float64 }
	json.Unmarshal([]byte(raw), &t)
	r.bytes, r.wasm = t.Bytes, t.Wasm
	return r, nil
}

// coldWarm opens u in a fresh browser (cold), waits until the page is
// ready to be opened warm (waitWarm, if any), and opens it again.
func (e *benchEnv) coldWarm(u string, spki, script, waitWarm string) (cold, warm openResult, err error) {
	profile, err := os.MkdirTemp(e.tmp, "chromium-")
	if err != nil {
		return cold, warm, err
	}
	defer os.RemoveAll(profile)
	c, err := newChrome(e.chromium, profile, chromedp.Flag("ignore-certificate-errors-spki-list", spki))
	if err != nil {
		return cold, warm, err
	}
	defer c.close()
	if script != "" {
		if _, err := chromedp.Call(c.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script}); err != nil {
			return cold, warm, err
		}
	}
	if cold, err = c.openPage(u); err != nil {
		return cold, warm, fmt.Errorf("cold: %w", err)
	}
	if waitWarm != "" {
		if _, err := c.waitString(waitWarm, 60*time.Second); err != nil {
			return cold, warm, err
		}
	}
	// Leave the page (its connection closes), then come back.
	if err := c.navigate("about:blank"); err != nil {
		return cold, warm, err
	}
	if warm, err = c.openPage(u); err != nil {
		return cold, warm, fmt.Errorf("warm: %w", err)
	}
	return cold, warm, nil
}

func (e *benchEnv) openingApp(ctx context.Context, s Section) Section {
	if e.chromiumErr != nil {
		s.Err = "chromium is not installed (sudo apt-get install chromium): " + e.chromiumErr.Error()
		return s
	}
	for _, f := range []string{"app.wasm", "app.wasm.br"} {
		if _, err := os.Stat(filepath.Join(e.cfg.webDir, f)); err != nil {
			s.Err = fmt.Sprintf("%s is missing in %s: run make build first", f, e.cfg.webDir)
			return s
		}
	}
	runs := e.cfg.runsOr(5, 2)
	cert, err := newSelfSigned(e.tmp)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	m, err := e.startMosquitto(ctx, false)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	defer m.stop()
	// The mqtt.js page comes from the benchmark's own server and connects
	// to the playground server's /mqtt, which must allow its origin.
	ps, err := startPageServer(e.cfg.nodeDir, "", nil, &cert.cert)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	defer ps.close()
	pageURL, _ := url.Parse(ps.URL)
	dataDir, err := os.MkdirTemp(e.tmp, "server-")
	if err != nil {
		s.Err = err.Error()
		return s
	}
	srv, err := startServer(ctx, e.cfg.serverBin, e.cfg.webDir, dataDir, m.TCP,
		"-tls-cert", cert.certFile, "-tls-key", cert.keyFile, "-origins", pageURL.Host)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	defer srv.stop()
	appURL := "https://" + srv.addr + "/?lang=en"
	peerURL := ps.URL + "/mqttjs-open.html?" + url.Values{"broker": {"wss://" + srv.addr + "/mqtt"}}.Encode()

	// -ab-web: the app of another build (a copy of web/ made before a
	// change), from a server of its own, opened cold and warm in every run
	// next to this build's, and on the phone profile.
	abURL := ""
	if e.cfg.abWeb != "" {
		abData, err := os.MkdirTemp(e.tmp, "server-")
		if err != nil {
			s.Err = err.Error()
			return s
		}
		abBin := cmp.Or(e.cfg.abServer, e.cfg.serverBin)
		ab, err := startServer(ctx, abBin, e.cfg.abWeb, abData, m.TCP,
			"-tls-cert", cert.certFile, "-tls-key", cert.keyFile, "-origins", pageURL.Host)
		if err != nil {
			s.Err = err.Error()
			return s
		}
		defer ab.stop()
		abURL = "https://" + ab.addr + "/?lang=en"
	}
	if e.cfg.openTrace != "" {
		s.Notes = e.loadTrace(appURL, cert.spki, e.cfg.openTrace, "app")
		if abURL != "" {
			s.Notes = append(s.Notes, e.loadTrace(abURL, cert.spki, e.cfg.openTrace, "ab-app")...)
		}
		return s
	}
	var abCold, abWarm, abColdGo, abWarmGo, abColdFetched, abWarmFetched []float64
	// -floor: the same server and page with the least wasm of this stack
	// (bench/floor.go), opened cold and warm in every run.
	floorURL, floorBrotli := "", 0
	if e.cfg.floor && !e.cfg.openProfileDesktop { // that profile opens no floor
		dir, n, err := e.floorWeb(ctx)
		if err != nil {
			s.Err = err.Error()
			return s
		}
		floorBrotli = n
		fl, err := startServer(ctx, e.cfg.serverBin, dir, filepath.Join(dir, "data"), m.TCP,
			"-tls-cert", cert.certFile, "-tls-key", cert.keyFile, "-origins", pageURL.Host)
		if err != nil {
			s.Err = err.Error()
			return s
		}
		defer fl.stop()
		floorURL = "https://" + fl.addr + "/?lang=en"
	}
	var floorCold, floorWarm, floorBytes []float64
	// Connect pressed (mqtt.js: its script run) to connected, per open.
	var appColdConn, appWarmConn, jsColdConn, jsWarmConn, abColdConn, abWarmConn []float64
	var appColdStart, appWarmStart, jsColdStart, jsWarmStart []float64
	var coldFetched, coldGo, warmFetched, warmGo []float64
	var appCold, appWarm, jsCold, jsWarm, appBytes, jsBytes, appWarmBytes, jsWarmBytes, wasmBytes []float64
	if e.cfg.phoneOnly || e.cfg.openProfileDesktop {
		runs = 0
	}
	for run := range runs {
		if ctx.Err() != nil {
			s.Err = "interrupted"
			break
		}
		// With -ab-web the two builds take turns at going first: an A/A run
		// (the same build twice) showed the second of two opens in a row up
		// to 20% faster to app.wasm and 10% to Go running.
		var ac, aw, bc, bw openResult
		var abErr error
		if abURL != "" && run%2 == 1 {
			bc, bw, abErr = e.coldWarm(abURL, cert.spki, appOpenScript, swReady)
		}
		ac, aw, err := e.coldWarm(appURL, cert.spki, appOpenScript, swReady)
		if err != nil {
			s.Err = "the app: " + err.Error()
			break
		}
		if abURL != "" {
			if run%2 == 0 {
				bc, bw, abErr = e.coldWarm(abURL, cert.spki, appOpenScript, swReady)
			}
			if abErr != nil {
				s.Err = "the other build (-ab-web): " + abErr.Error()
				break
			}
			e.vlogf("open run %d: other build cold %.0f ms (wasm %.0f, Go %.0f, started %.0f), warm %.0f ms (wasm %.0f, Go %.0f, started %.0f)",
				run+1, bc.ms, bc.wasmFetched, bc.goStarted, bc.started, bw.ms, bw.wasmFetched, bw.goStarted, bw.started)
			abCold, abWarm = append(abCold, bc.ms), append(abWarm, bw.ms)
			abColdGo, abWarmGo = append(abColdGo, bc.goStarted), append(abWarmGo, bw.goStarted)
			abColdFetched, abWarmFetched = append(abColdFetched, bc.wasmFetched), append(abWarmFetched, bw.wasmFetched)
			abColdConn, abWarmConn = append(abColdConn, bc.ms-bc.started), append(abWarmConn, bw.ms-bw.started)
		}
		if floorURL != "" {
			fc, fw, err := e.coldWarm(floorURL, cert.spki, appOpenScript, swReady)
			if err != nil {
				s.Err = "the floor (-floor): " + err.Error()
				break
			}
			e.vlogf("open run %d: floor cold %.0f ms (wasm %.0f, Go %.0f, started %.0f) %.0f KB, warm %.0f ms (wasm %.0f, Go %.0f, started %.0f)",
				run+1, fc.ms, fc.wasmFetched, fc.goStarted, fc.started, fc.bytes/1e3, fw.ms, fw.wasmFetched, fw.goStarted, fw.started)
			floorCold, floorWarm, floorBytes = append(floorCold, fc.ms), append(floorWarm, fw.ms), append(floorBytes, fc.bytes/1e6)
		}
		jc, jw, err := e.coldWarm(peerURL, cert.spki, "", "")
		if err != nil {
			s.Err = "the mqtt.js page: " + err.Error()
			break
		}
		e.vlogf("open run %d: app cold %.0f ms (started %.0f) %.0f KB (app.wasm %.0f KB), warm %.0f ms (started %.0f) %.0f KB; mqtt.js cold %.0f ms (started %.0f) %.0f KB, warm %.0f ms (started %.0f) %.0f KB",
			run+1, ac.ms, ac.started, ac.bytes/1e3, ac.wasm/1e3, aw.ms, aw.started, aw.bytes/1e3, jc.ms, jc.started, jc.bytes/1e3, jw.ms, jw.started, jw.bytes/1e3)
		appColdStart, appWarmStart = append(appColdStart, ac.started), append(appWarmStart, aw.started)
		appColdConn, appWarmConn = append(appColdConn, ac.ms-ac.started), append(appWarmConn, aw.ms-aw.started)
		jsColdConn, jsWarmConn = append(jsColdConn, jc.ms-jc.started), append(jsWarmConn, jw.ms-jw.started)
		coldFetched, coldGo = append(coldFetched, ac.wasmFetched), append(coldGo, ac.goStarted)
		warmFetched, warmGo = append(warmFetched, aw.wasmFetched), append(warmGo, aw.goStarted)
		jsColdStart, jsWarmStart = append(jsColdStart, jc.started), append(jsWarmStart, jw.started)
		appCold, appWarm, jsCold, jsWarm = append(appCold, ac.ms), append(appWarm, aw.ms), append(jsCold, jc.ms), append(jsWarm, jw.ms)
		appBytes, jsBytes = append(appBytes, ac.bytes/1e6), append(jsBytes, jc.bytes/1e6)
		appWarmBytes, jsWarmBytes = append(appWarmBytes, aw.bytes/1e6), append(jsWarmBytes, jw.bytes/1e6)
		wasmBytes = append(wasmBytes, ac.wasm/1e6)
	}
	peer := "mqtt.js " + mqttJSVersion(e.cfg.nodeDir) + " page"
	// The phone profile: fewer runs, each open takes seconds of throttled
	// download.
	var phoneRows []Comparison
	var phoneNotes []string
	if e.cfg.openProfileDesktop {
		s.Notes = e.profileOpen(ctx, m.TCP, cert, pageURL.Host, peerURL, abURL)
		return s
	}
	if s.Err == "" && ctx.Err() == nil && !e.cfg.noPhone {
		var err error
		phoneRows, phoneNotes, err = e.phoneRuns(appURL, abURL, floorURL, peerURL, cert.spki, peer, e.cfg.runsOr(3, 1))
		if err != nil {
			s.Err = err.Error()
		}
		if e.cfg.openProfile != "" && ctx.Err() == nil {
			phoneNotes = append(phoneNotes, e.profileOpen(ctx, m.TCP, cert, pageURL.Host, peerURL, abURL)...)
		}
	}

	coldBytes := compare("cold open, bytes transferred", "MB", appBytes, jsBytes, peer, false, 0)
	absoluteTarget(&coldBytes, "≤ 2.0 MB", coldBytes.Ours.Median <= 2.0)
	if e.cfg.phoneOnly {
		s.Rows, s.Notes = phoneRows, phoneNotes
		return s
	}
	s.Rows = append(s.Rows,
		compare("cold open, navigation to connected", "ms", appCold, jsCold, peer, false, 1.3),
		compare("warm open, navigation to connected", "ms", appWarm, jsWarm, peer, false, 1.1),
		coldBytes,
		compare("warm open, bytes transferred", "MB", appWarmBytes, jsWarmBytes, peer, false, 0),
		compare("cold open, Connect pressed to connected", "ms", appColdConn, jsColdConn, peer, false, 0),
		compare("warm open, Connect pressed to connected", "ms", appWarmConn, jsWarmConn, peer, false, 0),
	)
	if floorURL != "" {
		s.Rows = append(s.Rows,
			compare("the floor: cold open, navigation to connected", "ms", floorCold, jsCold, peer, false, 0),
			compare("the floor: warm open, navigation to connected", "ms", floorWarm, jsWarm, peer, false, 0),
			compare("the floor: cold open, bytes transferred", "MB", floorBytes, jsBytes, peer, false, 0),
			compare("the app against the floor: cold open, navigation to connected", "ms", appCold, floorCold, "the floor", false, 0),
			compare("the app against the floor: warm open, navigation to connected", "ms", appWarm, floorWarm, "the floor", false, 0),
			compare("the app against the floor: cold open, bytes transferred", "MB", appBytes, floorBytes, "the floor", false, 0),
		)
		s.Notes = append(s.Notes, fmt.Sprintf("The floor (-floor): the same server, pre-rendered page, app.js and service worker, with bench/floorapp as app.wasm: go-app drawing one input, one button and the state, and paho connecting through app/transport, built by wasmbuild like app.wasm (%.3f MB brotli). Nothing built on go-app and paho can open faster; its ratios bound the app's from below.", float64(floorBrotli)/1e6))
	}
	if abURL != "" {
		other := "the -ab-web build"
		s.Rows = append(s.Rows,
			compare("A/B: cold open, navigation to connected", "ms", appCold, abCold, other, false, 0),
			compare("A/B: warm open, navigation to connected", "ms", appWarm, abWarm, other, false, 0),
			compare("A/B: cold open, navigation to Go running", "ms", coldGo, abColdGo, other, false, 0),
			compare("A/B: warm open, navigation to Go running", "ms", warmGo, abWarmGo, other, false, 0),
			compare("A/B: cold open, navigation to app.wasm fetched", "ms", coldFetched, abColdFetched, other, false, 0),
			compare("A/B: warm open, navigation to app.wasm fetched", "ms", warmFetched, abWarmFetched, other, false, 0),
			compare("A/B: cold open, Connect pressed to connected", "ms", appColdConn, abColdConn, other, false, 0),
			compare("A/B: warm open, Connect pressed to connected", "ms", appWarmConn, abWarmConn, other, false, 0),
		)
	}
	s.Rows = append(s.Rows, phoneRows...)
	s.Notes = append(s.Notes,
		fmt.Sprintf("The app: bin/server over HTTPS (a self-signed certificate Chromium is told to trust, so Chrome asks for brotli), its page / pressing Connect as soon as the app has started; %d runs, each in a fresh Chromium profile: cold, then warm once its service worker is active.", runs),
		"The peer: a page that loads mqtt.min.js (brotli, cacheable for an hour) from the benchmark's HTTPS server and connects to the same server's /mqtt; warm is its second visit (HTTP cache).",
		fmt.Sprintf("Where the time goes: navigation to ready to connect (the app: started, Connect pressed; mqtt.js: its script run) cold %s ms vs %s ms, warm %s ms vs %s ms; the rest is the connection (WebSocket, TLS, CONNECT, CONNACK; for the app also its redraw until the page shows \"connected\"): the rows \"Connect pressed to connected\" (for mqtt.js: its script run to its connect event).",
			formatFigure(summarize(appColdStart)), formatFigure(summarize(jsColdStart)), formatFigure(summarize(appWarmStart)), formatFigure(summarize(jsWarmStart))),
		fmt.Sprintf("The app's timeline (navigation to each step): app.wasm fetched cold %s ms, warm %s ms (from the service worker); then compiled and its Go program started up to its first wait (go-app's loader removed) cold %s ms, warm %s ms; then ready to connect as above.",
			formatFigure(summarize(coldFetched)), formatFigure(summarize(warmFetched)), formatFigure(summarize(coldGo)), formatFigure(summarize(warmGo))),
		fmt.Sprintf("Bytes: the transferSize of the document and every resource the page fetched until connected (headers included; 0 for cached ones). app.wasm alone: %s MB on the wire.", formatFigure(summarize(wasmBytes))),
	)
	s.Notes = append(s.Notes, phoneNotes...)
	return s
}
