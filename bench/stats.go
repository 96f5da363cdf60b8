package main

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"
)

// Figure is one measured quantity over several runs: the median of the runs'
// values and their spread. A single run is not a figure: this machine is
// shared, and one run can land on another job's burst.
type Figure struct {
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	Runs   []float64 `json:"runs"`
}

// MarshalJSON writes a figure with no runs (NaN, which JSON cannot carry)
// as null.
func (f Figure) MarshalJSON() ([]byte, error) {
	if math.IsNaN(f.Median) {
		return []byte("null"), nil
	}
	type plain Figure
	return json.Marshal(plain(f))
}

// summarize returns the Figure of the runs' values. A run that gave no
// value (NaN or infinite: nothing measured, or a peer of zero) is left out.
func summarize(runs []float64) Figure {
	runs = slices.DeleteFunc(slices.Clone(runs), func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
	if len(runs) == 0 {
		return Figure{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	s := slices.Clone(runs)
	slices.Sort(s)
	return Figure{Median: median(s), Min: s[0], Max: s[len(s)-1], Runs: runs}
}

// median of sorted values.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted values by
// the nearest-rank method: the smallest value with at least p% of the values
// at or below it. Nearest rank never invents a value between two samples, so
// a p99 is a latency some message really had.
func percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}

// durationsMs converts durations to sorted milliseconds.
func durationsMs(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d) / float64(time.Millisecond)
	}
	slices.Sort(out)
	return out
}

// Comparison is one figure of the playground next to the same figure of its
// peer, measured in the same run. Ratio is ours over theirs, taken run by
// run (each run's pair was measured back to back, on the same machine state)
// and then summarized like any figure.
type Comparison struct {
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	Ours   Figure `json:"ours"`
	Peer   Figure `json:"peer"`
	PeerIs string `json:"peer_is"`
	Ratio  Figure `json:"ratio"` // ours / peer
	// HigherIsBetter says how to read Ratio: for throughput a ratio above
	// 1 is a win, for latency, bytes or time a ratio below 1.
	HigherIsBetter bool `json:"higher_is_better"`
	// Target, when set, is the ratio the issue asks for, and Met whether
	// the median ratio reaches it.
	Target string `json:"target,omitempty"`
	Met    *bool  `json:"met,omitempty"`
}

// compare builds a Comparison from paired runs. target is the bound the
// median ratio must reach (at least target when higher is better, at most
// target otherwise); 0 means no target.
func compare(name, unit string, ours, peer []float64, peerIs string, higherIsBetter bool, target float64) Comparison {
	n := min(len(ours), len(peer))
	ratios := make([]float64, 0, n)
	for i := range n {
		ratios = append(ratios, ours[i]/peer[i])
	}
	c := Comparison{
		Name: name, Unit: unit, PeerIs: peerIs, HigherIsBetter: higherIsBetter,
		Ours: summarize(ours), Peer: summarize(peer), Ratio: summarize(ratios),
	}
	if target > 0 && n > 0 {
		met := c.Ratio.Median <= target
		op := "≤"
		if higherIsBetter {
			met, op = c.Ratio.Median >= target, "≥"
		}
		c.Target, c.Met = fmt.Sprintf("%s %.2fx", op, target), &met
	}
	return c
}

// formatFigure writes a figure as "median (min–max)" with a precision that
// suits its size.
func formatFigure(f Figure) string {
	if math.IsNaN(f.Median) {
		return "n/a"
	}
	if f.Min == f.Max {
		return formatValue(f.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", formatValue(f.Median), formatValue(f.Min), formatValue(f.Max))
}

func formatValue(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "n/a"
	case a >= 1000:
		return fmt.Sprintf("%.0f", v)
	case a >= 100:
		return fmt.Sprintf("%.1f", v)
	case a >= 10:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}
