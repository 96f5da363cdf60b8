package main

import (
	"encoding/json"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/i18n"
	"qosplayground/app/ui"
)

// requestLang is the language a page is pre-rendered in, picked as the app
// picks it in the tab (app/ui/lang.go): ?lang= in the URL, else the
// learner's choice (the cookie the app writes with it: the server cannot
// read local storage), else the browser's languages (Accept-Language),
// else English.
func requestLang(r *http.Request) i18n.Lang {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(ui.CookieLang); err == nil {
		if l, ok := i18n.Parse(c.Value); ok {
			return l
		}
	}
	return i18n.Detect(acceptLanguages(r.Header.Values("Accept-Language")))
}

// acceptLanguages lists the language tags of Accept-Language headers, most
// preferred first (by q, then by order), leaving out those with q=0.
func acceptLanguages(headers []string) []string {
	type tag struct {
		name string
		q    float64
	}
	var tags []tag
	for _, h := range headers {
		for _, part := range strings.Split(h, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						q = f
					}
				}
			}
			if q > 0 {
				tags = append(tags, tag{name, q})
			}
		}
	}
	slices.SortStableFunc(tags, func(a, b tag) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.name
	}
	return out
}

// isPagePath tells a page (pre-rendered by go-app) from the files go-app
// serves: those have an extension or live under /web/.
func isPagePath(p string) bool {
	return !strings.HasPrefix(p, "/web/") && path.Ext(p) == ""
}

// langPages serves go-app's pages pre-rendered in the request's language
// (requestLang), each language by an app.Handler of its own: go-app
// renders a page in the Handler's Lang (<html lang>, the title, the
// loading label), and the components read it in OnPreRender. Everything
// else (app.js, the worker, /web/...) is the same in every language and
// comes from the English handler.
//
// A page says which language it is in (Content-Language) and that it
// depends on the cookie and Accept-Language (Vary), and its ETag names
// the language: go-app's is the version alone, and a browser that had the
// English page would be told "not modified" when asking for the Japanese.
type langPages struct {
	byLang  map[i18n.Lang]*app.Handler
	version string
}

func newLangPages(webDir string, env app.Environment, worker string) *langPages {
	version := appVersion(webDir, env)
	p := &langPages{byLang: map[i18n.Lang]*app.Handler{}, version: version}
	for _, l := range i18n.Langs {
		p.byLang[l] = appHandlerIn(l, webDir, env, worker, version)
	}
	return p
}

func (p *langPages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !isPagePath(r.URL.Path) {
		p.byLang[i18n.EN].ServeHTTP(w, r)
		return
	}
	l := requestLang(r)
	etag := `"` + p.version + "-" + string(l) + `"`
	h := w.Header()
	h.Add("Vary", "Accept-Language, Cookie")
	h.Set("Content-Language", string(l))
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if inm == etag {
			h.Set("Cache-Control", "no-cache")
			h.Set("ETag", etag)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		r = r.Clone(r.Context())
		r.Header.Del("If-None-Match") // go-app would compare it with its own
	}
	p.byLang[l].ServeHTTP(&etagWriter{ResponseWriter: w, etag: etag}, r)
}

// etagWriter replaces go-app's ETag with the page's own.
type etagWriter struct {
	http.ResponseWriter
	etag  string
	wrote bool
}

func (e *etagWriter) WriteHeader(status int) {
	if !e.wrote {
		e.wrote = true
		e.Header().Set("ETag", e.etag)
	}
	e.ResponseWriter.WriteHeader(status)
}

func (e *etagWriter) Write(b []byte) (int, error) {
	if !e.wrote {
		e.WriteHeader(http.StatusOK)
	}
	return e.ResponseWriter.Write(b)
}

// firstOpenTexts are what app.js says about the download of app.wasm, in
// the page's language (patchAppJS reads them from the page): app.js is
// one file for every language.
func firstOpenTexts(l i18n.Lang) string {
	return `<script type="application/json" id="qos-first-open">` + firstOpenJSON(l) + `</script>`
}

// firstOpenJSON is the JSON of firstOpenTexts.
func firstOpenJSON(l i18n.Lang) string {
	b, _ := json.Marshal(map[string]string{ // json escapes <, > and &
		"starting": i18n.FirstOpenStarting.In(l),
		"slow":     i18n.FirstOpenSlow.In(l),
		"failed":   i18n.FirstOpenFailed.In(l),
		"offline":  i18n.FirstOpenOffline.In(l),
		"retry":    i18n.FirstOpenRetry.In(l),
	})
	return string(b)
}
