package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/internal/headless"
	"qosplayground/server/gateway"
)

// chrome is a headless Chromium with a fresh profile (so the first visit of
// any page is cold), started with the flags the server's browser tests use
// on this machine (no network beyond loopback). It never downloads a
// browser: it runs the installed one.
type chrome struct {
	ctx    context.Context
	cancel func()
}

func newChrome(path, profileDir string, extra ...chromedp.ExecAllocatorOption) (*chrome, error) {
	opts := headless.Options(path, profileDir, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	c := &chrome{ctx: ctx, cancel: func() { cancel(); cancelAlloc() }}
	// Start the browser now, so that its start-up is not timed.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		c.cancel()
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	return c, nil
}

func (c *chrome) close() { c.cancel() }

func (c *chrome) navigate(u string) error {
	ctx, cancel := context.WithTimeout(c.ctx, 60*time.Second)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Navigate(u))
}

// waitString polls a JavaScript expression until it gives a non-empty
// string, and returns it.
func (c *chrome) waitString(expr string, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		s, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](expr))
		if err == nil && s != "" {
			return s, nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("still empty")
			}
			return "", fmt.Errorf("waiting %s for %s: %w", timeout, expr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// throughputResult is what a page of measurement 1 stores in
// window.benchResult.
type throughputResult struct {
	Client   string  `json:"client"`
	QoS      int     `json:"qos"`
	N        int     `json:"n"`
	Received int     `json:"received"`
	Ms       float64 `json:"ms"`
	Rate     float64 `json:"rate"`
	Err      string  `json:"error"`
}

func (e *benchEnv) browserThroughput(ctx context.Context, s Section) Section {
	if e.chromiumErr != nil {
		s.Err = "chromium is not installed (sudo apt-get install chromium): " + e.chromiumErr.Error()
		return s
	}
	runs := e.cfg.runsOr(3, 1)
	n := 10000
	if e.cfg.quick {
		n = 2000
	}
	const window = 20
	e.logf("building the wasm client (bench/wasmclient) ...")
	wasmFile, err := buildWasm(ctx, e.tmp, e.cfg.browserProfile != "")
	if err != nil {
		s.Err = err.Error()
		return s
	}
	m, err := e.startMosquitto(ctx, false)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	defer m.stop()
	// Both clients go through the same gateway to the same broker, served
	// with the pages from one origin.
	gw := gateway.New(gateway.Config{BrokerAddr: m.TCP, Logger: slog.New(slog.DiscardHandler), Faults: true})
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		gw.Close(ctx)
	}()
	ps, err := startPageServer(e.cfg.nodeDir, wasmFile, gw, nil)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	defer ps.close()
	profile, err := os.MkdirTemp(e.tmp, "chromium-")
	if err != nil {
		s.Err = err.Error()
		return s
	}
	c, err := newChrome(e.chromium, profile)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	defer c.close()

	rates := map[int]map[string][]float64{}
	clients := []struct{ name, page string }{{"wasm", "/wasm.html"}, {"mqtt.js", "/mqttjs.html"}}
	for run := range runs {
		for qos := range 3 {
			if rates[qos] == nil {
				rates[qos] = map[string][]float64{}
			}
			for k := range clients {
				cl := clients[(k+run)%len(clients)] // alternate who goes first
				if ctx.Err() != nil {
					s.Err = "interrupted"
					return s
				}
				q := url.Values{"qos": {fmt.Sprint(qos)}, "n": {fmt.Sprint(n)}, "window": {fmt.Sprint(window)}}
				if err := c.navigate(ps.URL + cl.page + "?" + q.Encode()); err != nil {
					s.Err = fmt.Sprintf("%s page: %v", cl.name, err)
					return s
				}
				raw, err := c.waitString(`window.benchResult || ""`, 5*time.Minute)
				if err != nil {
					s.Err = fmt.Sprintf("%s, QoS %d: %v", cl.name, qos, err)
					return s
				}
				var r throughputResult
				if err := json.Unmarshal([]byte(raw), &r); err != nil {
					s.Err = fmt.Sprintf("%s, QoS %d: result %q: %v", cl.name, qos, raw, err)
					return s
				}
				if r.Err != "" {
					s.Err = fmt.Sprintf("%s, QoS %d: %s", cl.name, qos, r.Err)
					return s
				}
				e.vlogf("browser run %d QoS %d %-8s %.0f msg/s (%d of %d in %.0f ms)", run+1, qos, cl.name, r.Rate, r.Received, n, r.Ms)
				rates[qos][cl.name] = append(rates[qos][cl.name], r.Rate)
				// Leave the page so its connections close before the next run.
				c.navigate("about:blank")
			}
		}
	}
	if e.cfg.browserProfile != "" {
		s.Notes = append(s.Notes, e.profileBrowser(c, ps.URL, n, window)...)
	}
	var splitRows []Comparison
	if e.cfg.workerSplit {
		var notes []string
		splitRows, notes = e.workerSplit(c, ps.URL, runs, n, window)
		s.Notes = append(s.Notes, notes...)
	}

	for qos := range 3 {
		s.Rows = append(s.Rows, compare(fmt.Sprintf("QoS %d throughput", qos), "msg/s",
			rates[qos]["wasm"], rates[qos]["mqtt.js"], "mqtt.js "+mqttJSVersion(e.cfg.nodeDir), true, 1.2))
	}
	s.Rows = append(s.Rows, splitRows...)
	s.Notes = append(s.Notes,
		fmt.Sprintf("Each client in the same headless Chromium tab: a subscriber and a publisher connection through the same gateway (in the benchmark's process) to the same Mosquitto; %d messages per run, at most %d unacknowledged (at QoS 0: unwritten), the lab's JSON payload; %d runs.", n, window, runs),
		"Throughput: messages received per second, from the first publish until the last message arrived.",
		"wasm: bench/wasmclient, the app's client (app/client) and the tutorial's publisher (app/exercises) without the go-app views, built with the app's flags. mqtt.js: bench/pages/mqttjs.html, the same run.",
	)
	return s
}

// profileBrowser profiles one more run of each client at the QoS of
// -browser-profile-qos (1 by default), after the measured ones, and returns
// notes naming where each spends its time.
func (e *benchEnv) profileBrowser(c *chrome, origin string, n, window int) []string {
	var notes []string
	for _, cl := range []struct{ name, page string }{{"wasm", "/wasm.html"}, {"mqttjs", "/mqttjs.html"}} {
		q := url.Values{"qos": {fmt.Sprint(e.cfg.browserProfileQoS)}, "n": {fmt.Sprint(n)}, "window": {fmt.Sprint(window)}}
		file := fmt.Sprintf("%s-%s.cpuprofile", e.cfg.browserProfile, cl.name)
		// A same-origin page to start from (a 404 is a document too).
		top, err := c.profileRun(origin+"/profile-start", origin+cl.page+"?"+q.Encode(), file)
		if err != nil {
			notes = append(notes, fmt.Sprintf("Profile of %s: %v", cl.name, err))
			continue
		}
		c.navigate("about:blank")
		var parts []string
		for _, f := range top {
			parts = append(parts, fmt.Sprintf("%s %.1f%%", f.Name, f.Share*100))
		}
		notes = append(notes, fmt.Sprintf("Profile of %s at QoS %d (%s, self time, idle included): %s.", cl.name, e.cfg.browserProfileQoS, file, strings.Join(parts, ", ")))
	}
	return notes
}

// mqttJSVersion reads the installed mqtt.js's version from its package.json.
func mqttJSVersion(nodeDir string) string {
	b, err := os.ReadFile(nodeDir + "/mqtt/package.json")
	if err != nil {
		return "?"
	}
	var p struct{ Version string }
	json.Unmarshal(b, &p)
	return p.Version
}
