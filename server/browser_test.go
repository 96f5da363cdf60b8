package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"qosplayground/internal/headless"
	"qosplayground/internal/testenv"
)

// browser is a headless Chromium tab for one test.
type browser struct {
	ctx context.Context
	t   *testing.T

	// mu guards console.
	mu      sync.Mutex
	console []string
}

// newBrowser starts Debian's Chromium with the flags this machine needs (no
// network beyond loopback) and a fresh profile, and any extra flags.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) *browser {
	t.Helper()
	allocOpts := headless.Options(testenv.NeedChromium(t), t.TempDir(), extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })

	b := &browser{ctx: ctx, t: t}
	if err := chromedp.Listen(ctx, b.onEvent); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			b.mu.Lock()
			t.Logf("browser console:\n%s", strings.Join(b.console, "\n"))
			b.mu.Unlock()
		}
	})
	return b
}

func (b *browser) onEvent(ev any) {
	var line string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, strings.Trim(string(a.Value), `"`))
		}
		line = string(ev.Type) + ": " + strings.Join(parts, " ")
	case *runtime.EventExceptionThrown:
		line = "exception: " + ev.ExceptionDetails.Text
	default:
		return
	}
	b.mu.Lock()
	b.console = append(b.console, line)
	b.mu.Unlock()
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// waitFor polls a JavaScript boolean expression until it is true.
func (b *browser) waitFor(what, expr string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			page, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 3000) : ""`))
			b.t.Fatalf("waiting for %s: not true after %s (last error: %v)\npage text:\n%s", what, timeout, err, page)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// eval runs a JavaScript expression and returns its value.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// set types a value into a form control the way a person does: it fires
// the input and change events go-app listens to.
func (b *browser) set(sel, value string) {
	b.t.Helper()
	s, _ := json.Marshal(sel)
	v, _ := json.Marshal(value)
	ok := eval[bool](b, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		if (!el) return false;
		el.value = %s;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`, s, v))
	if !ok {
		b.t.Fatalf("no element %s", sel)
	}
}

// click clicks an element as a person does, once it has stopped moving:
// chromedp clicks at the element's coordinates, and a page still scrolling
// (Task 1 scrolls its results into view, smoothly) or redrawing above it
// would take the click elsewhere.
// connect presses the playground's Connect and waits, at most timeout,
// until the page says it is connected (what names the wait).
func (b *browser) connect(what string, timeout time.Duration) {
	b.t.Helper()
	b.click("#connect")
	b.waitFor(what, `document.querySelector("#conn-state").dataset.state === "connected"`, timeout)
}

// disconnect presses Disconnect and waits until the page says so.
func (b *browser) disconnect(what string, timeout time.Duration) {
	b.t.Helper()
	b.click("#disconnect")
	b.waitFor(what, `document.querySelector("#conn-state").dataset.state === "disconnected"`, timeout)
}

func (b *browser) click(sel string) {
	b.t.Helper()
	still := fmt.Sprintf(`new Promise(resolve => {
		const el = document.querySelector(%s);
		if (!el) { resolve(false); return; }
		const at = () => { const r = el.getBoundingClientRect(); return r.top + "," + r.left + "," + window.scrollY; };
		const first = at();
		setTimeout(() => requestAnimationFrame(() => resolve(at() === first)), 100);
	})`, cssString(sel))
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](still, chromedp.EvalAwaitPromise)); err == nil && ok {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.do(chromedp.Click(sel, chromedp.NodeEnabled))
}

// screenshot saves a full-page PNG under artifacts/ at the repository root.
func (b *browser) screenshot(name string, width int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, 900))
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	b.savePNG(name, width, png)
}

// savePNG writes a screenshot under artifacts/screenshots, named after the
// page and the window's width.
func (b *browser) savePNG(name string, width int64, png []byte) {
	b.t.Helper()
	dir := filepath.Join("..", "artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", file)
}

func cssString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// messageShown is a JavaScript test for a received message in the list.
func messageShown(topic string, qos int, payload string) string {
	return fmt.Sprintf(`[...document.querySelectorAll("#messages li")].some(li =>
		li.dataset.topic === %s && li.dataset.qos === "%d" && li.dataset.payload === %s)`,
		cssString(topic), qos, cssString(payload))
}

// qos2Handshakes is a JavaScript test for the packet list: the QoS 2
// publish (PUBLISH →, PUBREC ←, PUBREL →, PUBCOMP ←) and its delivery
// (PUBLISH ←, PUBREC →, PUBREL ←, PUBCOMP →), in order, with one packet id
// each.
const qos2Handshakes = `(() => {
	const rows = [...document.querySelectorAll("#packets tbody tr")].reverse()
		.map(r => ({type: r.dataset.type, dir: r.dataset.dir, id: r.dataset.id, qos: r.dataset.qos}));
	const find = (steps) => {
		const first = rows.findIndex(r => r.type === "PUBLISH" && r.qos === "2" && r.dir === steps[0]);
		if (first < 0) return false;
		const id = rows[first].id;
		let i = first;
		for (const [type, dir] of [["PUBREC", steps[1]], ["PUBREL", steps[0]], ["PUBCOMP", steps[1]]]) {
			i = rows.findIndex((r, j) => j > i && r.type === type && r.dir === dir && r.id === id);
			if (i < 0) return false;
		}
		return true;
	};
	return find(["sent", "received"]) && find(["received", "sent"]);
})()`

// TestBrowserRoundTrip loads the page in headless Chromium from the server
// binary on managed Mosquitto, connects through /mqtt, subscribes, publishes
// at QoS 0, 1 and 2 and sees each message come back; a message from
// mosquitto_pub, straight to the broker, appears too.
func TestBrowserRoundTrip(t *testing.T) {
	testenv.NeedMosquitto(t)
	mosqPub := testenv.Need(t, "mosquitto_pub")
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto", "-max-packet", "65536")

	start := time.Now()
	b.do(chromedp.Navigate(srv.URL + "/"))
	// The wasm has started when go-app's loader is gone and OnMount has
	// filled in the broker URL (the server's pre-render has one too).
	b.waitFor("the app to start", `document.getElementById("app-wasm-loader") === null && document.querySelector("#broker-url") && document.querySelector("#broker-url").value.endsWith("/mqtt")`, 60*time.Second)
	loaded := time.Since(start)
	b.connect("connected", 20*time.Second)
	connected := time.Since(start)
	t.Logf("navigation to app started: %s; to connected: %s", loaded.Round(time.Millisecond), connected.Round(time.Millisecond))

	if got := eval[string](b, `document.querySelector("#broker-url").value`); got != strings.Replace(srv.URL, "http://", "ws://", 1)+"/mqtt" {
		t.Errorf("broker URL = %q, want the page's own origin + /mqtt", got)
	}
	if got := eval[string](b, `document.querySelector("#conn-state").dataset.sessionPresent`); got != "false" {
		t.Errorf("session present = %s on a clean session, want false", got)
	}

	b.set("#sub-filter", "e2e/#")
	b.set("#sub-qos", "2")
	b.click("#subscribe")
	b.waitFor("SUBACK", `document.querySelector('#subscriptions li[data-filter="e2e/#"][data-granted="2"]') !== null`, 10*time.Second)

	for qos := 0; qos <= 2; qos++ {
		topic := fmt.Sprintf("e2e/qos%d", qos)
		payload := fmt.Sprintf("hello at QoS %d", qos)
		b.set("#pub-topic", topic)
		b.set("#pub-payload", payload)
		b.set("#pub-qos", fmt.Sprint(qos))
		b.click("#publish")
		b.waitFor("message at QoS "+fmt.Sprint(qos), messageShown(topic, qos, payload), 10*time.Second)
	}

	// The wire tap shows the QoS 2 exchanges packet by packet: the
	// publish's four-way handshake, and the delivery's, each with one
	// packet id.
	b.waitFor("the QoS 2 handshakes in the packet list", qos2Handshakes, 10*time.Second)

	// The sequence diagram has the publish's four arrows, alternating
	// lanes; selecting the PUBREC shows its fields and bytes.
	b.waitFor("the QoS 2 arrows in the sequence diagram", `(() => {
		const pub = [...document.querySelectorAll('#seq g[role=button][data-type="PUBLISH"][data-dir="sent"]')].pop();
		if (!pub) return false;
		const id = pub.dataset.id;
		const steps = [["PUBREC", "received"], ["PUBREL", "sent"], ["PUBCOMP", "received"]];
		return steps.every(([type, dir]) => document.querySelector('#seq g[role=button][data-type="' + type + '"][data-dir="' + dir + '"][data-id="' + id + '"]') !== null);
	})()`, 10*time.Second)
	b.click(`#seq g[role=button][data-type="PUBREC"]`)
	b.waitFor("the PUBREC details", `document.querySelector("#seq-details h3") && document.querySelector("#seq-details h3").innerText.includes("PUBREC") && /^0000  50 02 00 [0-9a-f]{2}$/.test(document.querySelector("#seq-hex").innerText)`, 5*time.Second)

	// Effective QoS: subscribed at 1 (and by no other subscription),
	// published at 2, delivered at 1.
	b.set("#sub-filter", "eff/+")
	b.set("#sub-qos", "1")
	b.click("#subscribe")
	b.waitFor("SUBACK for eff/+", `document.querySelector('#subscriptions li[data-filter="eff/+"][data-granted="1"]') !== null`, 10*time.Second)
	b.set("#pub-topic", "eff/x")
	b.set("#pub-payload", "min")
	b.set("#pub-qos", "2")
	b.click("#publish")
	b.waitFor("the effective QoS", `[...document.querySelectorAll('#messages li[data-topic="eff/x"]')].some(li =>
		li.dataset.qos === "1" && li.querySelector(".effective") !== null &&
		li.querySelector(".effective").innerText.includes("min(2, 1) = 1"))`, 10*time.Second)

	// A message from outside the tab, straight to the broker over TCP.
	host, port, err := net.SplitHostPort(srv.BrokerAddr)
	if err != nil {
		t.Fatalf("broker address %q: %v", srv.BrokerAddr, err)
	}
	pub := exec.CommandContext(withTimeout(t, 10*time.Second), mosqPub, "-h", host, "-p", port,
		"-t", "e2e/from-cli", "-q", "1", "-m", "from mosquitto_pub")
	if out, err := pub.CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_pub: %v\n%s", err, out)
	}
	b.waitFor("the message from mosquitto_pub", messageShown("e2e/from-cli", 1, "from mosquitto_pub"), 10*time.Second)

	b.screenshot("playground", 1280)
	b.screenshot("playground", 390)

	// A publish topic with a wildcard is refused in the form, before
	// anything is sent.
	sent := eval[int](b, `document.querySelectorAll("#messages li").length`)
	b.set("#pub-topic", "e2e/#")
	b.click("#publish")
	b.waitFor("the topic error", `!document.querySelector("#pub-topic-error").hidden && document.querySelector("#pub-topic-error").innerText.toLowerCase().includes("wildcard")`, 5*time.Second)
	b.set("#sub-filter", "e2e/#/x")
	b.click("#subscribe")
	b.waitFor("the filter error", `!document.querySelector("#sub-filter-error").hidden && document.querySelector("#sub-filter-error").innerText.includes("#")`, 5*time.Second)
	// A message over the server's packet limit (-max-packet, told to the
	// page by the server) is refused in the form too, and the connection
	// stays up.
	b.set("#pub-topic", "e2e/big")
	b.set("#pub-payload", strings.Repeat("x", 70_000))
	b.click("#publish")
	b.waitFor("the size error", `!document.querySelector("#pub-payload-error").hidden && document.querySelector("#pub-payload-error").innerText.includes("65536")`, 5*time.Second)
	if got := eval[string](b, `document.querySelector("#conn-state").dataset.state`); got != "connected" {
		t.Errorf("state %q after a refused large message, want connected", got)
	}
	if got := eval[int](b, `document.querySelectorAll("#messages li").length`); got != sent {
		t.Errorf("%d messages after refused publishes, want %d", got, sent)
	}

	srv.Stop(t)
	b.waitFor("the disconnect to show", `document.querySelector("#conn-state").dataset.state === "disconnected"`, 15*time.Second)
}
