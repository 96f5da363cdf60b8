package main

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The open on a phone (issue 14, item 4): the long main-thread tasks of
// the open that are ours. make bench's measurement 3 has their durations;
// these tests check what the page does, never how fast.

// labelWrites counts the changes of the download's status (app.js's label
// under the pre-rendered page) and the download's span on the page's clock.
const labelWrites = `document.addEventListener("DOMContentLoaded", () => {
	const label = document.getElementById("app-wasm-loader-label");
	window.labelWrites = 0;
	new MutationObserver(() => {
		window.labelWrites++;
		(window.labelTimes = window.labelTimes || []).push(Math.round(performance.now()) + ":" + label.innerText);
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
		t.Errorf("the download's status changed %v times in %.1f s; want at most twice a second (%v): %s", writes, span, limit, eval[string](b, `window.labelTimes.join(", ")`))
	}
	if writes < 2 {
		t.Errorf("the download's status changed %v times; want its progress shown while app.wasm downloads", writes)
	}
}
