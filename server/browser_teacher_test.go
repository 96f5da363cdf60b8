package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/server/testenv"
)

// newTab opens another tab of the same browser: its own sessionStorage,
// so another learner (the board's cookie is shared, and harmless there).
func (b *browser) newTab() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	tab := &browser{ctx: ctx, t: b.t}
	if err := chromedp.Listen(ctx, tab.onEvent); err != nil {
		b.t.Fatalf("new tab: %v", err)
	}
	return tab
}

// TestBrowserTeacherBoard: a teacher signs in on /teacher and opens room
// blue-7's board; a learner's tab in that room gives a name, changes a
// Task 1 choice, runs and reveals; the board shows the learner's row with
// the name, the QoS choice checkpoint, its count and the run's summary,
// live.
func TestBrowserTeacherBoard(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto", "-classroom", "-teacher-key-file", writeKeyFile(t, testTeacherKey))

	// The sign-in page, then the board.
	b.do(chromedp.Navigate(srv.URL + "/teacher?room=Blue-7&lang=en"))
	b.waitFor("the sign-in form", `document.querySelector("#teacher-key") !== null`, 10*time.Second)
	b.screenshot("teacher-signin", 390)
	b.set("#teacher-key", testTeacherKey)
	b.click("#teacher-signin")
	b.waitFor("the board, connected", `document.getElementById("app-wasm-loader") === null && document.querySelector("#board-status") !== null && document.querySelector("#board-status").dataset.state === "connected"`, 60*time.Second)
	if !strings.Contains(eval[string](b, `location.href`), "room=blue-7") || strings.Contains(eval[string](b, `location.href`), "key") {
		t.Errorf("board URL %q: want the room and no key", eval[string](b, `location.href`))
	}
	if eval[bool](b, `document.cookie.includes("qos-teacher")`) {
		t.Error("the session cookie is readable by the page's scripts (not HttpOnly)")
	}
	if eval[bool](b, `document.documentElement.outerHTML.includes(`+cssString(testTeacherKey)+`)`) {
		t.Error("the board's page holds the key")
	}
	if n := b.count("#board tbody tr"); n != 0 {
		t.Fatalf("%d rows before any learner", n)
	}

	// A learner in the room.
	l := b.newTab()
	l.open(srv.URL, "/lab/task1?lang=en&room=blue-7&flaky=false")
	b.waitFor("the learner's row", `document.querySelectorAll("#board tbody tr").length === 1`, 10*time.Second)
	l.click("#classroom-room")
	l.set("#board-name", "Aiko")
	l.click("#board-name-save")
	b.waitFor("the learner's name", `document.querySelector("#board tbody tr th").innerText === "Aiko"`, 10*time.Second)
	if got := b.attr(`#board tbody tr td[data-checkpoint="qos-choice"]`, "data-done"); got != "false" {
		t.Fatalf("QoS choice is %q on the board before the learner earned it", got)
	}

	l.set("#qos-cooling", "2")
	l.click("#run-task1")
	l.waitFor("the learner's run", `document.querySelector("#task1-status").dataset.done === "true"`, 120*time.Second)
	l.click("#reveal-task1")
	l.waitFor("QoS choice earned in the learner's tab", checkpointIs("qos-choice"), 10*time.Second)
	earned := time.Now()
	b.waitFor("QoS choice on the board", `document.querySelector('#board tbody tr td[data-checkpoint="qos-choice"]').dataset.done === "true"`, 3*time.Second)
	t.Logf("the board showed the checkpoint %v after the learner's tab did", time.Since(earned).Round(10*time.Millisecond))
	if got := eval[string](b, `document.querySelector('#board tfoot td[data-count-for="qos-choice"]').innerText`); got != "1 / 1" {
		t.Errorf("count of QoS choice: %q, want 1 / 1", got)
	}
	if got := eval[string](b, `document.querySelector('#board tfoot td[data-count-for="retries"]').innerText`); got != "0 / 1" {
		t.Errorf("count of retries: %q, want 0 / 1", got)
	}
	row := eval[string](b, `document.querySelector("#board tbody tr").innerText`)
	if !strings.Contains(row, "task1 factory:") || !strings.Contains(row, "cooling 2") || !strings.Contains(row, "Task 1") {
		t.Errorf("the row %q lacks the page and the run's summary", row)
	}
	b.screenshot("teacher-board", 1280)
	b.screenshot("teacher-board", 390)
	b.click("#lang-ja")
	b.waitFor("the board in Japanese", `document.querySelector("#board thead").innerText.includes("学習者")`, 5*time.Second)
	b.screenshot("teacher-board-ja", 1280)
	b.screenshot("teacher-board-ja", 390)
	b.do(chromedp.EmulateViewport(390, 900))
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("at 390 px the board's page is %d px wide: %s", w, eval[string](b, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 391).slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id).join(" ")`))
	}
	srv.Stop(t)
}
