package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
)

// The harness's pure parts only: the measurements themselves run in make
// bench, never in go test.

func TestSummarize(t *testing.T) {
	for _, tc := range []struct {
		scenario      string
		runs          []float64
		med, min, max float64
	}{
		{"odd count", []float64{3, 1, 2}, 2, 1, 3},
		{"even count", []float64{4, 1, 3, 2}, 2.5, 1, 4},
		{"one run", []float64{7}, 7, 7, 7},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			f := summarize(tc.runs)
			if f.Median != tc.med || f.Min != tc.min || f.Max != tc.max {
				t.Errorf("summarize(%v) = %v (%v–%v), want %v (%v–%v)", tc.runs, f.Median, f.Min, f.Max, tc.med, tc.min, tc.max)
			}
		})
	}
	if f := summarize(nil); !math.IsNaN(f.Median) {
		t.Errorf("summarize(nil).Median = %v, want NaN", f.Median)
	}
	if f := summarize([]float64{math.NaN(), 4, math.Inf(1)}); f.Median != 4 || len(f.Runs) != 1 {
		t.Errorf("summarize(NaN, 4, +Inf) = %+v, want only the 4", f)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	s := make([]float64, 100)
	for i := range s {
		s[i] = float64(i + 1) // 1..100
	}
	for _, tc := range []struct{ p, want float64 }{{50, 50}, {99, 99}, {100, 100}, {1, 1}, {0.1, 1}} {
		if got := percentile(s, tc.p); got != tc.want {
			t.Errorf("p%v of 1..100 = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := percentile([]float64{5, 9}, 99); got != 9 {
		t.Errorf("p99 of [5 9] = %v, want 9 (a value some message had)", got)
	}
}

func TestCompareRatiosAndTargets(t *testing.T) {
	// Latency: lower is better; ratios are taken run by run.
	c := compare("rtt", "ms", []float64{2, 3, 4}, []float64{4, 3, 2}, "peer", false, 1.5)
	if c.Ratio.Median != 1 || c.Ratio.Min != 0.5 || c.Ratio.Max != 2 {
		t.Errorf("ratios %v, want median 1 from 0.5 to 2", c.Ratio)
	}
	if c.Met == nil || !*c.Met || c.Target != "≤ 1.50x" {
		t.Errorf("target %q met %v, want ≤ 1.50x met", c.Target, c.Met)
	}
	// Throughput: higher is better.
	c = compare("rate", "msg/s", []float64{100}, []float64{200}, "peer", true, 1.2)
	if c.Met == nil || *c.Met || c.Target != "≥ 1.20x" {
		t.Errorf("target %q met %v, want ≥ 1.20x missed", c.Target, c.Met)
	}
	if c = compare("x", "", nil, nil, "peer", true, 1); c.Met != nil {
		t.Errorf("no runs: met = %v, want no verdict", *c.Met)
	}
}

func TestReportJSONWithoutRuns(t *testing.T) {
	// A measurement that did not run leaves NaN figures, which plain
	// encoding/json refuses.
	rep := Report{Sections: []Section{{ID: 1, Rows: []Comparison{compare("x", "", nil, nil, "p", true, 1)}}}}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if !strings.Contains(string(b), `"ours":null`) {
		t.Errorf("JSON %s: want a figure without runs as null", b)
	}
	var out bytes.Buffer
	writeTable(&out, rep)
	if !strings.Contains(out.String(), "n/a") {
		t.Errorf("table:\n%s\nwant n/a for a figure without runs", out.String())
	}
}

func TestLearnerPackets(t *testing.T) {
	// The learners' packets, read back by the gateway's own framing.
	var wire bytes.Buffer
	wire.Write(connectPacket("l00001", 60))
	wire.Write(subscribePacket(1, "learners/l00001", 1))
	wire.Write(publishPacket("learners/l00001", 513, 1234567890123))
	r := mqttframe.NewReader(&wire, 1<<16, 0)

	h, pkt, err := r.Next()
	if err != nil || h.Type != mqttframe.CONNECT {
		t.Fatalf("first packet %v %v, want CONNECT", h, err)
	}
	c, err := mqttframe.ParseConnect(pkt)
	if err != nil || c.ClientID != "l00001" || !c.CleanSession || c.KeepAlive != 60 {
		t.Errorf("CONNECT %+v, %v; want client l00001, clean, keepalive 60", c, err)
	}
	if h, _, err = r.Next(); err != nil || h.Type != mqttframe.SUBSCRIBE || h.Flags != 2 {
		t.Errorf("second packet %v %v, want SUBSCRIBE with flags 2", h, err)
	}
	h, pkt, err = r.Next()
	if err != nil || h.Type != mqttframe.PUBLISH || (h.Flags>>1)&3 != 1 {
		t.Fatalf("third packet %v %v, want PUBLISH at QoS 1", h, err)
	}
	sent, id, ok := parseLearnerPublish(h, pkt)
	if !ok || sent != 1234567890123 || id != 513 {
		t.Errorf("parsed sent=%d id=%d ok=%v, want 1234567890123, 513, true", sent, id, ok)
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Errorf("after three packets: %v, want io.EOF", err)
	}
	bad := mqtttest.StringPastEnd.Bytes()
	badH, _, _ := mqttframe.ParseHeader(bad)
	if _, _, ok := parseLearnerPublish(badH, bad); ok {
		t.Errorf("%s: parsed", mqtttest.StringPastEnd.Name)
	}
	// The same bytes as a tab's CONNECT of the same fields.
	if got, want := connectPacket("c", 30), mqtttest.ConnectClean.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("connectPacket: % x, want % x", got, want)
	}
}

func TestParseFlags(t *testing.T) {
	t.Setenv("BENCH_QUICK", "1")
	c, err := parseFlags(nil, io.Discard)
	if err != nil || !c.quick || len(c.learners) != 2 || c.runsOr(5, 2) != 2 {
		t.Errorf("BENCH_QUICK=1: %+v, %v; want quick with two learner counts and 2 runs", c, err)
	}
	for _, args := range [][]string{
		{"-only", "6"},
		{"-only", "two"},
		{"-learners", "0"},
		{"-learners-server", "nginx"},
		{"-learners-duration", "1s"},
		{"extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted, want an error", args)
		}
	}
}

func TestReadProcStat(t *testing.T) {
	ps, err := readProcStat(0)
	if err != nil {
		t.Fatalf("reading /proc/self (the benchmark runs on Linux): %v", err)
	}
	if ps.rssKB <= 0 {
		t.Errorf("own VmRSS %d KB, want more than 0", ps.rssKB)
	}
}

// BenchmarkLearnerPackets measures what each simulated learner spends on
// its packets per message: building its PUBLISH and reading the delivery
// back (go test -bench LearnerPackets -benchmem ./bench/).
func BenchmarkLearnerPackets(b *testing.B) {
	pkt := publishPacket("learners/l00001", 513, 1234567890123)
	h, _, err := mqttframe.ParseHeader(pkt)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("publishPacket", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			publishPacket("learners/l00001", 513, 1234567890123)
		}
	})
	b.Run("parseLearnerPublish", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, ok := parseLearnerPublish(h, pkt); !ok {
				b.Fatal("not parsed")
			}
		}
	})
}

func TestBlockingTime(t *testing.T) {
	// Tasks as [start, duration] in ms; the window is [100, 1000].
	tasks := [][2]float64{
		{0, 80},    // ends before the window: nothing
		{50, 120},  // straddles the start: 70 ms inside, 20 over 50
		{200, 40},  // short: nothing
		{300, 250}, // inside: 200
		{950, 300}, // straddles the end: 50 ms inside, nothing
		{1200, 90}, // after the window: nothing
	}
	if got := blockingTime(tasks, 100, 1000); got != 220 {
		t.Errorf("blocking time %v, want 220 (20 + 200)", got)
	}
	if got := blockingTime(nil, 0, 1000); got != 0 {
		t.Errorf("no tasks: %v, want 0", got)
	}
}

func TestGoPackageOfWasmNames(t *testing.T) {
	// Function names as V8's profiler gives them for a wasm built with
	// its symbols ('/' written '_').
	for name, want := range map[string]string{
		"github.com_maxence_charriere_go_app_v9_pkg_app.__htmlElement_.mount": "go-app",
		"qosplayground_app_ui.__playground_.Render":                           "qosplayground_app_ui",
		"runtime.mallocgc":                                      "runtime",
		"internal_runtime_maps.__Iter_.Init":                    "internal",
		"github.com_eclipse_paho.mqtt.golang.__client_.Connect": "paho",
		"github.com_coder_websocket.__Conn_.write":              "websocket",
		"wasm-function[123]":                                    "wasm (no name)",
		"encoding_json.Unmarshal":                               "encoding_json",
	} {
		if got := goPackage(name); got != want {
			t.Errorf("goPackage(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestLargest: the top entries by value, largest first, ties by name.
func TestLargest(t *testing.T) {
	m := map[string]int{"b": 2, "a": 2, "c": 5, "d": 1}
	got := largest(m, 3, func(name string, v int) string { return fmt.Sprintf("%s=%d", name, v) })
	if want := []string{"c=5", "a=2", "b=2"}; !slices.Equal(got, want) {
		t.Errorf("largest: %v, want %v", got, want)
	}
	if got := largest(map[string]float64{}, 8, func(string, float64) string { return "x" }); len(got) != 0 {
		t.Errorf("largest of nothing: %v", got)
	}
}
