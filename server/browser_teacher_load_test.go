package main

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/app/board"
	"qosplayground/app/checkpoints"
	"qosplayground/app/classroom"
	"qosplayground/app/client"
	"qosplayground/internal/testenv"
)

// loadLearners is how many simulated learners the load test runs: the
// issue's largest class.
const loadLearners = 300

// rssKB reads a process's resident memory in KiB from /proc.
func rssKB(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// TestBrowserTeacherLoad: 300 simulated learners (real MQTT connections
// through the gateway, each with its own learner token) report their
// progress, then all change it at once; the board, in a real browser,
// shows every row and every change. It logs how long after the last
// learner's change (its PUBACK) the board showed them all, and the
// server's memory per connected learner.
func TestBrowserTeacherLoad(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto", "-classroom", "-teacher-key-file", writeKeyFile(t, testTeacherKey))
	pid := srv.cmd.Process.Pid

	b.do(chromedp.Navigate(srv.URL + "/teacher?room=load&lang=en"))
	b.waitFor("the sign-in form", `document.querySelector("#teacher-key") !== null`, 10*time.Second)
	b.set("#teacher-key", testTeacherKey)
	b.click("#teacher-signin")
	b.waitFor("the board, connected", `document.getElementById("app-wasm-loader") === null && document.querySelector("#board-status") !== null && document.querySelector("#board-status").dataset.state === "connected"`, 60*time.Second)
	time.Sleep(time.Second) // let the server settle before measuring
	before := rssKB(t, pid)

	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt"
	learners := make([]*client.Client, loadLearners)
	var wg sync.WaitGroup
	errs := make(chan error, loadLearners)
	sem := make(chan struct{}, 16)
	start := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	for i := range learners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			token := classroom.NewToken()
			u := wsURL + "?" + url.Values{classroom.LearnerParam: {token}, classroom.RoomParam: {"load"}}.Encode()
			cl, err := client.New(client.Options{URL: u, ClientID: classroom.IDPrefix(token) + "board", CleanSession: true, Timeout: 20 * time.Second}, func(client.Event) {})
			if err == nil {
				_, err = cl.Connect()
			}
			if err == nil {
				rep := board.NewReport(fmt.Sprintf("learner %03d", i), "/", checkpoints.Progress{}, "", start)
				err = cl.Publish(classroom.ProgressTopic, rep.Encode(), 1, true)
			}
			if err != nil {
				errs <- fmt.Errorf("learner %d: %w", i, err)
				return
			}
			learners[i] = cl
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, cl := range learners {
			cl.Disconnect()
		}
	})
	b.waitFor("every learner's row", fmt.Sprintf(`document.querySelectorAll("#board tbody tr").length === %d`, loadLearners), 30*time.Second)
	time.Sleep(time.Second)
	after := rssKB(t, pid)
	t.Logf("server memory: %d KiB before, %d KiB with %d learners connected: %.1f KiB per learner", before, after, loadLearners, float64(after-before)/loadLearners)

	// Everyone earns "retries" at once.
	var p checkpoints.Progress
	p.Record(start, checkpoints.RetryDone)
	var last time.Time
	var mu sync.Mutex
	errs = make(chan error, loadLearners)
	for i, cl := range learners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep := board.NewReport(fmt.Sprintf("learner %03d", i), "/lab/subscriber", p, "", start.Add(time.Minute))
			if err := cl.Publish(classroom.ProgressTopic, rep.Encode(), 1, true); err != nil {
				errs <- err
				return
			}
			mu.Lock()
			last = time.Now()
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	b.waitFor("every change on the board", fmt.Sprintf(`document.querySelector('#board tfoot td[data-count-for="retries"]').innerText === "%d / %d"`, loadLearners, loadLearners), 30*time.Second)
	lag := time.Since(last)
	t.Logf("the board showed all %d changes %v after the last learner's PUBACK (polled every 50 ms)", loadLearners, lag.Round(10*time.Millisecond))
	if n := eval[int](b, `[...document.querySelectorAll('#board tbody td[data-checkpoint="retries"]')].filter(td => td.dataset.done === "true").length`); n != loadLearners {
		t.Errorf("%d rows show retries, want %d", n, loadLearners)
	}
	b.screenshot("teacher-board-load", 1280)
	srv.Stop(t)
}
