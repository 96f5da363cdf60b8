package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/app/i18n"
	"qosplayground/app/ui"
)

// TestBrowserStaticIntegration: the folder `make static` writes (the
// server's -static), served by a plain file server with no /mqtt and no
// API, opens straight on a lab page, says it runs on the broker in the tab,
// and runs the tutorial's integration run there with the same results as
// on a real broker (TestBrowserLab).
func TestBrowserStaticIntegration(t *testing.T) {
	b := newBrowser(t)
	bin, web := buildOnce(t)
	dir := filepath.Join(t.TempDir(), "static")
	if out, err := exec.Command(bin, "-static", dir, "-web", web).CombinedOutput(); err != nil {
		t.Fatalf("server -static: %v\n%s", err, out)
	}
	files := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(files.Close)

	// A static host serves the same file whatever the query, the cookie
	// or Accept-Language: with the wasm held back, the page is still
	// pre-rendered in the language the app will pick (?lang=, else the
	// stored choice, else the browser's), uncovered, and the app then
	// starts in it.
	gate := b.gateWasm("hold")
	preRendered := func(what, lang, title, faults string) {
		t.Helper()
		b.waitFor(what, `document.documentElement.lang === "`+lang+`" && document.getElementById("app-wasm-loader") !== null && document.title.startsWith(`+cssString(title)+`) && document.querySelector('.nav a[href="/lab/faults"]').innerText === `+cssString(faults)+` && document.querySelectorAll("template").length === 0`, 10*time.Second)
	}
	b.do(chromedp.Navigate(files.URL + "/lab/faults?lang=en"))
	preRendered("the page pre-rendered in English", "en", "QoS Playground", i18n.NavFaults.EN)
	eval[bool](b, `(localStorage.setItem(`+cssString(ui.StorageLang)+`, '"ja"'), true)`)
	b.do(chromedp.Navigate(files.URL + "/lab/faults"))
	preRendered("the page pre-rendered in the stored choice", "ja", "QoS プレイグラウンド", i18n.NavFaults.JA)
	eval[bool](b, `(localStorage.removeItem(`+cssString(ui.StorageLang)+`), true)`)
	b.do(chromedp.Navigate(files.URL + "/lab/integration?lang=ja"))
	preRendered("the page pre-rendered in Japanese", "ja", "QoS プレイグラウンド", i18n.NavFaults.JA)
	if at := eval[string](b, coverCheck); at != "page" {
		t.Errorf("with the wasm held back, the centre of the viewport shows %s, want the page", at)
	}
	if left := englishLeft(b); len(left) > 0 {
		t.Errorf("English left on the Japanese pre-render:\n  %s", strings.Join(left, "\n  "))
	}
	b.screenshot("static-prerender-ja", 390)
	b.screenshot("static-prerender-ja", 1280)
	gate.set("pass")
	b.waitFor("the app to start in Japanese", `document.getElementById("app-wasm-loader") === null && document.documentElement.lang === "ja" && document.querySelector('.nav a[href="/lab/faults"]').innerText === `+cssString(i18n.NavFaults.JA), 60*time.Second)

	// A Japanese browser, with no choice stored.
	jb := newBrowser(t, chromedp.Flag("accept-lang", "ja"))
	jb.gateWasm("hold")
	jb.do(chromedp.Navigate(files.URL + "/"))
	jb.waitFor("the page pre-rendered for a Japanese browser", `document.documentElement.lang === "ja" && document.getElementById("app-wasm-loader") !== null && document.querySelector('.nav a[href="/lab/faults"]').innerText === `+cssString(i18n.NavFaults.JA), 10*time.Second)

	b.open(files.URL, "/lab/integration?lang=en")
	b.waitFor("the page to say it runs on the broker in the tab",
		`document.querySelector("#broker-notice").dataset.reason === "static" && document.querySelector("#broker-notice").innerText.includes("no server")`, 10*time.Second)
	runIntegration(t, b)
	b.screenshot("static-integration", 1280)

	// The fault lab: the network faults are off with their reason, the
	// broker restart runs in the tab.
	b.open(files.URL, "/lab/faults?lang=en")
	b.waitFor("the faults that need the server to be off", `document.querySelector("#faults-need-server") !== null && document.querySelector("#lesson-qos1") === null`, 10*time.Second)
	b.waitFor("the restart to be offered", `document.querySelector("#restart-status") && document.querySelector("#restart-status").dataset.allowed === "true"`, 10*time.Second)
	b.click("#run-restart")
	b.waitFor("the restart lesson to finish", `document.querySelector("#restart-result") !== null`, 60*time.Second)
	if msg := eval[string](b, `document.querySelector("#restart-error").hidden ? "" : document.querySelector("#restart-error").innerText`); msg != "" {
		t.Fatalf("restart lesson error: %s", msg)
	}
	if got := b.attr("#restart-result", "data-lost") + "/" + b.attr("#restart-result", "data-session-present"); got != "0/true" {
		t.Errorf("restart with persistence on: lost/session present = %s, want 0/true", got)
	}
	b.screenshot("static-faults", 1280)
}

// TestStaticNeedsWasm: -static without a built app.wasm says what to do
// instead of writing a folder that cannot start.
func TestStaticNeedsWasm(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "static")
	err := run(t.Context(), []string{"-static", dir, "-web", t.TempDir()}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("-static with no app.wasm: %v, want an error that says to build it", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("-static with no app.wasm made %s (%v)", dir, err)
	}
}

// TestStaticFolder: -static writes every page under both of its names, the
// server's manifest, the web directory without the precompressed copies,
// and pages that start on the broker in the tab.
func TestStaticFolder(t *testing.T) {
	web := t.TempDir()
	for name, body := range map[string]string{"app.wasm": "not really wasm", "app.wasm.br": "x", brokerWASM: "nor this", "app.css": "body {}", "icon-192.png": "png"} {
		if err := os.WriteFile(filepath.Join(web, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "static")
	if err := run(t.Context(), []string{"-static", dir, "-web", web}, io.Discard); err != nil {
		t.Fatalf("-static: %v", err)
	}
	for _, f := range []string{"index.html", "app.js", "app-worker.js", "wasm_exec.js", "web/app.wasm", "web/" + brokerWASM, "web/app.css", "web/icon-192.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the static folder lacks %s: %v", f, err)
		}
	}
	for _, page := range []string{"lab/publisher", "lab/subscriber", "lab/integration", "lab/task1", "lab/faults"} {
		a, errA := os.ReadFile(filepath.Join(dir, page))
		b, errB := os.ReadFile(filepath.Join(dir, page+".html"))
		if errA != nil || errB != nil || !bytes.Equal(a, b) || !bytes.HasPrefix(a, []byte("<!DOCTYPE html>")) {
			t.Errorf("page %s: want the same HTML under both names (%v, %v)", page, errA, errB)
		}
		if !bytes.Contains(a, []byte(`<template id="qos-pre-ja" data-title="`+i18n.PageTitle.JA+`"`)) || !bytes.HasPrefix(a, []byte("<!DOCTYPE html>\n<html lang=\"en\">")) {
			t.Errorf("page %s: want the English page with the Japanese one in it", page)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "web", "app.wasm.br")); !os.IsNotExist(err) {
		t.Errorf("web/app.wasm.br copied (%v): a static host would never send it", err)
	}
	if m, err := os.ReadFile(filepath.Join(dir, "manifest.webmanifest")); err != nil || !bytes.Equal(m, manifest()) {
		t.Errorf("manifest.webmanifest is not the server's manifest (%v)", err)
	}
	js, err := os.ReadFile(filepath.Join(dir, "app.js"))
	if err != nil || !bytes.Contains(js, []byte(`"`+ui.EnvBroker+`":"`+ui.EnvBrokerInTab+`"`)) {
		t.Errorf("app.js does not start the pages on the broker in the tab (%v)", err)
	}
	if !bytes.Contains(js, []byte("qosPlaygroundCacheLater")) {
		t.Error("app.js is go-app's, not the server's (patchAppJS)")
	}
	if page, err := os.ReadFile(filepath.Join(dir, "index.html")); err != nil || bytes.Contains(page, noZoomViewport) {
		t.Errorf("index.html forbids zooming (%v)", err)
	}
}
