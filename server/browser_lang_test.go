package main

import (
	"strings"
	"testing"
	"time"

	"qosplayground/internal/testenv"
)

// englishLeft lists the English words left on a Japanese page, by the
// walk's one check (pageFacts.english, server/internal/walkcheck): its
// allowed words (MQTT's own, the tools' names) are written once.
func englishLeft(b *browser) []string {
	b.t.Helper()
	return b.facts().english()
}

// TestBrowserJapanese switches every page to Japanese and finds no English
// left on it, after a run has filled its tables and logs; it saves
// screenshots of each page in Japanese at desktop and phone widths.
func TestBrowserJapanese(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto")

	check := func(page string) {
		t.Helper()
		if got := eval[string](b, `document.documentElement.lang`); got != "ja" {
			t.Errorf("%s: html lang = %q, want ja", page, got)
		}
		if left := englishLeft(b); len(left) > 0 {
			t.Errorf("%s: English left on the Japanese page:\n  %s", page, strings.Join(left, "\n  "))
		}
	}

	// The switch on the first page; the choice then holds on every page.
	b.open(srv.URL, "/")
	b.click("#lang-ja")
	b.waitFor("Japanese", `document.querySelector("#connect").innerText === "接続"`, 10*time.Second)
	b.connect("connected", 20*time.Second)
	b.set("#sub-filter", "ja/#")
	b.click("#subscribe")
	b.waitFor("SUBACK", `document.querySelector('#subscriptions li[data-filter="ja/#"]') !== null`, 10*time.Second)
	b.set("#pub-topic", "ja/x")
	b.click("#publish")
	b.waitFor("the message", `document.querySelectorAll("#messages li").length === 1`, 10*time.Second)
	b.set("#pub-topic", "ja/#")
	b.click("#publish")
	b.waitFor("the topic error", `!document.querySelector("#pub-topic-error").hidden`, 5*time.Second)
	check("/")
	b.set("#pub-topic", "ja/big")
	b.set("#pub-payload", strings.Repeat("x", 300_000))
	b.click("#publish")
	b.waitFor("the size error", `document.querySelector("#pub-payload-error").innerText.includes("バイト")`, 5*time.Second)
	check("/ with a size error")
	b.screenshot("ja-playground", 1280)
	b.screenshot("ja-playground", 390)

	b.open(srv.URL, "/lab/integration")
	b.set("#int-gap", "0")
	b.click("#int-fast")
	b.click("#run-integration")
	b.waitFor("the integration run", `document.querySelector("#int-status").dataset.done === "true"`, 60*time.Second)
	check("/lab/integration")
	b.screenshot("ja-lab-integration", 1280)
	b.screenshot("ja-lab-integration", 390)

	b.open(srv.URL, "/lab/publisher")
	b.set("#gap", "0")
	b.click("#run-persistent")
	b.waitFor("the persistent-session run", `document.querySelector("#persist-result") !== null && document.querySelector("#pub-summary").dataset.running === "false"`, 30*time.Second)
	check("/lab/publisher")
	b.screenshot("ja-lab-publisher", 1280)
	b.screenshot("ja-lab-publisher", 390)

	b.open(srv.URL, "/lab/subscriber")
	b.set("#retry-delay", "0")
	b.click("#fail-alert")
	b.click("#sub-start")
	b.waitFor("the subscriber to listen", `document.querySelector("#sub-status").dataset.running === "true" && document.querySelectorAll("#sub-log li").length >= 6`, 20*time.Second)
	b.set("#test-id", "3") // the tutorial's failing alert
	b.click("#send-test")
	b.waitFor("the failure", `document.querySelector("#sub-stats-errors").dataset.count === "1"`, 20*time.Second)
	check("/lab/subscriber")
	b.screenshot("ja-lab-subscriber", 1280)
	b.screenshot("ja-lab-subscriber", 390)
	b.click("#sub-stop")

	b.open(srv.URL, "/lab/task1")
	b.set("#qos-cooling", "0")
	b.click("#run-task1")
	b.waitFor("the Task 1 run", `document.querySelector("#task1-status").dataset.done === "true"`, 90*time.Second)
	b.click("#reveal-task1")
	b.waitFor("the recommended choices", `document.querySelectorAll("#task1-reveal li").length === 3`, 10*time.Second)
	check("/lab/task1")
	b.screenshot("ja-lab-task1", 1280)
	b.screenshot("ja-lab-task1", 390)

	b.open(srv.URL, "/lab/faults")
	b.click("#lesson-qos1")
	b.waitFor("the QoS 1 lesson", `document.querySelector("#lesson-result") !== null`, 30*time.Second)
	b.click("#leave-crash")
	b.waitFor("the crash's will", `document.querySelector("#will-result") !== null`, 30*time.Second)
	check("/lab/faults")
	b.screenshot("ja-lab-faults", 1280)
	b.screenshot("ja-lab-faults", 390)
	b.open(srv.URL, "/lab/task1")

	// Back to English: the switch works both ways and is remembered.
	b.click("#lang-en")
	b.waitFor("English", `document.documentElement.lang === "en" && document.querySelector("#run-task1").innerText === "Run the system"`, 10*time.Second)
	b.open(srv.URL, "/lab/publisher")
	if got := eval[string](b, `document.querySelector("#run-comparison").innerText`); got != "Run the QoS comparison" {
		t.Errorf("after switching back: %q, want the English label", got)
	}
	srv.Stop(t)
}
