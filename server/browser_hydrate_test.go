package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// domShape writes the page's live tree (what go-app mounted under <body>,
// without the loader) one node a line: each element with its attributes
// sorted (go-app sets them in map order) and the form properties go-app
// sets without an attribute, each text node with its text; the client id
// drawn at random for each open is left out.
const domShape = `(() => {
	const out = [];
	const walk = (n, d) => {
		const pad = " ".repeat(d);
		if (n.nodeType === 3) { out.push(pad + "#text " + JSON.stringify(n.data)); return; }
		if (n.nodeType !== 1) { out.push(pad + "#node " + n.nodeType); return; }
		const attrs = [...n.attributes].map((a) => a.name + "=" + JSON.stringify(a.value)).sort().join(" ");
		const props = ["value", "checked", "selected", "disabled", "hidden", "open"].filter((p) => p in n).map((p) => p + ":" + JSON.stringify(n[p])).join(" ");
		out.push(pad + "<" + n.localName + " " + attrs + " | " + props);
		for (const c of n.childNodes) walk(c, d + 1);
	};
	walk(document.body.firstElementChild, 0);
	return out.join("\n").replace(/playground-[0-9a-f]{6}/g, "playground-ID");
})()`

// TestBrowserHydrate: go-app's first mount takes over the server's
// pre-rendered nodes instead of drawing the page again (wasm/_goapp
// hydrate.go). The page's root and most of its elements are the very
// nodes the server sent, marked before the wasm runs; and the tree the app
// leaves is the one upstream's first mount draws (the same tab reloaded
// with window.__goappNoHydrate, node for node, attributes, form properties
// and text), for each page and both languages. The controls the app draws
// work: the language switch redraws the page in Japanese.
func TestBrowserHydrate(t *testing.T) {
	srv := startServer(t, "-broker", "embedded")
	started := `document.getElementById("app-wasm-loader") === null && document.querySelector(".page button:not(:disabled)") !== null`
	for _, tt := range []struct{ name, browserLang, path string }{
		{"en", "en-US", "/"},
		{"ja-link", "en-US", "/?lang=ja"},
		{"ja-publisher", "ja", "/lab/publisher"},
		{"en-subscriber", "en-US", "/lab/subscriber"},
		{"en-integration", "en-US", "/lab/integration"},
		{"ja-task1", "ja", "/lab/task1"},
		{"en-faults", "en-US", "/lab/faults"},
		{"ja-embed", "ja", "/lab/task1?embed=1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t, chromedp.Flag("accept-lang", tt.browserLang))
			gate := b.gateWasm("hold")
			b.do(chromedp.EmulateViewport(1280, 900))
			b.do(chromedp.Navigate(srv.URL + tt.path))
			gate.waitRequests(1)
			n := eval[int](b, `(() => {
				window.__pre = document.body.firstElementChild;
				window.__preEls = [...window.__pre.querySelectorAll("*")];
				return window.__preEls.length;
			})()`)
			if n < 20 {
				t.Fatalf("the pre-rendered page has %d elements", n)
			}
			gate.set("pass")
			b.waitFor("the app to start", started, 60*time.Second)
			b.do(chromedp.Sleep(500 * time.Millisecond)) // OnMount's redraws
			if !eval[bool](b, `document.body.firstElementChild === window.__pre`) {
				t.Error("the page's root is a new node: the first mount drew the page again")
			}
			kept := eval[int](b, `window.__preEls.filter((el) => el.isConnected).length`)
			t.Logf("%s: %d of the pre-render's %d elements kept", tt.name, kept, n)
			if kept < n/2 {
				t.Errorf("%d of the pre-render's %d elements are still in the page, want most", kept, n)
			}
			hydrated := eval[string](b, domShape)

			// The same page drawn by upstream's first mount.
			if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `window.__goappNoHydrate = true;`}); err != nil {
				t.Fatal(err)
			}
			b.do(chromedp.Reload())
			b.waitFor("the app to start again", started+` && window.__goappNoHydrate === true`, 60*time.Second)
			b.do(chromedp.Sleep(500 * time.Millisecond))
			drawn := eval[string](b, domShape)
			if hydrated != drawn {
				h, d := strings.Split(hydrated, "\n"), strings.Split(drawn, "\n")
				shown := 0
				for i := 0; i < max(len(h), len(d)) && shown < 10; i++ {
					var a, z string
					if i < len(h) {
						a = h[i]
					}
					if i < len(d) {
						z = d[i]
					}
					if a != z {
						t.Errorf("line %d:\nhydrated: %s\ndrawn:    %s", i, a, z)
						shown++
					}
				}
				t.Errorf("the hydrated page (%d lines) differs from upstream's drawing (%d lines)", len(h), len(d))
			}
		})
	}
	t.Run("controls", func(t *testing.T) {
		b := newBrowser(t, chromedp.Flag("accept-lang", "en-US"))
		b.do(chromedp.EmulateViewport(1280, 900))
		b.do(chromedp.Navigate(srv.URL + "/"))
		b.waitFor("the app to start", started+` && document.querySelector("#lang-ja:not(:disabled)") !== null`, 60*time.Second)
		b.click("#lang-ja")
		b.waitFor("the page in Japanese", `document.documentElement.lang === "ja" && document.querySelector("#lang-ja").getAttribute("aria-pressed") === "true" && document.querySelector(".nav").innerText.includes("パブリッシャー")`, 10*time.Second)
	})
	srv.Stop(t)
}
