package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/internal/testenv"
)

// open navigates to a page and waits until the wasm has started and
// rendered it (its header's navigation marks the page as current).
func (b *browser) open(url, path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url + path))
	path, _, _ = strings.Cut(path, "?")
	b.waitFor("the app to start on "+path,
		`(() => { const a = document.querySelector('.nav a[aria-current="page"]'); return a !== null && a.getAttribute("href") === `+cssString(path)+` && document.getElementById("app-wasm-loader") === null })()`,
		60*time.Second)
}

func (b *browser) count(sel string) int {
	b.t.Helper()
	return eval[int](b, `document.querySelectorAll(`+cssString(sel)+`).length`)
}

func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	return eval[string](b, `(() => { const el = document.querySelector(`+cssString(sel)+`); return el ? (el.getAttribute(`+cssString(name)+`) || "") : "(missing)" })()`)
}

// runIntegration runs Exercise 3 on the open integration page, fast and
// without gaps, and checks what any broker must give: the subscriber's
// statistics (7 received, each processed once), 6 confirmed publishes
// (all but the QoS 0 one), the 2 messages kept by the persistent session,
// and the ledger judged by message_id: nothing lost, nothing processed
// twice; 1 message at QoS 0, 5 at QoS 1 (the alert and the four
// persistent-session messages), 1 at QoS 2.
func runIntegration(t *testing.T, b *browser) {
	t.Helper()
	b.set("#int-gap", "0")
	b.click("#int-fast")
	b.click("#run-integration")
	b.waitFor("the integration run to finish", `document.querySelector("#int-status").dataset.done === "true"`, 60*time.Second)
	if msg := eval[string](b, `document.querySelector("#lab-error").hidden ? "" : document.querySelector("#lab-error").innerText`); msg != "" {
		t.Fatalf("integration run error: %s", msg)
	}
	for row, want := range map[string]string{"total": "7", "duplicates": "0", "errors": "0", "processed": "7"} {
		if got := b.attr("#int-stats-"+row, "data-count"); got != want {
			t.Errorf("subscriber %s = %s, want %s", row, got, want)
		}
	}
	if got := b.count(`#int-published tbody tr[data-status="confirmed"]`); got != 6 {
		t.Errorf("%d confirmed rows, want 6 (all but the QoS 0 one)", got)
	}
	if got := b.attr("#int-persist", "data-offline-received"); got != "2" {
		t.Errorf("offline messages received after reconnect = %s, want 2", got)
	}
	if got := b.attr("#int-persist", "data-session-present"); got != "true" {
		t.Errorf("session present after reconnect = %s, want true", got)
	}
	for qos, sent := range []string{"1", "5", "1"} {
		row := `#int-ledger tr[data-qos="` + string(rune('0'+qos)) + `"]`
		if got := b.attr(row, "data-sent") + "/" + b.attr(row, "data-received") + "/" + b.attr(row, "data-lost") + "/" + b.attr(row, "data-dup-processed"); got != sent+"/"+sent+"/0/0" {
			t.Errorf("ledger QoS %d sent/received/lost/dups processed = %s, want %s/%s/0/0", qos, got, sent, sent)
		}
	}
}

// TestBrowserLab runs the tutorial's three exercises in the tab: the
// integration run from one click, the publisher's comparison run and the
// reliable subscriber catching a duplicate.
func TestBrowserLab(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto")

	// Exercise 3: one click, both sides' results.
	b.open(srv.URL, "/lab/integration")
	runIntegration(t, b)
	if got := b.count(`#int-published tbody tr`); got != 7 {
		t.Errorf("%d published rows, want 7", got)
	}
	if got := b.count(`#int-published tbody tr[data-status="sent (QoS 0)"]`); got != 1 {
		t.Errorf("%d rows sent at QoS 0, want 1", got)
	}
	if got := b.count(`#int-history tbody tr[data-processed="true"]`); got != 7 {
		t.Errorf("%d processed records in the subscriber's table, want 7", got)
	}
	// The latency chart has a median and a p95 bar for QoS 1 and for QoS 2.
	if got := b.count(`#latency-chart svg rect.bar`); got != 4 {
		t.Errorf("%d latency bars, want 4", got)
	}
	b.screenshot("lab-integration", 1280)
	b.screenshot("lab-integration", 390)

	// Exercise 1: the comparison run's table.
	b.open(srv.URL, "/lab/publisher")
	runPublisherComparison(t, b)
	b.screenshot("lab-publisher", 1280)
	b.screenshot("lab-publisher", 390)

	// Exercise 2: the same message_id twice is one processed message and
	// one duplicate.
	b.open(srv.URL, "/lab/subscriber")
	runSubscriberDuplicate(t, b)
	b.screenshot("lab-subscriber", 1280)
	b.screenshot("lab-subscriber", 390)
	b.click("#sub-stop")

	srv.Stop(t)
}

// runPublisherComparison runs Exercise 1's comparison on the open page:
// QoS 0 sent, QoS 1 and 2 confirmed.
func runPublisherComparison(t *testing.T, b *browser) {
	t.Helper()
	b.set("#gap", "0")
	b.click("#run-comparison")
	b.waitFor("the comparison table", `document.querySelectorAll("#publish-results tbody tr").length === 3 && document.querySelector("#pub-summary").dataset.running === "false"`, 30*time.Second)
	for qos, want := range []string{"sent (QoS 0)", "confirmed", "confirmed"} {
		if got := b.attr(`#publish-results tbody tr[data-qos="`+string(rune('0'+qos))+`"]`, "data-status"); got != want {
			t.Errorf("QoS %d row status %q, want %q", qos, got, want)
		}
	}
}

// runSubscriberDuplicate sends Exercise 2's test message twice on the open
// page: one processed message, one duplicate.
func runSubscriberDuplicate(t *testing.T, b *browser) {
	t.Helper()
	for _, f := range []string{"sensors", "alerts", "actuators", "important", "generic"} {
		b.set("#work-"+f, "0")
	}
	b.click("#sub-start")
	b.waitFor("the subscriber to listen", `document.querySelector("#sub-log").innerText.includes("subscribed to important/messages")`, 20*time.Second)
	b.set("#test-id", "41")
	b.click("#send-test")
	b.waitFor("message 41 processed", `document.querySelector("#sub-stats-processed").dataset.count === "1"`, 20*time.Second)
	b.click("#send-test")
	b.waitFor("the duplicate detected", `document.querySelector("#sub-stats-duplicates").dataset.count === "1"`, 20*time.Second)
	if got := b.attr("#sub-stats-processed", "data-count"); got != "1" {
		t.Errorf("processed = %s after a duplicate, want 1", got)
	}
}
