package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"

	"qosplayground/app/i18n"
	"qosplayground/server/internal/precompress"
)

// go-app's pages forbid zooming in their viewport; learners on phones, and
// anyone with low vision, must be able to zoom.
var (
	noZoomViewport = []byte("initial-scale=1, maximum-scale=1, user-scalable=0,")
	zoomViewport   = []byte("initial-scale=1,")
)

// goAppRegisterWorker is where go-app v9.8.0's app.js registers the
// service worker, as soon as it runs. On a first visit the worker's install
// then fetches and stores the whole app, app.wasm again, while the page
// downloads and compiles it: app.js registers it once the app has started
// instead (laterJS): in one A/B of make bench's measurement 3, a cold open's
// app.wasm had its last byte at 1040 ms instead of 1170.
const goAppRegisterWorker = "\ngoappInitServiceWorker();\n"

// laterJS is added to app.js: it registers the service worker once the app
// has started, and a moment later asks it to cache what its install leaves
// out (server/pwa.go's cacheLaterJS).
const laterJS = `

// QoS Playground: register the service worker once the app has started,
// not while it downloads and compiles (server/appfilter.go), and a moment
// later ask it to cache what its install left out (server/pwa.go).
(() => {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  const ask = () =>
    navigator.serviceWorker.ready.then((r) => {
      if (r.active) {
        r.active.postMessage({ qosPlaygroundCacheLater: true });
      }
    });
  const wait = () =>
    setTimeout(() => {
      if (document.readyState !== "complete" || document.getElementById("app-wasm-loader")) {
        wait();
      } else {
        goappInitServiceWorker().then(() => setTimeout(ask, 2000));
      }
    }, 100);
  wait();
})();
`

// patchAppJS makes go-app's app.js register the service worker once the
// app has started (laterJS), and show its loading label in the language
// the page picked (pageLangJS). It fails when go-app's app.js no longer has
// what it changes (after an upgrade of go-app): check the new one and redo
// this.
func patchAppJS(js []byte) ([]byte, error) {
	label := goAppLoadingLabel()
	if bytes.Count(js, []byte(goAppRegisterWorker)) != 1 || bytes.Count(js, label) != 1 {
		return nil, errors.New("go-app's app.js has changed: server/appfilter.go must be updated to it")
	}
	js = bytes.Replace(js, []byte(goAppRegisterWorker), []byte("\n"), 1)
	js = bytes.Replace(js, label, []byte("const goappLoadingLabel = self.qosPlaygroundLoadingLabel || "+jsString(i18n.LoadingLabel.EN)+";"), 1)
	return append(js, laterJS...), nil
}

// goAppLoadingLabel is go-app v9.8.0's declaration of the loading label in
// app.js, from the Handler's LoadingLabel (English).
func goAppLoadingLabel() []byte {
	return []byte("const goappLoadingLabel = " + jsString(i18n.LoadingLabel.EN) + ";")
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// goAppLoaderLabel ends the paragraph of go-app's loading label in a page.
var goAppLoaderLabel = regexp.MustCompile(`<p[^>]*id="app-wasm-loader-label"[^>]*>[^<]*</p>`)

// pageLangJS runs in the page right after go-app's loading label, before
// app.js and the app: it picks the page's language as the app will
// (app/ui/lang.go: ?lang=, else the learner's stored choice, else the
// browser's languages, else English) and puts the label, the title and
// <html lang> in it. go-app renders them in one language only (issue 13:
// the loading screen was English on a Japanese page). app.js's label
// (patchAppJS) takes self.qosPlaygroundLoadingLabel.
func pageLangJS() string {
	texts, _ := json.Marshal(map[string]map[string]string{
		"ja": {"label": i18n.LoadingLabel.JA, "title": i18n.PageTitle.JA},
		"en": {"label": i18n.LoadingLabel.EN, "title": i18n.PageTitle.EN},
	})
	return `<script>(function () {
  var texts = ` + string(texts) + `;
  var pick = function (tag) { tag = String(tag || "").trim().toLowerCase().split("-")[0]; return texts[tag] ? tag : ""; };
  var lang = pick(new URLSearchParams(location.search).get("lang"));
  if (!lang) { try { lang = pick(JSON.parse(localStorage.getItem("qos-playground-lang"))); } catch (e) {} }
  for (var i = 0, ls = navigator.languages || []; !lang && i < ls.length; i++) { lang = pick(ls[i]); }
  lang = lang || "en";
  var t = texts[lang], label = document.getElementById("app-wasm-loader-label");
  self.qosPlaygroundLoadingLabel = t.label;
  document.documentElement.lang = lang;
  document.title = t.title;
  if (label) { label.textContent = t.label.replace("{progress}", "0"); }
})();</script>`
}

// patchPage lets the page zoom, and shows its loading screen in the
// learner's language (pageLangJS).
func patchPage(html []byte) []byte {
	html = bytes.Replace(html, noZoomViewport, zoomViewport, 1)
	if loc := goAppLoaderLabel.FindIndex(html); loc != nil {
		html = slices.Concat(html[:loc[1]], []byte(pageLangJS()), html[loc[1]:])
	}
	return html
}

// filterApp changes go-app's responses on their way out: the pages' viewport
// (patchPage) and when app.js registers the service worker (patchAppJS),
// and it compresses text (pages, scripts, styles, the manifest, SVG) for
// browsers that accept brotli or gzip: go-app sends everything as it is,
// and the text a page needs besides app.wasm was 50 KB instead of 15.
func filterApp(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &heldResponse{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		rec.flush(r)
	})
}

// heldResponse holds back a successful text body to change it; other
// responses pass.
type heldResponse struct {
	http.ResponseWriter
	wroteHeader bool
	held        bool
	body        bytes.Buffer
}

func isText(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	switch ct = strings.TrimSpace(strings.ToLower(ct)); ct {
	case "application/javascript", "text/javascript", "application/json", "application/manifest+json", "image/svg+xml":
		return true
	}
	return strings.HasPrefix(ct, "text/")
}

func (h *heldResponse) WriteHeader(status int) {
	if h.wroteHeader {
		return
	}
	h.wroteHeader = true
	h.held = status == http.StatusOK && h.Header().Get("Content-Encoding") == "" && isText(h.Header().Get("Content-Type"))
	if !h.held {
		h.ResponseWriter.WriteHeader(status)
	}
}

func (h *heldResponse) Write(p []byte) (int, error) {
	if !h.wroteHeader {
		h.WriteHeader(http.StatusOK)
	}
	if !h.held {
		return h.ResponseWriter.Write(p)
	}
	return h.body.Write(p)
}

func (h *heldResponse) flush(r *http.Request) {
	if !h.held {
		return
	}
	out := h.body.Bytes()
	hdr := h.Header()
	switch {
	case strings.HasPrefix(hdr.Get("Content-Type"), "text/html"):
		out = patchPage(out)
	case r.URL.Path == "/app.js":
		if patched, err := patchAppJS(out); err == nil {
			out = patched
		} // else unchanged (after an upgrade of go-app): TestAppFilter fails
	}
	hdr.Add("Vary", "Accept-Encoding")
	hdr.Del("Accept-Ranges") // ranges of a compressed body are not the file's
	if coding := precompress.Negotiate(r.Header.Values("Accept-Encoding"))[0]; coding != precompress.Identity && len(out) >= minCompress && r.Method != http.MethodHead {
		var buf bytes.Buffer
		if coding == precompress.Brotli {
			bw := brotli.NewWriterLevel(&buf, 5)
			bw.Write(out)
			bw.Close()
		} else {
			gw, _ := gzip.NewWriterLevel(&buf, 6)
			gw.Write(out)
			gw.Close()
		}
		out = buf.Bytes()
		hdr.Set("Content-Encoding", coding)
	}
	hdr.Set("Content-Length", strconv.Itoa(len(out)))
	h.ResponseWriter.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		h.ResponseWriter.Write(out)
	}
}

// minCompress: smaller bodies are sent as they are.
const minCompress = 512
