package main

import (
	"strings"
	"testing"
	"time"
)

// TestBrowserClusterFaultLab: on a server whose broker is a managed NATS
// cluster, the fault lab says, in the learner's language, that the broker
// cannot be restarted because every class shares the cluster, lists what
// NATS does differently from Mosquitto, and its QoS 1 and QoS 2 lessons
// run through the gateway against the cluster.
func TestBrowserClusterFaultLab(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "nats-cluster")

	for _, lang := range []string{"en", "ja"} {
		b.open(srv.URL, "/lab/faults?lang="+lang)
		b.waitFor("the broker's status", `(() => { const s = document.querySelector("#restart-status"); return s !== null && s.dataset.allowed === "false" })()`, 30*time.Second)
		status := eval[string](b, `document.querySelector("#restart-status").innerText`)
		want := map[string]string{"en": "cluster of NATS Server nodes", "ja": "NATS Server のクラスター"}[lang]
		if !strings.Contains(status, want) {
			t.Errorf("%s: the refused restart says %q, want it to name the cluster (%q)", lang, status, want)
		}
		if n := b.count("#nats-differences li"); n != 5 {
			t.Errorf("%s: %d differences from Mosquitto listed, want 5", lang, n)
		}
		diff := eval[string](b, `document.querySelector("#nats-differences").innerText`)
		if lang == "ja" && (!strings.Contains(diff, "重複検出") || strings.Contains(diff, "duplicate")) {
			t.Errorf("the Japanese page lists the differences as %q", diff)
		}
		if eval[bool](b, `!document.querySelector("#restart-persistence").disabled`) {
			t.Errorf("%s: the persistence selector is enabled on a cluster", lang)
		}
		// It shows what the cluster keeps, not the managed Mosquitto's default.
		shown := eval[string](b, `(() => { const s = document.querySelector("#restart-persistence"); return s.options[s.selectedIndex].text + " (" + s.options.length + " options)" })()`)
		if !strings.Contains(shown, "JetStream") || !strings.Contains(shown, "(1 options)") {
			t.Errorf("%s: the persistence selector on a cluster shows %q, want JetStream alone", lang, shown)
		}
		b.click("#lesson-qos" + map[string]string{"en": "1", "ja": "2"}[lang])
		b.waitFor("the lesson's result", `document.querySelector("#lesson-result") !== null`, 60*time.Second)
		if !eval[bool](b, `document.querySelector("#lab-error") === null || document.querySelector("#lab-error").hidden`) {
			t.Errorf("%s: the lesson ended with an error: %s", lang, eval[string](b, `document.querySelector("#lab-error").innerText`))
		}
		b.do()
		b.screenshot("lab-faults-cluster-"+lang, 1280)
		b.screenshot("lab-faults-cluster-"+lang, 390)
	}
	srv.Stop(t)
}

// TestBrowserClusterLessons runs Exercise 3 (the publisher, the reliable
// subscriber and the persistent session together) and Task 1 over its
// flaky network on a NATS cluster: the lessons give what they give on
// Mosquitto.
func TestBrowserClusterLessons(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "nats-cluster")
	b.open(srv.URL, "/lab/integration?lang=en")
	runIntegration(t, b)
	b.screenshot("lab-integration-cluster", 1280)

	b.open(srv.URL, "/lab/task1?lang=en")
	runFactoryChoices(t, b)
	b.screenshot("lab-task1-cluster", 1280)
	srv.Stop(t)
}
