package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

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
        r.active.postMessage({ qosPlaygroundCacheLater: true, lang: document.documentElement.lang });
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

// go-app v9.8.0's app.js writes the download's progress, and on a failure
// the raw exception ("TypeError: Failed to fetch"), into its loading label.
const (
	goAppShowProgress = `loaderLabel.innerText = goappLoadingLabel.replace("{progress}", progress);`
	goAppShowError    = `loaderLabel.innerText = err;`
	// goAppFetchWASM is where it fetches app.wasm; the teacher's board
	// (/teacher) fetches its own wasm instead (teacherWASM), so that the
	// learners' app.wasm leaves the board out.
	goAppFetchWASM = `fetchWithProgress("/web/app.wasm", showProgress)`
)

// firstOpenJS is added to app.js: the status of app.wasm's download under
// the pre-rendered page (web/app.css), in the page's language (the page
// carries the texts: firstOpenTexts): starting, slow after a while, and on
// a failure what went wrong (offline or not) with a retry button.
const firstOpenJS = `

// QoS Playground: the download's status in the page's language, and a
// retry when it fails (server/appfilter.go).
var qosFirstOpenStart = 0, qosFirstOpenLast = 0, qosFirstOpenTimer = 0;
function qosFirstOpenText(key) {
  try {
    const t = JSON.parse(document.getElementById("qos-first-open").textContent)[key];
    if (t) {
      return t;
    }
  } catch (e) {}
  return %s[key];
}
var qosFirstOpenShown = 0;
function qosFirstOpenProgress(label, progress) {
  const now = Date.now();
  if (!qosFirstOpenStart) {
    qosFirstOpenStart = now;
  }
  qosFirstOpenLast = progress;
  // Each change of the label costs the page a style, layout and paint:
  // for every chunk of app.wasm that was tasks of 50 to 200 ms on a phone
  // (make bench, measurement 3). At most twice a second, and the end once;
  // the timer below shows the last progress.
  if (now - qosFirstOpenShown < 500 && (progress < 100 || label.dataset.progress === "100")) {
    return;
  }
  const state = now - qosFirstOpenStart > %d ? "slow" : "starting";
  const text = qosFirstOpenText(state).replace("{progress}", progress);
  if (label.dataset.state === state && label.innerText === text) {
    return;
  }
  qosFirstOpenShown = now;
  label.dataset.state = state;
  label.dataset.progress = progress;
  label.innerText = text;
  if (!qosFirstOpenTimer) {
    qosFirstOpenTimer = setInterval(() => {
      const s = label.dataset.state;
      if (!document.getElementById("app-wasm-loader") || s === "failed" || s === "offline") {
        clearInterval(qosFirstOpenTimer);
        qosFirstOpenTimer = 0;
        return;
      }
      qosFirstOpenProgress(label, qosFirstOpenLast);
    }, 1000);
  }
}
function qosFirstOpenFailed(loader, icon, label) {
  const state = navigator.onLine === false ? "offline" : "failed";
  label.dataset.state = state;
  label.setAttribute("role", "alert"); // said at once by a screen reader
  label.innerText = qosFirstOpenText(state);
  if (document.getElementById("app-wasm-retry")) {
    return;
  }
  const retry = document.createElement("button");
  retry.id = "app-wasm-retry";
  retry.type = "button";
  retry.textContent = qosFirstOpenText("retry");
  retry.addEventListener("click", () => {
    retry.remove();
    label.removeAttribute("role");
    icon.className = "goapp-logo goapp-spin";
    qosFirstOpenStart = 0;
    goappInitWebAssembly();
  });
  loader.appendChild(retry);
}
`

// slowDownload is when the download's status says it is slow.
const slowDownload = 8 * time.Second

// patchAppJS makes go-app's app.js register the service worker once the
// app has started (laterJS), say how the download goes in the page's
// language, never with a raw exception (firstOpenJS), and fetch the
// teacher's wasm on the teacher's board (goAppFetchWASM). It fails when
// go-app's app.js no longer has what it changes (after an upgrade of
// go-app): check the new one and redo this.
func patchAppJS(js []byte) ([]byte, error) {
	for _, s := range []string{goAppRegisterWorker, goAppShowProgress, goAppShowError, goAppFetchWASM} {
		if bytes.Count(js, []byte(s)) != 1 {
			return nil, errors.New("go-app's app.js has changed: server/appfilter.go must be updated to it")
		}
	}
	js = bytes.Replace(js, []byte(goAppRegisterWorker), []byte("\n"), 1)
	js = bytes.Replace(js, []byte(goAppShowProgress), []byte("qosFirstOpenProgress(loaderLabel, progress);"), 1)
	js = bytes.Replace(js, []byte(goAppShowError), []byte("qosFirstOpenFailed(loader, loaderIcon, loaderLabel);"), 1)
	js = bytes.Replace(js, []byte(goAppFetchWASM), []byte(fmt.Sprintf(`fetchWithProgress(location.pathname === %q ? %q : %q, showProgress)`, teacherPath, teacherWASMPath, appWASMPath)), 1)
	english, _ := json.Marshal(map[string]string{
		"starting": i18n.FirstOpenStarting.EN, "slow": i18n.FirstOpenSlow.EN, "failed": i18n.FirstOpenFailed.EN,
		"offline": i18n.FirstOpenOffline.EN, "retry": i18n.FirstOpenRetry.EN,
	})
	js = append(js, laterJS...)
	return append(js, fmt.Sprintf(firstOpenJS, english, slowDownload.Milliseconds())...), nil
}

// falseBoolean is a boolean attribute go-app v9.8.0 writes as ="false"
// when it pre-renders (Disabled(false), Selected(false), Hidden(false)):
// in HTML any value means true, so the pre-render showed the wrong option
// selected and hid what the app shows.
var falseBoolean = regexp.MustCompile(` (disabled|selected|checked|hidden|readonly|required|multiple|open|autofocus|novalidate|inert)="false"`)

// trueARIA is an ARIA attribute go-app v9.8.0 writes bare when it is
// "true" (aria-pressed): bare, it means nothing.
var trueARIA = regexp.MustCompile(` (aria-[a-z]+)([ >])`)

// preRenderControl is a form control of the pre-rendered page.
var preRenderControl = regexp.MustCompile(`<(button|input|select|textarea)\b`)

// wasmPreload starts the download of the page's wasm from its head: go-app's
// app.js, which fetches it, is deferred, so the download waited for the
// whole page to be parsed, then for app.js and wasm_exec.js to arrive and
// run (on Slow 4G one more round trip of 562 ms). app.js's fetch takes
// over the preloaded response: same URL, and crossorigin gives the preload
// the mode and credentials of a plain fetch() (cors, same-origin), without
// which Chromium downloads the file twice and warns "preloaded but not
// used". It goes after the stylesheets, which the first paint needs.
func wasmPreload(url string) []byte {
	return fmt.Appendf(nil, "<link rel=\"preload\" href=\"%s\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n", url)
}

// pageWASM is the wasm a page at path runs: app.wasm, or the teacher's
// board's own (app.js picks it the same way: patchAppJS).
func pageWASM(path string) string {
	if path == teacherPath {
		return teacherWASMPath
	}
	return appWASMPath
}

// patchPage lets the page zoom, writes go-app's false boolean attributes
// and true ARIA attributes as HTML means them, disables the pre-rendered page's controls: they
// do nothing until the app runs, when its own drawing replaces them
// (firstOpenJS says how the download goes meanwhile), and starts the
// download of wasm, the page's WebAssembly, from its head (wasmPreload).
func patchPage(html []byte, wasm string) []byte {
	if end := bytes.Index(html, []byte("</head>")); end >= 0 {
		at := bytes.Index(html[:end], []byte("<script"))
		if at < 0 {
			at = end
		}
		html = append(html[:at:at], append(wasmPreload(wasm), html[at:]...)...)
	}
	html = bytes.Replace(html, noZoomViewport, zoomViewport, 1)
	html = falseBoolean.ReplaceAll(html, nil)
	html = trueARIA.ReplaceAll(html, []byte(` $1="true"$2`))
	if i := bytes.Index(html, []byte("<body")); i >= 0 {
		html = append(html[:i:i], preRenderControl.ReplaceAll(html[i:], []byte("<$1 disabled"))...)
	}
	return html
}

// secureOrigin writes the page's own origin as the browser sees it over
// HTTPS (served with TLS, or through a trusted proxy that says so): go-app
// pre-renders every page as if it were http:// (its servePage sets the
// scheme), so the broker's address showed ws://…/mqtt until the app
// started and wrote wss://.
func secureOrigin(html []byte, host string) []byte {
	html = bytes.ReplaceAll(html, []byte("ws://"+host+"/"), []byte("wss://"+host+"/"))
	return bytes.ReplaceAll(html, []byte("http://"+host+"/"), []byte("https://"+host+"/"))
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
		out = patchPage(out, pageWASM(r.URL.Path))
		if r.TLS != nil || r.URL.Scheme == "https" {
			out = secureOrigin(out, r.Host)
		}
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
