package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserEmbedView: ?embed=1 shows the page without the title and the
// navigation, with the language switch and a link to the whole app that
// drops embed, and the app's own links keep the view.
func TestBrowserEmbedView(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")

	b.do(chromedp.Navigate(srv.URL + "/lab/task1?embed=1&lang=ja"))
	b.waitFor("the embedded view", `document.querySelector("#open-full") !== null && document.getElementById("app-wasm-loader") === null`, 60*time.Second)
	if n := b.count(".nav, .tagline, h1"); n != 0 {
		t.Errorf("%d title or navigation elements in the embedded view", n)
	}
	if n := b.count("#lang-ja, #lang-en"); n != 2 {
		t.Errorf("%d language buttons, want 2", n)
	}
	href := b.attr("#open-full", "href")
	if href != srv.URL+"/lab/task1?lang=ja" {
		t.Errorf("the full app link is %q, want the page without embed", href)
	}
	if got := eval[string](b, `document.documentElement.lang`); got != "ja" {
		t.Errorf("lang %q, want ja from the link", got)
	}
	b.screenshot("embed-task1", 390)
	b.screenshot("embed-task1", 1280)
	srv.Stop(t)
}
