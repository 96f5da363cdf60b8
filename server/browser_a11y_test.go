package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/internal/testenv"
)

// axePath is axe-core as `make deps` installs it.
const axePath = "testdata/axe/node_modules/axe-core/axe.min.js"

// axeViolation is what the test reports of an axe-core violation.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// TestBrowserAccessibility runs axe-core on every page, in both languages,
// after a run has filled it: no serious or critical violation.
func TestBrowserAccessibility(t *testing.T) {
	testenv.NeedMosquitto(t)
	axe, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is missing (%v), and CI is set: `make deps` installs it", err)
		}
		t.Skipf("SKIP: axe-core is not installed (%v); `make deps` installs it with npm", err)
	}
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")

	audit := func(page string) {
		t.Helper()
		b.do(chromedp.Evaluate[chromedp.Void](string(axe)))
		out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: axe: %v", page, err)
		}
		var vs []axeViolation
		if err := json.Unmarshal([]byte(out), &vs); err != nil {
			t.Fatalf("%s: axe result: %v", page, err)
		}
		for _, v := range vs {
			if v.Impact != "serious" && v.Impact != "critical" {
				t.Logf("%s: axe (%s) %s: %s", page, v.Impact, v.ID, v.Help)
				continue
			}
			var targets []string
			for _, n := range v.Nodes {
				b, _ := json.Marshal(n.Target)
				targets = append(targets, string(b))
			}
			t.Errorf("%s: axe %s violation %s: %s at %s", page, v.Impact, v.ID, v.Help, strings.Join(targets, ", "))
		}
	}

	for _, lang := range []string{"en", "ja"} {
		b.open(srv.URL, "/?lang="+lang)
		b.connect("connected", 20*time.Second)
		b.click("#subscribe")
		b.waitFor("SUBACK", `document.querySelectorAll("#subscriptions li").length === 1`, 10*time.Second)
		b.click("#publish")
		b.waitFor("the message", `document.querySelectorAll("#messages li").length === 1`, 10*time.Second)
		b.set("#pub-topic", "bad/#")
		b.click("#publish")
		b.waitFor("the topic error", `!document.querySelector("#pub-topic-error").hidden`, 5*time.Second)
		audit("/ (" + lang + ")")

		b.open(srv.URL, "/lab/integration?lang="+lang)
		b.set("#int-gap", "0")
		b.click("#int-fast")
		b.click("#run-integration")
		b.waitFor("the integration run", `document.querySelector("#int-status").dataset.done === "true"`, 60*time.Second)
		audit("/lab/integration (" + lang + ")")

		b.open(srv.URL, "/lab/publisher?lang="+lang)
		b.set("#gap", "0")
		b.click("#run-comparison")
		b.waitFor("the comparison table", `document.querySelectorAll("#publish-results tbody tr").length === 3`, 30*time.Second)
		audit("/lab/publisher (" + lang + ")")

		b.open(srv.URL, "/lab/subscriber?lang="+lang)
		audit("/lab/subscriber (" + lang + ")")

		b.open(srv.URL, "/lab/task1?lang="+lang)
		b.click("#task1-flaky") // off: only the page is audited here
		b.click("#run-task1")
		b.waitFor("the Task 1 run", `document.querySelector("#task1-status").dataset.done === "true"`, 60*time.Second)
		b.click("#reveal-task1")
		b.waitFor("the recommended choices", `document.querySelector("#task1-reveal") !== null`, 10*time.Second)
		audit("/lab/task1 (" + lang + ")")

		b.open(srv.URL, "/lab/faults?lang="+lang)
		b.click("#lesson-qos1")
		b.waitFor("the QoS 1 lesson", `document.querySelector("#lesson-result") !== null`, 30*time.Second)
		audit("/lab/faults (" + lang + ")")
	}
	srv.Stop(t)
}
