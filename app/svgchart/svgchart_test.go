package svgchart

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// node is an element of the parsed SVG.
type node struct {
	name     string // local name
	space    string // namespace URL
	attrs    map[string]string
	text     string // character data directly inside, concatenated
	children []*node
}

// parse parses svg strictly, failing the test if it is not well-formed XML
// with a single root element.
func parse(t *testing.T, svg string) *node {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	dec.Strict = true
	var root *node
	var stack []*node
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, space: tok.Name.Space, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				key := a.Name.Local
				if a.Name.Space != "" && a.Name.Space != "xmlns" {
					key = a.Name.Space + ":" + key
				}
				n.attrs[key] = a.Value
			}
			if len(stack) == 0 {
				if root != nil {
					t.Fatalf("the SVG has a second root element <%s>", n.name)
				}
				root = n
			} else {
				top := stack[len(stack)-1]
				top.children = append(top.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil {
		t.Fatalf("the SVG has no root element: %q", svg)
	}
	return root
}

// all returns every element under n (n included) for which keep is true, in
// document order.
func (n *node) all(keep func(*node) bool) []*node {
	var out []*node
	if keep(n) {
		out = append(out, n)
	}
	for _, c := range n.children {
		out = append(out, c.all(keep)...)
	}
	return out
}

func named(name string) func(*node) bool { return func(n *node) bool { return n.name == name } }

func classed(class string) func(*node) bool {
	return func(n *node) bool { return slices.Contains(strings.Fields(n.attrs["class"]), class) }
}

// texts returns the text of each element.
func texts(ns []*node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.text
	}
	return out
}

// latencyChart is the kind of chart the playground draws.
func latencyChart() BarChart {
	return BarChart{
		Title: "Confirmation latency", Unit: "ms", Empty: "no data",
		Groups: []Group{
			{Label: "QoS 1", Bars: []Bar{{Label: "median", Value: 12, Class: "qos1"}, {Label: "p95", Value: 47, Class: "qos1 p95"}}},
			{Label: "QoS 2", Bars: []Bar{{Label: "median", Value: 25, Class: "qos2"}, {Label: "p95", Value: 31.5, Class: "qos2 p95"}}},
		},
	}
}

func TestSVGRoot(t *testing.T) {
	tests := []struct {
		scenario    string
		chart       BarChart
		wantViewBox string
	}{
		{"a chart with bars, default size", latencyChart(), "0 0 480 240"},
		{"a chart of a given size", BarChart{Title: "t", Width: 300, Height: 150, Groups: []Group{{Label: "g", Bars: []Bar{{Value: 1}}}}}, "0 0 300 150"},
		{"an empty chart", BarChart{Title: "Nothing yet", Empty: "no data"}, "0 0 480 240"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			root := parse(t, tt.chart.SVG())
			if root.name != "svg" || root.space != "http://www.w3.org/2000/svg" {
				t.Errorf("root element {%s}%s, want {http://www.w3.org/2000/svg}svg", root.space, root.name)
			}
			for attr, want := range map[string]string{"viewBox": tt.wantViewBox, "role": "img", "aria-label": tt.chart.Title, "version": "1.1"} {
				if got := root.attrs[attr]; got != want {
					t.Errorf("%s = %q, want %q", attr, got, want)
				}
			}
			if len(root.children) == 0 || root.children[0].name != "title" || root.children[0].text != tt.chart.Title {
				t.Errorf("the first child is not <title>%s</title>", tt.chart.Title)
			}
		})
	}
}

func TestSVGBars(t *testing.T) {
	tests := []struct {
		scenario string
		groups   []Group
		want     int
	}{
		{"one bar", []Group{{Label: "QoS 0", Bars: []Bar{{Label: "sent", Value: 3}}}}, 1},
		{"two groups of two", latencyChart().Groups, 4},
		{"groups of different sizes, a zero bar among them", []Group{
			{Label: "QoS 0", Bars: []Bar{{Label: "sent", Value: 10}, {Label: "received", Value: 7}, {Label: "lost", Value: 0}}},
			{Label: "QoS 1", Bars: []Bar{{Label: "sent", Value: 10}}},
			{Label: "QoS 2", Bars: []Bar{{Label: "sent", Value: 10}, {Label: "received", Value: 10}}},
		}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			root := parse(t, BarChart{Title: "bars", Groups: tt.groups}.SVG())
			if got := len(root.all(named("rect"))); got != tt.want {
				t.Errorf("%d <rect> elements, want %d", got, tt.want)
			}
			if got := len(root.all(classed("value"))); got != tt.want {
				t.Errorf("%d value labels, want %d", got, tt.want)
			}
			var wantGroups []string
			for _, g := range tt.groups {
				wantGroups = append(wantGroups, g.Label)
			}
			if got := texts(root.all(classed("group-label"))); !slices.Equal(got, wantGroups) {
				t.Errorf("group labels %q, want %q", got, wantGroups)
			}
		})
	}
}

// TestSVGBarDetails checks each bar's class, tooltip, value label and
// height on the latency chart, whose scale is 0 to 50.
func TestSVGBarDetails(t *testing.T) {
	root := parse(t, latencyChart().SVG())
	rects := root.all(named("rect"))
	want := []struct{ class, tip, value string }{
		{"bar qos1", "QoS 1 / median: 12 ms", "12"},
		{"bar qos1 p95", "QoS 1 / p95: 47 ms", "47"},
		{"bar qos2", "QoS 2 / median: 25 ms", "25"},
		{"bar qos2 p95", "QoS 2 / p95: 31.5 ms", "31.5"},
	}
	if len(rects) != len(want) {
		t.Fatalf("%d bars, want %d", len(rects), len(want))
	}
	values := texts(root.all(classed("value")))
	heights := make([]float64, len(rects))
	for i, r := range rects {
		if got := r.attrs["class"]; got != want[i].class {
			t.Errorf("bar %d class %q, want %q", i, got, want[i].class)
		}
		if len(r.children) != 1 || r.children[0].name != "title" || r.children[0].text != want[i].tip {
			t.Errorf("bar %d has no <title>%s</title>", i, want[i].tip)
		}
		if values[i] != want[i].value {
			t.Errorf("bar %d value label %q, want %q", i, values[i], want[i].value)
		}
		h, err := strconv.ParseFloat(r.attrs["height"], 64)
		if err != nil {
			t.Fatalf("bar %d height %q: %v", i, r.attrs["height"], err)
		}
		heights[i] = h
	}
	// 25 is half the scale; the plot is 240 - 16 - 36 = 188 high.
	if heights[2] != 94 {
		t.Errorf("the bar of 25 on a 0-50 scale is %v high, want 94", heights[2])
	}
	if ratio := heights[1] / heights[0]; math.Abs(ratio-47.0/12) > 0.01 {
		t.Errorf("bar heights 47:12 in ratio %.3f, want %.3f", ratio, 47.0/12)
	}
	if got := texts(root.all(classed("bar-label"))); !slices.Equal(got, []string{"median", "p95", "median", "p95"}) {
		t.Errorf("bar labels %q, want median, p95, median, p95", got)
	}
}

func TestSVGTickLabels(t *testing.T) {
	tests := []struct {
		scenario string
		unit     string
		value    float64
		want     []string
	}{
		{"max 47 ms", "ms", 47, []string{"0 ms", "10 ms", "20 ms", "30 ms", "40 ms", "50 ms"}},
		{"max 0.7 s", "s", 0.7, []string{"0 s", "0.2 s", "0.4 s", "0.6 s", "0.8 s"}},
		{"no unit", "", 3, []string{"0", "1", "2", "3"}},
		{"thousands", "msgs", 4200, []string{"0 msgs", "1k msgs", "2k msgs", "3k msgs", "4k msgs", "5k msgs"}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			chart := BarChart{Title: "ticks", Unit: tt.unit, Groups: []Group{{Label: "g", Bars: []Bar{{Value: tt.value}}}}}
			root := parse(t, chart.SVG())
			var got []string
			for _, tick := range root.all(classed("tick")) {
				got = append(got, texts(tick.all(named("text")))...)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("tick labels %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTicks(t *testing.T) {
	tests := []struct {
		scenario string
		max      float64
		want     []float64
	}{
		{"0.7 rounds up to 0.8 in steps of 0.2", 0.7, []float64{0, 0.2, 0.4, 0.6, 0.8}},
		{"47 goes to 50 in steps of 10", 47, []float64{0, 10, 20, 30, 40, 50}},
		{"1 exactly is the last tick", 1, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"3 in steps of 1", 3, []float64{0, 1, 2, 3}},
		{"6 in steps of 2", 6, []float64{0, 2, 4, 6}},
		{"100 in steps of 20", 100, []float64{0, 20, 40, 60, 80, 100}},
		{"0.05 in steps of 0.01", 0.05, []float64{0, 0.01, 0.02, 0.03, 0.04, 0.05}},
		{"1234 in steps of 500", 1234, []float64{0, 500, 1000, 1500}},
		{"999.9 to 1000", 999.9, []float64{0, 200, 400, 600, 800, 1000}},
		{"0 is taken as 1", 0, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"a negative max is taken as 1", -5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{"NaN is taken as 1", math.NaN(), []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := Ticks(tt.max); !slices.Equal(got, tt.want) {
				t.Errorf("Ticks(%v) = %v, want %v", tt.max, got, tt.want)
			}
		})
	}
}

// TestTicksProperties sweeps many maxima: 4 to 6 ticks from 0, a 1-2-5
// step, the last tick at or above max, and no smaller nice step would do.
func TestTicksProperties(t *testing.T) {
	niceSteps := func(step float64) (smaller float64, ok bool) {
		exp := math.Floor(math.Log10(step))
		mant := step / math.Pow(10, exp)
		for i, m := range []float64{1, 2, 5} {
			if math.Abs(mant-m) < 1e-9 {
				prev := []float64{0.5, 1, 2}[i]
				return prev * math.Pow(10, exp), true
			}
		}
		return 0, false
	}
	for e := -4; e <= 6; e++ {
		for _, m := range []float64{1, 1.01, 1.5, 2, 2.3, 2.5, 3.3, 4, 4.99, 5, 5.01, 6, 7.5, 9.99} {
			top := m * math.Pow(10, float64(e))
			ticks := Ticks(top)
			if len(ticks) < 4 || len(ticks) > 6 {
				t.Errorf("Ticks(%v) = %v: %d ticks, want 4 to 6", top, ticks, len(ticks))
				continue
			}
			step := ticks[1] - ticks[0]
			smaller, ok := niceSteps(step)
			if ticks[0] != 0 || !ok {
				t.Errorf("Ticks(%v) = %v: want 0 first and a 1-2-5 step, got step %v", top, ticks, step)
				continue
			}
			if last := ticks[len(ticks)-1]; last < top*(1-1e-12) {
				t.Errorf("Ticks(%v) = %v: the last tick is below max", top, ticks)
			}
			if n := math.Ceil(top/smaller - 1e-9); n <= 5 {
				t.Errorf("Ticks(%v) = %v: the smaller step %v would also do with %v intervals", top, ticks, smaller, n)
			}
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		scenario string
		v        float64
		want     string
	}{
		{"zero", 0, "0"},
		{"a quarter", 0.25, "0.25"},
		{"an integer", 12, "12"},
		{"three significant digits", 123.4, "123"},
		{"a small fraction", 0.1234, "0.123"},
		{"a tiny fraction", 0.000123456, "0.000123"},
		{"thousands", 1500, "1.5k"},
		{"ten thousands", 12345, "12.3k"},
		{"rounding up crosses into the next suffix", 999999, "1M"},
		{"999.9 rounds to 1k", 999.9, "1k"},
		{"billions", 2.5e9, "2.5G"},
		{"negative", -1500, "-1.5k"},
		{"NaN", math.NaN(), "NaN"},
		{"infinity", math.Inf(1), "+Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := Format(tt.v); got != tt.want {
				t.Errorf("Format(%v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

func TestSVGEscapes(t *testing.T) {
	tricky := []string{`<script>alert("x")</script>`, `Tom & Jerry's "QoS"`, "遅延 (ミリ秒) <p95>", "]]> & </svg>"}
	for _, s := range tricky {
		t.Run(s, func(t *testing.T) {
			chart := BarChart{
				Title: s, Unit: s, Empty: s,
				Groups: []Group{{Label: s, Bars: []Bar{{Label: s, Value: 2, Class: s}}}},
			}
			svg := chart.SVG()
			if strings.Contains(svg, s) {
				t.Errorf("the raw text %q is in the SVG unescaped", s)
			}
			root := parse(t, svg)
			if got := root.attrs["aria-label"]; got != s {
				t.Errorf("aria-label %q, want %q", got, s)
			}
			rect := root.all(named("rect"))
			if len(rect) != 1 {
				t.Fatalf("%d bars, want 1", len(rect))
			}
			if got, want := rect[0].attrs["class"], "bar "+s; got != want {
				t.Errorf("bar class %q, want %q", got, want)
			}
			for _, want := range []string{
				s,                          // the title
				s + " / " + s + ": 2 " + s, // the tooltip
				"0 " + s,                   // a tick label
			} {
				found := root.all(func(n *node) bool { return n.text == want })
				if len(found) == 0 {
					t.Errorf("no element has the text %q", want)
				}
			}
			if got := texts(root.all(classed("group-label"))); !slices.Equal(got, []string{s}) {
				t.Errorf("group label %q, want %q", got, s)
			}
			// The empty chart escapes its text too.
			empty := parse(t, BarChart{Title: s, Empty: s}.SVG())
			if got := texts(empty.all(classed("empty"))); !slices.Equal(got, []string{s}) {
				t.Errorf("empty text %q, want %q", got, s)
			}
		})
	}
}

func TestSVGEmpty(t *testing.T) {
	tests := []struct {
		scenario string
		groups   []Group
	}{
		{"no groups", nil},
		{"groups without bars", []Group{{Label: "QoS 0"}, {Label: "QoS 1"}}},
		{"all values zero", []Group{{Label: "QoS 1", Bars: []Bar{{Label: "median", Value: 0}, {Label: "p95", Value: 0}}}}},
		{"no value above zero", []Group{{Label: "x", Bars: []Bar{{Value: -3}, {Value: math.NaN()}, {Value: math.Inf(1)}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			root := parse(t, BarChart{Title: "Latency", Empty: "データなし", Groups: tt.groups}.SVG())
			if got := len(root.all(named("rect"))); got != 0 {
				t.Errorf("%d bars in an empty chart, want 0", got)
			}
			if got := len(root.all(classed("tick"))); got != 0 {
				t.Errorf("%d ticks in an empty chart, want 0", got)
			}
			if got := texts(root.all(classed("empty"))); !slices.Equal(got, []string{"データなし"}) {
				t.Errorf("empty text %q, want [データなし]", got)
			}
		})
	}
}

// TestSVGOddValues checks that negative and non-finite values among
// positive ones draw zero-height bars and still give a well-formed chart.
func TestSVGOddValues(t *testing.T) {
	chart := BarChart{Title: "odd", Groups: []Group{{Label: "g", Bars: []Bar{
		{Label: "ok", Value: 4}, {Label: "negative", Value: -2}, {Label: "nan", Value: math.NaN()}, {Label: "inf", Value: math.Inf(1)},
	}}}}
	root := parse(t, chart.SVG())
	rects := root.all(named("rect"))
	if len(rects) != 4 {
		t.Fatalf("%d bars, want 4", len(rects))
	}
	for i, want := range []string{"188", "0", "0", "0"} { // 4 is the top of a 0-4 scale
		if got := rects[i].attrs["height"]; got != want {
			t.Errorf("bar %q height %s, want %s", chart.Groups[0].Bars[i].Label, got, want)
		}
	}
	if got, want := texts(root.all(classed("value"))), []string{"4", "-2", "NaN", "+Inf"}; !slices.Equal(got, want) {
		t.Errorf("value labels %q, want %q", got, want)
	}
}

func TestSVGDeterministic(t *testing.T) {
	tests := []struct {
		scenario string
		chart    func() BarChart
	}{
		{"latency chart", latencyChart},
		{"empty chart", func() BarChart { return BarChart{Title: "x", Empty: "no data"} }},
		{"values with long fractions", func() BarChart {
			return BarChart{Title: "x", Unit: "ms", Groups: []Group{{Label: "g", Bars: []Bar{{Value: 1.0 / 3}, {Value: 2.0 / 3}, {Value: math.Pi}}}}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			first := tt.chart().SVG()
			for i := range 20 {
				if got := tt.chart().SVG(); got != first {
					t.Fatalf("call %d gave different markup:\n%s\nwant\n%s", i+2, got, first)
				}
			}
		})
	}
	if latencyChart().SVG() == (BarChart{Title: "x", Empty: "no data"}).SVG() {
		t.Error("two different charts gave the same markup")
	}
}
