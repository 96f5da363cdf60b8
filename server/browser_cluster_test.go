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
		// QoS 2 is not among them: the managed nodes carry the fix for
		// it (third_party/nats-server).
		if n := b.count("#nats-differences li"); n != 4 {
			t.Errorf("%s: %d differences from Mosquitto listed, want 4", lang, n)
		}
		diff := eval[string](b, `document.querySelector("#nats-differences").innerText`)
		if strings.Contains(diff, "QoS 2") {
			t.Errorf("%s: the managed cluster's differences speak of QoS 2: %q", lang, diff)
		}
		if lang == "ja" && (!strings.Contains(diff, "空白") || strings.Contains(diff, "white space")) {
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
// subscriber and the persistent session together), Task 1 over its flaky
// network, Exercise 1's comparison and Exercise 2's duplicate on a NATS
// cluster: the lessons give what they give on Mosquitto.
func TestBrowserClusterLessons(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "nats-cluster")
	b.open(srv.URL, "/lab/integration?lang=en")
	runIntegration(t, b)
	b.screenshot("lab-integration-cluster", 1280)

	b.open(srv.URL, "/lab/task1?lang=en")
	runFactoryChoices(t, b)
	b.screenshot("lab-task1-cluster", 1280)

	b.open(srv.URL, "/lab/publisher?lang=ja")
	runPublisherComparison(t, b)
	b.screenshot("lab-publisher-cluster-ja", 390)
	b.open(srv.URL, "/lab/subscriber?lang=en")
	runSubscriberDuplicate(t, b)
	b.click("#sub-stop")
	srv.Stop(t)
}

// TestBrowserClusterBlips runs the fault lab's random-cut run on a NATS
// cluster (300 messages per QoS): QoS 1 loses nothing, QoS 2 loses nothing
// and hands no copy to the application (the managed nodes carry the fix in
// third_party/nats-server), and the explanations speak of this broker, not
// of Mosquitto or mochi-mqtt. The last-will lesson gives what it gives on
// Mosquitto.
func TestBrowserClusterBlips(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "nats-cluster")
	b.open(srv.URL, "/lab/faults?lang=ja")
	b.waitFor("the run button", `(() => { const r = document.querySelector("#run-blips"); return r !== null && !r.disabled })()`, 30*time.Second)
	b.set("#blips-n", "300")
	b.click("#run-blips")
	b.waitFor("the three runs", `document.querySelector("#blips-status").dataset.done === "true"`, 6*time.Minute)
	row := func(qos, attr string) string { return b.attr(`#blips-ledger tr[data-qos="`+qos+`"]`, attr) }
	for _, q := range []string{"1", "2"} {
		t.Logf("QoS %s: received %s, lost %s, copies on the wire %s, to the application %s, processed twice %s", q,
			row(q, "data-received"), row(q, "data-lost"), row(q, "data-wire-copies"), row(q, "data-app-copies"), row(q, "data-dup-processed"))
	}
	if row("1", "data-lost") != "0" || row("1", "data-dup-processed") != "0" {
		t.Errorf("QoS 1 on the cluster: lost %s, processed twice %s; want 0 and 0", row("1", "data-lost"), row("1", "data-dup-processed"))
	}
	why2 := eval[string](b, `document.querySelector("#blips-why").innerText`)
	why1 := eval[string](b, `document.querySelector("#blips-why-1").innerText`)
	if strings.Contains(why1+why2, "mochi") || strings.Contains(why1, "Mosquitto 2.0.11") {
		t.Errorf("on a NATS cluster the explanations speak of another broker:\nQoS 1: %s\nQoS 2: %s", why1, why2)
	}
	if row("2", "data-app-copies") != "0" || row("2", "data-lost") != "0" {
		t.Errorf("QoS 2 on the managed cluster lost %s and gave %s copies to the application, want 0 and 0: %q", row("2", "data-lost"), row("2", "data-app-copies"), why2)
	}
	runWill(t, b)
	b.screenshot("lab-faults-blips-cluster-ja", 1280)
	b.shootElement("lab-faults-blips-results-cluster-ja", "#blips-results", 390)
	srv.Stop(t)
}
