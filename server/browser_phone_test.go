package main

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The open on a phone (issue 14, item 4): the long main-thread tasks of
// the open, cut up where they are ours. make bench's measurement 3 has
// their durations; these tests check how the work is split, never how fast.

// firstTaskScript notes, when app.js removes go-app's loader (right after
// go.run has returned, in the same task), whether the pre-rendered page is
// still in place: go-app's first drawing replaces it. Mutation observers
// run in that task's microtasks, before any later task.
const firstTaskScript = `document.addEventListener("DOMContentLoaded", () => {
	const pre = document.body.firstElementChild;
	new MutationObserver((_, mo) => {
		if (!document.getElementById("app-wasm-loader")) {
			window.atGoRunReturn = pre.isConnected ? "pre-render" : "replaced";
			mo.disconnect();
		}
	}).observe(document.body, {childList: true, subtree: true});
});`

// TestBrowserFirstDrawingInATaskOfItsOwn: the Go runtime's start (every
// package's init) and go-app's first drawing of the page were one task of
// the browser, 1 to 1.5 s long on the phone profile; the app now gives the
// browser its thread back in between, so the pre-rendered page is still
// there when the first task ends, and the app's drawing comes after.
func TestBrowserFirstDrawingInATaskOfItsOwn(t *testing.T) {
	srv := startServer(t, "-broker", "embedded")
	b := newBrowser(t)
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: firstTaskScript}); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(srv.URL + "/?lang=en"))
	b.waitFor("go.run to return", `window.atGoRunReturn !== undefined`, 60*time.Second)
	if got := eval[string](b, `window.atGoRunReturn`); got != "pre-render" {
		t.Errorf("when go.run returned the first time the page was %s; want the pre-render still in place (go-app's first drawing in a task of its own)", got)
	}
	// And the app does draw the page afterwards.
	b.waitFor("the app's drawing", `document.querySelector("#conn-state") !== null && !document.querySelector("#connect").disabled`, 30*time.Second)
}

// labelWrites counts the changes of the download's status (app.js's label
// under the pre-rendered page) and the download's span on the page's clock.
const labelWrites = `document.addEventListener("DOMContentLoaded", () => {
	const label = document.getElementById("app-wasm-loader-label");
	window.labelWrites = 0;
	new MutationObserver(() => {
		window.labelWrites++;
		if (!window.labelFirst) { window.labelFirst = performance.now(); }
		window.labelLast = performance.now();
	}).observe(label, {childList: true, characterData: true, subtree: true});
});`

// TestBrowserDownloadStatusCalm: app.js rewrote the download's status for
// every chunk of app.wasm, each a style, layout and paint of the page (50
// to 200 ms tasks on the phone profile); now at most twice a second, by the
// page's own clock, however long the download takes.
func TestBrowserDownloadStatusCalm(t *testing.T) {
	srv := startServer(t, "-broker", "embedded")
	b := newBrowser(t)
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: labelWrites}); err != nil {
		t.Fatal(err)
	}
	// About 2 s of download in many chunks.
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{URLPattern: srv.URL + "/web/app.wasm", DownloadThroughput: 1_000_000, UploadThroughput: -1}},
	}); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(srv.URL + "/?lang=en"))
	b.waitFor("the app", `!document.getElementById("app-wasm-loader")`, 90*time.Second)
	writes := eval[float64](b, `window.labelWrites`)
	span := eval[float64](b, `(window.labelLast - window.labelFirst) / 1000`)
	if limit := 2*span + 3; writes > limit {
		t.Errorf("the download's status changed %v times in %.1f s; want at most twice a second (%v)", writes, span, limit)
	}
	if writes < 2 {
		t.Errorf("the download's status changed %v times; want its progress shown while app.wasm downloads", writes)
	}
}
