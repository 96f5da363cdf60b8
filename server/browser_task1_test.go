package main

import (
	"testing"
	"time"

	"qosplayground/internal/testenv"
)

// TestBrowserTask1 runs Task 1's factory with a risky choice over the flaky
// network, reveals the recommended choices, and finds the learning
// checkpoint ticked, still ticked after a reload.
func TestBrowserTask1(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t)

	b.open(srv.URL, "/lab/task1?lang=en")
	if got := b.attr(`#checkpoints li[data-checkpoint="qos-choice"]`, "data-done"); got != "false" {
		t.Fatalf("the QoS choice checkpoint is %q before anything ran", got)
	}
	runFactoryChoices(t, b)
	b.click("#reveal-task1")
	b.waitFor("the recommended choices", `document.querySelectorAll("#task1-reveal li").length === 3`, 10*time.Second)
	if got := b.attr(`#task1-reveal li[data-stream="cooling"]`, "data-recommended"); got != "2" {
		t.Errorf("recommended QoS for the cooling command: %q", got)
	}
	if got := b.attr(`#task1-reveal li[data-stream="cooling"]`, "data-match"); got != "false" {
		t.Errorf("the learner's QoS 0 for the command matches: %q", got)
	}
	b.waitFor("the checkpoint", `document.querySelector('#checkpoints li[data-checkpoint="qos-choice"]').dataset.done === "true"`, 5*time.Second)
	b.screenshot("lab-task1", 1280)
	b.screenshot("lab-task1", 390)

	// Kept in local storage: still ticked on the next visit.
	b.open(srv.URL, "/?lang=en")
	b.waitFor("the checkpoint after a reload", `document.querySelector('#checkpoints li[data-checkpoint="qos-choice"]').dataset.done === "true"`, 10*time.Second)
	// The run ticks "duplicates" too when the flaky network brought one.
	if got := b.attr("#checkpoints", "data-done"); got != "1" && got != "2" {
		t.Errorf("%s checkpoints done, want 1 or 2", got)
	}
	if got := b.attr(`#checkpoints li[data-checkpoint="qos-levels"]`, "data-done"); got != "false" {
		t.Errorf("the QoS levels checkpoint is %q; nothing here completed a publish at each QoS", got)
	}
	srv.Stop(t)
}

// runFactoryChoices runs Task 1's factory with QoS 2 for the temperature,
// 1 for the alert and 0 for the cooling command, and checks each stream's
// verdict and that the QoS 1 alert lost nothing.
func runFactoryChoices(t *testing.T, b *browser) {
	t.Helper()
	b.set("#qos-temperature", "2")
	b.set("#qos-anomaly", "1")
	b.set("#qos-cooling", "0")
	b.click("#run-task1")
	b.waitFor("the run", `document.querySelector("#task1-status").dataset.done === "true"`, 90*time.Second)
	if n := b.count("#task1-results tbody tr"); n != 3 {
		t.Fatalf("%d result rows, want 3", n)
	}
	for stream, verdict := range map[string]string{"temperature": "costly", "anomaly": "fits", "cooling": "can-lose"} {
		if got := b.attr(`#task1-results tr[data-stream="`+stream+`"]`, "data-verdict"); got != verdict {
			t.Errorf("%s: verdict %q, want %q", stream, got, verdict)
		}
	}
	if got := b.attr(`#task1-results tr[data-stream="anomaly"]`, "data-lost"); got != "0" {
		t.Errorf("the QoS 1 alert lost %s messages", got)
	}
}
