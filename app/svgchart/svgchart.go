// Package svgchart draws the playground's small bar charts as SVG markup,
// so the app draws its own charts without a chart library or a script.
//
// The output is a self-contained SVG 1.1 fragment, ready to embed in HTML:
// it has a viewBox and no width or height, so it scales to the width of its
// container. Colours come from CSS classes (each bar's Class, and the
// classes "axis", "grid", "tick", "value", "bar-label", "group-label" and
// "empty"), with plain presentation attributes as defaults that any style
// sheet overrides.
//
// It imports neither go-app nor syscall/js, and its output depends on its
// input only: the same chart always gives byte-identical markup.
package svgchart

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
)

// Bar is one bar of a chart.
type Bar struct {
	Label string  // what the bar measures, e.g. "median"; shown under the bar
	Value float64 // its height; negative and non-finite values draw no bar height
	Class string  // the bar's CSS class(es), e.g. "qos1"
}

// Group is one group of bars drawn side by side, e.g. the group "QoS 1"
// with the bars "median" and "p95".
type Group struct {
	Label string // shown under the group
	Bars  []Bar
}

// BarChart is a bar chart of groups of bars, on a y axis starting at 0.
type BarChart struct {
	Title  string  // the chart's accessible name: the aria-label and the <title>
	Unit   string  // appended to the tick labels and tooltips, e.g. "ms"
	Groups []Group // drawn left to right
	Width  int     // of the viewBox; 0 or less means DefaultWidth
	Height int     // of the viewBox; 0 or less means DefaultHeight
	// Empty is the text shown instead of bars when there is no group or
	// no value above zero, e.g. "no data".
	Empty string
}

// The default size of the viewBox.
const (
	DefaultWidth  = 480
	DefaultHeight = 240
)

// The margins around the plot area, in viewBox units.
const (
	marginLeft   = 56 // the tick labels
	marginRight  = 8
	marginTop    = 16 // the value labels over the tallest bar
	marginBottom = 36 // the bar labels, then the group labels
	fontSize     = 11
)

// SVG returns the chart as SVG markup. All text is XML-escaped.
func (c BarChart) SVG() string {
	w, h := c.Width, c.Height
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(w) + " " + strconv.Itoa(h))
	b.WriteString(`" role="img" aria-label="`)
	escape(&b, c.Title)
	b.WriteString(`" class="svgchart" font-family="sans-serif" font-size="` + strconv.Itoa(fontSize) + `">`)
	b.WriteString("<title>")
	escape(&b, c.Title)
	b.WriteString("</title>")

	top := c.maxValue()
	if top <= 0 {
		b.WriteString(`<text class="empty" x="` + num(float64(w)/2) + `" y="` + num(float64(h)/2) +
			`" text-anchor="middle" dominant-baseline="middle" fill="currentColor">`)
		escape(&b, c.Empty)
		b.WriteString("</text></svg>")
		return b.String()
	}

	ticks := Ticks(top)
	scaleTop := ticks[len(ticks)-1]
	x0, x1 := float64(marginLeft), float64(w-marginRight)
	y0, y1 := float64(marginTop), float64(h-marginBottom) // y1 is the zero line
	y := func(v float64) float64 { return y1 - (y1-y0)*v/scaleTop }

	// The y axis: a grid line and a label per tick, then the axis lines.
	b.WriteString(`<g class="axis">`)
	for _, t := range ticks {
		ty := num(y(t))
		b.WriteString(`<g class="tick"><line class="grid" x1="` + num(x0) + `" y1="` + ty + `" x2="` + num(x1) + `" y2="` + ty +
			`" stroke="currentColor" stroke-opacity="0.15"/>`)
		b.WriteString(`<text x="` + num(x0-4) + `" y="` + ty + `" text-anchor="end" dominant-baseline="middle" fill="currentColor">`)
		escape(&b, withUnit(Format(t), c.Unit))
		b.WriteString("</text></g>")
	}
	b.WriteString(`<line x1="` + num(x0) + `" y1="` + num(y0) + `" x2="` + num(x0) + `" y2="` + num(y1) + `" stroke="currentColor"/>`)
	b.WriteString(`<line x1="` + num(x0) + `" y1="` + num(y1) + `" x2="` + num(x1) + `" y2="` + num(y1) + `" stroke="currentColor"/>`)
	b.WriteString("</g>")

	// The groups: equal slots, bars of one width in every group, so
	// groups with fewer bars are centred in their slot.
	slot := (x1 - x0) / float64(len(c.Groups))
	most := 1
	for _, g := range c.Groups {
		most = max(most, len(g.Bars))
	}
	barW := slot * 0.8 / float64(most)
	for i, g := range c.Groups {
		left := x0 + slot*float64(i) + (slot-barW*float64(len(g.Bars)))/2
		b.WriteString(`<g class="group">`)
		for j, bar := range g.Bars {
			v := bar.Value
			if !(v > 0) || math.IsInf(v, 1) { // negative, zero, NaN, +Inf
				v = 0
			}
			bx := left + barW*float64(j)
			by := y(v)
			class := "bar"
			if bar.Class != "" {
				class += " " + bar.Class
			}
			b.WriteString(`<rect class="`)
			escape(&b, class)
			b.WriteString(`" x="` + num(bx+1) + `" y="` + num(by) + `" width="` + num(max(barW-2, 1)) + `" height="` + num(y1-by) + `" fill="#888">`)
			b.WriteString("<title>")
			tip := bar.Label
			if g.Label != "" && bar.Label != "" {
				tip = g.Label + " / " + bar.Label
			} else if g.Label != "" {
				tip = g.Label
			}
			escape(&b, tip+": "+withUnit(Format(bar.Value), c.Unit))
			b.WriteString("</title></rect>")
			cx := num(bx + barW/2)
			b.WriteString(`<text class="value" x="` + cx + `" y="` + num(by-3) + `" text-anchor="middle" fill="currentColor">`)
			escape(&b, Format(bar.Value))
			b.WriteString("</text>")
			if bar.Label != "" {
				b.WriteString(`<text class="bar-label" x="` + cx + `" y="` + num(y1+fontSize+2) + `" text-anchor="middle" fill="currentColor">`)
				escape(&b, bar.Label)
				b.WriteString("</text>")
			}
		}
		b.WriteString(`<text class="group-label" x="` + num(x0+slot*(float64(i)+0.5)) + `" y="` + num(y1+2*fontSize+8) +
			`" text-anchor="middle" fill="currentColor" font-weight="bold">`)
		escape(&b, g.Label)
		b.WriteString("</text></g>")
	}
	b.WriteString("</svg>")
	return b.String()
}

// maxValue returns the largest finite value of the chart, or 0.
func (c BarChart) maxValue() float64 {
	top := 0.0
	for _, g := range c.Groups {
		for _, bar := range g.Bars {
			if !math.IsInf(bar.Value, 0) && bar.Value > top { // NaN > top is false
				top = bar.Value
			}
		}
	}
	return top
}

// Ticks returns the y axis's tick values for a largest value top: 4 to 6
// evenly spaced "nice" values from 0, with a step of 1, 2 or 5 × 10ⁿ, the
// last one at or above top. It picks the smallest such step that needs at
// most 6 ticks. For example, top 0.7 gives 0, 0.2, 0.4, 0.6, 0.8, and top
// 47 gives 0, 10, 20, 30, 40, 50. A top that is not a positive finite
// number, or is below 1e-300, is taken as 1.
func Ticks(top float64) []float64 {
	if !(top > 0) || math.IsInf(top, 1) || top < 1e-300 {
		top = 1 // below 1e-300, the steps would leave float64's normal range
	}
	// Start one decade below what the largest step could be, and walk up
	// the 1-2-5 sequence until at most 5 intervals cover top.
	exp := int(math.Floor(math.Log10(top))) - 1
	for {
		for _, mult := range []int{1, 2, 5} {
			step := scaled(mult, exp)
			n := int(math.Ceil(top/step - 1e-9))
			if n <= 5 {
				out := make([]float64, n+1)
				for i := range out {
					out[i] = scaled(i*mult, exp)
				}
				return out
			}
		}
		exp++
	}
}

// scaled returns k × 10^exp, as the nearest float64 to the decimal value:
// dividing by an exact power of ten, rather than multiplying by an inexact
// one, gives 0.6 and not 0.6000000000000001.
func scaled(k, exp int) float64 {
	if exp < 0 {
		return float64(k) / math.Pow10(-exp)
	}
	return float64(k) * math.Pow10(exp)
}

// Format writes v compactly with at most 3 significant digits: 0.25, 12,
// 47.3, 0.000123; from a thousand up with a k, M or G suffix: 1.5k, 12k,
// 3M. Zero is "0", and non-finite values are "NaN", "+Inf" and "-Inf".
func Format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	// Round to 3 significant digits first, so 999.9 becomes 1k, not 1000.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	if r == 0 {
		return "0"
	}
	suffix, scale := "", 1.0
	switch a := math.Abs(r); {
	case a >= 1e9:
		suffix, scale = "G", 1e9
	case a >= 1e6:
		suffix, scale = "M", 1e6
	case a >= 1e3:
		suffix, scale = "k", 1e3
	}
	return strconv.FormatFloat(r/scale, 'f', -1, 64) + suffix
}

// withUnit appends the unit to a number, with a space between them.
func withUnit(s, unit string) string {
	if unit == "" {
		return s
	}
	return s + " " + unit
}

// num writes a coordinate, rounded to hundredths.
func num(v float64) string {
	r := math.Round(v*100) / 100
	if r == 0 {
		return "0" // not "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// escape writes s XML-escaped, for text and attribute values alike
// (quotes included); characters XML does not allow become U+FFFD.
func escape(b *strings.Builder, s string) {
	xml.EscapeText(b, []byte(s)) // a strings.Builder never fails
}
