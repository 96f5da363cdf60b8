package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// The worker split of issue 14 (item 4), with -worker-split: the
// playground's client (bench/wasmclient: app/client and app/lab without
// go-app) on the page's main thread (pages/wasm.html) and in a Web Worker
// (pages/wasm-worker.html), each connecting its two clients and running a
// QoS 0 stream: on the phone profile, cold, the time to connected and the
// main thread's blocking time; unthrottled, the QoS 0 throughput.

// splitRun is one run of one design on the phone profile.
type splitRun struct {
	connected, tbt, longest, rate float64
	workerThrottled               bool
}

// splitPhoneRun opens the page u cold in a fresh browser on the phone
// profile and waits for its run's result.
func (e *benchEnv) splitPhoneRun(u string) (splitRun, error) {
	var r splitRun
	profile, err := os.MkdirTemp(e.tmp, "chromium-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(profile)
	c, err := newChrome(e.chromium, profile)
	if err != nil {
		return r, err
	}
	defer c.close()
	if _, err := chromedp.Call(c.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: vitalsScript}); err != nil {
		return r, err
	}
	if err := c.emulatePhone(); err != nil {
		return r, err
	}
	// The worker is a target of its own, which the tab's throttling does
	// not reach: throttle it too as soon as it shows (its first request
	// may start before).
	workers := make(chan target.ID, 4)
	chromedp.ListenBrowser(c.ctx, func(ev any) {
		if ev, ok := ev.(*target.EventTargetCreated); ok && ev.TargetInfo.Type == "worker" {
			select {
			case workers <- ev.TargetInfo.TargetID:
			default:
			}
		}
	})
	workerErr := make(chan error, 1)
	go func() {
		for id := range workers {
			wctx, _ := chromedp.NewContext(c.ctx, chromedp.WithTargetID(id))
			wc := &chrome{ctx: wctx}
			workerErr <- wc.emulateWorker()
			return
		}
	}()
	defer close(workers)
	if err := c.navigate(u + "&hold=1"); err != nil {
		return r, err
	}
	if strings.Contains(u, "worker") {
		select {
		case err := <-workerErr:
			if err != nil {
				return r, fmt.Errorf("throttling the worker: %w", err)
			}
			r.workerThrottled = true
		case <-time.After(10 * time.Second):
			return r, errors.New("the worker's target did not show in 10 s")
		}
	}
	if _, err := chromedp.Run(c.ctx, chromedp.Evaluate[bool](`window.benchGo = true`)); err != nil {
		return r, err
	}
	raw, err := c.waitString(`window.benchResult || ""`, 5*time.Minute)
	if err != nil {
		return r, err
	}
	var res throughputResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil || res.Err != "" {
		return r, fmt.Errorf("result %q: %v", raw, err)
	}
	r.rate = res.Rate
	raw, err = chromedp.Run(c.ctx, chromedp.Evaluate[string](`JSON.stringify(Object.assign({now: performance.now(), connected: window.benchConnectedAt - window.benchGoAt, from: window.benchGoAt}, window.benchVitals))`))
	if err != nil {
		return r, err
	}
	var v struct {
		vitals
		Connected float64 `json:"connected"`
		From      float64 `json:"from"`
	}
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return r, err
	}
	r.connected = v.Connected
	from := max(v.FCP, v.From)
	r.tbt = blockingTime(v.Tasks, from, v.Now)
	for _, t := range v.Tasks {
		if t[0]+t[1] > from {
			r.longest = max(r.longest, t[1])
		}
	}
	return r, nil
}

// workerSplit measures both designs, run after run, and returns the rows
// (ours: the worker, peer: the main thread) and notes.
func (e *benchEnv) workerSplit(c *chrome, origin string, runs, n, window int) ([]Comparison, []string) {
	const phoneN = 2000
	var wConn, mConn, wTBT, mTBT, wLong, mLong, wPhoneRate, mPhoneRate, wRate, mRate []float64
	var notes []string
	designs := []struct{ name, page string }{{"main", "/wasm.html"}, {"worker", "/wasm-worker.html"}}
	for run := range runs {
		for k := range designs {
			d := designs[(k+run)%2]
			q := url.Values{"qos": {"0"}, "n": {fmt.Sprint(phoneN)}, "window": {fmt.Sprint(window)}}
			r, err := e.splitPhoneRun(origin + d.page + "?" + q.Encode())
			if err != nil {
				notes = append(notes, fmt.Sprintf("Worker split, %s on the phone profile: %v", d.name, err))
				return nil, notes
			}
			e.vlogf("worker split run %d %-6s phone: connected %.0f ms, TBT %.0f ms, longest %.0f ms, QoS 0 %.0f msg/s (worker throttled %v)", run+1, d.name, r.connected, r.tbt, r.longest, r.rate, r.workerThrottled)
			if d.name == "worker" {
				wConn, wTBT, wLong, wPhoneRate = append(wConn, r.connected), append(wTBT, r.tbt), append(wLong, r.longest), append(wPhoneRate, r.rate)
			} else {
				mConn, mTBT, mLong, mPhoneRate = append(mConn, r.connected), append(mTBT, r.tbt), append(mLong, r.longest), append(mPhoneRate, r.rate)
			}
			// Unthrottled throughput, in the measurement's own tab.
			q.Set("n", fmt.Sprint(n))
			if err := c.navigate(origin + d.page + "?" + q.Encode()); err != nil {
				notes = append(notes, fmt.Sprintf("Worker split, %s: %v", d.name, err))
				return nil, notes
			}
			raw, err := c.waitString(`window.benchResult || ""`, 5*time.Minute)
			var res throughputResult
			if err == nil {
				err = json.Unmarshal([]byte(raw), &res)
			}
			if err != nil || res.Err != "" {
				notes = append(notes, fmt.Sprintf("Worker split, %s QoS 0 throughput: %v %s", d.name, err, res.Err))
				return nil, notes
			}
			c.navigate("about:blank")
			e.vlogf("worker split run %d %-6s QoS 0 %.0f msg/s", run+1, d.name, res.Rate)
			if d.name == "worker" {
				wRate = append(wRate, res.Rate)
			} else {
				mRate = append(mRate, res.Rate)
			}
		}
	}
	peer := "the same client on the main thread"
	rows := []Comparison{
		compare("worker split, phone profile: navigation to both clients connected", "ms", wConn, mConn, peer, false, 0),
		compare("worker split, phone profile: main thread's blocking time until the run's end", "ms", wTBT, mTBT, peer, false, 0),
		compare("worker split, phone profile: main thread's longest task", "ms", wLong, mLong, peer, false, 0),
		compare(fmt.Sprintf("worker split, phone profile: QoS 0 throughput, %d messages", phoneN), "msg/s", wPhoneRate, mPhoneRate, peer, true, 0),
		compare(fmt.Sprintf("worker split: QoS 0 throughput, %d messages, unthrottled", n), "msg/s", wRate, mRate, peer, true, 0),
	}
	notes = append(notes, fmt.Sprintf("Worker split (-worker-split): bench/wasmclient (the client and the lab's publisher, no go-app) in a Web Worker (pages/wasm-worker.html; ours) vs on the page's main thread (pages/wasm.html; peer), %d runs each, alternating. Phone profile as in measurement 3 (cold, fresh browser; the CPU slowdown applies to the page's main thread), from the page's navigation to both clients connected, and the page's long tasks from first contentful paint to the end of a QoS 0 run of %d messages; unthrottled, QoS 0 throughput of %d messages in this measurement's tab.", runs, phoneN, n))
	return rows, notes
}
