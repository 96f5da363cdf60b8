package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"qosplayground/app/i18n"
	"qosplayground/internal/testenv"
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
	axeAudit(t, b, "the teacher's sign-in page")
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
	// The run's summary in the teacher's language, not the tab's ids.
	if !strings.Contains(row, "Task 1, ") || !strings.Contains(row, i18n.StreamCooling.EN+" QoS 2 (fits)") || strings.Contains(row, "task1 factory") {
		t.Errorf("the row %q lacks the page and the run's summary in words", row)
	}
	// The class's Task 1 chart: the learner's QoS 2 for the cooling
	// command, which is the recommended one; QoS 1 for the alert.
	b.waitFor("the Task 1 chart", `document.querySelector('#task1-chart tr[data-stream="cooling"] td[data-qos="2"]') !== null`, 5*time.Second)
	for _, c := range []struct{ stream, qos, count, rec string }{
		{"cooling", "2", "1", "true"}, {"cooling", "0", "0", "false"}, {"anomaly", "1", "1", "true"}, {"temperature", "0", "0", "true"},
	} {
		sel := `#task1-chart tr[data-stream="` + c.stream + `"] td[data-qos="` + c.qos + `"]`
		if got := b.attr(sel, "data-count") + " " + b.attr(sel, "data-recommended"); got != c.count+" "+c.rec {
			t.Errorf("chart %s QoS %s: %q, want count %s, recommended %s", c.stream, c.qos, got, c.count, c.rec)
		}
	}
	axeAudit(t, b, "the teacher's board")
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
	b.do(chromedp.EmulateViewport(1280, 900))
	b.click("#lang-en")

	// The CSV has the board's rows and marks.
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatalf("downloads: %v", err)
	}
	b.click("#board-csv")
	csvText := waitFile(t, dir, ".csv", 10*time.Second)
	lines, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV: %v\n%s", err, csvText)
	}
	shown := eval[[]string](b, `[...document.querySelectorAll("#board tbody tr")].map(tr => tr.dataset.tab + " " + [...tr.querySelectorAll("td[data-checkpoint]")].map(td => td.dataset.done === "true" ? "1" : "0").join(""))`)
	var fromCSV []string
	for _, line := range lines[1:] {
		fromCSV = append(fromCSV, line[0]+" "+strings.Join(line[3:8], ""))
	}
	if strings.Join(shown, "\n") != strings.Join(fromCSV, "\n") || lines[1][1] != "Aiko" {
		t.Errorf("the CSV's rows %q, the board's %q", fromCSV, shown)
	}

	// Clearing the room asks first, then removes every row.
	b.click("#board-clear")
	b.waitFor("the question", `!document.querySelector("#clear-confirm").hidden`, 5*time.Second)
	b.click("#clear-cancel")
	b.waitFor("no question", `document.querySelector("#clear-confirm").hidden`, 5*time.Second)
	if n := b.count("#board tbody tr"); n != 1 {
		t.Fatalf("%d rows after cancelling the clearing, want 1", n)
	}
	b.click("#board-clear")
	b.click("#clear-yes")
	b.waitFor("the room cleared", `document.querySelectorAll("#board tbody tr").length === 0`, 5*time.Second)

	// An offer: a bad link is refused on the page; a good one reaches the
	// learner's tab as a banner, which does not move the tab.
	b.set("#offer-link", "https://example.org/phish")
	b.click("#offer-send")
	b.waitFor("the link's error", `!document.querySelector("#offer-link-error").hidden`, 5*time.Second)
	b.set("#offer-link", srv.URL+"/lab/task1?scenario=smarthome&flaky=false&autorun=1")
	b.click("#offer-send")
	b.waitFor("the offer out", `document.querySelector("#offer-current").dataset.link === "/lab/task1?flaky=false&scenario=smarthome"`, 5*time.Second)
	l.waitFor("the offer's banner", `document.querySelector("#offer-banner") !== null && document.querySelector("#offer-banner").dataset.link === "/lab/task1?flaky=false&scenario=smarthome"`, 5*time.Second)
	l.shotAt("#offer-banner", "teacher-offer-learner", 390)
	l.shotAt("#offer-banner", "teacher-offer-learner", 1280)
	time.Sleep(500 * time.Millisecond)
	if got := eval[string](l, `location.search`); strings.Contains(got, "smarthome") || eval[string](l, `document.querySelector("#task1-scenario").value`) != "factory" {
		t.Errorf("the learner's tab moved by itself to %q", got)
	}
	l.click("#offer-open")
	l.waitFor("the offered page with its settings", `location.search.includes("scenario=smarthome") && document.getElementById("app-wasm-loader") === null && document.querySelector("#task1-scenario") !== null && document.querySelector("#task1-scenario").value === "smarthome"`, 60*time.Second)
	time.Sleep(300 * time.Millisecond)
	if eval[bool](l, `document.querySelector("#offer-banner") !== null`) {
		t.Error("the banner is back after the learner opened the offer")
	}
	if got := eval[string](l, `document.querySelector("#task1-status") ? document.querySelector("#task1-status").dataset.done || "" : ""`); got == "true" {
		t.Error("the offered page ran by itself (autorun was dropped from the offer)")
	}
	// The learner reappears on the board with its next report.
	b.waitFor("the learner back on the board", `document.querySelectorAll("#board tbody tr").length === 1`, 10*time.Second)
	srv.Stop(t)
	if log := srv.Log(); strings.Contains(log, testTeacherKey) || !strings.Contains(log, "teacher: signed in") {
		t.Errorf("the server's log holds the key, or does not say a teacher signed in:\n%s", log)
	}
}

// waitFile waits for a finished file with ext in dir and returns its
// content.
func waitFile(t *testing.T, dir, ext string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ext) {
				b, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err == nil && len(b) > 0 {
					return string(b)
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s file in %s after %v", ext, dir, timeout)
	return ""
}
