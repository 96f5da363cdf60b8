package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/ui"
	"qosplayground/server/internal/precompress"
)

// What the installed app is called and looks like: the page and the
// manifest say the same.
const (
	appName         = "QoS Playground"
	appDescription  = "An MQTT learning lab in a browser tab: publish and subscribe at QoS 0, 1 and 2 against a real broker and watch every packet."
	backgroundColor = "#f7f7f4" // web/app.css --bg
	themeColor      = "#1f4e79" // web/app.css --accent
)

// manifestIcon is one entry of the manifest's icons.
type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

// icons are drawn by server/internal/cmd/iconsgen. Chrome installs an app
// only with a PNG icon of at least 144 px that it may show as it is
// ("any"); Android crops icons to its launcher's shape, and uses a
// "maskable" one, drawn for cropping, when the manifest has it, instead of
// shrinking the plain one onto a white disc.
var icons = []manifestIcon{
	{"/web/icon-192.png", "192x192", "image/png", "any"},
	{"/web/icon-512.png", "512x512", "image/png", "any"},
	{"/web/icon-maskable-192.png", "192x192", "image/png", "maskable"},
	{"/web/icon-maskable-512.png", "512x512", "image/png", "maskable"},
	{"/web/icon.svg", "any", "image/svg+xml", "any"},
}

// webManifest is the web app manifest. go-app v9.8.0 writes its own from
// a fixed template whose icons have no "purpose" (so no maskable icon can
// be declared) and which has no "id"; and it pastes the description into
// JSON unescaped. The server answers /manifest.webmanifest itself instead.
type webManifest struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	Lang            string         `json:"lang"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Categories      []string       `json:"categories"`
	Icons           []manifestIcon `json:"icons"`
}

// manifest returns the manifest's JSON. id is "/" so the installed app
// keeps its identity whatever start_url becomes later.
func manifest() []byte {
	b, err := json.MarshalIndent(webManifest{
		ID: "/", Name: appName, ShortName: appName, Description: appDescription, Lang: "en",
		StartURL: "/", Scope: "/", Display: "standalone",
		BackgroundColor: backgroundColor, ThemeColor: themeColor,
		Categories: []string{"education", "developer tools"},
		Icons:      icons,
	}, "", "  ")
	if err != nil {
		panic(err) // a fixed struct of strings always marshals
	}
	return b
}

// serveBytes serves a fixed body with an ETag of its content, revalidated
// on every use (it may change with the next server version).
func serveBytes(body []byte, contentType string) http.Handler {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:10]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}

// goAppFetchHandler is the fetch handler of go-app v9.8.0's service worker
// (app.DefaultAppWorkerJS): the cached copy of exactly the requested URL,
// else the network.
const goAppFetchHandler = `self.addEventListener("fetch", (event) => {
  event.respondWith(
    caches.match(event.request).then((response) => {
      return response || fetch(event.request);
    })
  );
});`

// offlineFetchHandler answers the pages itself (qosPageJS) and everything
// else as go-app's does.
const offlineFetchHandler = `self.addEventListener("fetch", (event) => {
  if (event.request.mode === "navigate" && event.request.method === "GET") {
    event.respondWith(qosPage(event.request));
    return;
  }
  if (event.request.method === "GET" && qosCacheOnUse.includes(new URL(event.request.url).pathname)) {
    event.respondWith(qosCacheOnFetch(event.request));
    return;
  }
  event.respondWith(
    caches.match(event.request).then((response) => {
      return response || fetch(event.request);
    })
  );
});`

// qosPageJS answers a page load with the page pre-rendered in the
// learner's language, from the cache when it has it: the language of the
// link (?lang=), else the one the app last ran in (the page tells the
// worker: app/ui/lang.go, and app.js when it asks for cacheLaterJS), else
// the browser's. go-app's worker caches only "/", in the language the
// server picked when it was installed, and answered it to every learner
// of that browser.
//
// Pages are kept per path and language, as "/lab/x?lang=ja" (which the
// server renders in that language): a page of the current version is the
// same for every load, so a load without other parameters is answered from
// the cache at once, with no round trip before the app runs. A link with
// an experiment in it (other parameters) goes to the server, whose
// pre-render has it; without the network it gets the cached page of its
// path, else "/", in the language.
//
// The last language is kept in the cache too ("/__qos-lang"), and carried
// into the next version's cache when it installs: go-app's activation
// deletes every other cache.
//
// A static copy (make static) serves one file per page, with every
// language in it and no Content-Language (the page picks its language
// itself: server/static.go): its worker (qosStatic true, staticWorkerJS)
// keeps that file under each language's key.
const qosPageJS = `
// QoS Playground: pages in the learner's language (server/pwa.go).
const qosPages = %s;
` + qosStaticOff + `
const qosLangKey = "/__qos-lang";
let qosLang = "";
function qosParseLang(tag) {
  const base = String(tag || "").trim().toLowerCase().split("-")[0];
  return base === "ja" || base === "en" ? base : "";
}
async function qosLastLang() {
  if (!qosLang) {
    const hit = await caches.match(qosLangKey);
    qosLang = hit ? qosParseLang(await hit.text()) : "";
  }
  return qosLang;
}
function qosBrowserLang() {
  for (const tag of self.navigator.languages || []) {
    const l = qosParseLang(tag);
    if (l) {
      return l;
    }
  }
  return "en";
}
async function qosPage(req) {
  const url = new URL(req.url);
  const lang = qosParseLang(url.searchParams.get("lang")) || (await qosLastLang()) || qosBrowserLang();
  const cache = await caches.open(cacheName);
  const key = url.pathname + "?lang=" + lang;
  const plain = [...url.searchParams.keys()].every((k) => k === "lang");
  if (plain) {
    const hit = await cache.match(key, { ignoreVary: true });
    if (hit) {
      return hit;
    }
  }
  try {
    const res = await fetch(req);
    const got = qosParseLang(res.headers.get("Content-Language")) || (qosStatic && lang);
    if (res.ok && plain && got && qosPages.includes(url.pathname)) {
      await cache.put(url.pathname + "?lang=" + got, res.clone());
    }
    return res;
  } catch (err) {
    const shell =
      (await cache.match(key, { ignoreVary: true })) ||
      (await cache.match("/?lang=" + lang, { ignoreVary: true })) ||
      (await caches.match("/", { ignoreVary: true }));
    if (shell) {
      return shell;
    }
    throw err;
  }
}
// qosUseLang remembers the language the app runs in, and caches its pages.
async function qosUseLang(tag) {
  const lang = qosParseLang(tag);
  if (!lang) {
    return;
  }
  qosLang = lang;
  const cache = await caches.open(cacheName);
  await cache.put(qosLangKey, new Response(lang));
  await Promise.all(
    qosPages.map((p) => {
      const key = p + "?lang=" + lang;
      return cache.match(key, { ignoreVary: true }).then(
        (hit) =>
          hit ||
          fetch(key).then((res) => {
            // A page in another language is not kept as this one's.
            if (res.ok && (qosStatic || qosParseLang(res.headers.get("Content-Language")) === lang)) {
              return cache.put(key, res);
            }
          })
      );
    })
  );
}
self.addEventListener("message", (event) => {
  const d = event.data || {};
  const lang = d.qosPlaygroundLang || (d.qosPlaygroundCacheLater && d.lang);
  if (lang) {
    event.waitUntil(qosUseLang(lang).catch(() => {}));
  }
});
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .match(qosLangKey)
      .then((hit) => hit && caches.open(cacheName).then((c) => c.put(qosLangKey, hit)))
      .catch(() => {})
  );
});
`

// qosStaticOff is the line of qosPageJS that staticWorkerJS turns on.
const qosStaticOff = "const qosStatic = false;"

// staticWorkerJS is the service worker of a static copy (make static): its
// pages hold every language (qosPageJS).
func staticWorkerJS(worker string) (string, error) {
	if strings.Count(worker, qosStaticOff) != 1 {
		return "", errors.New("the service worker has no qosStatic switch (server/pwa.go)")
	}
	return strings.Replace(worker, qosStaticOff, "const qosStatic = true;", 1), nil
}

// workerAdditions lets a page ask the service worker which version it
// caches (see app/ui/update.go). go-app's own signal of an update fires
// once, when the new worker is installed, and is lost if the wasm of the
// old page is not running yet; asking cannot be missed.
//
// The worker also claims the pages that were loaded before it was
// activated (go-app's does not): a tab opened for the first time is then
// controlled at once, so that when the server is upgraded while that tab is
// still open, the new worker takes it over and the tab hears of it.
const workerAdditions = `

// QoS Playground: control the tabs opened before this worker was active.
self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

// QoS Playground: tell a page which version of the app this worker holds.
self.addEventListener("message", (event) => {
  if (event.data && event.data.qosPlaygroundVersion === "?" && event.source) {
    event.source.postMessage({ qosPlaygroundVersion: "{{.Version}}" });
  }
});
`

// cacheLaterJS is the rest of the worker: what its install leaves out,
// cached when a page asks (app.js asks once the app has started, see
// server/appfilter.go): the in-tab broker, which only a tab that cannot
// reach the server needs, and whose 2.4 MB (brotli) would otherwise be
// fetched, decompressed and stored while a first visit downloads and
// compiles app.wasm (in one A/B of `make bench`'s measurement 3, a cold
// open took 3.2 s with the broker in the install, 2.5 s without).
// The list is a JSON array; go-app's template defines cacheName.
const cacheLaterJS = `
// QoS Playground: cache what the install left out when a page asks.
const qosCacheLater = %s;
self.addEventListener("message", (event) => {
  if (event.data && event.data.qosPlaygroundCacheLater === true) {
    event.waitUntil(
      caches.open(cacheName).then((cache) =>
        Promise.all(
          qosCacheLater.map((url) =>
            cache.match(url).then((hit) => hit || cache.add(url))
          )
        )
      )
    );
  }
});
`

// cacheOnUseJS keeps a file of cacheOnUse in the cache the first time a
// page (or its worker) fetches it, and answers it from there afterwards.
const cacheOnUseJS = `
// QoS Playground: kept once used (server/handler.go's cacheOnUse).
const qosCacheOnUse = %s;
async function qosCacheOnFetch(req) {
  const hit = await caches.match(req);
  if (hit) {
    return hit;
  }
  const res = await fetch(req);
  if (res.ok) {
    const copy = res.clone();
    await caches.open(cacheName).then((c) => c.put(req, copy)).catch(() => {});
  }
  return res;
}
`

// appWorkerJS is go-app's service worker template with the changes above;
// later lists what it caches when a page asks (cacheLaterJS). It fails when
// go-app's template no longer has the handler it replaces (after an
// upgrade of go-app): check the new one and redo this.
func appWorkerJS(later []string) (string, error) {
	if strings.Count(app.DefaultAppWorkerJS, goAppFetchHandler) != 1 {
		return "", errors.New("go-app's service worker template has changed: server/pwa.go must be updated to it")
	}
	list, err := json.Marshal(append([]string{}, later...))
	if err != nil {
		return "", err
	}
	// The list goes through go-app's template too: no "{{" in a URL.
	if strings.Contains(string(list), "{{") {
		return "", fmt.Errorf("a URL to cache has {{ in it: %s", list)
	}
	pages, err := json.Marshal(ui.Pages)
	if err != nil {
		return "", err
	}
	onUse, err := json.Marshal(cacheOnUse)
	if err != nil {
		return "", err
	}
	return strings.Replace(app.DefaultAppWorkerJS, goAppFetchHandler, offlineFetchHandler, 1) + workerAdditions + fmt.Sprintf(cacheLaterJS, list) +
		fmt.Sprintf(qosPageJS, pages) + fmt.Sprintf(cacheOnUseJS, onUse), nil
}

// appVersion names what a browser caches for offline use. go-app names its
// service worker's cache after app.Handler.Version, and a browser replaces
// its cached copy of the app only when the worker script, and so the
// version, changes. go-app's default is the server's start time: every
// restart would make every learner's browser fetch the app again and
// announce an update that changes nothing. A fixed string is worse: a new
// build would never reach a browser that has the old one.
//
// So the version is a hash of everything that goes into the cache: the
// server executable (which pre-renders the pages and writes app.js and
// the worker), every file of the web directory (app.wasm, styles, icons;
// the .br and .gz copies are checked against app.wasm when served), and
// the environment given to the page (the server's flags, such as
// -max-packet). Any change of these is a new version; a restart with the
// same build and flags is not. It is computed at start-up: rebuild, then
// restart the server (`make run` does both).
func appVersion(webDir string, env app.Environment) string {
	h := sha256.New()
	if exe, err := os.Executable(); err == nil {
		fmt.Fprintf(h, "executable\n")
		hashFile(h, exe)
	}
	var files []string
	filepath.WalkDir(webDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") {
			return nil
		}
		files = append(files, path)
		return nil
	})
	slices.Sort(files)
	for _, f := range files {
		rel, _ := filepath.Rel(webDir, f)
		fmt.Fprintf(h, "file %q\n", filepath.ToSlash(rel))
		hashFile(h, f)
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "env %q=%q\n", k, env[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// hashFile writes path's size and SHA-256 to h, or the error reading it.
func hashFile(h io.Writer, path string) {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(h, "unreadable: %v\n", err)
		return
	}
	defer f.Close()
	sum := sha256.New()
	n, err := io.Copy(sum, f)
	fmt.Fprintf(h, "%d %x %v\n", n, sum.Sum(nil), err)
}

// logPrecompressed says at start-up which compressed copies of a wasm file
// (app.wasm, broker.wasm) the server will send: after `go build` or `go
// run` without make there are none, or old ones, and browsers get 11 MB
// instead of 2.
func logPrecompressed(log *slog.Logger, wasm string) {
	st, err := precompress.Status(wasm)
	if err != nil {
		log.Warn(filepath.Base(wasm)+" cannot be read", "err", err)
		return
	}
	args := []any{}
	for _, c := range st {
		args = append(args, c.Coding, c.String())
	}
	if precompress.UpToDate(wasm) {
		log.Info(filepath.Base(wasm)+" is served compressed", args...)
		return
	}
	log.Warn(filepath.Base(wasm)+" will be sent uncompressed to some browsers: `make build` writes its compressed copies", args...)
}
