package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/internal/testenv"
)

// tablesReadable is a JavaScript check of every table on the page, for a
// narrow screen: it returns "" or what is wrong. A cell is too narrow when
// its text box is less than three characters wide (3 em) and its text would
// be wider on one line; a table wider than the viewport must sit in an
// element that scrolls sideways and is itself no wider than the viewport;
// the page itself never scrolls sideways.
const tablesReadable = `(() => {
	const problems = [];
	const vw = document.documentElement.clientWidth;
	if (document.documentElement.scrollWidth > vw + 1) {
		problems.push("the page is " + document.documentElement.scrollWidth + " px wide in a " + vw + " px viewport");
	}
	// Text for screen readers only (clipped to nothing) is not read on screen.
	const visuallyHidden = el => {
		for (; el && el !== document.body; el = el.parentElement) {
			const cs = getComputedStyle(el);
			if ((cs.position === "absolute" && cs.clip && cs.clip !== "auto") || (cs.overflow === "hidden" && el.getBoundingClientRect().width <= 1)) return true;
		}
		return false;
	};
	const probe = document.createElement("span");
	probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap;left:-9999px;top:0";
	document.body.appendChild(probe);
	for (const table of document.querySelectorAll("table")) {
		const name = table.id || table.className;
		for (const cell of table.querySelectorAll("th, td")) {
			const text = cell.innerText.trim();
			if (text === "" || cell.offsetParent === null || visuallyHidden(cell)) continue;
			const cs = getComputedStyle(cell);
			const inner = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
			const em = parseFloat(cs.fontSize);
			probe.style.font = cs.font;
			probe.textContent = text;
			const natural = probe.getBoundingClientRect().width;
			if (inner < 3 * em - 0.5 && natural > inner + 0.5) {
				problems.push(name + ": cell " + JSON.stringify(text.slice(0, 20)) + " is " + Math.round(inner) + " px wide");
			}
		}
		const r = table.getBoundingClientRect();
		if (r.right > vw + 1 || r.left < -1) {
			let el = table.parentElement, scrolls = false;
			for (; el && el !== document.body; el = el.parentElement) {
				const ox = getComputedStyle(el).overflowX;
				if ((ox === "auto" || ox === "scroll") && el.getBoundingClientRect().right <= vw + 1) { scrolls = true; break; }
			}
			if (!scrolls) problems.push(name + ": " + Math.round(r.width) + " px wide, no scroll of its own");
		}
	}
	probe.remove();
	return problems.join("\n");
})()`

// checkTablesReadable fails the test when a table of the page is not
// readable at width px.
func (b *browser) checkTablesReadable(what string, width int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, 900))
	// The new size takes effect with the next frame.
	b.waitFor("the viewport to be "+strconv.FormatInt(width, 10)+" px wide", `innerWidth === `+strconv.FormatInt(width, 10), 5*time.Second)
	if msg := eval[string](b, tablesReadable); msg != "" {
		b.t.Errorf("%s at %d px:\n%s", what, width, msg)
	}
}

// shot saves a screenshot of the element sel alone at width px, to look
// at a table at a phone's width in full resolution.
func (b *browser) shot(name, sel string, width int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, 900))
	b.waitFor("the viewport to be "+strconv.FormatInt(width, 10)+" px wide", `innerWidth === `+strconv.FormatInt(width, 10), 5*time.Second)
	png, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("screenshot of %s: %v", sel, err)
	}
	b.savePNG(name, width, png)
}

// TestBrowserTask1SmartHome: the smart home's choices are its own (issue
// 13, item 1). The learner picks light 0, security 2, door lock 2, looks at
// the factory and comes back: each system shows its own choices, the run
// uses the smart home's, the table shows them and the reveal compares them.
// The packets column says what a message costs on each leg and in all
// (item 10), and at 390 px every table reads in Japanese (item 18).
func TestBrowserTask1SmartHome(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t)

	b.open(srv.URL, "/lab/task1?lang=en&flaky=false")
	b.set("#task1-scenario", "smarthome")
	b.waitFor("the smart home's streams", `document.querySelector("#qos-light") !== null`, 5*time.Second)
	b.set("#qos-light", "0")
	b.set("#qos-security", "2")
	b.set("#qos-doorlock", "2")
	b.set("#task1-scenario", "factory")
	b.waitFor("the factory's streams", `document.querySelector("#qos-temperature") !== null`, 5*time.Second)
	for _, id := range []string{"temperature", "anomaly", "cooling"} {
		if got := eval[string](b, `document.querySelector("#qos-`+id+`").value`); got != "1" {
			t.Errorf("factory %s shows QoS %s after choosing the smart home's; want its own 1", id, got)
		}
	}
	b.set("#qos-cooling", "2")
	b.set("#task1-scenario", "smarthome")
	b.waitFor("the smart home's streams again", `document.querySelector("#qos-light") !== null`, 5*time.Second)
	for id, want := range map[string]string{"light": "0", "security": "2", "doorlock": "2"} {
		if got := eval[string](b, `document.querySelector("#qos-`+id+`").value`); got != want {
			t.Errorf("smart home %s shows QoS %s after a visit to the factory, want %s", id, got, want)
		}
	}
	b.click("#run-task1")
	b.waitFor("the run", `document.querySelector("#task1-status").dataset.done === "true"`, 90*time.Second)
	for id, want := range map[string]string{"light": "0", "security": "2", "doorlock": "2"} {
		if got := b.attr(`#task1-results tr[data-stream="`+id+`"]`, "data-qos"); got != want {
			t.Errorf("results: %s ran at QoS %s, want the learner's %s", id, got, want)
		}
	}
	// Item 10: per leg and in all.
	if got := eval[string](b, `document.querySelector('#task1-results tr[data-stream="doorlock"] td.packets').innerText`); got != "4 + 4 = 8" {
		t.Errorf("packets of a QoS 2 message: %q, want 4 + 4 = 8", got)
	}
	if got := eval[string](b, `document.querySelector('#task1-results tr[data-stream="light"] td.packets').innerText`); got != "1 + 1 = 2" {
		t.Errorf("packets of a QoS 0 message: %q, want 1 + 1 = 2", got)
	}
	if head := eval[string](b, `document.querySelector("#task1-results thead").innerText`); !strings.Contains(head, "broker") {
		t.Errorf("the packets column does not name the legs: %q", head)
	}
	b.click("#reveal-task1")
	b.waitFor("the recommended choices", `document.querySelectorAll("#task1-reveal li").length === 3`, 10*time.Second)
	for id, want := range map[string]string{"light": "true", "security": "false", "doorlock": "true"} {
		if got := b.attr(`#task1-reveal li[data-stream="`+id+`"]`, "data-match"); got != want {
			t.Errorf("reveal: %s matches %s, want %s", id, got, want)
		}
	}
	b.screenshot("labsfix-task1-en", 1280)
	b.checkTablesReadable("Task 1", 390)
	b.screenshot("labsfix-task1-en", 390)

	// Item 18: the Japanese table at 390 px.
	b.click("#lang-ja")
	b.waitFor("Japanese", `document.documentElement.lang === "ja"`, 5*time.Second)
	b.checkTablesReadable("Task 1 in Japanese", 390)
	b.checkTablesReadable("Task 1 in Japanese", 1280)
	b.screenshot("labsfix-task1-ja", 390)
	b.screenshot("labsfix-task1-ja", 1280)
	b.shot("labsfix-task1-results-ja", "#task1-results-card", 390)
	srv.Stop(t)
}

// TestBrowserTask1EmbedFold: embedded at 800x600, the results of a run come
// into view when it ends (issue 13, item 19).
func TestBrowserTask1EmbedFold(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t)

	b.do(chromedp.EmulateViewport(800, 600))
	b.do(chromedp.Navigate(srv.URL + "/lab/task1?embed=1&lang=ja&flaky=false"))
	b.waitFor("the embedded view", `document.querySelector("#run-task1") !== null && document.getElementById("app-wasm-loader") === null`, 60*time.Second)
	b.click("#run-task1")
	b.waitFor("the run", `document.querySelector("#task1-status").dataset.done === "true"`, 90*time.Second)
	// The page scrolls smoothly: wait until the results card has come to
	// the top of the window, its table in the upper half.
	b.waitFor("the results in view", `(() => {
		const card = document.querySelector("#task1-results-card").getBoundingClientRect();
		const table = document.querySelector("#task1-results").getBoundingClientRect();
		return card.top >= 0 && card.top < 40 && table.top < innerHeight / 2;
	})()`, 10*time.Second)
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	b.savePNG("labsfix-embed-task1-800x600", 800, png)
	b.checkTablesReadable("Task 1 embedded", 800)
	srv.Stop(t)
}

// TestBrowserIntegrationAlertFailure: with "simulate the alert failure"
// ticked, Exercise 3 shows an alert fail every attempt, each with its delay,
// and counts it as a processing error; the page states the tutorial's rule
// (issue 13, item 2).
func TestBrowserIntegrationAlertFailure(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto")

	b.open(srv.URL, "/lab/integration?lang=en")
	if rule := eval[string](b, `document.querySelector("#int-fail-rule") ? document.querySelector("#int-fail-rule").innerText : ""`); !strings.Contains(rule, "message_id") || !strings.Contains(rule, "3") {
		t.Errorf("the tutorial's failure rule is not stated: %q", rule)
	}
	b.set("#int-gap", "0")
	b.click("#int-fail")
	b.click("#run-integration")
	b.waitFor("the integration run to finish", `document.querySelector("#int-status").dataset.done === "true"`, 90*time.Second)
	if msg := eval[string](b, `document.querySelector("#lab-error").hidden ? "" : document.querySelector("#lab-error").innerText`); msg != "" {
		t.Fatalf("integration run error: %s", msg)
	}
	for row, want := range map[string]string{"total": "8", "duplicates": "0", "errors": "1", "processed": "7"} {
		if got := b.attr("#int-stats-"+row, "data-count"); got != want {
			t.Errorf("subscriber %s = %s, want %s", row, got, want)
		}
	}
	failed := `#int-history tr[data-key="alerts/temperature_high:3"]`
	if got := b.attr(failed, "data-processed"); got != "false" {
		t.Errorf("the alert message_id 3 processed = %q, want false", got)
	}
	log := eval[string](b, `document.querySelector("#int-log").innerText`)
	if n := strings.Count(log, "next attempt in 2 s"); n != 2 {
		t.Errorf("%d retries with their 2 s delay in the log, want 2:\n%s", n, log)
	}
	if !strings.Contains(log, "all 3 attempts failed") {
		t.Errorf("the final failure is not in the log:\n%s", log)
	}
	b.screenshot("labsfix-integration-en", 1280)
	b.checkTablesReadable("Exercise 3", 390)
	b.checkTablesReadable("Exercise 3", 1280)
	b.screenshot("labsfix-integration-en", 390)
	b.click("#lang-ja")
	b.waitFor("Japanese", `document.documentElement.lang === "ja"`, 5*time.Second)
	b.checkTablesReadable("Exercise 3 in Japanese", 390)
	b.shot("labsfix-integration-pub-ja", ".table-wrap:has(#int-published)", 390)
	b.shot("labsfix-integration-sub-ja", ".table-wrap:has(#int-history)", 390)
	b.screenshot("labsfix-integration-ja", 390)
	b.screenshot("labsfix-integration-ja", 1280)
	srv.Stop(t)
}

// TestBrowserSubscriberLessons walks Exercise 2 (issue 13): test-send errors
// next to the send button, in the learner's language, gone once fixed (item
// 15); a message sent before the subscriber starts, dropped by the broker
// and said so, and one sent while its persistent session is stopped, kept
// (item 7); the settings' lock explained (item 13); the alert failure with
// its rule, each attempt and the error in the statistics (item 2).
func TestBrowserSubscriberLessons(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto")
	shown := func(sel string) bool {
		return eval[bool](b, `(() => { const el = document.querySelector(`+cssString(sel)+`); return el !== null && !el.hidden && el.offsetParent !== null })()`)
	}
	text := func(sel string) string {
		return eval[string](b, `(() => { const el = document.querySelector(`+cssString(sel)+`); return el ? el.innerText : "" })()`)
	}

	b.open(srv.URL, "/lab/subscriber?lang=ja")
	// Item 15: errors of the test send, next to it, in Japanese, cleared
	// when fixed.
	b.set("#test-id", "")
	b.click("#send-test")
	b.waitFor("the message_id error next to the send button", `(() => { const el = document.querySelector("#test-send-error"); return el !== null && !el.hidden })()`, 5*time.Second)
	if got := text("#test-send-error"); !strings.Contains(got, "整数") {
		t.Errorf("message_id error %q, want it in Japanese", got)
	}
	b.set("#test-id", "5")
	b.waitFor("the error gone once message_id is fixed", `document.querySelector("#test-send-error").hidden`, 5*time.Second)
	b.set("#test-topic", "alerts/#")
	b.click("#send-test")
	b.waitFor("the topic error", `!document.querySelector("#test-send-error").hidden`, 5*time.Second)
	if got := text("#test-send-error"); !strings.Contains(got, "ワイルドカード") {
		t.Errorf("topic error %q, want the wildcard explained in Japanese", got)
	}
	b.shot("labsfix-subscriber-send-error-ja", `section[aria-labelledby="h-subsend"]`, 390)
	b.do(chromedp.EmulateViewport(1280, 900))
	b.set("#test-topic", "alerts/temperature_high")
	b.waitFor("the error gone once the topic is fixed", `document.querySelector("#test-send-error").hidden`, 5*time.Second)

	// Item 2 (Ex.2): the rule, and a prediction for the message at hand.
	b.click("#fail-alert")
	if rule := text("#fail-alert-rule"); !strings.Contains(rule, "message_id") || !strings.Contains(rule, "3") {
		t.Errorf("the failure rule is not stated: %q", rule)
	}
	b.set("#retry-delay", "100")
	for _, f := range []string{"sensors", "alerts", "actuators", "important", "generic"} {
		b.set("#work-"+f, "0")
	}

	// Item 7: sent before the subscriber ever started: nobody subscribed.
	b.click("#send-test")
	b.waitFor("the message sent while stopped", `document.querySelector("#test-fate") !== null && document.querySelector("#test-fate").dataset.state === "waiting"`, 10*time.Second)
	if shown("#sub-locked") {
		t.Error("the settings' lock is explained while nothing runs")
	}
	b.click("#sub-start")
	b.waitFor("the verdict: dropped", `document.querySelector("#test-fate").dataset.state === "dropped"`, 20*time.Second)
	if got := b.attr("#sub-stats-total", "data-count"); got != "0" {
		t.Errorf("the subscriber received %s messages; the one sent before it started must be gone", got)
	}
	// Item 13: the lock, explained next to the settings.
	if !shown("#sub-locked") {
		t.Error("the settings are locked without a word")
	}

	// Item 2: message_id 3 on a "high" alert topic fails every attempt.
	b.set("#test-id", "3")
	b.waitFor("the prediction that alert 3 will fail", `(() => { const el = document.querySelector("#test-will-fail"); return el !== null && !el.hidden })()`, 5*time.Second)
	b.click("#send-test")
	b.waitFor("the failure counted", `document.querySelector("#sub-stats-errors").dataset.count === "1"`, 20*time.Second)
	if got := eval[string](b, `document.querySelector('#sub-history tr[data-key="alerts/temperature_high:3"]').dataset.processed`); got != "false" {
		t.Errorf("alert 3 processed = %q", got)
	}
	log := text("#sub-log")
	if n := strings.Count(log, "100 ミリ秒後に再試行"); n != 2 {
		t.Errorf("%d retries with their delay in the log, want 2:\n%s", n, log)
	}
	b.screenshot("labsfix-subscriber-ja", 1280)
	b.checkTablesReadable("Exercise 2 in Japanese", 390)
	b.shot("labsfix-subscriber-send-ja", `section[aria-labelledby="h-subsend"]`, 390)
	b.screenshot("labsfix-subscriber-ja", 390)

	// Item 7: sent while the persistent session is stopped: kept.
	b.click("#sub-stop")
	b.waitFor("stopped", `document.querySelector("#sub-status").dataset.running === "false"`, 10*time.Second)
	if shown("#sub-locked") {
		t.Error("the lock is still explained after stopping")
	}
	b.set("#test-id", "6")
	b.click("#send-test")
	b.waitFor("the message sent while stopped", `document.querySelector("#test-fate").dataset.state === "waiting"`, 10*time.Second)
	b.click("#sub-start")
	b.waitFor("the verdict: kept", `document.querySelector("#test-fate").dataset.state === "kept"`, 20*time.Second)
	b.waitFor("message 6 processed", `document.querySelector('#sub-history tr[data-key="alerts/temperature_high:6"]') !== null`, 20*time.Second)
	b.click("#lang-en")
	b.waitFor("English", `document.documentElement.lang === "en"`, 5*time.Second)
	b.screenshot("labsfix-subscriber-en", 1280)
	b.checkTablesReadable("Exercise 2", 390)
	b.checkTablesReadable("Exercise 2", 1280)
	b.screenshot("labsfix-subscriber-en", 390)
	b.click("#sub-stop")
	srv.Stop(t)
}
