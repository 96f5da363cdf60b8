package main

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/i18n"
	"qosplayground/app/ui"
)

// writeStatic writes the playground into dir for a static file host (make
// static, -static): every page pre-rendered, go-app's scripts and service
// worker, the manifest, and the web directory's files, app.wasm and the
// in-tab broker's broker.wasm included.
// The pages carry ui.EnvBroker, so every tab runs on the in-tab broker: a
// static host has no /mqtt and no broker API.
//
// What a static host cannot do:
//   - The folder must be served at the root of its origin (a course site's
//     own host name, a GitHub Pages user or organisation site, a custom
//     domain), not under a sub-path such as GitHub Pages' /repo/: go-app
//     writes absolute paths (/web/..., /app.js, the service worker's scope
//     "/"), and so does the manifest.
//   - app.wasm and broker.wasm are served as the host serves them (most
//     compress them with gzip themselves); the .br and .gz copies are left
//     out.
//   - The network faults and the other broker lessons that need the
//     server's gateway are off (the fault lab says so).
//
// Each page is written twice: lab/faults.html, as go-app writes it (GitHub
// Pages serves it for /lab/faults), and lab/faults, for any other host,
// which serves a file by its exact name (and the service worker, which
// fetches the pages by the addresses the app links to).
//
// Each page is pre-rendered in every language, all in the one file (a
// static host serves the same file whatever the query, the cookie or
// Accept-Language): the English page, and each other language's in a
// template that a small script in the page puts in its place before the
// first paint when the tab's language is another (pageInLangs). The script
// picks the language as the app does (app/ui/lang.go firstLang): ?lang=,
// else the learner's stored choice, else the browser's languages, so the
// app's first drawing is in the language of the page it replaces.
func writeStatic(dir, webDir string) error {
	for _, name := range []string{"app.wasm", brokerWASM} {
		if _, err := os.Stat(filepath.Join(webDir, name)); err != nil {
			return fmt.Errorf("-static: %s has no %s: build it first (make build): %w", webDir, name, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	worker, err := appWorkerJS(cacheLater(webDir))
	if err != nil {
		return err
	}
	if worker, err = staticWorkerJS(worker); err != nil {
		return err
	}
	ui.Routes()
	env := app.Environment{ui.EnvBroker: ui.EnvBrokerInTab}
	version := appVersion(webDir, env)
	if err := app.GenerateStaticWebsite(dir, appHandlerIn(i18n.EN, webDir, env, worker, version)); err != nil {
		return fmt.Errorf("-static: writing the pages into %s: %w", dir, err)
	}
	// The other languages' pages, put into the English ones below.
	others := map[i18n.Lang]string{}
	for _, l := range i18n.Langs {
		if l == i18n.EN {
			continue
		}
		tmp, err := os.MkdirTemp("", "qos-static-"+string(l))
		if err != nil {
			return fmt.Errorf("-static: %w", err)
		}
		defer os.RemoveAll(tmp)
		if err := app.GenerateStaticWebsite(tmp, appHandlerIn(l, webDir, env, worker, version)); err != nil {
			return fmt.Errorf("-static: writing the %s pages: %w", l, err)
		}
		others[l] = tmp
	}
	// The server's own manifest (real icons, scope, start URL) replaces
	// go-app's, as the server's handler does (newMux).
	if err := os.WriteFile(filepath.Join(dir, "manifest.webmanifest"), manifest(), 0o644); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), manifest(), 0o644); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	if err := copyWeb(filepath.Join(dir, "web"), webDir); err != nil {
		return fmt.Errorf("-static: copying %s: %w", webDir, err)
	}
	// app.js and the pages as the server changes them on the way out
	// (filterApp): the service worker registered once the app has
	// started, zooming allowed.
	appJS, err := os.ReadFile(filepath.Join(dir, "app.js"))
	if err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	if appJS, err = patchAppJS(appJS); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.js"), appJS, 0o644); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	// Each page (go-app writes lab/faults.html) gets a twin without the
	// extension, at the address the app links to.
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".html" {
			return err
		}
		page, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		inLang := map[i18n.Lang][]byte{}
		for l, d := range others {
			p, err := os.ReadFile(filepath.Join(d, rel))
			if err != nil {
				return fmt.Errorf("-static: %s has no %s page: %w", rel, l, err)
			}
			inLang[l] = patchPage(p, appWASMPath)
		}
		if page, err = pageInLangs(patchPage(page, appWASMPath), inLang); err != nil {
			return fmt.Errorf("-static: %s: %w", rel, err)
		}
		if err := os.WriteFile(path, page, 0o644); err != nil {
			return err
		}
		if filepath.Base(path) == "index.html" {
			return nil
		}
		return os.WriteFile(strings.TrimSuffix(path, ".html"), page, 0o644)
	})
}

// copyWeb copies the web directory's files into dst, without the
// precompressed copies of the wasm files and the teacher's board's wasm.
func copyWeb(dst, src string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		name := d.Name()
		// The teacher's board needs the server: not in a static build.
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") || name == teacherWASM {
			return nil
		}
		return copyFile(target, path)
	})
}

func copyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}

// pageInLangs returns page (go-app's pre-render in English) with the same
// page in the other languages of others, each in a <template
// id="qos-pre-LANG"> holding its body, title, description and first-open
// texts (go-app writes the head's attributes in no fixed order: they come
// from the catalogue, not from the page), and the scripts that show the one the tab's language picks
// (staticLangHead, staticLangSwap).
func pageInLangs(page []byte, others map[i18n.Lang][]byte) ([]byte, error) {
	var templates bytes.Buffer
	for _, l := range i18n.Langs {
		other, ok := others[l]
		if !ok {
			continue
		}
		body, ok := between(other, "<body>", "</body>")
		if !ok {
			return nil, fmt.Errorf("the %s page has no <body>: server/static.go must be updated to go-app's pages", l)
		}
		// The title, description and first-open texts are those the
		// language's handler writes in the head (appHandlerIn).
		attr := html.EscapeString
		fmt.Fprintf(&templates, "<template id=\"qos-pre-%s\" data-title=\"%s\" data-description=\"%s\" data-first-open=\"%s\">%s</template>\n",
			l, attr(i18n.PageTitle.In(l)), attr(i18n.FirstOpenDescription.In(l)), attr(firstOpenJSON(l)), body)
	}
	if templates.Len() == 0 {
		return page, nil
	}
	if bytes.Count(page, []byte("</head>")) != 1 || bytes.Count(page, []byte("</body>")) != 1 {
		return nil, errors.New("the page is not laid out as go-app v9.8.0 writes it: server/static.go must be updated to it")
	}
	page = bytes.Replace(page, []byte("</head>"), []byte(staticLangHead+"</head>"), 1)
	return bytes.Replace(page, []byte("</body>"), append(templates.Bytes(), staticLangSwap+"</body>"...), 1), nil
}

// between returns what lies in b between the first start and the end after it.
func between(b []byte, start, end string) ([]byte, bool) {
	_, rest, ok := bytes.Cut(b, []byte(start))
	if !ok {
		return nil, false
	}
	in, _, ok := bytes.Cut(rest, []byte(end))
	return in, ok
}

// staticLangHead picks the tab's language before the body is drawn, as
// the app does (app/ui/lang.go firstLang, storedLang; i18n.Parse,
// i18n.Detect): ?lang=, else the learner's choice in local storage, else
// the first of the browser's languages the playground speaks, else
// English. When it is not the page's, the body stays hidden until
// staticLangSwap has put that language's page in place.
const staticLangHead = `<style>html[data-qos-pre] body{visibility:hidden}</style>
<script>(function () {
  function parse(s) { s = String(s || "").trim().toLowerCase().split("-")[0]; return s === "ja" || s === "en" ? s : ""; }
  var l = parse(new URLSearchParams(location.search).get("lang"));
  if (!l) { try { l = parse(String(localStorage.getItem("` + ui.StorageLang + `") || "").replace(/"/g, "")); } catch (e) {} }
  for (var i = 0, ls = navigator.languages || []; !l && i < ls.length; i++) { l = parse(ls[i]); }
  l = l || "en";
  if (l !== document.documentElement.lang && document.documentElement.lang) { document.documentElement.setAttribute("data-qos-pre", l); }
})();</script>
`

// staticLangSwap puts the page in the picked language in place of the
// English one (go-app mounts the app on the body's first element), and
// removes the other languages and itself.
const staticLangSwap = `<script>(function () {
  var d = document, h = d.documentElement, l = h.getAttribute("data-qos-pre"), t = l && d.getElementById("qos-pre-" + l);
  if (t) {
    var b = d.body;
    [].slice.call(b.children).forEach(function (k) { if (k.tagName !== "SCRIPT" && k.tagName !== "TEMPLATE") { b.removeChild(k); } });
    b.insertBefore(t.content, b.firstChild);
    h.lang = l;
    d.title = t.getAttribute("data-title");
    var m = d.querySelector('meta[name="description"]');
    if (m) { m.setAttribute("content", t.getAttribute("data-description")); }
    var f = d.getElementById("qos-first-open");
    if (f) { f.textContent = t.getAttribute("data-first-open"); }
  }
  [].slice.call(d.querySelectorAll("template[id^=qos-pre-]")).forEach(function (x) { x.remove(); });
  h.removeAttribute("data-qos-pre");
  if (d.currentScript) { d.currentScript.remove(); }
})();</script>
`
