package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"qosplayground/internal/testenv"
)

// Issue 13's home-page items: checkpoints earned only by their acts,
// "start over" that asks first, the language switch in the address, and
// the home page's errors next to their controls.

const (
	checkpointDone = `document.querySelector('#checkpoints li[data-checkpoint="%s"]').dataset.done === "true"`
	noProgress     = `document.querySelector("#reset-progress").disabled && document.querySelector("#checkpoints").dataset.done === "0"`
)

func checkpointIs(id string) string { return strings.Replace(checkpointDone, "%s", id, 1) }

// shotAt saves what a person sees in a window width pixels wide scrolled
// to sel, and puts the window back to 1280 pixels.
func (b *browser) shotAt(sel, name string, width int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, 800), chromedp.ScrollIntoView(sel))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	b.savePNG(name, width, png)
	b.do(chromedp.EmulateViewport(1280, 900))
}

// TestBrowserCheckpointsByAct: pages opened with autorun=1 tick nothing and
// record no fact; publishing at each QoS without looking at a packet, and
// running Task 1 with its untouched defaults, tick nothing either; opening
// a packet of each QoS, and changing a Task 1 choice before running and
// revealing, tick their checkpoints. Then "start over" asks first.
func TestBrowserCheckpointsByAct(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto")

	// Autorun: the playground connects, subscribes and publishes at QoS 2.
	b.open(srv.URL, "/?lang=en&autorun=1&sub=auto/%23&subqos=2&topic=auto/x&qos=2&clean=false")
	b.waitFor("the autorun's message", `document.querySelector('#messages li[data-topic="auto/x"][data-qos="2"]') !== null`, 30*time.Second)
	time.Sleep(300 * time.Millisecond) // a fact recorded on the publish's confirmation would be drawn by now
	if !eval[bool](b, noProgress) {
		t.Errorf("the playground's autorun recorded progress: %s checkpoints done", b.attr("#checkpoints", "data-done"))
	}
	// Exercise 3 by autorun: publishes at every QoS, a persistent session,
	// the reliable subscriber.
	b.open(srv.URL, "/lab/integration?lang=en&autorun=1")
	b.waitFor("the autorun of Exercise 3", `document.querySelector("#int-status").dataset.done === "true"`, 120*time.Second)
	time.Sleep(300 * time.Millisecond)
	b.open(srv.URL, "/?lang=en") // the checklist is on the playground and Task 1
	if !eval[bool](b, noProgress) {
		t.Errorf("Exercise 3's autorun recorded progress: %s checkpoints done", b.attr("#checkpoints", "data-done"))
	}
	// The fault lab's QoS 1 lesson by autorun: its subscriber catches a
	// duplicate.
	b.open(srv.URL, "/lab/faults?lang=en&lesson=1&autorun=1")
	b.waitFor("the autorun of the QoS 1 lesson", `document.querySelector("#lesson-result") !== null`, 60*time.Second)
	if got := b.attr("#lesson-result", "data-processed"); got != "1" {
		t.Errorf("the lesson processed %s messages, want 1 (a duplicate caught)", got)
	}
	time.Sleep(300 * time.Millisecond)
	b.open(srv.URL, "/?lang=en")
	if !eval[bool](b, noProgress) {
		t.Errorf("the fault lab's autorun recorded progress: %s checkpoints done", b.attr("#checkpoints", "data-done"))
	}
	// Task 1 by autorun, with choices from the link.
	b.open(srv.URL, "/lab/task1?lang=en&autorun=1&flaky=false&temperature=2&cooling=2")
	b.waitFor("the autorun of Task 1", `document.querySelector("#task1-status").dataset.done === "true"`, 120*time.Second)
	b.click("#reveal-task1")
	b.waitFor("the reveal", `document.querySelector("#task1-reveal") !== null`, 10*time.Second)
	if !eval[bool](b, noProgress) {
		t.Errorf("Task 1's autorun and a reveal recorded progress: %s checkpoints done", b.attr("#checkpoints", "data-done"))
	}

	// Task 1 with the untouched defaults, run and revealed by hand: not
	// the learner's choice.
	b.open(srv.URL, "/lab/task1?lang=en&flaky=false")
	b.click("#run-task1")
	b.waitFor("the run of the defaults", `document.querySelector("#task1-status").dataset.done === "true"`, 120*time.Second)
	b.click("#reveal-task1")
	b.waitFor("the reveal", `document.querySelector("#task1-reveal") !== null`, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	if eval[bool](b, checkpointIs("qos-choice")) {
		t.Error("QoS choice ticked by running and revealing the untouched defaults")
	}
	// The learner changes a choice, runs, reveals: ticked.
	b.set("#qos-cooling", "2")
	b.click("#run-task1")
	b.waitFor("the learner's run", `document.querySelector("#task1-status").dataset.done === "true" && document.querySelector('#task1-results tr[data-stream="cooling"]').dataset.qos === "2"`, 120*time.Second)
	if eval[bool](b, checkpointIs("qos-choice")) {
		t.Error("QoS choice ticked before the reveal")
	}
	b.click("#reveal-task1")
	b.waitFor("QoS choice ticked by change, run, reveal", checkpointIs("qos-choice"), 10*time.Second)

	// The playground by hand: a publish at each QoS, packets not opened.
	b.open(srv.URL, "/?lang=en")
	b.connect("connected", 20*time.Second)
	b.set("#sub-filter", "act/#")
	b.set("#sub-qos", "2")
	b.click("#subscribe")
	b.waitFor("SUBACK", `document.querySelector('#subscriptions li[data-filter="act/#"]') !== null`, 10*time.Second)
	b.set("#pub-topic", "act/x")
	for _, q := range []string{"0", "1", "2"} {
		b.set("#pub-qos", q)
		b.click("#publish")
		b.waitFor("the QoS "+q+" message", `document.querySelector('#messages li[data-topic="act/x"][data-qos="`+q+`"]') !== null`, 10*time.Second)
	}
	b.waitFor("the QoS 2 exchange in the packet list", `document.querySelector('#packets tr[data-type="PUBCOMP"][data-dir="received"]') !== null`, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	if eval[bool](b, checkpointIs("qos-levels")) {
		t.Fatal("QoS characteristics ticked by publishing alone, without opening a packet")
	}
	// Open a QoS 0 PUBLISH from the packet list, a PUBACK from the
	// diagram, a PUBREC from the packet list.
	open := func(sel, what string) {
		t.Helper()
		seq := b.attr(sel, "data-seq")
		b.click(sel)
		b.waitFor("the details of "+what, `document.querySelector("#seq-details").dataset.seq === `+cssString(seq), 5*time.Second)
	}
	open(`#packets tr[data-type="PUBLISH"][data-qos="0"][data-dir="sent"] button.pkt-open`, "a QoS 0 PUBLISH")
	open(`#seq g[data-type="PUBACK"][data-dir="received"]`, "a PUBACK")
	if eval[bool](b, checkpointIs("qos-levels")) {
		t.Error("QoS characteristics ticked before a QoS 2 packet was opened")
	}
	open(`#packets tr[data-type="PUBREC"] button.pkt-open`, "a PUBREC")
	b.waitFor("QoS characteristics ticked by opening the packets", checkpointIs("qos-levels"), 5*time.Second)
	// Another arrow after a redraw: the details follow the arrow clicked
	// (go-app keeps the first handler of a reused element).
	open(`#seq g[data-type="SUBACK"]`, "the SUBACK")
	b.screenshot("home-packet-opened", 1280)

	srv.Stop(t)
}

// TestBrowserStartOverAsks: "start over" clears nothing until the learner
// answers the page's own question (in their language); cancel and Escape
// keep the progress, the answer clears it.
func TestBrowserStartOverAsks(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")
	hasProgress := `!document.querySelector("#reset-progress").disabled`

	// Some progress: a fact from a publish the learner made.
	b.open(srv.URL, "/?lang=en")
	b.connect("connected", 20*time.Second)
	b.click("#publish")
	b.waitFor("a fact recorded", hasProgress, 10*time.Second)

	b.click("#reset-progress")
	b.waitFor("the question", `!document.querySelector("#reset-confirm").hidden && document.activeElement.id === "reset-cancel"`, 5*time.Second)
	if q := eval[string](b, `document.querySelector("#reset-ask").innerText`); !strings.Contains(q, "Clear every checkpoint?") {
		t.Errorf("the question reads %q", q)
	}
	b.shotAt("#reset-confirm", "home-reset-confirm-en", 1280)
	b.shotAt("#reset-confirm", "home-reset-confirm-en", 390)
	b.click("#reset-cancel")
	b.waitFor("the question to go, the progress kept", `document.querySelector("#reset-confirm").hidden && `+hasProgress, 5*time.Second)
	// Escape cancels too.
	b.click("#reset-progress")
	b.waitFor("the question", `!document.querySelector("#reset-confirm").hidden`, 5*time.Second)
	b.do(chromedp.KeyEvent(kb.Escape))
	b.waitFor("Escape to cancel, the progress kept", `document.querySelector("#reset-confirm").hidden && `+hasProgress, 5*time.Second)
	// In Japanese.
	b.click("#lang-ja")
	b.click("#reset-progress")
	b.waitFor("the question in Japanese", `!document.querySelector("#reset-confirm").hidden && document.querySelector("#reset-ask").innerText.includes("消去しますか")`, 5*time.Second)
	if left := englishLeft(b); len(left) > 0 {
		t.Errorf("English left on the Japanese page:\n  %s", strings.Join(left, "\n  "))
	}
	axeAudit(t, b, "/ asking before start over")
	b.shotAt("#reset-confirm", "home-reset-confirm-ja", 390)
	b.shotAt("#reset-confirm", "home-reset-confirm-ja", 1280)
	b.click("#reset-yes")
	b.waitFor("the progress cleared", noProgress+` && document.querySelector("#reset-confirm").hidden`, 5*time.Second)
	srv.Stop(t)
}

// TestBrowserLangSwitchAddress: a page opened with ?lang=en and switched to
// Japanese has ?lang=ja in its address, its other parameters kept, so a
// reload (or the link shared) stays in Japanese.
func TestBrowserLangSwitchAddress(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")

	for _, page := range []struct{ path, keep string }{
		{"/lab/task1?lang=en&scenario=smarthome&light=0", "scenario=smarthome"},
		{"/?lang=en&topic=keep/me", "topic=keep%2Fme"},
	} {
		b.open(srv.URL, page.path)
		b.click("#lang-ja")
		b.waitFor("Japanese", `document.documentElement.lang === "ja"`, 5*time.Second)
		loc := eval[string](b, `location.search`)
		if !strings.Contains(loc, "lang=ja") || strings.Contains(loc, "lang=en") || !strings.Contains(loc, page.keep) {
			t.Errorf("%s: after the switch the address says %q, want lang=ja and %s", page.path, loc, page.keep)
		}
		b.do(chromedp.Reload())
		path, _, _ := strings.Cut(page.path, "?")
		b.waitFor("the app after a reload of "+path, `(() => { const a = document.querySelector('.nav a[aria-current="page"]'); return a !== null && a.getAttribute("href") === `+cssString(path)+` && document.getElementById("app-wasm-loader") === null })()`, 60*time.Second)
		if got := eval[string](b, `document.documentElement.lang`); got != "ja" {
			t.Errorf("%s: the reload is in %q, want ja", page.path, got)
		}
		if !eval[bool](b, `document.querySelector("#lang-ja").getAttribute("aria-pressed") === "true"`) {
			t.Errorf("%s: 日本語 is not pressed after the reload", page.path)
		}
		// And back: English is written in the same way.
		b.click("#lang-en")
		b.waitFor("English", `document.documentElement.lang === "en" && location.search.includes("lang=en") && !location.search.includes("lang=ja")`, 5*time.Second)
		b.click("#lang-ja")
	}
	srv.Stop(t)
}

// TestBrowserHomeErrors: every bad value in the home page's forms gets the
// app's own message, in the learner's language, right under its control
// (never the browser's validation bubble), and the message goes as soon as
// the value is fixed.
func TestBrowserHomeErrors(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")

	type check struct {
		sel, bad, good, errSel string
		ja, en                 string // words of the message
	}
	checks := []check{
		{"#keepalive", "-5", "30", "#keepalive-error", "1〜65535", "1 to 65535"},
		{"#pub-window", "0", "20", "#pub-window-error", "1〜1000", "1 to 1000"},
		{"#pub-count", "0", "1", "#pub-count-error", "1〜100000", "1 to 100000"},
		{"#pub-topic", "a/#", "a/b", "#pub-topic-error", "ワイルドカード", "Wildcards"},
		{"#pub-topic", "", "a/b", "#pub-topic-error", "トピックを入力", "must not be empty"},
		{"#sub-filter", "a/#/b", "a/#", "#sub-filter-error", "最後の階層", "last level"},
		{"#pub-payload", strings.Repeat("x", 300_000), "hello", "#pub-payload-error", "バイト", "bytes"},
		{"#broker-url", "http://example.org/mqtt", "", "#broker-url-error", "ws://", "ws://"},
	}
	shown := func(sel string) string { return `!document.querySelector(` + cssString(sel) + `).hidden` }
	for _, lang := range []string{"ja", "en"} {
		b.open(srv.URL, "/?lang="+lang)
		for _, form := range []string{"#connect", "#subscribe", "#publish"} {
			if !eval[bool](b, `document.querySelector(`+cssString(form)+`).form.noValidate`) {
				t.Errorf("the form of %s relies on the browser's own validation", form)
			}
		}
		// Clean session's help says when "session present" comes back.
		help := eval[string](b, `document.querySelector("#clean-session").closest(".field").querySelector(".help").innerText`)
		if want := map[string]string{"en": "only if the broker still holds a session", "ja": "保持していた場合だけ"}[lang]; !strings.Contains(help, want) {
			t.Errorf("%s: the clean session help %q does not say %q", lang, help, want)
		}
		url := eval[string](b, `document.querySelector("#broker-url").value`)
		for _, c := range checks {
			good := c.good
			if c.sel == "#broker-url" {
				good = url
			}
			b.set(c.sel, c.bad)
			b.waitFor(c.errSel+" for "+c.sel+"="+c.bad[:min(len(c.bad), 20)], shown(c.errSel), 5*time.Second)
			want := c.en
			if lang == "ja" {
				want = c.ja
			}
			if got := eval[string](b, `document.querySelector(`+cssString(c.errSel)+`).innerText`); !strings.Contains(got, want) {
				t.Errorf("%s: %s says %q, want it to mention %q", lang, c.errSel, got, want)
			}
			if got := b.attr(c.sel, "aria-invalid"); got != "true" {
				t.Errorf("%s: %s aria-invalid=%q with a bad value", lang, c.sel, got)
			}
			// The error sits in the control's own field, right after it.
			if !eval[bool](b, `document.querySelector(`+cssString(c.sel)+`).closest(".field").contains(document.querySelector(`+cssString(c.errSel)+`))`) {
				t.Errorf("%s: %s is not next to %s", lang, c.errSel, c.sel)
			}
			b.set(c.sel, good)
			b.waitFor(c.errSel+" gone once "+c.sel+" is fixed", `document.querySelector(`+cssString(c.errSel)+`).hidden && document.querySelector(`+cssString(c.sel)+`).getAttribute("aria-invalid") === "false"`, 5*time.Second)
		}

		// The will and the credentials travel in CONNECT: too large, the
		// gateway would close the connection at once.
		b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("details.more").open = true`))
		b.set("#will-topic", "gone/+")
		b.waitFor("the will topic's error", shown("#will-topic-error"), 5*time.Second)
		b.set("#will-topic", "gone")
		b.set("#will-payload", strings.Repeat("w", 300_000))
		b.waitFor("the will payload's error", shown("#will-payload-error")+` && document.querySelector("#will-payload-error").innerText.includes("CONNECT")`, 5*time.Second)
		b.set("#will-payload", "bye")
		b.waitFor("the will payload's error gone", `document.querySelector("#will-payload-error").hidden && document.querySelector("#will-topic-error").hidden`, 5*time.Second)
		b.set("#will-topic", "")
		b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("details.more").open = false`))

		// Submitting with a bad value: the app's message, focus on the
		// control, nothing sent. (With the browser's validation the submit
		// never reached the app: a bubble in the browser's language.)
		b.set("#keepalive", "-5")
		b.waitFor("the keepalive error", shown("#keepalive-error"), 5*time.Second) // drawn: the button has moved down
		b.click("#connect")
		b.waitFor("the keepalive refused, focused", shown("#keepalive-error")+` && document.activeElement.id === "keepalive"`, 5*time.Second)
		if got := eval[string](b, `document.querySelector("#conn-state").dataset.state`); got != "disconnected" {
			t.Errorf("%s: connecting with keepalive -5: state %q", lang, got)
		}
		if b.count(`#packets tbody tr`) != 0 {
			t.Errorf("%s: packets sent with keepalive -5", lang)
		}
		b.set("#pub-window", "0")
		b.set("#pub-topic", "a/#")
		axeAudit(t, b, "/ with errors ("+lang+")")
		b.screenshot("home-errors-"+lang, 1280)
		b.screenshot("home-errors-"+lang, 390)
		b.do(chromedp.EmulateViewport(1280, 900))
		if lang == "ja" {
			if left := englishLeft(b); len(left) > 0 {
				t.Errorf("English left on the Japanese page with errors:\n  %s", strings.Join(left, "\n  "))
			}
		}
		// Fixed, the connection goes through and the errors are gone.
		b.set("#keepalive", "30")
		b.set("#pub-window", "20")
		b.set("#pub-topic", "a/b")
		b.connect("connected", 20*time.Second)
		if n := eval[int](b, `[...document.querySelectorAll(".error")].filter(e => !e.hidden).length`); n != 0 {
			t.Errorf("%s: %d errors still shown after every value was fixed", lang, n)
		}
		b.disconnect("disconnected", 10*time.Second)
	}
	srv.Stop(t)
}

// TestBrowserLogOrder: the persistent-session run's log reads in the order
// things happened: the reconnection before the messages it brought (they
// arrive before the subscription is back, so the run reports them first),
// every line's time no earlier than the line below it.
func TestBrowserLogOrder(t *testing.T) {
	for _, broker := range []string{"mosquitto", "embedded"} {
		t.Run(broker, func(t *testing.T) {
			if broker == "mosquitto" {
				testenv.NeedMosquitto(t)
			}
			b := newBrowser(t)
			srv := startServer(t, "-broker", broker)
			b.open(srv.URL, "/lab/publisher?lang=en")
			if help := eval[string](b, `document.querySelector("#persist-clean").closest(".field").querySelector(".help").innerText`); !strings.Contains(help, "because the broker held that session") {
				t.Errorf("the persistent-session run's clean session help %q does not say why session present comes back", help)
			}
			b.set("#gap", "0")
			b.click("#run-persistent")
			b.waitFor("the persistent-session run", `document.querySelector("#persist-result") !== null && document.querySelector("#pub-summary").dataset.running === "false"`, 60*time.Second)
			b.waitFor("the log's last line", `document.querySelector("#pub-log li").innerText.includes("done in")`, 5*time.Second)
			lines := eval[[]string](b, `[...document.querySelectorAll("#pub-log li")].map(li => li.innerText)`) // newest first
			reconnect, offline := -1, []int{}
			for i, line := range lines {
				switch {
				case strings.Contains(line, "reconnected"):
					reconnect = i
				case strings.Contains(line, "received") && strings.Contains(line, "while offline"):
					offline = append(offline, i)
				}
			}
			if reconnect < 0 || len(offline) != 2 {
				t.Fatalf("no reconnection or not 2 offline messages in the log:\n%s", strings.Join(lines, "\n"))
			}
			for _, i := range offline {
				if i > reconnect {
					t.Errorf("a message the reconnection brought is logged before it (newest first):\n%s", strings.Join(lines, "\n"))
					break
				}
			}
			// Times, newest first, never go up.
			for i := 1; i < len(lines); i++ {
				if lines[i][:12] > lines[i-1][:12] {
					t.Errorf("line %d (%q) is later than the line above it (%q)", i, lines[i], lines[i-1])
				}
			}
			b.screenshot("lab-publisher-log-"+broker, 1280)
			if broker == "embedded" {
				b.screenshot("lab-publisher-log-en", 390)
				b.click("#lang-ja")
				b.waitFor("Japanese", `document.documentElement.lang === "ja"`, 5*time.Second)
				if left := englishLeft(b); len(left) > 0 {
					t.Errorf("English left on the Japanese publisher page:\n  %s", strings.Join(left, "\n  "))
				}
				b.screenshot("lab-publisher-log-ja", 390)
				b.screenshot("lab-publisher-log-ja", 1280)
			}
			srv.Stop(t)
		})
	}
}
