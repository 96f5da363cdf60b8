package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The phone profile of measurement 3: a 4x CPU slowdown and DevTools'
// "Slow 4G" network (Chrome DevTools' and Puppeteer's preset of that name,
// the conditions Lighthouse's mobile runs use: 1.6 Mbit/s down and 750
// kbit/s up, each times 0.9, and 150 ms round trips times 3.75 as the
// latency of each request), on a 390 x 844 mobile viewport.
const (
	phoneCPUSlowdown = 4
	slow4GLatencyMs  = 150 * 3.75                  // 562.5 ms per request
	slow4GDown       = 1.6 * 1000 * 1000 / 8 * 0.9 // 180,000 bytes/s
	slow4GUp         = 750 * 1000 / 8 * 0.9        // 84,375 bytes/s
	// quietMs: after connected, the window ends once no long task has run
	// for this long (at most maxQuietWaitMs after connected).
	quietMs        = 2000
	maxQuietWaitMs = 10000
	// longTaskMs is the threshold of a long task and of blocking time.
	longTaskMs = 50
)

// vitalsScript runs in every document before the page's own scripts and
// collects, in window.benchVitals, the first contentful paint, the largest
// contentful paint's candidates and the long tasks of the page's main
// thread, with buffered observers.
const vitalsScript = `(() => {
	const v = window.benchVitals = {fcp: 0, lcp: 0, lcpAt: 0, tasks: []};
	const watch = (type, f) => {
		try { new PerformanceObserver((l) => l.getEntries().forEach(f)).observe({type, buffered: true}); }
		catch (e) { v.error = (v.error || "") + type + ": " + e + "; "; }
	};
	watch("paint", (e) => { if (e.name === "first-contentful-paint") v.fcp = e.startTime; });
	watch("largest-contentful-paint", (e) => { v.lcp = e.startTime; v.lcpAt = performance.now(); v.lcpTag = e.element ? e.element.tagName + (e.element.id ? "#" + e.element.id : "") : ""; });
	watch("longtask", (e) => v.tasks.push([e.startTime, e.duration]));
})();
`

// vitals is window.benchVitals with the page's clock when read.
type vitals struct {
	Now    float64      `json:"now"`
	FCP    float64      `json:"fcp"`
	LCP    float64      `json:"lcp"`
	LCPTag string       `json:"lcpTag"`
	Tasks  [][2]float64 `json:"tasks"`
	Error  string       `json:"error"`
}

const readVitals = `JSON.stringify(Object.assign({now: performance.now()}, window.benchVitals || {}))`

// lastTaskEnd is when the last long task ended (0 if none).
func (v vitals) lastTaskEnd() float64 {
	end := 0.0
	for _, t := range v.Tasks {
		end = max(end, t[0]+t[1])
	}
	return end
}

// blockingTime is the total blocking time between from and to: each long
// task's part inside the window, less 50 ms, when that part is longer than
// 50 ms (Lighthouse's clipping of a task that straddles the window's
// start).
func blockingTime(tasks [][2]float64, from, to float64) float64 {
	sum := 0.0
	for _, t := range tasks {
		start, end := max(t[0], from), min(t[0]+t[1], to)
		if d := end - start; d > longTaskMs {
			sum += d - longTaskMs
		}
	}
	return sum
}

// pageStateExpr says where a page that never connected stands.
const pageStateExpr = `JSON.stringify({t: performance.now(), loader: !!document.getElementById("app-wasm-loader"),
	label: (document.getElementById("app-wasm-loader-label") || {}).innerText, goStarted: window.benchGoStarted,
	started: window.benchStarted, url: (document.querySelector("#broker-url") || {}).value,
	conn: (document.querySelector("#conn-state") || {dataset: {}}).dataset.state,
	resources: performance.getEntriesByType("resource").map((e) => e.name.replace(location.origin, "") + " " + Math.round(e.responseEnd))})`

// phoneResult is one page open on the phone profile.
type phoneResult struct {
	open                  openResult
	fcp, lcp, tbt         float64 // ms
	windowEnd             float64 // end of the blocking-time window (ms since navigation)
	longest               float64 // the longest task in the window (ms)
	tasks                 int     // long tasks in the window
	lcpElement            string
	tasksAll              [][2]float64
	vitalsErr             string
	traceFile, traceNotes string
}

// emulatePhone puts c's tab on the phone profile: its network, and its
// CPU and screen.
func (c *chrome) emulatePhone() error {
	if err := c.emulateWorker(); err != nil {
		return err
	}
	if _, err := chromedp.Call(c.ctx, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: phoneCPUSlowdown}); err != nil {
		return fmt.Errorf("CPU throttling: %w", err)
	}
	return chromedp.Do(c.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
}

// emulateWorker puts c's target (a tab or a worker) on the phone profile's
// network, Slow 4G: all a worker gets (the CPU slowdown cannot reach it).
func (c *chrome) emulateWorker() error {
	if _, err := chromedp.Call(c.ctx, network.Enable, network.EnableParams{}); err != nil {
		return err
	}
	// Network.emulateNetworkConditions is deprecated in this protocol
	// version; a rule with no URL pattern is its replacement, for every
	// request of the target (WebSockets included).
	if _, err := chromedp.Call(c.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Latency: slow4GLatencyMs, DownloadThroughput: slow4GDown, UploadThroughput: slow4GUp, ConnectionType: network.ConnectionTypeCellular4g}},
	}); err != nil {
		return fmt.Errorf("network conditions: %w", err)
	}
	// Emulation.setCPUThrottlingRate: "Operation is only supported for
	// pages, not workers": a worker runs at the machine's speed.
	return nil
}

// phoneOpen opens u once, cold, in a fresh browser on the phone profile,
// and measures its paints and long tasks until connected and quiet.
// traceFile, when set, gets a DevTools trace of the open.
func (e *benchEnv) phoneOpen(u, spki, script, traceFile string) (phoneResult, error) {
	var r phoneResult
	profile, err := os.MkdirTemp(e.tmp, "chromium-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(profile)
	c, err := newChrome(e.chromium, profile, chromedp.Flag("ignore-certificate-errors-spki-list", spki))
	if err != nil {
		return r, err
	}
	defer c.close()
	if _, err := chromedp.Call(c.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: vitalsScript + script}); err != nil {
		return r, err
	}
	if traceFile == "" || !e.cfg.openProfileDesktop {
		if err := c.emulatePhone(); err != nil {
			return r, err
		}
	}
	var tr *tracer
	if traceFile != "" {
		if tr, err = c.startTrace(e.cfg.openProfileDesktop); err != nil {
			return r, err
		}
	}
	if r.open, err = c.openPage(u); err != nil {
		state, _ := chromedp.Run(c.ctx, chromedp.Evaluate[string](pageStateExpr))
		return r, fmt.Errorf("%w (the page: %s)", err, state)
	}
	// Wait until quiet: no long task for quietMs after connected.
	var v vitals
	for {
		raw, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](readVitals))
		if err != nil {
			return r, err
		}
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return r, fmt.Errorf("benchVitals %q: %v", raw, err)
		}
		last := max(r.open.ms, v.lastTaskEnd())
		if v.Now-last >= quietMs || v.Now-r.open.ms >= maxQuietWaitMs {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if tr != nil {
		evs, err := tr.stop(traceFile)
		if err != nil {
			return r, fmt.Errorf("trace: %w", err)
		}
		r.traceFile, r.traceNotes = traceFile, summarizeTrace(evs)+"\n"+summarizeConnect(evs)
	}
	r.fcp, r.lcp, r.lcpElement, r.vitalsErr, r.tasksAll = v.FCP, v.LCP, v.LCPTag, v.Error, v.Tasks
	r.windowEnd = v.Now
	if v.FCP == 0 {
		return r, fmt.Errorf("no first contentful paint (%s)", v.Error)
	}
	r.tbt = blockingTime(v.Tasks, v.FCP, v.Now)
	for _, t := range v.Tasks {
		if t[0]+t[1] > v.FCP && t[0] < v.Now {
			r.tasks++
			r.longest = max(r.longest, t[1])
		}
	}
	return r, nil
}

// phoneRuns measures the phone profile of the app and of the peer, one
// after the other in each run, and returns the rows and notes of measurement
// 3.
func (e *benchEnv) phoneRuns(appURL, abURL, floorURL, peerURL, spki, peer string, runs int) ([]Comparison, []string, error) {
	var abTBT, abLongest, abConn, abGo, abTBTA, abLongestA, abConnA, abGoA []float64
	var abFetched, abFetchedA []float64
	// The blocking time while app.wasm downloads (first contentful paint
	// to its last byte) and from then on.
	var abDown, abDownA, abAfter, abAfterA []float64
	var abPress, abPressA []float64 // Connect pressed to connected
	split := func(r phoneResult) (down, after float64) {
		down = blockingTime(r.tasksAll, r.fcp, r.open.wasmFetched)
		return down, r.tbt - down
	}
	var appLCP, jsLCP, appTBT, jsTBT, appConn, jsConn, appFCP, jsFCP, appLongest, jsLongest, appGo, appFetched []float64
	var appTasks, jsTasks []float64
	var floorConn, floorTBT, floorLCP []float64 // -floor
	var lcpEls []string
	var runErr error
	for run := range runs {
		// With -ab-web the two builds take turns at going first (see
		// openingApp).
		var b phoneResult
		var bErr error
		if abURL != "" && run%2 == 1 {
			b, bErr = e.phoneOpen(abURL, spki, appOpenScript, "")
		}
		a, err := e.phoneOpen(appURL, spki, appOpenScript, "")
		if err != nil {
			runErr = fmt.Errorf("the app on the phone profile: %w", err)
			break
		}
		j, err := e.phoneOpen(peerURL, spki, "", "")
		if err != nil {
			runErr = fmt.Errorf("the mqtt.js page on the phone profile: %w", err)
			break
		}
		e.vlogf("phone run %d: app FCP %.0f LCP %.0f (%s) TBT %.0f (%d long tasks, longest %.0f) connected %.0f (app.wasm %.0f, Go started %.0f); mqtt.js FCP %.0f LCP %.0f TBT %.0f (%d, longest %.0f) connected %.0f",
			run+1, a.fcp, a.lcp, a.lcpElement, a.tbt, a.tasks, a.longest, a.open.ms, a.open.wasmFetched, a.open.goStarted, j.fcp, j.lcp, j.tbt, j.tasks, j.longest, j.open.ms)
		e.vlogf("phone run %d: app long tasks %v", run+1, roundTasks(a.tasksAll))
		if floorURL != "" {
			f, err := e.phoneOpen(floorURL, spki, appOpenScript, "")
			if err != nil {
				runErr = fmt.Errorf("the floor on the phone profile: %w", err)
				break
			}
			e.vlogf("phone run %d: floor LCP %.0f TBT %.0f connected %.0f (app.wasm %.0f, Go started %.0f)",
				run+1, f.lcp, f.tbt, f.open.ms, f.open.wasmFetched, f.open.goStarted)
			floorConn, floorTBT, floorLCP = append(floorConn, f.open.ms), append(floorTBT, f.tbt), append(floorLCP, f.lcp)
		}
		if abURL != "" {
			if run%2 == 0 {
				b, bErr = e.phoneOpen(abURL, spki, appOpenScript, "")
			}
			if bErr != nil {
				runErr = fmt.Errorf("the app of -ab-web on the phone profile: %w", bErr)
				break
			}
			e.vlogf("phone run %d: -ab-web's app FCP %.0f LCP %.0f TBT %.0f (%d long tasks, longest %.0f) connected %.0f (app.wasm %.0f, Go started %.0f); long tasks %v",
				run+1, b.fcp, b.lcp, b.tbt, b.tasks, b.longest, b.open.ms, b.open.wasmFetched, b.open.goStarted, roundTasks(b.tasksAll))
			abTBT, abLongest, abConn = append(abTBT, b.tbt), append(abLongest, b.longest), append(abConn, b.open.ms)
			abTBTA, abLongestA, abConnA = append(abTBTA, a.tbt), append(abLongestA, a.longest), append(abConnA, a.open.ms)
			// From app.wasm's last byte to the Go program's first wait.
			abGo, abGoA = append(abGo, b.open.goStarted-b.open.wasmFetched), append(abGoA, a.open.goStarted-a.open.wasmFetched)
			abFetched, abFetchedA = append(abFetched, b.open.wasmFetched), append(abFetchedA, a.open.wasmFetched)
			bd, ba := split(b)
			ad, aa := split(a)
			abDown, abAfter, abDownA, abAfterA = append(abDown, bd), append(abAfter, ba), append(abDownA, ad), append(abAfterA, aa)
			abPress, abPressA = append(abPress, b.open.ms-b.open.started), append(abPressA, a.open.ms-a.open.started)
			e.vlogf("phone run %d: Connect pressed to connected: this build %.0f ms, -ab-web's %.0f ms", run+1, a.open.ms-a.open.started, b.open.ms-b.open.started)
		}
		appLCP, jsLCP = append(appLCP, a.lcp), append(jsLCP, j.lcp)
		appTBT, jsTBT = append(appTBT, a.tbt), append(jsTBT, j.tbt)
		appConn, jsConn = append(appConn, a.open.ms), append(jsConn, j.open.ms)
		appFCP, jsFCP = append(appFCP, a.fcp), append(jsFCP, j.fcp)
		appLongest, jsLongest = append(appLongest, a.longest), append(jsLongest, j.longest)
		appTasks, jsTasks = append(appTasks, float64(a.tasks)), append(jsTasks, float64(j.tasks))
		appGo, appFetched = append(appGo, a.open.goStarted), append(appFetched, a.open.wasmFetched)
		lcpEls = append(lcpEls, a.lcpElement)
	}
	absolute := func(c Comparison, bound float64, target string) Comparison {
		if len(c.Ours.Runs) > 0 && len(c.Peer.Runs) > 0 {
			absoluteTarget(&c, target, c.Ours.Median <= bound && c.Peer.Median <= bound)
		}
		return c
	}
	rows := []Comparison{
		absolute(compare("phone profile: largest contentful paint", "ms", appLCP, jsLCP, peer, false, 0), 2500, "≤ 2500 ms each"),
		absolute(compare("phone profile: total blocking time", "ms", appTBT, jsTBT, peer, false, 0), 600, "≤ 600 ms each"),
		absolute(compare("phone profile: navigation to connected", "ms", appConn, jsConn, peer, false, 0), 5000, "≤ 5000 ms each"),
	}
	if floorURL != "" {
		rows = append(rows,
			compare("the floor: phone profile, navigation to connected", "ms", floorConn, jsConn, peer, false, 0),
			compare("the floor: phone profile, total blocking time", "ms", floorTBT, jsTBT, peer, false, 0),
			compare("the floor: phone profile, largest contentful paint", "ms", floorLCP, jsLCP, peer, false, 0),
			compare("the app against the floor: phone profile, navigation to connected", "ms", appConn, floorConn, "the floor", false, 0),
			compare("the app against the floor: phone profile, total blocking time", "ms", appTBT, floorTBT, "the floor", false, 0),
		)
	}
	if abURL != "" {
		ab := "the app of -ab-web"
		rows = append(rows,
			compare("phone profile, this build vs -ab-web: total blocking time", "ms", abTBTA, abTBT, ab, false, 0),
			compare("phone profile, this build vs -ab-web: blocking time while app.wasm downloads", "ms", abDownA, abDown, ab, false, 0),
			compare("phone profile, this build vs -ab-web: blocking time from app.wasm's last byte", "ms", abAfterA, abAfter, ab, false, 0),
			compare("phone profile, this build vs -ab-web: longest task", "ms", abLongestA, abLongest, ab, false, 0),
			compare("phone profile, this build vs -ab-web: navigation to app.wasm fetched", "ms", abFetchedA, abFetched, ab, false, 0),
			compare("phone profile, this build vs -ab-web: app.wasm fetched to Go running", "ms", abGoA, abGo, ab, false, 0),
			compare("phone profile, this build vs -ab-web: navigation to connected", "ms", abConnA, abConn, ab, false, 0),
			compare("phone profile, this build vs -ab-web: Connect pressed to connected", "ms", abPressA, abPress, ab, false, 0),
		)
	}
	notes := []string{
		fmt.Sprintf("Phone profile: %d runs, each page cold in a fresh Chromium profile, with a %dx CPU slowdown (Emulation.setCPUThrottlingRate) and DevTools' \"Slow 4G\" (the preset of DevTools, Puppeteer and Lighthouse's mobile runs: %.1f ms per request, %.0f bytes/s down, %.0f up; Network.emulateNetworkConditionsByRule, the protocol's replacement of emulateNetworkConditions) on a 390x844 mobile viewport. \"each\": the target holds for both pages.", len(appLCP), phoneCPUSlowdown, float64(slow4GLatencyMs), float64(slow4GDown), float64(slow4GUp)),
		fmt.Sprintf("Largest contentful paint: the last 'largest-contentful-paint' entry (buffered observer) by the end of the window below. Total blocking time: the long tasks ('longtask' entries) of the page's main thread between first contentful paint and the end of the window, connected and then %d ms without a long task (at most %d ms after connected); each task's part inside the window beyond 50 ms counts (Lighthouse's definition, with connected and quiet as the end instead of Time to Interactive).", quietMs, maxQuietWaitMs),
		fmt.Sprintf("Phone profile, where the time goes: first contentful paint %s ms vs %s ms; long tasks in the window %s vs %s, the longest %s ms vs %s ms; the app's app.wasm fetched at %s ms, its Go program running (go-app's loader removed) at %s ms; its largest contentful paint was %v.",
			formatFigure(summarize(appFCP)), formatFigure(summarize(jsFCP)), formatFigure(summarize(appTasks)), formatFigure(summarize(jsTasks)),
			formatFigure(summarize(appLongest)), formatFigure(summarize(jsLongest)), formatFigure(summarize(appFetched)), formatFigure(summarize(appGo)), lcpEls),
	}
	return rows, notes, runErr
}

func roundTasks(ts [][2]float64) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("%.0f+%.0f", t[0], t[1])
	}
	return out
}

// profileOpen traces one more phone-profile open of each page
// (-open-profile): the app from a server of its own whose app.wasm keeps its
// function names (built here, so that the profile's samples name the Go
// functions), the peer as measured, and -ab-web's app (abURL, if any) as
// it is. It returns notes listing the long tasks.
func (e *benchEnv) profileOpen(ctx context.Context, brokerTCP string, cert *selfSigned, peerHost, peerURL, abURL string) []string {
	fail := func(err error) []string { return []string{"Open profile: " + err.Error()} }
	e.logf("building app.wasm with its function names for -open-profile ...")
	web, raw, err := e.webWithWASM(ctx, "web-symbols-", "./wasm", "-symbols")
	if err != nil {
		return fail(err)
	}
	wasmFile := filepath.Join(web, "app.wasm")
	// A brotli copy (a quick quality: its download is not what the
	// profile is for), which the server checks and sends.
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, 6)
	bw.Write(raw)
	bw.Close()
	if err := os.WriteFile(wasmFile+".br", br.Bytes(), 0o644); err != nil {
		return fail(err)
	}
	dataDir, err := os.MkdirTemp(e.tmp, "server-")
	if err != nil {
		return fail(err)
	}
	srv, err := startServer(ctx, e.cfg.serverBin, web, dataDir, brokerTCP,
		"-tls-cert", cert.certFile, "-tls-key", cert.keyFile, "-origins", peerHost)
	if err != nil {
		return fail(err)
	}
	defer srv.stop()
	var notes []string
	pages := []struct{ name, url, script string }{
		{"app", "https://" + srv.addr + "/?lang=en", appOpenScript},
		{"mqttjs", peerURL, ""},
	}
	if abURL != "" {
		pages = append(pages, struct{ name, url, script string }{"ab-app", abURL, appOpenScript})
	}
	for _, p := range pages {
		file := fmt.Sprintf("%s-%s.json", e.cfg.openProfile, p.name)
		r, err := e.phoneOpen(p.url, cert.spki, p.script, file)
		if err != nil {
			notes = append(notes, fmt.Sprintf("Open profile of %s: %v", p.name, err))
			continue
		}
		where := "on the phone profile"
		if e.cfg.openProfileDesktop {
			where = "unthrottled"
		}
		notes = append(notes, fmt.Sprintf("Open profile of %s %s (%s; app.wasm %.1f MB raw with names, %.2f MB brotli): FCP %.0f ms, LCP %.0f ms, TBT %.0f ms, connected %.0f ms; %s",
			p.name, where, file, float64(len(raw))/1e6, float64(br.Len())/1e6, r.fcp, r.lcp, r.tbt, r.open.ms, r.traceNotes))
	}
	return notes
}
