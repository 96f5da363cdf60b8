package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// tracer records a DevTools trace of a tab (what the Performance panel
// records: the main thread's tasks and the JavaScript and wasm sampling
// profiler), for -open-profile.
type tracer struct {
	c      *chrome
	mu     sync.Mutex
	events [][]byte
	done   chan struct{}
}

// traceCategories are the Performance panel's, with the sampling profiler.
var traceCategories = []string{
	"-*", "devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame",
	"toplevel", "v8", "v8.execute", "v8.wasm", "blink.user_timing", "loading", "latencyInfo",
	"disabled-by-default-v8.cpu_profiler", "disabled-by-default-devtools.timeline.stack",
}

// netCategories add the network stack's events (sockets, TLS, the
// WebSocket's handshake in the network service) for -open-profile-desktop.
var netCategories = []string{"net", "netlog", "disabled-by-default-netlog"}

func (c *chrome) startTrace(withNet bool) (*tracer, error) {
	cats := traceCategories
	if withNet {
		cats = append(slices.Clone(cats), netCategories...)
	}
	t := &tracer{c: c, done: make(chan struct{})}
	var once sync.Once
	chromedp.Listen(c.ctx, func(ev any) {
		switch ev := ev.(type) {
		case *tracing.EventDataCollected:
			t.mu.Lock()
			for _, v := range ev.Value {
				t.events = append(t.events, bytes.Clone(v))
			}
			t.mu.Unlock()
		case *tracing.EventTracingComplete:
			once.Do(func() { close(t.done) })
		}
	})
	_, err := chromedp.Call(c.ctx, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig:  &tracing.TraceConfig{IncludedCategories: cats},
	})
	return t, err
}

// stop ends the trace, writes it to file (open it in DevTools' Performance
// panel) and returns its events.
func (t *tracer) stop(file string) ([]traceEvent, error) {
	if _, err := chromedp.Call(t.c.ctx, tracing.End, cdp.Empty{}); err != nil {
		return nil, err
	}
	select {
	case <-t.done:
	case <-time.After(2 * time.Minute):
		return nil, errors.New("the trace did not complete in 2 minutes")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var buf bytes.Buffer
	buf.WriteString(`{"traceEvents":[`)
	for i, e := range t.events {
		if i > 0 {
			buf.WriteString(",\n")
		}
		buf.Write(e)
	}
	buf.WriteString("]}\n")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	evs := make([]traceEvent, 0, len(t.events))
	for _, raw := range t.events {
		var e traceEvent
		if json.Unmarshal(raw, &e) == nil {
			evs = append(evs, e)
		}
	}
	return evs, nil
}

// traceEvent is one event of a Chrome trace (JSON format).
type traceEvent struct {
	Name string          `json:"name"`
	Cat  string          `json:"cat"`
	Ph   string          `json:"ph"`
	Ts   float64         `json:"ts"`   // µs
	Dur  float64         `json:"dur"`  // µs
	Tdur float64         `json:"tdur"` // µs of the thread's CPU time
	Pid  int             `json:"pid"`
	Tid  int             `json:"tid"`
	ID   string          `json:"id"`
	Args json.RawMessage `json:"args"`
}

type threadKey struct{ pid, tid int }

// profileNode is a node of a sampled CPU profile in a trace.
type profileNode struct {
	ID        int `json:"id"`
	Parent    int `json:"parent"`
	CallFrame struct {
		FunctionName string `json:"functionName"`
		URL          string `json:"url"`
	} `json:"callFrame"`
}

// sample is one sample of the CPU profile: when (µs, trace clock) and the
// node on top of the stack.
type sample struct {
	ts   float64
	node int
}

// cpuProfile is the sampled profile of one thread, built from a trace's
// Profile and ProfileChunk events.
type cpuProfile struct {
	thread  threadKey
	start   float64
	last    float64
	nodes   map[int]profileNode
	samples []sample
}

// threadNames names the trace's threads (its thread_name metadata events).
func threadNames(evs []traceEvent) map[threadKey]string {
	names := map[threadKey]string{}
	for _, e := range evs {
		if e.Ph == "M" && e.Name == "thread_name" {
			var a struct{ Name string }
			json.Unmarshal(e.Args, &a)
			names[threadKey{e.Pid, e.Tid}] = a.Name
		}
	}
	return names
}

// summarizeTrace lists the long tasks (RunTask over 50 ms) of the renderer
// main thread that ran the most of them, each with the trace events under
// it and the sampled functions, by Go package, that took its time.
func summarizeTrace(evs []traceEvent) string {
	names := threadNames(evs)
	// The long tasks of each renderer main thread.
	long := map[threadKey][]traceEvent{}
	for _, e := range evs {
		k := threadKey{e.Pid, e.Tid}
		if e.Ph == "X" && e.Name == "RunTask" && e.Dur > longTaskMs*1000 && names[k] == "CrRendererMain" {
			long[k] = append(long[k], e)
		}
	}
	var main threadKey
	for k, ts := range long {
		if len(ts) > len(long[main]) {
			main = k
		}
	}
	tasks := long[main]
	if len(tasks) == 0 {
		return "no long task on a renderer's main thread in the trace"
	}
	slices.SortFunc(tasks, func(a, b traceEvent) int { return cmp.Compare(a.Ts, b.Ts) })
	// The navigation's start, the zero of the page's clock.
	var navStart float64
	for _, e := range evs {
		if e.Pid == main.pid && (e.Name == "navigationStart" || e.Name == "markAsMainFrame") && navStart == 0 {
			navStart = e.Ts
		}
	}
	profiles := buildProfiles(evs)
	var prof *cpuProfile
	for _, p := range profiles {
		if p.thread == main || (p.thread.pid == main.pid && (prof == nil || len(p.samples) > len(prof.samples)) && prof.thread != main) {
			prof = p
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d long tasks on the page's main thread:", len(tasks))
	for _, task := range tasks {
		start, end := task.Ts, task.Ts+task.Dur
		fmt.Fprintf(&b, "\n- at %.0f ms, %.0f ms (%.0f ms of CPU):", (start-navStart)/1000, task.Dur/1000, task.Tdur/1000)
		fmt.Fprintf(&b, " events %s;", eventsInside(evs, main, task))
		if prof != nil {
			fmt.Fprintf(&b, " sampled %s", prof.describe(start, end))
		}
	}
	return b.String()
}

func buildProfiles(evs []traceEvent) []*cpuProfile {
	byID := map[string]*cpuProfile{}
	var order []*cpuProfile
	for _, e := range evs {
		switch e.Name {
		case "Profile":
			var a struct {
				Data struct {
					StartTime float64 `json:"startTime"`
				} `json:"data"`
			}
			json.Unmarshal(e.Args, &a)
			p := &cpuProfile{thread: threadKey{e.Pid, e.Tid}, start: a.Data.StartTime, last: a.Data.StartTime, nodes: map[int]profileNode{}}
			byID[fmt.Sprint(e.Pid)+"/"+e.ID] = p
			order = append(order, p)
		}
	}
	for _, e := range evs {
		if e.Name != "ProfileChunk" {
			continue
		}
		p := byID[fmt.Sprint(e.Pid)+"/"+e.ID]
		if p == nil {
			continue
		}
		var a struct {
			Data struct {
				CPUProfile struct {
					Nodes   []profileNode `json:"nodes"`
					Samples []int         `json:"samples"`
				} `json:"cpuProfile"`
				TimeDeltas []float64 `json:"timeDeltas"`
			} `json:"data"`
		}
		if json.Unmarshal(e.Args, &a) != nil {
			continue
		}
		for _, n := range a.Data.CPUProfile.Nodes {
			p.nodes[n.ID] = n
		}
		for i, s := range a.Data.CPUProfile.Samples {
			if i < len(a.Data.TimeDeltas) {
				p.last += a.Data.TimeDeltas[i]
			}
			p.samples = append(p.samples, sample{ts: p.last, node: s})
		}
	}
	return order
}

// describe sums the samples between start and end by what was on top of
// the stack, grouped as goGroup says, and names the largest groups (with
// their share of the samples in the window).
func (p *cpuProfile) describe(start, end float64) string {
	groups := map[string]int{}
	n := 0
	for _, s := range p.samples {
		if s.ts < start || s.ts > end {
			continue
		}
		n++
		groups[p.group(s.node)]++
	}
	if n == 0 {
		return "(no samples)"
	}
	parts := largest(groups, 8, func(name string, c int) string {
		return fmt.Sprintf("%s %.0f%%", name, float64(c)*100/float64(n))
	})
	return fmt.Sprintf("(%d samples) %s", n, strings.Join(parts, ", "))
}

// largest formats the top entries of m with the largest values, largest
// first (ties by name, so that a listing is the same from run to run).
func largest[V cmp.Ordered](m map[string]V, top int, format func(name string, v V) string) []string {
	names := slices.Collect(maps.Keys(m))
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b)) })
	var parts []string
	for _, name := range names[:min(top, len(names))] {
		parts = append(parts, format(name, m[name]))
	}
	return parts
}

// group names what a sample was doing: the Go package of a wasm function
// (its name kept by -symbols), the JavaScript file, or V8's own states.
// Under the Go runtime's functions, the nearest caller outside the runtime
// says who made it work (runtime<-pkg).
func (p *cpuProfile) group(id int) string {
	n, ok := p.nodes[id]
	if !ok {
		return "?"
	}
	name := n.CallFrame.FunctionName
	if strings.HasPrefix(name, "(") {
		return name
	}
	if n.CallFrame.URL != "" && !strings.HasSuffix(n.CallFrame.URL, ".wasm") && !strings.Contains(n.CallFrame.URL, "wasm://") {
		u := n.CallFrame.URL
		return "js " + u[strings.LastIndex(u, "/")+1:]
	}
	pkg := goPackage(name)
	if pkg == "runtime" || pkg == "internal" || pkg == "sync" {
		for q := n.Parent; q != 0; {
			qn, ok := p.nodes[q]
			if !ok {
				break
			}
			if qp := goPackage(qn.CallFrame.FunctionName); qp != "runtime" && qp != "internal" && qp != "sync" && qp != "" {
				return pkg + "<-" + qp
			}
			q = qn.Parent
		}
	}
	return pkg
}

// goPackage is the package of a Go function's symbol name, shortened for a
// summary (go-app, paho, coder/websocket by name; ours as V8 writes them,
// qosplayground_app_ui). V8's profiler writes a wasm function's name with
// '_' for '/': "github.com_maxence_charriere_go_app_v9_pkg_app.mount".
func goPackage(name string) string {
	name = strings.TrimPrefix(name, "$")
	switch {
	case name == "":
		return ""
	case strings.HasPrefix(name, "wasm-function["):
		return "wasm (no name)"
	case strings.Contains(name, "go_app") || strings.Contains(name, "go-app"):
		return "go-app"
	case strings.Contains(name, "paho"):
		return "paho"
	case strings.Contains(name, "coder_websocket") || strings.Contains(name, "coder/websocket"):
		return "websocket"
	case strings.HasPrefix(name, "runtime"):
		return "runtime"
	case strings.HasPrefix(name, "internal"), strings.HasPrefix(name, "sync"):
		return "internal"
	}
	rest, host := name, ""
	for _, h := range []string{"github.com_", "github.com/", "golang.org_", "golang.org/"} {
		if strings.HasPrefix(rest, h) {
			rest, host = strings.TrimPrefix(rest, h), h
		}
	}
	if dot := strings.Index(rest, "."); dot >= 0 {
		rest = rest[:dot]
	}
	return host + rest
}

// eventsInside names the trace events inside task on thread main, by name,
// largest first, with their milliseconds (top level only: an event of a
// name nested in another of the same name counts once).
func eventsInside(evs []traceEvent, main threadKey, task traceEvent) string {
	start, end := task.Ts, task.Ts+task.Dur
	var inside []traceEvent
	for _, e := range evs {
		if e.Pid == main.pid && e.Tid == main.tid && e.Ph == "X" && e.Ts >= start && e.Ts+e.Dur <= end && !(e.Ts == task.Ts && e.Dur == task.Dur && e.Name == task.Name) {
			inside = append(inside, e)
		}
	}
	slices.SortFunc(inside, func(a, b traceEvent) int { return cmp.Or(cmp.Compare(a.Ts, b.Ts), cmp.Compare(b.Dur, a.Dur)) })
	// Each name's time, not counting the same name nested in itself;
	// the scheduler's wrappers left out.
	byName := map[string]float64{}
	coveredTo := map[string]float64{}
	for _, e := range inside {
		switch e.Name {
		case "ThreadControllerImpl::RunTask", "RunTask", "BlinkScheduler_PerformMicrotaskCheckpoint", "RunMicrotasks", "V8.StackGuard", "V8.HandleInterrupts", "wasm.LogCode", "V8.LogCode":
			continue
		}
		if e.Ts >= coveredTo[e.Name] {
			byName[e.Name] += e.Dur
			coveredTo[e.Name] = e.Ts + e.Dur
		}
	}
	return strings.Join(largest(byName, 8, func(name string, d float64) string {
		return fmt.Sprintf("%s %.1f", name, d/1000)
	}), ", ")
}

// summarizeConnect lists the span from the Connect press to "connected"
// (the user timing marks bench-click and bench-connected of
// appOpenScript): every task of the page's main thread in it, with the
// events inside and the sampled functions, the idle gaps between them, and
// the WebSocket's events (-open-profile-desktop).
func summarizeConnect(evs []traceEvent) string {
	var click, conn traceEvent
	for _, e := range evs {
		switch {
		case e.Name == "bench-click" && click.Ts == 0:
			click = e
		case e.Name == "bench-connected" && conn.Ts == 0:
			conn = e
		}
	}
	if click.Ts == 0 || conn.Ts == 0 {
		return "no bench-click/bench-connected marks in the trace"
	}
	names := threadNames(evs)
	var main threadKey
	for k, n := range names {
		if k.pid == click.Pid && n == "CrRendererMain" {
			main = k
		}
	}
	var prof *cpuProfile
	for _, p := range buildProfiles(evs) {
		if p.thread == main || (p.thread.pid == main.pid && prof == nil) {
			prof = p
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Connect pressed to connected: %.1f ms on the trace's clock. Main-thread tasks in it (ms from the press):", (conn.Ts-click.Ts)/1000)
	var tasks []traceEvent
	for _, e := range evs {
		if e.Pid == main.pid && e.Tid == main.tid && e.Ph == "X" && e.Name == "RunTask" && e.Ts+e.Dur >= click.Ts && e.Ts <= conn.Ts {
			tasks = append(tasks, e)
		}
	}
	slices.SortFunc(tasks, func(a, b traceEvent) int { return cmp.Compare(a.Ts, b.Ts) })
	prevEnd := click.Ts
	var busy float64
	for _, t := range tasks {
		if t.Ts < prevEnd && t.Ts+t.Dur <= prevEnd {
			continue // nested
		}
		if gap := t.Ts - prevEnd; gap > 1000 {
			fmt.Fprintf(&b, "\n  (idle %.1f ms)", gap/1000)
		}
		busy += t.Dur
		if t.Dur >= 300 {
			fmt.Fprintf(&b, "\n- %+.1f: %.1f ms: %s", (t.Ts-click.Ts)/1000, t.Dur/1000, eventsInside(evs, main, t))
			if prof != nil && t.Dur >= 2000 {
				fmt.Fprintf(&b, "; sampled %s", prof.describe(t.Ts, t.Ts+t.Dur))
			}
		}
		prevEnd = t.Ts + t.Dur
	}
	fmt.Fprintf(&b, "\nbusy %.1f ms of the main thread in the span.", busy/1000)
	fmt.Fprintf(&b, "\nOther events (ms from the press):")
	for _, e := range evs {
		if e.Ts < click.Ts-1000 || e.Ts > conn.Ts+1000 {
			continue
		}
		if strings.Contains(e.Name, "WebSocket") || e.Name == "bench-click" || e.Name == "bench-connected" || e.Name == "ResourceSendRequest" || e.Name == "ResourceReceiveResponse" {
			fmt.Fprintf(&b, "\n  %+.1f %s (%s)", (e.Ts-click.Ts)/1000, e.Name, names[threadKey{e.Pid, e.Tid}])
		}
	}
	return b.String()
}
