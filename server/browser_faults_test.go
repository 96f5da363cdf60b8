package main

import (
	"testing"
	"time"

	"qosplayground/internal/testenv"
)

// TestBrowserFaults drives the fault lab from the page: the QoS 1 blip
// lesson shows the publisher's resend with DUP=1 in the sequence diagram
// and the subscriber's duplicate processed once; a crash delivers the last
// will and a clean disconnect does not.
func TestBrowserFaults(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t)

	b.open(srv.URL, "/lab/faults?lang=en")
	b.click("#lesson-qos1")
	b.waitFor("the QoS 1 lesson", `document.querySelector("#lesson-result") !== null`, 30*time.Second)
	if got := b.attr("#lesson-result", "data-resent"); got != "true" {
		t.Errorf("resent = %q, want the publisher's resend", got)
	}
	if got := b.attr("#lesson-result", "data-delivered"); got != "2" {
		t.Errorf("%s deliveries, want 2 (the message and its duplicate)", got)
	}
	if got := b.attr("#lesson-result", "data-processed"); got != "1" {
		t.Errorf("processed %s times, want once", got)
	}
	// The explanation makes one point at QoS 1, its promise
	// (faultlab.LessonResult.Points).
	if n := b.count(`#lesson-result p.explain`); n != 1 {
		t.Errorf("%d explanations, want 1: QoS 1's promise", n)
	}
	if !eval[bool](b, `document.querySelector("#lesson-result p.explain").innerText.includes("at least once")`) {
		t.Error("the explanation does not say QoS 1's promise, at least once")
	}
	// The resend is in the diagram, marked, and selected.
	if n := b.count(`#seq g[data-type="PUBLISH"][data-dir="sent"][data-dup="true"]`); n != 1 {
		t.Errorf("%d DUP=1 PUBLISH arrows in the diagram, want 1", n)
	}
	if n := b.count(`#seq g[data-type="CONNECT"]`); n != 2 {
		t.Errorf("%d CONNECT arrows, want 2: the connection and the reconnection", n)
	}
	if !eval[bool](b, `document.querySelector("#seq-details").innerText.includes("DUP")`) {
		t.Error("the resend is not shown in detail")
	}
	b.screenshot("lab-faults-lesson", 1280)
	b.screenshot("lab-faults-lesson", 390)

	runWill(t, b)
	srv.Stop(t)
}

// TestBrowserRestart runs the broker restart from the fault lab: with
// persistence off the queued messages are lost, and the page says how
// many.
func TestBrowserRestart(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")

	b.open(srv.URL, "/lab/faults?lang=en")
	b.waitFor("the broker's status", `(() => { const s = document.querySelector("#restart-status"); return s !== null && s.dataset.allowed === "true" })()`, 20*time.Second)
	b.set("#restart-persistence", "off")
	b.click("#run-restart")
	// The broker runs with the server's default: switching it asks first.
	b.waitFor("the confirmation", `document.querySelector("#restart-confirm") !== null`, 5*time.Second)
	b.click("#restart-confirm-yes")
	b.waitFor("the restart", `document.querySelector("#restart-result") !== null`, 60*time.Second)
	if got := b.attr("#restart-result", "data-lost"); got != "40" {
		t.Errorf("%s queued messages lost with persistence off, want all 40", got)
	}
	if got := b.attr("#restart-result", "data-session-present"); got != "false" {
		t.Errorf("session present = %s after a restart without persistence", got)
	}
	b.screenshot("lab-faults-restart", 1280)
	srv.Stop(t)
}

// runWill ends a client with a last will two ways on the open fault lab:
// a crash delivers the will, a clean DISCONNECT does not.
func runWill(t *testing.T, b *browser) {
	t.Helper()
	b.click("#leave-crash")
	b.waitFor("the crash's will", `(() => { const w = document.querySelector("#will-result"); return w !== null && w.dataset.leave === "crash" })()`, 30*time.Second)
	if got := b.attr("#will-result", "data-delivered"); got != "true" {
		t.Errorf("after a crash, will delivered = %q", got)
	}
	b.click("#leave-disconnect")
	b.waitFor("the clean disconnect", `(() => { const w = document.querySelector("#will-result"); return w !== null && w.dataset.leave === "disconnect" })()`, 30*time.Second)
	if got := b.attr("#will-result", "data-delivered"); got != "false" {
		t.Errorf("after a clean disconnect, will delivered = %q", got)
	}
}
