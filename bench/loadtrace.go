package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// loadingExpr lists what the page fetched until connected, in the order
// the requests started: path, start and end (ms since navigation), and
// where it came from, with the document's own timing and the Go program's
// start (appOpenScript).
const loadingExpr = `(() => {
	const nav = performance.getEntriesByType("navigation")[0];
	const parts = ["document " + nav.requestStart.toFixed(0) + "–" + nav.responseEnd.toFixed(0) + " (" + (nav.deliveryType || "network") +
		(nav.workerStart ? ", worker start " + nav.workerStart.toFixed(0) : "") + "), parsed " + nav.domInteractive.toFixed(0) +
		", DOMContentLoaded " + nav.domContentLoadedEventEnd.toFixed(0)];
	for (const e of performance.getEntriesByType("resource")) {
		const u = new URL(e.name);
		if (u.pathname === "/mqtt") continue;
		parts.push(u.pathname + " " + e.startTime.toFixed(0) + "–" + e.responseEnd.toFixed(0) + " (" + e.initiatorType + ", " + (e.deliveryType || (e.transferSize ? "network" : "cache")) + ")");
	}
	parts.push("Go running " + (window.benchGoStarted || 0).toFixed(0) + ", Connect pressed " + (window.benchStarted || 0).toFixed(0));
	return parts.join("; ");
})()`

// wasmTraceNames are the trace events of V8's wasm work that -open-trace
// adds up, and the instants it counts (a code cache hit, a module
// serialized for the cache).
var wasmTraceNames = []string{"wasm.CompileLazy", "v8.wasm.compileConsume", "v8.wasm.compileConsumeDone", "wasm.SyncCompile", "wasm.AsyncCompile", "wasm.FinishAsyncCompile", "wasm.Deserialize", "v8.wasm.compileDigestForConsume", "wasm.CompileTopTier", "wasm.BaselineCompilation"}

var wasmTraceInstants = []string{"v8.wasm.moduleCacheHit", "v8.wasm.cachedModule", "v8.wasm.compiledModule", "v8.wasm.moduleCacheInvalid", "v8.wasm.moduleCacheInvalidDigest", "v8.wasm.streamFromResponseCallback"}

// summarizeWasmTrace adds up the wasm work of a trace, on every thread.
func summarizeWasmTrace(evs []traceEvent) string {
	total := map[string]float64{}
	count := map[string]int{}
	for _, e := range evs {
		if slices.Contains(wasmTraceNames, e.Name) && e.Ph == "X" {
			total[e.Name] += e.Dur
			count[e.Name]++
		}
		if slices.Contains(wasmTraceInstants, e.Name) {
			count[e.Name]++
		}
	}
	var parts []string
	for _, n := range wasmTraceNames {
		if count[n] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d× %.0f ms", n, count[n], total[n]/1000))
		}
	}
	for _, n := range wasmTraceInstants {
		if count[n] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d×", n, count[n]))
		}
	}
	return strings.Join(parts, ", ")
}

// loadTrace traces an unthrottled open of the app at u (-open-trace): cold
// in a fresh browser, then warm twice once its service worker is active
// (the second warm open can use what the first left in the caches, such
// as V8's code cache). Each trace goes to prefix-name-{cold,warm,warm2}.json;
// the notes list what each open fetched when and the wasm work of V8.
func (e *benchEnv) loadTrace(u, spki, prefix, name string) []string {
	fail := func(err error) []string { return []string{fmt.Sprintf("Open trace of %s: %v", name, err)} }
	profile, err := os.MkdirTemp(e.tmp, "chromium-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(profile)
	c, err := newChrome(e.chromium, profile, chromedp.Flag("ignore-certificate-errors-spki-list", spki))
	if err != nil {
		return fail(err)
	}
	defer c.close()
	if _, err := chromedp.Call(c.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: appOpenScript}); err != nil {
		return fail(err)
	}
	var notes []string
	for i, open := range []string{"cold", "warm", "warm2"} {
		if i > 0 {
			if _, err := c.waitString(swReady, 60*time.Second); err != nil {
				return append(notes, fail(err)...)
			}
			if err := c.navigate("about:blank"); err != nil {
				return append(notes, fail(err)...)
			}
		}
		tr, err := c.startTrace(false)
		if err != nil {
			return append(notes, fail(err)...)
		}
		r, err := c.openPage(u)
		if err != nil {
			return append(notes, fail(fmt.Errorf("%s: %w", open, err))...)
		}
		loading, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](loadingExpr))
		if err != nil {
			return append(notes, fail(err)...)
		}
		// Some time, traced, for what the page does after connected (the
		// worker's caching, V8's tier-up and code cache) before leaving.
		time.Sleep(5 * time.Second)
		file := fmt.Sprintf("%s-%s-%s.json", prefix, name, open)
		evs, err := tr.stop(file)
		if err != nil {
			return append(notes, fail(err)...)
		}
		notes = append(notes, fmt.Sprintf("Open trace of %s, %s, unthrottled (%s): connected %.0f ms; %s; V8's wasm work: %s",
			name, open, file, r.ms, loading, summarizeWasmTrace(evs)))
	}
	return notes
}
