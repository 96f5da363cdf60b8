package main

import (
	"strings"
	"testing"
	"time"

	"qosplayground/internal/testenv"
)

// TestBrowserLink opens an experiment from a link, runs it, and finds the
// link of what was run in the address bar; a bad setting in a link is
// ignored and said so.
func TestBrowserLink(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")

	b.open(srv.URL, "/?lang=en&clean=false&sub=link/%23&subqos=2&topic=link/x&payload=from+a+link&qos=2&keepalive=15&retain=maybe&will=clients/link/status&willmsg=offline&willqos=1")
	for sel, want := range map[string]string{
		"#sub-filter": "link/#", "#sub-qos": "2", "#pub-topic": "link/x",
		"#pub-payload": "from a link", "#pub-qos": "2", "#keepalive": "15",
	} {
		if got := eval[string](b, `document.querySelector(`+cssString(sel)+`).value`); got != want {
			t.Errorf("%s = %q from the link, want %q", sel, got, want)
		}
	}
	if eval[bool](b, `document.querySelector("#clean-session").checked`) {
		t.Error("clean session is on; the link turned it off")
	}
	if !eval[bool](b, `document.querySelector("#activity").innerText.includes("retain=")`) {
		t.Error("the bad retain=maybe setting was not reported")
	}

	b.connect("connected", 20*time.Second)
	// The will from the link travels in CONNECT.
	b.waitFor("the will in CONNECT", `(() => { const r = document.querySelector('#packets tbody tr[data-type="CONNECT"]'); return r !== null && r.innerText.includes("clients/link/status") })()`, 10*time.Second)
	b.click("#subscribe")
	b.waitFor("SUBACK", `document.querySelector('#subscriptions li[data-filter="link/#"][data-granted="2"]') !== null`, 10*time.Second)
	b.set("#pub-qos", "0")
	b.click("#publish")
	b.waitFor("the message", `document.querySelector('#messages li[data-topic="link/x"][data-qos="0"]') !== null`, 10*time.Second)

	// The address bar now holds this experiment, as run: QoS 0 now.
	// (Settings at their defaults are left out of the link.)
	loc := eval[string](b, `location.search`)
	for _, want := range []string{"qos=0", "clean=false", "sub=link%2F%23", "topic=link%2Fx", "keepalive=15", "lang=en", "will=clients%2Flink%2Fstatus", "willqos=1"} {
		if !strings.Contains(loc, want) {
			t.Errorf("location %q lacks %s", loc, want)
		}
	}
	srv.Stop(t)
}
