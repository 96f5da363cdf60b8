package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"qosplayground/internal/testenv"
)

// TestBrowserSideBySide runs the fault lab's "QoS side by side" from the
// keyboard, with a cut range set, on the managed Mosquitto: the same 100
// messages at QoS 0, 1 and 2 at once. The table shows, per QoS, no loss
// at QoS 1 and 2, no copy to the application at QoS 2, no more copies to
// the application than on the wire at QoS 1, and an out-of-order count;
// the findings say what held. Then the same page in Japanese: no
// English left on it, nothing past the window at 390 px. Screenshots of
// the section at 390 and 1280 px in both languages.
func TestBrowserSideBySide(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto")
	b.open(srv.URL, "/lab/faults?lang=en")
	b.waitFor("the run button", `(() => { const r = document.querySelector("#run-sbs"); return r !== null && !r.disabled })()`, 30*time.Second)
	if got := eval[string](b, `document.querySelector("#sbs-n").value`); got != "200" {
		t.Errorf("messages per QoS %q, want the default 200", got)
	}
	if lo, hi := eval[string](b, `document.querySelector("#sbs-min").value`), eval[string](b, `document.querySelector("#sbs-max").value`); lo != "40" || hi != "100" {
		t.Errorf("cut range [%s, %s], want [40, 100]", lo, hi)
	}
	// A preset that drops the connection fills in its own cut range.
	b.set("#sbs-net", "factory-floor")
	b.waitFor("the factory floor's cut range", `document.querySelector("#sbs-min").value === "30" && document.querySelector("#sbs-max").value === "120"`, 5*time.Second)
	b.set("#sbs-net", "")
	b.set("#sbs-n", "100")
	b.set("#sbs-min", "30")
	b.set("#sbs-max", "60")
	b.waitFor("the form", `document.querySelector("#sbs-max").value === "60" && !document.querySelector("#run-sbs").disabled`, 5*time.Second)
	// By keyboard: focus the button, press Enter.
	b.do(chromedp.Focus("#run-sbs"), chromedp.KeyEvent(kb.Enter))
	b.waitFor("the run", `document.querySelector("#sbs-status").dataset.done === "true"`, 3*time.Minute)

	cell := func(measure string, qos int) string {
		return eval[string](b, `(() => { const c = document.querySelector('#sbs-table td[data-measure="`+measure+`"][data-qos="`+strconv.Itoa(qos)+`"]'); return c ? c.textContent : "(missing)" })()`)
	}
	num := func(measure string, qos int) int {
		n, err := strconv.Atoi(cell(measure, qos))
		if err != nil {
			t.Errorf("QoS %d %s: %q is not a count", qos, measure, cell(measure, qos))
		}
		return n
	}
	cuts := 0
	for q := range 3 {
		t.Logf("QoS %d: sent %s, received %s, lost %s, wire copies %s, app copies %s, out of order %s (first %s), latency %s / %s / %s, %s packets and %s bytes per message, %s cuts",
			q, cell("sent", q), cell("received", q), cell("lost", q), cell("wire-copies", q), cell("app-copies", q),
			cell("out-of-order", q), cell("late-first", q), cell("p50", q), cell("p95", q), cell("max", q),
			cell("packets", q), cell("bytes", q), cell("cuts", q))
		if num("sent", q) != 100 {
			t.Errorf("QoS %d: sent %s, want 100", q, cell("sent", q))
		}
		if ooo, first := num("out-of-order", q), num("late-first", q); first > ooo {
			t.Errorf("QoS %d: %d first arrivals out of order among %d out of order", q, first, ooo)
		}
		if p95, err := strconv.ParseFloat(cell("p95", q), 64); err != nil || p95 <= 0 {
			t.Errorf("QoS %d: p95 %q, want a latency in ms", q, cell("p95", q))
		}
		cuts += num("cuts", q)
	}
	if cuts == 0 {
		t.Error("no connection was cut: the run did not test the cut range")
	}
	for _, q := range []int{1, 2} {
		if num("lost", q) != 0 || num("received", q) != 100 {
			t.Errorf("QoS %d: lost %s, received %s; want none lost", q, cell("lost", q), cell("received", q))
		}
	}
	// Every copy handed to the application crossed the subscriber's
	// connection, where the wiretap counts it: in the browser, paho once
	// read PUBLISHes after closing its connection, past the tap.
	if app, wire := num("app-copies", 1), num("wire-copies", 1); app > wire {
		t.Errorf("QoS 1: %d copies to the application, more than the %d on the wire", app, wire)
	}
	if num("app-copies", 2) != 0 {
		t.Errorf("QoS 2: %s copies to the application, want 0", cell("app-copies", 2))
	}
	// What held, from the run's own numbers: QoS 1 and 2 lost none (point
	// NoneLost, 3), QoS 2 handed no copy over (OnceHeld, 5).
	for _, sel := range []string{`#sbs-findings li[data-qos="1"][data-point="3"]`, `#sbs-findings li[data-qos="2"][data-point="3"]`, `#sbs-findings li[data-qos="2"][data-point="5"]`} {
		if b.count(sel) != 1 {
			t.Errorf("no finding %s: %s", sel, eval[string](b, `document.querySelector("#sbs-findings").innerText`))
		}
	}
	if b.count("#sbs-chart-counts svg") != 1 || b.count("#sbs-chart-latency svg rect.bar") != 9 {
		t.Errorf("charts: %d counts chart, %d latency bars; want one chart and 9 bars", b.count("#sbs-chart-counts svg"), b.count("#sbs-chart-latency svg rect.bar"))
	}

	look := func(lang string) {
		for _, w := range []int64{390, 1280} {
			b.do(chromedp.EmulateViewport(w, 900))
			f := b.facts()
			if lang == "ja" {
				if left := f.english(); len(left) > 0 {
					t.Errorf("%d px, Japanese: English on the page:\n  %s", w, strings.Join(left, "\n  "))
				}
			}
			if len(f.Wide) > 0 || len(f.Narrow) > 0 || len(f.Hidden) > 0 {
				t.Errorf("%d px, %s: past the window %v, narrow cells %v, hidden diagrams %v", w, lang, f.Wide, f.Narrow, f.Hidden)
			}
			b.shootElement("sidebyside-"+lang, "#sbs", w)
		}
	}
	look("en")
	b.click("#lang-ja")
	b.waitFor("Japanese", `document.documentElement.lang === "ja" && document.querySelector("#h-sbs").textContent.includes("QoS を")`, 10*time.Second)
	if got := eval[string](b, `document.querySelector("#sbs-status").dataset.done`); got != "true" {
		t.Fatalf("after the language switch the run's results are gone (done %q)", got)
	}
	look("ja")
}
