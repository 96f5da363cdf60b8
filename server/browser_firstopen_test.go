package main

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// wasmGate holds back, fails or lets through the tab's requests for .wasm
// files (the DevTools protocol's Fetch domain), as a slow or broken
// network would.
type wasmGate struct {
	b    *browser
	mu   sync.Mutex
	mode string // "hold", "fail" or "pass"
	held []fetch.RequestID
	seen int
}

func (b *browser) gateWasm(mode string) *wasmGate {
	b.t.Helper()
	g := &wasmGate{b: b, mode: mode}
	if err := chromedp.Listen(b.ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		g.mu.Lock()
		g.seen++
		mode := g.mode
		if mode == "hold" {
			g.held = append(g.held, e.RequestID)
		}
		g.mu.Unlock()
		switch mode {
		case "fail":
			go chromedp.Call(b.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonFailed})
		case "pass":
			go chromedp.Call(b.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
		}
	}); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*.wasm*", RequestStage: fetch.RequestStageRequest}}}); err != nil {
		b.t.Fatal(err)
	}
	return g
}

// requests is how many .wasm requests the tab has made.
func (g *wasmGate) requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.seen
}

// waitRequests waits until the tab has asked for n .wasm files.
func (g *wasmGate) waitRequests(n int) {
	g.b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for g.requests() < n {
		if time.Now().After(deadline) {
			g.b.t.Fatalf("the page asked for %d .wasm files, want %d", g.requests(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// set changes what happens to the next requests; "pass" also lets the
// held ones through and "fail" fails them.
func (g *wasmGate) set(mode string) {
	g.mu.Lock()
	g.mode = mode
	held := g.held
	g.held = nil
	g.mu.Unlock()
	for _, id := range held {
		switch mode {
		case "pass":
			chromedp.Call(g.b.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id})
		case "fail":
			chromedp.Call(g.b.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonInternetDisconnected})
		default:
			g.held = append(g.held, id)
		}
	}
}

// box is an element's place on the page.
type box struct {
	X, Y, W, H float64
}

// firstOpenBoxes are the places of the page's headings and controls that
// both the server's pre-render and the app's drawing have, by a key of
// their own (id, or tag and text).
const firstOpenBoxes = `(() => {
	const out = {};
	document.querySelectorAll("h1, h2, h3, nav a, .lang button, #open-full, button[id], input[id], select[id], textarea[id]").forEach((el) => {
		if (el.closest("#app-wasm-loader")) return;
		const r = el.getBoundingClientRect();
		if (r.width === 0 && r.height === 0) return;
		const key = el.id ? "#" + el.id : el.tagName + ":" + el.textContent.trim().slice(0, 40);
		out[key] = {X: r.x + scrollX, Y: r.y + scrollY, W: r.width, H: r.height};
	});
	return JSON.stringify(out);
})()`

func (b *browser) boxes() map[string]box {
	b.t.Helper()
	m := map[string]box{}
	if err := json.Unmarshal([]byte(eval[string](b, firstOpenBoxes)), &m); err != nil {
		b.t.Fatal(err)
	}
	return m
}

// clsObserver sums the page's layout shifts (the cumulative layout shift,
// without shifts after input), from the start of the load on.
const clsObserver = `(() => {
	if (window.__cls === undefined) {
		window.__cls = 0;
		window.__shifts = [];
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) {
				if (e.hadRecentInput) continue;
				window.__cls += e.value;
				window.__shifts.push("at " + e.startTime.toFixed(0) + " ms: " + e.value.toFixed(4) + " from " + (e.sources || []).length + " elements");
				for (const src of e.sources || []) {
					const n = src.node;
					const name = n ? (n.nodeName + (n.id ? "#" + n.id : "") + (n.className && n.className.baseVal === undefined ? "." + n.className : "")) : "?";
					window.__shifts.push(e.value.toFixed(4) + " " + name + " " + JSON.stringify(src.previousRect) + " → " + JSON.stringify(src.currentRect));
				}
			}
		}).observe({type: "layout-shift", buffered: true});
	}
	return true;
})()`

// coverCheck says what is at the centre of the viewport: the page's own
// content, or something over it.
const coverCheck = `(() => {
	const el = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
	if (!el) return "nothing";
	if (el.closest("#app-wasm-loader")) return "the loader";
	if (!el.closest(".page")) return "outside the page: " + el.tagName + "#" + el.id + "." + el.className;
	return "page";
})()`

// TestBrowserFirstOpen: with every .wasm request held back, the server's
// pre-rendered page is what the learner sees, styled and in their
// language, with nothing over it; its controls wait (disabled) and a
// status at the bottom says the app is starting. When the wasm runs, the
// app draws the same page in the same place: the headings and controls
// do not move and the layout shift stays under 0.02. Languages: ?lang=ja
// in an English browser, a Japanese browser (--lang=ja: Accept-Language
// and navigator.languages), an English browser; the same for embed links.
func TestBrowserFirstOpen(t *testing.T) {
	srv := startServer(t, "-broker", "embedded")
	for _, tt := range []struct {
		name, browserLang, path, want string
		width                         int64
		slow                          bool
		// data is where the page shows what it loads once the app runs
		// (the fault lab's broker status, from /api/broker): what is
		// below it may move when it arrives, as it would without a
		// pre-render.
		data string
	}{
		{"en", "en-US", "/", "en", 1280, true, ""},
		{"ja-link", "en-US", "/?lang=ja", "ja", 390, false, ""},
		{"ja-browser", "ja", "/", "ja", 1280, false, ""},
		{"ja-browser-task1", "ja", "/lab/task1", "ja", 390, false, ""},
		{"ja-embed", "ja", "/lab/task1?embed=1", "ja", 1280, false, ""},
		{"en-embed", "en-US", "/lab/publisher?embed=1", "en", 390, false, ""},
		{"ja-link-embed", "en-US", "/?embed=1&lang=ja", "ja", 390, false, ""},
		{"ja-subscriber", "ja", "/lab/subscriber", "ja", 1280, false, ""},
		{"en-integration", "en-US", "/lab/integration", "en", 390, false, ""},
		{"ja-faults", "ja", "/lab/faults", "ja", 390, false, "#h-restart"},
		{"en-faults", "en-US", "/lab/faults", "en", 1280, false, "#h-restart"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t, chromedp.Flag("accept-lang", tt.browserLang))
			gate := b.gateWasm("hold")
			b.do(chromedp.EmulateViewport(tt.width, 900))
			b.do(chromedp.Navigate(srv.URL + tt.path))
			gate.waitRequests(1)
			eval[bool](b, clsObserver)

			// Before the app: the page itself, in the language, with
			// nothing over it.
			if got := eval[string](b, `document.documentElement.lang`); got != tt.want {
				t.Errorf("<html lang=%q> before the app runs, want %q", got, tt.want)
			}
			if got := eval[string](b, coverCheck); got != "page" {
				t.Errorf("the centre of the viewport shows %s, want the page itself", got)
			}
			langWant := map[string]string{"ja": "日本語", "en": "English"}[tt.want]
			pressed := eval[string](b, `(() => { const el = document.querySelector('.lang button[aria-pressed="true"]'); return el ? el.textContent : "" })()`)
			if pressed != langWant {
				t.Errorf("the language switch shows %q pressed before the app runs, want %q", pressed, langWant)
			}
			text := eval[string](b, `document.querySelector(".page").innerText`)
			if japanese := strings.ContainsAny(text, "のをにはがでとしてますパブリッシュ"); japanese != (tt.want == "ja") {
				t.Errorf("the pre-rendered page is not in %s:\n%.400s", tt.want, text)
			}
			if embedded := strings.Contains(tt.path, "embed=1"); b.count("#open-full") == 0 == embedded || (b.count(".nav") == 0) != embedded {
				t.Errorf("embed link %v: %d links to the full app, %d navigation bars", embedded, b.count("#open-full"), b.count(".nav"))
			}
			if n := eval[int](b, `[...document.querySelectorAll(".page button, .page input, .page select, .page textarea")].filter((el) => !el.disabled).length`); n != 0 {
				t.Errorf("%d controls of the pre-rendered page are enabled before the app runs", n)
			}
			if n := b.count(".page button"); n == 0 {
				t.Error("no buttons in the pre-rendered page")
			}
			status := eval[string](b, `document.getElementById("app-wasm-loader-label").innerText`)
			if wantStatus := map[string]string{"ja": "起動中", "en": "Starting"}[tt.want]; !strings.Contains(status, wantStatus) {
				t.Errorf("the status says %q, want %q", status, wantStatus)
			}
			if bg := eval[string](b, `getComputedStyle(document.documentElement).backgroundColor + "/" + getComputedStyle(document.querySelector(".card")).borderRadius`); bg != "rgb(247, 247, 244)/8px" {
				t.Errorf("the pre-rendered page is not styled (%s)", bg)
			}
			before := b.boxes()
			b.viewportShot("firstopen-"+tt.name+"-before", tt.width, 900)

			if tt.slow {
				b.waitFor("the status to say the download is slow", `document.getElementById("app-wasm-loader-label").dataset.state === "slow"`, 15*time.Second)
				if s := eval[string](b, `document.getElementById("app-wasm-loader-label").innerText`); !strings.Contains(s, "slow") {
					t.Errorf("the slow download says %q", s)
				}
			}

			// The app runs and draws the same page in the same place.
			t.Logf("the wasm is let through at %.0f ms", eval[float64](b, `performance.now()`))
			gate.set("pass")
			b.waitFor("the app to start", `document.getElementById("app-wasm-loader") === null && document.querySelector(".page button:not(:disabled)") !== null`, 60*time.Second)
			b.do(chromedp.Sleep(500 * time.Millisecond)) // OnMount's redraws
			if got := eval[string](b, `document.documentElement.lang`); got != tt.want {
				t.Errorf("<html lang=%q> once the app runs, want %q", got, tt.want)
			}
			after := b.boxes()
			moved, compared := 0, 0
			dataY := math.Inf(1)
			if d, ok := before[tt.data]; ok {
				dataY = d.Y + d.H
			}
			for key, a := range before {
				z, ok := after[key]
				if !ok || a.Y > dataY {
					continue
				}
				compared++
				if math.Abs(a.X-z.X) > 2 || math.Abs(a.Y-z.Y) > 2 || math.Abs(a.W-z.W) > 2 || math.Abs(a.H-z.H) > 2 {
					moved++
					t.Errorf("%s moved when the app took over: %+v before, %+v after", key, a, z)
				}
			}
			if compared < 5 {
				t.Errorf("only %d headings and controls in both drawings (before %d, after %d)", compared, len(before), len(after))
			}
			cls := eval[float64](b, `window.__cls`)
			t.Logf("%s: %d headings and controls compared, %d moved; cumulative layout shift %.4f", tt.name, compared, moved, cls)
			if cls > 0.02 {
				t.Errorf("cumulative layout shift %.4f, want ≤ 0.02; shifts:\n%s", cls, eval[string](b, `window.__shifts.join("\n")`))
			}
			b.viewportShot("firstopen-"+tt.name+"-after", tt.width, 900)
		})
	}
	srv.Stop(t)
}

// TestBrowserFirstOpenRetry: a wasm that cannot be downloaded says so in
// the learner's language, offline or not, never as a raw exception, with a
// retry button that works.
func TestBrowserFirstOpenRetry(t *testing.T) {
	srv := startServer(t, "-broker", "embedded")
	b := newBrowser(t, chromedp.Flag("accept-lang", "ja"))
	gate := b.gateWasm("hold")
	b.do(chromedp.Navigate(srv.URL + "/lab/publisher"))
	gate.waitRequests(1)

	// Offline: the browser says it is, and the download fails.
	b.do(chromedp.Evaluate[chromedp.Void](`Object.defineProperty(navigator, "onLine", {get: () => false, configurable: true})`))
	gate.set("fail")
	b.waitFor("the offline notice", `document.getElementById("app-wasm-loader-label").dataset.state === "offline" && document.getElementById("app-wasm-retry") !== null`, 20*time.Second)
	said := eval[string](b, `document.getElementById("app-wasm-loader").innerText`)
	if role := b.attr("#app-wasm-loader-label", "role"); role != "alert" {
		t.Errorf("the failure's role is %q, want alert (a screen reader says it at once)", role)
	}
	if !strings.Contains(said, "オフライン") || !strings.Contains(said, "再試行") {
		t.Errorf("offline, the page says %q; want it to say offline, in Japanese, with the retry", said)
	}
	b.viewportShot("firstopen-offline-ja", 390, 844)
	b.viewportShot("firstopen-offline-ja", 1280, 900)

	// Back online, the retry fails again: the network or the server.
	b.do(chromedp.Evaluate[chromedp.Void](`Object.defineProperty(navigator, "onLine", {get: () => true, configurable: true})`))
	b.click("#app-wasm-retry")
	gate.waitRequests(2)
	b.waitFor("the failure notice", `document.getElementById("app-wasm-loader-label").dataset.state === "failed" && document.getElementById("app-wasm-retry") !== null`, 20*time.Second)
	said = eval[string](b, `document.getElementById("app-wasm-loader").innerText`)
	if !strings.Contains(said, "ダウンロードできませんでした") || !strings.Contains(said, "再試行") {
		t.Errorf("after a failed download the page says %q; want it in Japanese with the retry", said)
	}
	if body := eval[string](b, `document.body.innerText`); strings.Contains(body, "TypeError") || strings.Contains(body, "Failed to fetch") {
		t.Errorf("the page shows a raw exception:\n%s", body)
	}
	b.viewportShot("firstopen-failed-ja", 390, 844)
	b.viewportShot("firstopen-failed-ja", 1280, 900)
	if got := eval[string](b, coverCheck); got != "page" {
		t.Errorf("the centre of the viewport shows %s after the failure, want the page itself", got)
	}

	// The retry works.
	gate.set("pass")
	b.click("#app-wasm-retry")
	b.waitFor("the app to start after the retry", `document.getElementById("app-wasm-loader") === null && document.querySelector('.nav a[aria-current="page"]') !== null && document.querySelector("#lang-ja:not(:disabled)") !== null`, 60*time.Second)
	if got := eval[string](b, `document.documentElement.lang`); got != "ja" {
		t.Errorf("<html lang=%q> after the retry, want ja", got)
	}
	if n := gate.requests(); n != 3 {
		t.Errorf("%d requests for app.wasm, want 3 (the first, and one per retry)", n)
	}
	srv.Stop(t)
}

// TestBrowserFirstOpenOfflineLang: the installed app, offline, opens in the
// language the learner last used, on any of its pages, before the app
// runs; a learner's choice reaches the server (a cookie), which then
// pre-renders in it; and a warm open online takes the page and everything
// the app needs from the worker's cache, with no round trip.
func TestBrowserFirstOpenOfflineLang(t *testing.T) {
	b := newBrowser(t, chromedp.Flag("accept-lang", "en-US"))
	srv := startServer(t, "-broker", "embedded")
	b.open(srv.URL, "/")
	b.waitFor("the service worker to control the page", `navigator.serviceWorker.controller !== null`, 60*time.Second)
	b.click("#lang-ja")
	b.waitFor("Japanese", `document.documentElement.lang === "ja"`, 10*time.Second)
	if c := eval[string](b, `document.cookie`); !strings.Contains(c, "qos-playground-lang=ja") {
		t.Errorf("cookies %q after choosing Japanese, want the choice", c)
	}
	// A new tab of the same browser, online, without ?lang=: the server
	// pre-renders in the choice.
	_, body := getBodyWithCookie(t, srv.URL+"/lab/faults", "qos-playground-lang=ja")
	if !strings.Contains(body, `<html lang="ja">`) {
		t.Errorf("the server ignores the language cookie: %.300s", body)
	}
	b.waitFor("the worker to keep the Japanese pages", `(() => {
		caches.match("/lab/publisher?lang=ja").then((r) => { window.__jaCached = !!r; });
		return window.__jaCached === true;
	})()`, 30*time.Second)

	// Online, a page without an experiment in its link comes from the
	// worker's copy: no request reaches the network before the app runs.
	b.open(srv.URL, "/lab/subscriber")
	if got := eval[string](b, `performance.getEntriesByType("navigation")[0].deliveryType`); got != "cache-storage" {
		t.Errorf("a warm open of /lab/subscriber: the page came from %q, want the worker's cache (cache-storage)", got)
	}
	if got := eval[string](b, `performance.getEntriesByType("resource").filter((e) => /\/(app\.js|wasm_exec\.js|app\.css|app\.wasm)$/.test(e.name) && e.deliveryType !== "cache-storage").map((e) => e.name + " " + e.deliveryType).join(", ")`); got != "" {
		t.Errorf("a warm open fetched from the network before the app ran: %s", got)
	}
	if got := eval[string](b, `document.documentElement.lang`); got != "ja" {
		t.Errorf("the warm open is in %q, want ja (the learner's choice)", got)
	}

	srv.Stop(t)
	// The wasm never finishes compiling: what shows is the cached page.
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `WebAssembly.instantiateStreaming = () => new Promise(() => {});`,
	}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/lab/publisher"} {
		b.do(chromedp.Navigate(srv.URL + path))
		b.waitFor("the cached page", `document.getElementById("app-wasm-loader") !== null && document.querySelector(".page") !== null`, 20*time.Second)
		if got := eval[string](b, `document.documentElement.lang + " " + document.querySelector(".nav a[aria-current]").textContent`); !strings.HasPrefix(got, "ja ") || !strings.ContainsAny(got, "プパ") {
			t.Errorf("offline %s opens as %q, want the Japanese page (the language last used)", path, got)
		}
	}
	b.viewportShot("firstopen-offline-cached-ja", 390, 844)
}

// getBodyWithCookie GETs url with a Cookie header.
func getBodyWithCookie(t *testing.T, url, cookie string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Cookie", cookie)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// TestBrowserFirstOpenPreload: app.wasm's download starts from the page's
// head (a preload), not once the deferred app.js has run, and app.js takes
// that download over: the page fetches app.wasm once. A fetch that missed
// the preload (another mode or credentials) would be a second request.
func TestBrowserFirstOpenPreload(t *testing.T) {
	srv := startServer(t, "-broker", "embedded")
	b := newBrowser(t)
	b.open(srv.URL, "/lab/publisher")
	got := eval[string](b, `JSON.stringify(performance.getEntriesByType("resource").filter((e) => new URL(e.name).pathname === "/web/app.wasm").map((e) => e.initiatorType))`)
	if got != `["link"]` {
		t.Errorf("app.wasm's requests by initiator: %s, want one, from the page's head ([\"link\"])", got)
	}
	srv.Stop(t)
}
