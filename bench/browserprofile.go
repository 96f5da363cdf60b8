package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// funcShare is one function's share of a browser CPU profile's samples.
type funcShare struct {
	Name  string
	Share float64 // of all samples, idle included
}

// profileRun records the renderer's CPU profile (JavaScript and wasm, as
// DevTools' Performance panel does) while the page at u runs, writes it to
// file (open it in DevTools), and returns the functions with the most
// samples on top of the stack. origin is a page of the same origin to start
// from: the profile belongs to the renderer, which a navigation to another
// site would replace.
func (c *chrome) profileRun(origin, u, file string) ([]funcShare, error) {
	if err := c.navigate(origin); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(c.ctx, profiler.Enable, cdp.Empty{}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(c.ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200}); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(c.ctx, profiler.Start, cdp.Empty{}); err != nil {
		return nil, err
	}
	if err := c.navigate(u); err != nil {
		return nil, err
	}
	if _, err := c.waitString(`window.benchResult || ""`, 5*time.Minute); err != nil {
		return nil, err
	}
	res, err := chromedp.Call(c.ctx, profiler.Stop, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	if res.Profile == nil {
		return nil, fmt.Errorf("the browser returned no profile")
	}
	b, err := json.Marshal(res.Profile)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		return nil, err
	}
	return topSelf(res.Profile, 15), nil
}

// topSelf sums each function's samples on top of the stack (its self time)
// and returns the n largest shares.
func topSelf(p *profiler.Profile, n int) []funcShare {
	hits := map[string]int64{}
	var total int64
	for _, node := range p.Nodes {
		name := "(unknown)"
		if node.CallFrame != nil {
			name = node.CallFrame.FunctionName
			if name == "" {
				name = "(anonymous)"
			}
		}
		hits[name] += node.HitCount
		total += node.HitCount
	}
	var out []funcShare
	for name, h := range hits {
		out = append(out, funcShare{Name: name, Share: float64(h) / float64(max(total, 1))})
	}
	slices.SortFunc(out, func(a, b funcShare) int { return cmp.Compare(b.Share, a.Share) })
	return out[:min(n, len(out))]
}
