package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"qosplayground/server/testenv"
)

// browserLog collects the messages the browser itself writes to the
// console (Log.entryAdded: network errors, "WebSocket is already in
// CLOSING or CLOSED state", ...), which the page's console calls that
// newBrowser collects do not include.
type browserLog struct {
	mu      sync.Mutex
	entries []string
}

func (b *browser) collectLog() *browserLog {
	b.t.Helper()
	bl := &browserLog{}
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && e.Entry != nil {
			bl.mu.Lock()
			bl.entries = append(bl.entries, string(e.Entry.Level)+" ("+string(e.Entry.Source)+"): "+e.Entry.Text)
			bl.mu.Unlock()
		}
	}); err != nil {
		b.t.Fatalf("listen: %v", err)
	}
	return bl
}

// matching returns the entries that contain s.
func (bl *browserLog) matching(s string) []string {
	bl.mu.Lock()
	defer bl.mu.Unlock()
	var out []string
	for _, e := range bl.entries {
		if strings.Contains(e, s) {
			out = append(out, e)
		}
	}
	return out
}

// TestBrowserFaultsNoWriteAfterClose runs every fault of the fault lab that
// cuts a connection (the three lessons, a crash, a short random-cut run)
// and checks that nothing wrote to a WebSocket the server had closed: the
// browser logs each such write as "WebSocket is already in CLOSING or
// CLOSED state" (issue 13, item 8: about 29 per run).
func TestBrowserFaultsNoWriteAfterClose(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	bl := b.collectLog()
	srv := startServer(t)

	b.open(srv.URL, "/lab/faults?lang=en")
	for _, q := range []string{"1", "2", "0"} {
		b.click("#lesson-qos" + q)
		b.waitFor("the QoS "+q+" lesson", `(() => { const r = document.querySelector("#lesson-result"); return r !== null && r.dataset.qos === "`+q+`" })()`, 30*time.Second)
	}
	b.click("#leave-crash")
	b.waitFor("the crash's will", `(() => { const w = document.querySelector("#will-result"); return w !== null && w.dataset.leave === "crash" })()`, 30*time.Second)
	b.set("#blips-n", "200")
	b.set("#blips-min", "10")
	b.set("#blips-max", "30")
	b.click("#run-blips")
	b.waitFor("the random-cut run", `document.querySelector("#blips-status").dataset.done === "true"`, 3*time.Minute)
	time.Sleep(time.Second) // a late write would be logged after the run
	if bad := bl.matching("CLOSING or CLOSED"); len(bad) > 0 {
		t.Errorf("%d writes to a closed WebSocket, e.g.\n%s", len(bad), strings.Join(bad[:min(len(bad), 5)], "\n"))
	}
	srv.Stop(t)
}
