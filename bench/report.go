package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// Report is one run of the benchmark, as written to bench/results.
type Report struct {
	Date     string    `json:"date"`
	Machine  Machine   `json:"machine"`
	Command  string    `json:"command"`
	Quick    bool      `json:"quick"`
	Sections []Section `json:"sections"`
}

// Section is one of the four measurements.
type Section struct {
	ID    int          `json:"id"`
	Title string       `json:"title"`
	Rows  []Comparison `json:"rows"`
	// Notes say what was measured how, and what bounds a missed target.
	Notes []string `json:"notes,omitempty"`
	// Err is why the measurement did not finish; its rows, if any, are the
	// runs that did.
	Err string `json:"error,omitempty"`
	// Load is the machine's load average (1 minute) before and after the
	// measurement: other work on a shared machine takes cores from it.
	LoadBefore float64 `json:"load_before"`
	LoadAfter  float64 `json:"load_after"`
}

// writeTable prints the report as Markdown tables, the form the README
// carries.
func writeTable(w io.Writer, r Report) {
	fmt.Fprintf(w, "Benchmark of %s on %s (%d cores, %d GiB), %s, %s\n",
		r.Date, r.Machine.CPU, r.Machine.Cores, r.Machine.MemoryGiB, r.Machine.Go, r.Machine.Mosquitto)
	if r.Machine.Chromium != "" {
		fmt.Fprintf(w, "Browser: %s\n", r.Machine.Chromium)
	}
	if r.Quick {
		fmt.Fprintln(w, "QUICK run (BENCH_QUICK=1): fewer runs and messages; not the figures to quote.")
	}
	for _, s := range r.Sections {
		fmt.Fprintf(w, "\n### %d. %s\n\n", s.ID, s.Title)
		if s.Err != "" {
			fmt.Fprintf(w, "**Did not finish:** %s\n\n", s.Err)
		}
		fmt.Fprintf(w, "Load average before %.1f, after %.1f (%d cores)", s.LoadBefore, s.LoadAfter, r.Machine.Cores)
		if max(s.LoadBefore, s.LoadAfter) > float64(r.Machine.Cores) {
			fmt.Fprint(w, ": **the machine was busy with other work**, these figures are pessimistic")
		}
		fmt.Fprint(w, ".\n\n")
		if len(s.Rows) > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
			fmt.Fprintln(tw, "| figure\t| ours\t| peer\t| peer is\t| ratio\t| target\t|")
			fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|---\t|---\t|")
			for _, c := range s.Rows {
				target := "—"
				if c.Met != nil {
					mark := "missed"
					if *c.Met {
						mark = "met"
					}
					target = c.Target + " " + mark
				}
				fmt.Fprintf(tw, "| %s (%s)\t| %s\t| %s\t| %s\t| %s\t| %s\t|\n", c.Name, c.Unit,
					formatFigure(c.Ours), formatFigure(c.Peer), c.PeerIs, formatFigure(c.Ratio), target)
			}
			tw.Flush()
		}
		for _, n := range s.Notes {
			fmt.Fprintf(w, "\n- %s", n)
		}
		if len(s.Notes) > 0 {
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintln(w, "\nEach figure: median of the runs (min–max). Ratio: ours / peer, run by run.")
}

// saveReport writes the report as JSON into dir, under its date and as
// latest.json, and returns the dated file's name.
func saveReport(dir string, r Report) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	b = append(b, '\n')
	name := filepath.Join(dir, "bench-"+strings.NewReplacer(":", "", " ", "T").Replace(r.Date)+".json")
	if err := os.WriteFile(name, b, 0o644); err != nil {
		return "", err
	}
	return name, os.WriteFile(filepath.Join(dir, "latest.json"), b, 0o644)
}
