package main

import (
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/i18n"
	"qosplayground/app/ui"
)

// TestAppFilter: go-app's responses leave the server with app.js
// registering the service worker once the app has started, pages that
// allow zooming, and text compressed for the browsers that accept it.
func TestAppFilter(t *testing.T) {
	worker, err := appWorkerJS(nil)
	if err != nil {
		t.Fatal(err)
	}
	ui.Routes()
	srv := httptest.NewServer(filterApp(appHandler("../web", app.Environment{}, worker)))
	defer srv.Close()

	get := func(method, path, acceptEncoding string, extra ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", acceptEncoding) // also stops Go's own gzip
		for i := 0; i+1 < len(extra); i += 2 {
			req.Header.Set(extra[i], extra[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if cl := res.Header.Get("Content-Length"); cl != "" && method != http.MethodHead && cl != strconv.Itoa(len(raw)) {
			t.Errorf("%s %s: Content-Length %s for %d bytes", method, path, cl, len(raw))
		}
		var r io.Reader = bytes.NewReader(raw)
		switch res.Header.Get("Content-Encoding") {
		case "br":
			r = brotli.NewReader(r)
		case "gzip":
			if r, err = gzip.NewReader(r); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s %s: decoding %s: %v", method, path, res.Header.Get("Content-Encoding"), err)
		}
		return res, body
	}

	res, js := get(http.MethodGet, "/app.js", "gzip, deflate, br")
	if res.Header.Get("Content-Encoding") != "br" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("/app.js: Content-Encoding %q, Vary %q; want br and Accept-Encoding", res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
	}
	if bytes.Contains(js, []byte(goAppShowError)) || !bytes.Contains(js, []byte("qosFirstOpenFailed(loader, loaderIcon, loaderLabel);")) || !bytes.Contains(js, []byte("qosFirstOpenProgress(loaderLabel, progress);")) {
		t.Errorf("app.js shows a failed download's raw exception, or its progress in English only")
	}
	// The teacher's board loads its own wasm, the learners' pages app.wasm.
	if bytes.Contains(js, []byte(goAppFetchWASM)) || !bytes.Contains(js, []byte(`location.pathname === "/teacher" ? "/web/teacher.wasm" : "/web/app.wasm"`)) {
		t.Errorf("app.js fetches app.wasm on every page, the teacher's board's too")
	}
	if bytes.Contains(js, []byte(goAppRegisterWorker)) || !bytes.Contains(js, []byte("goappInitServiceWorker().then(")) || !bytes.Contains(js, []byte("qosPlaygroundCacheLater")) {
		t.Errorf("app.js registers the service worker as go-app does, not once the app has started:\n%s", js)
	}

	res, page := get(http.MethodGet, "/", "gzip")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("/ with gzip: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	if bytes.Contains(page, noZoomViewport) || !bytes.Contains(page, zoomViewport) {
		t.Error("the page forbids zooming")
	}
	// The download's status speaks the page's language (issue 13, item
	// 16; issue 14): the page carries its texts, app.js shows them
	// (TestPageLang has the page in each language).
	if !bytes.Contains(page, []byte(`id="app-wasm-loader-label"`)) || !bytes.Contains(page, []byte(`id="qos-first-open"`)) || !bytes.Contains(page, []byte(strings.ReplaceAll(i18n.FirstOpenStarting.EN, "{progress}", "0"))) {
		t.Error("the page has no download status and texts")
	}
	// app.wasm's download starts from the head, after the stylesheets
	// (TestBrowserFirstOpenPreload); the teacher's board preloads its own.
	preload := wasmPreload(appWASMPath)
	if at := bytes.Index(page, preload); at < 0 || at > bytes.Index(page, []byte("<script")) || at < bytes.LastIndex(page[:bytes.Index(page, []byte("</head>"))], []byte(`rel="stylesheet"`)) {
		t.Errorf("the page's head does not preload app.wasm after its stylesheets and before its scripts")
	}
	if board := patchPage([]byte("<html><head><script></script></head></html>"), pageWASM(teacherPath)); !bytes.Contains(board, wasmPreload(teacherWASMPath)) || bytes.Contains(board, preload) {
		t.Errorf("the teacher's board preloads app.wasm instead of its own wasm: %s", board)
	}
	res, plain := get(http.MethodGet, "/", "identity")
	// (go-app writes attributes in map order: the same page, not the same bytes)
	if res.Header.Get("Content-Encoding") != "" || len(plain) != len(page) || !bytes.Contains(plain, []byte(`id="connect"`)) {
		t.Errorf("/ with identity: Content-Encoding %q, %d bytes vs %d decoded from gzip", res.Header.Get("Content-Encoding"), len(plain), len(page))
	}
	if res, body := get(http.MethodHead, "/", "br"); len(body) != 0 || res.Header.Get("Content-Type") == "" {
		t.Errorf("HEAD /: %d bytes of body, Content-Type %q", len(body), res.Header.Get("Content-Type"))
	}
	// A range of the stylesheet is the file's bytes, not a compressed copy's.
	res, part := get(http.MethodGet, "/web/app.css", "br", "Range", "bytes=0-9")
	if res.StatusCode != http.StatusPartialContent || res.Header.Get("Content-Encoding") != "" || len(part) != 10 {
		t.Errorf("range of app.css: %d, Content-Encoding %q, %d bytes", res.StatusCode, res.Header.Get("Content-Encoding"), len(part))
	}
	res, _ = get(http.MethodGet, "/web/icon-192.png", "br")
	if res.Header.Get("Content-Encoding") != "" {
		t.Errorf("a PNG was compressed again (%s)", res.Header.Get("Content-Encoding"))
	}

	if _, err := patchAppJS([]byte("go-app rewrote its loader")); err == nil {
		t.Error("patchAppJS accepted an app.js without the call it replaces")
	}
}

// TestPreRenderSecureOrigin: a page served over HTTPS (TLS here, or a
// trusted proxy's X-Forwarded-Proto, which sets the URL's scheme) shows
// its own broker address as wss:// and its links as https:// from the
// first paint; go-app pre-renders them as http.
func TestPreRenderSecureOrigin(t *testing.T) {
	page := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<html><body><input id="broker-url" value="ws://play.example.org/mqtt"><a href="http://play.example.org/lab/task1">x</a><a href="http://other.example/">y</a></body></html>`)
	}
	h := filterApp(http.HandlerFunc(page))
	for _, tt := range []struct {
		name              string
		tls, proxyHTTPS   bool
		wantWS, wantHTTPS bool
	}{
		{"plain http", false, false, false, false},
		{"tls", true, false, true, true},
		{"behind a trusted https proxy", false, true, true, true},
	} {
		r := httptest.NewRequest("GET", "http://play.example.org/", nil)
		if tt.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if tt.proxyHTTPS {
			r.URL.Scheme = "https"
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body := w.Body.String()
		if got := strings.Contains(body, `value="wss://play.example.org/mqtt"`); got != tt.wantWS {
			t.Errorf("%s: wss broker address %v, want %v: %s", tt.name, got, tt.wantWS, body)
		}
		if got := strings.Contains(body, `href="https://play.example.org/lab/task1"`); got != tt.wantHTTPS {
			t.Errorf("%s: https link %v, want %v: %s", tt.name, got, tt.wantHTTPS, body)
		}
		if !strings.Contains(body, `href="http://other.example/"`) {
			t.Errorf("%s: another site's link changed: %s", tt.name, body)
		}
	}
}
