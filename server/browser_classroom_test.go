package main

import (
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	mqtt "github.com/eclipse/paho.mqtt.golang"

	"qosplayground/internal/testenv"
)

// TestBrowserClassroom runs the playground on a server started with
// -classroom, opened from a teacher's link to room Blue-7: the page shows
// the room, connects with its tab's client id, and a publish/subscribe
// round trip shows bare topics in the tab, while the broker has them in the
// room. A PUBLISH to $SYS/x is dropped by the gateway, and the activity log
// says why.
func TestBrowserClassroom(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto", "-classroom")
	if !strings.Contains(srv.Log(), "classroom mode") {
		t.Errorf("the server did not log classroom mode at start:\n%s", srv.Log())
	}

	// The teacher's view: a plain client on the broker, watching the room.
	var mu sync.Mutex
	var seen []string
	teacher := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("tcp://" + srv.BrokerAddr).SetClientID("teacher"))
	if tok := teacher.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("teacher: connect: %v", tok.Error())
	}
	defer teacher.Disconnect(100)
	tok := teacher.Subscribe("classroom/#", 1, func(_ mqtt.Client, m mqtt.Message) {
		mu.Lock()
		seen = append(seen, m.Topic()+" "+string(m.Payload()))
		mu.Unlock()
	})
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("teacher: subscribe: %v", tok.Error())
	}

	b.open(srv.URL, "/?lang=en&room=Blue-7&sub=rt/%23&topic=rt/x&payload=hello+room&qos=1")
	b.waitFor("the room in the header", `(() => { const c = document.querySelector("#classroom"); return c !== null && c.dataset.room === "blue-7" && document.querySelector("#classroom-room").innerText.includes("blue-7") })()`, 10*time.Second)
	// The token would let whoever reads the screen take over the tab's
	// sessions: it is added when the tab connects, never shown.
	if url := eval[string](b, `document.querySelector("#broker-url").value`); strings.Contains(url, "learner=") || !strings.Contains(url, "room=blue-7") {
		t.Errorf("broker URL %q: want room=blue-7 and no learner token", url)
	}
	id := eval[string](b, `document.querySelector("#client-id").value`)
	if !strings.HasPrefix(id, "tab-") || len(id) < len("tab-0123456789abcdef-") {
		t.Errorf("client id %q: want the tab's classroom prefix", id)
	}

	b.connectAndSubscribe("rt/#")
	b.click("#publish")
	b.waitFor("the message back, topic bare", messageShown("rt/x", 1, "hello room"), 10*time.Second)

	if eval[bool](b, `document.body.innerText.includes("learner=")`) {
		t.Error("the page shows the learner token (in the log?)")
	}

	// The wire tap shows what the tab sent and got: bare topics.
	b.waitFor("the packet list", `document.querySelector("#packets") !== null && document.querySelector("#packets").textContent.includes("rt/x")`, 10*time.Second)
	if eval[bool](b, `document.querySelector("#packets").textContent.includes("classroom/")`) {
		t.Errorf("the packet list shows the room's prefix: %s", eval[string](b, `document.querySelector("#packets").textContent`))
	}
	b.click(`#seq g[role=button][data-type="PUBLISH"][data-dir="received"]`)
	b.waitFor("the delivered PUBLISH's details", `document.querySelector("#seq-details") !== null && document.querySelector("#seq-details").innerText.includes("rt/x")`, 5*time.Second)
	if eval[bool](b, `document.querySelector("#seq-details").innerText.includes("classroom/")`) {
		t.Errorf("the diagram's details show the room's prefix")
	}

	// The broker had it in the room.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		got := strings.Join(seen, "\n")
		mu.Unlock()
		if strings.Contains(got, "classroom/room/blue-7/rt/x hello room") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the teacher saw %q, want classroom/room/blue-7/rt/x", got)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Outside the room: dropped by the gateway, explained in the log, and
	// the publish still completes (the gateway acknowledged it).
	b.set("#pub-topic", "$SYS/x")
	b.click("#publish")
	b.waitFor("the drop in the activity log", `document.querySelector("#activity").innerText.includes("dropped your PUBLISH to $SYS/x")`, 10*time.Second)
	b.screenshot("playground-classroom", 1280)

	// The room form: a bad code is refused on the page; a good one
	// reloads the page into that room.
	b.click("#classroom-room")
	b.set("#room-code", "a/b")
	b.click("#room-join")
	b.waitFor("the code error", `!document.querySelector("#room-error").hidden`, 5*time.Second)
	auditClassroom(t, b)
	b.set("#room-code", "Green")
	b.click("#room-join")
	b.waitFor("the page in room green", `(() => { const c = document.querySelector("#classroom"); return c !== null && c.dataset.room === "green" && location.search.includes("room=green") && document.querySelector("#broker-url") !== null && document.querySelector("#broker-url").value.includes("room=green") })()`, 60*time.Second)
	if got := eval[string](b, `document.querySelector("#client-id").value`); got != id {
		t.Errorf("client id after the reload: got %q, want the tab's %q (same token)", got, id)
	}
	srv.Stop(t)
}

// auditClassroom runs axe-core on the page with the room form open: no
// serious or critical violation.
func auditClassroom(t *testing.T, b *browser) {
	t.Helper()
	axe, err := os.ReadFile(axePath)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is missing (%v), and CI is set: `make deps` installs it", err)
		}
		t.Logf("SKIP the accessibility audit: axe-core is not installed (%v); `make deps` installs it", err)
		return
	}
	b.do(chromedp.Evaluate[chromedp.Void](string(axe)))
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`axe.run(document.querySelector("#classroom"), {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical")))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	if out != "[]" {
		t.Errorf("axe violations in the room form: %s", out)
	}
}

// TestClassroomFlag: -classroom makes -broker-restart auto mean off (a
// restart drops every learner), while an explicit on stays on.
func TestClassroomFlag(t *testing.T) {
	tests := []struct {
		scenario string
		args     []string
		want     string
	}{
		{"classroom, auto", []string{"-classroom"}, brokerRestartOff},
		{"classroom, explicit on", []string{"-classroom", "-broker-restart", "on"}, brokerRestartOn},
		{"no classroom, auto", nil, brokerRestartAuto},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			c, err := parseFlags(tc.args, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.restart != tc.want {
				t.Errorf("parseFlags(%q): broker restart %q, want %q", tc.args, c.restart, tc.want)
			}
		})
	}
}
