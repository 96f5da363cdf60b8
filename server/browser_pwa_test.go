package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"qosplayground/app/intab"
	"qosplayground/server/internal/precompress"
)

// linkedWebDir is a new directory with links to the test build's web
// files, but those named in leaveOut.
func linkedWebDir(t *testing.T, leaveOut ...string) string {
	t.Helper()
	_, built := buildOnce(t)
	dir := t.TempDir()
	entries, err := os.ReadDir(built)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if slices.Contains(leaveOut, e.Name()) {
			continue
		}
		abs, _ := filepath.Abs(filepath.Join(built, e.Name()))
		if err := os.Symlink(abs, filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// precompressedWebDir is the test build's web directory with app.wasm.br
// and app.wasm.gz next to app.wasm, as `make build` leaves web/ (at a
// lower brotli quality, to be quick).
func precompressedWebDir(t *testing.T) string {
	t.Helper()
	dir := linkedWebDir(t)
	if err := precompress.Compress(filepath.Join(dir, "app.wasm"), precompress.Options{BrotliQuality: 5, GzipLevel: 6}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// waitInstallable polls Chrome's installability check (the one behind
// its install button) until it reports no error; it needs the manifest,
// its icons and the service worker, which arrive over a few seconds.
func (b *browser) waitInstallable(timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		res, err := chromedp.Call(b.ctx, page.GetInstallabilityErrors, cdp.Empty{})
		if err != nil {
			b.t.Fatalf("Page.getInstallabilityErrors: %v", err)
		}
		var errs []string
		for _, e := range res.InstallabilityErrors {
			s := e.ErrorID
			for _, a := range e.ErrorArguments {
				s += fmt.Sprintf(" %s=%s", a.Name, a.Value)
			}
			errs = append(errs, s)
		}
		if len(errs) == 0 {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("Chrome says the app is not installable: %s", strings.Join(errs, "; "))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// swActivated is true once the page's service worker registration has an
// activated worker (it has cached the app).
const swActivated = `(() => {
	navigator.serviceWorker.getRegistration().then(r => { window.__swState = r && r.active ? r.active.state : ""; });
	return window.__swState === "activated";
})()`

// waitCached waits until every one of paths is in the service worker's
// cache (what was kept for offline use).
func (b *browser) waitCached(what string, timeout time.Duration, paths ...string) {
	b.t.Helper()
	list, _ := json.Marshal(paths)
	key, _ := json.Marshal(string(list)) // each list its own answer: no stale true from another
	b.waitFor(what+" in the service worker's cache", `(() => {
		const seen = window.__qosCached = window.__qosCached || {};
		Promise.all(`+string(list)+`.map((u) => caches.match(u)))
			.then((rs) => { seen[`+string(key)+`] = rs.every((r) => !!r); });
		return seen[`+string(key)+`] === true;
	})()`, timeout)
}

// wasmTransfer reports how app.wasm came over the network on this page's
// load: bytes on the wire and decoded.
type wasmTransfer struct {
	Encoded int64 `json:"encoded"`
	Decoded int64 `json:"decoded"`
}

func (b *browser) wasmTransfer() wasmTransfer {
	b.t.Helper()
	s := eval[string](b, `(() => {
		const e = performance.getEntriesByName(location.origin + "/web/app.wasm")[0];
		return JSON.stringify(e ? {encoded: e.encodedBodySize, decoded: e.decodedBodySize} : {});
	})()`)
	var w wasmTransfer
	json.Unmarshal([]byte(s), &w)
	return w
}

// fileSize is the size of a file in dir, or -1.
func fileSize(dir, name string) int64 {
	info, err := os.Stat(filepath.Join(dir, name))
	if err != nil {
		return -1
	}
	return info.Size()
}

// TestBrowserPWAInstallableAndOffline: Chrome finds the app installable;
// app.wasm arrives compressed; after one visit the server is stopped and
// the app still loads, on its own pages and on links with an experiment
// in the query string, says plainly that it cannot reach the server, and
// completes a QoS 2 round trip on the broker in the tab.
func TestBrowserPWAInstallableAndOffline(t *testing.T) {
	b := newBrowser(t)
	web := precompressedWebDir(t)
	srv := startServer(t, "-broker", "embedded", "-web", web)

	b.open(srv.URL, "/")
	b.waitInstallable(30 * time.Second)

	tr := b.wasmTransfer()
	br, gz := fileSize(web, "app.wasm.br"), fileSize(web, "app.wasm.gz")
	t.Logf("app.wasm over http: %d bytes on the wire for %d (app.wasm.br %d, app.wasm.gz %d)", tr.Encoded, tr.Decoded, br, gz)
	if tr.Decoded != fileSize(web, "app.wasm") || (tr.Encoded != br && tr.Encoded != gz) {
		t.Errorf("app.wasm came as %d bytes decoding to %d, want one of the compressed copies (%d, %d) decoding to app.wasm", tr.Encoded, tr.Decoded, br, gz)
	}

	// go-app's worker controls the pages loaded after it is activated.
	b.waitFor("the service worker to be activated", swActivated, 60*time.Second)
	b.open(srv.URL, "/")
	if !eval[bool](b, `navigator.serviceWorker.controller !== null`) {
		t.Fatal("the reloaded page is not controlled by the service worker")
	}
	// The in-tab broker is not part of the worker's install: the page asks
	// for it once the app has started (cacheLater).
	b.waitCached("the in-tab broker", 60*time.Second, intab.WASM)

	srv.Stop(t) // the network is gone: nothing answers on the server's port

	for _, tt := range []struct{ path, want string }{
		{"/", "QoS Playground"},
		{"/?lang=ja&topic=offline%2Ftest", "QoS プレイグラウンド"},
		{"/lab/publisher?lang=en", "Publisher"},
	} {
		// The worker answers every page with the cached document; the app
		// then draws it in the link's language.
		b.open(srv.URL, tt.path)
		b.waitFor(fmt.Sprintf("offline %s to show %q", tt.path, tt.want),
			`document.body.innerText.includes(`+cssString(tt.want)+`)`, 20*time.Second)
	}

	// The reloaded app finds no server and falls back to the broker in
	// the tab, saying so; a QoS 2 round trip runs there, all four packets
	// of each exchange in the packet list.
	b.open(srv.URL, "/?lang=en")
	b.waitFor("the page to say it fell back to the broker in the tab",
		`document.querySelector("#broker-notice").dataset.reason === "unreachable" && document.querySelector("#broker-url").value === "intab://tab"`, 20*time.Second)
	if said := eval[string](b, `document.querySelector("#broker-notice").innerText`); !strings.Contains(said, "cannot be reached") || !strings.Contains(said, "broker of its own") {
		t.Errorf("offline, the page says %q; want it to say plainly that the server cannot be reached and the tab uses its own broker", said)
	}
	b.connect("connected to the broker in the tab", 20*time.Second)
	b.set("#sub-filter", "offline/#")
	b.set("#sub-qos", "2")
	b.click("#subscribe")
	b.waitFor("SUBACK", `document.querySelector('#subscriptions li[data-filter="offline/#"][data-granted="2"]') !== null`, 10*time.Second)
	b.set("#pub-topic", "offline/qos2")
	b.set("#pub-payload", "exactly once, no server")
	b.set("#pub-qos", "2")
	b.click("#publish")
	b.waitFor("the QoS 2 message back", messageShown("offline/qos2", 2, "exactly once, no server"), 10*time.Second)
	b.waitFor("the QoS 2 handshakes in the packet list", qos2Handshakes, 10*time.Second)
	b.screenshot("offline", 1280)
	b.screenshot("offline", 390)

	// A learner who picks the server's broker again is told plainly that
	// it cannot be reached, and the tab falls back once more.
	b.disconnect("disconnected", 10*time.Second)
	b.set("#broker-choice", "server")
	b.waitFor("the server's URL in the form", `document.querySelector("#broker-url").value.endsWith("/mqtt")`, 5*time.Second)
	b.click("#connect")
	b.waitFor("the connection to fail", `document.querySelector("#conn-state").dataset.state === "disconnected" && document.querySelector("#conn-error") !== null && !document.querySelector("#conn-error").hidden && document.querySelector("#conn-error").innerText !== ""`, 20*time.Second)
	if said := eval[string](b, `document.querySelector("#conn-error").innerText`); !strings.Contains(said, "cannot be reached") {
		t.Errorf("offline, the page says %q; want it to say plainly that the server cannot be reached", said)
	}
	b.waitFor("the fall back to the broker in the tab", `document.querySelector("#broker-notice").dataset.reason === "unreachable" && document.querySelector("#broker-url").value === "intab://tab"`, 10*time.Second)
}

// TestBrowserPWAUpdateNotice: the server is restarted on the same address
// with a new version, twice.
//
// B: a tab opened once, left open (its worker claimed it), learns of B
// when it checks for an update (as it does every 15 minutes) and offers to
// reload into it.
//
// C: the tab, now on B, is reloaded once after the upgrade to C. It starts
// from its cache, still B, shows the notice in the learner's language,
// "Later" puts it away, and its Reload button brings C. Here go-app's own
// signal is silenced, as when the new worker is installed before the old
// wasm has started: the notice must come from asking the worker.
func TestBrowserPWAUpdateNotice(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	origin := srv.URL

	// restart stops the server and starts the same build on the same
	// address with another -max-packet, which the page is told in app.js:
	// what the browser cached is out of date. It returns the new version.
	restart := func(maxPacket string, old string) string {
		t.Helper()
		srv.Stop(t)
		srv = startServer(t, "-broker", "embedded", "-addr", "127.0.0.1:"+port, "-max-packet", maxPacket)
		if srv.URL != origin {
			t.Fatalf("the new version serves at %s, not at the tab's origin %s", srv.URL, origin)
		}
		_, appJS := getBody(t, srv.URL+"/app.js")
		m := appJSVersionRe.FindStringSubmatch(appJS)
		if m == nil || m[1] == old {
			t.Fatalf("the new server's version %v, want one other than %s", m, old)
		}
		return m[1]
	}
	running := func() string { return eval[string](b, `goappGetenv("GOAPP_VERSION")`) }

	b.open(origin, "/?lang=en")
	versionA := running()
	b.waitFor("the service worker to control the first page", `navigator.serviceWorker.controller !== null`, 60*time.Second)
	if b.count("#update-reload") != 0 {
		t.Fatal("an update notice with no new version")
	}

	versionB := restart("65536", versionA)
	b.do(chromedp.Evaluate[chromedp.Void](`navigator.serviceWorker.getRegistration().then(r => r.update())`))
	b.waitFor("the notice in the tab left open", `document.querySelector("#update-reload") !== null`, 60*time.Second)
	b.click("#update-reload")
	b.waitFor("version B to run", fmt.Sprintf(`typeof goappGetenv === "function" && goappGetenv("GOAPP_VERSION") === %q && document.getElementById("app-wasm-loader") === null`, versionB), 60*time.Second)
	// The notice does not come back for the version the tab now runs:
	// the worker answers B to the notice, then to the test's own question.
	b.waitFor("the worker to say B", workerSays(versionB), 10*time.Second)
	if b.count("#update-reload") != 0 {
		t.Error("the notice shows again after reloading into the new version")
	}

	versionC := restart("131072", versionB)
	// From now on go-app's update callback is a no-op the wasm cannot
	// replace.
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `Object.defineProperty(window, "goappOnUpdate", {get() { return () => {}; }, set(v) {}, configurable: false});`,
	}); err != nil {
		t.Fatal(err)
	}
	// The tab starts from the worker's cache: version B, which it runs
	// until the learner reloads.
	b.open(origin, "/?lang=en")
	if v := running(); v != versionB {
		t.Errorf("the reloaded tab runs %s, want B (%s) from the cache (C is %s)", v, versionB, versionC)
	}
	b.waitFor("the update notice", `document.querySelector("#update-reload") !== null`, 60*time.Second)
	notice := eval[string](b, `document.querySelector("#update-notice").innerText`)
	if !strings.Contains(notice, "A new version") || b.attr("#update-notice", "role") != "status" {
		t.Errorf("notice %q (role %q), want the English text in a status region", notice, b.attr("#update-notice", "role"))
	}
	b.viewportShot("update-notice-en", 1280, 800)
	b.viewportShot("update-notice-en", 390, 844)
	axeAudit(t, b, "update notice (en)")

	b.click("#lang-ja")
	b.waitFor("the notice in Japanese", `document.querySelector("#update-notice").innerText.includes("新しいバージョン") && document.querySelector("#update-reload").innerText === "再読み込み"`, 10*time.Second)
	b.viewportShot("update-notice-ja", 1280, 800)
	b.viewportShot("update-notice-ja", 390, 844)
	axeAudit(t, b, "update notice (ja)")

	// "Later" puts the notice away; the next page brings it back (the new
	// version is still waiting).
	b.click("#update-later")
	b.waitFor("the notice to go", `document.querySelector("#update-reload") === null && document.querySelector("#update-notice") !== null`, 5*time.Second)
	b.click(`.nav a[href="/lab/publisher"]`)
	b.waitFor("the notice on the next page", `document.querySelector("#update-reload") !== null`, 10*time.Second)

	b.click("#update-reload")
	b.waitFor("version C to run", fmt.Sprintf(`typeof goappGetenv === "function" && goappGetenv("GOAPP_VERSION") === %q && document.getElementById("app-wasm-loader") === null`, versionC), 60*time.Second)
	b.waitFor("the worker to say C", workerSays(versionC), 10*time.Second)
	if b.count("#update-reload") != 0 {
		t.Error("the notice shows again after reloading into the new version")
	}
}

// viewportShot saves what a person sees in a window of width×height (the
// notice sits at the bottom of the window, wherever the page is scrolled),
// under artifacts/ as screenshot does.
func (b *browser) viewportShot(name string, width, height int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, height))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	b.savePNG(name, width, png)
}

// workerSays asks the controlling service worker for its version, as
// app/ui/update.go does, and is true once it has answered v.
func workerSays(v string) string {
	return fmt.Sprintf(`(() => {
		if (!window.__askedVersion && navigator.serviceWorker.controller) {
			window.__askedVersion = true;
			navigator.serviceWorker.addEventListener("message", (e) => {
				if (e.data && e.data.qosPlaygroundVersion) window.__workerVersion = e.data.qosPlaygroundVersion;
			});
			navigator.serviceWorker.controller.postMessage({qosPlaygroundVersion: "?"});
		}
		return window.__workerVersion === %q;
	})()`, v)
}

// axeAudit runs axe-core on the page when `make deps` installed it: no
// serious or critical violation.
func axeAudit(t *testing.T, b *browser, what string) {
	t.Helper()
	axe, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is missing (%v), and CI is set: `make deps` installs it", err)
		}
		t.Logf("SKIP accessibility audit of %s: axe-core is not installed (`make deps`)", what)
		return
	}
	b.do(chromedp.Evaluate[chromedp.Void](string(axe)))
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe: %v", what, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("%s: axe result: %v", what, err)
	}
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("%s: axe %s violation %s: %s", what, v.Impact, v.ID, v.Help)
		}
	}
}
