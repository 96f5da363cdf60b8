package ui

import (
	"fmt"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// feed collects lines from any goroutine (paho's, the lab's) for the UI
// goroutine to pick up on its next refresh: a burst of events costs one
// render per refresh, not one per event.
type feed struct {
	mu    sync.Mutex // guards lines
	lines []logLine  // newest first
	max   int
}

func newFeed(max int) *feed { return &feed{max: max} }

func (f *feed) add(bad bool, format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lines = append([]logLine{{At: time.Now(), Text: fmt.Sprintf(format, args...), Bad: bad}}, f.lines...)
	if len(f.lines) > f.max {
		f.lines = f.lines[:f.max]
	}
}

func (f *feed) snapshot() []logLine {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]logLine(nil), f.lines...)
}

// refreshInterval is how often a running lab redraws.
const refreshInterval = 200 * time.Millisecond

// whileRunning calls refresh on the UI goroutine every refreshInterval until
// done is closed, and once more after.
func whileRunning(ctx app.Context, done <-chan struct{}, refresh func(app.Context)) {
	ctx.Async(func() {
		t := time.NewTicker(refreshInterval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				ctx.Dispatch(refresh)
			case <-done:
				ctx.Dispatch(refresh)
				return
			}
		}
	})
}

func renderLog(id string, lines []logLine) app.UI {
	return app.Ol().ID(id).Class("log").Attr("aria-live", "polite").Body(
		app.Range(lines).Slice(func(i int) app.UI {
			l := lines[i]
			return app.Li().Class(map[bool]string{true: "bad", false: "ok"}[l.Bad]).Body(
				app.Time().Text(l.At.Format("15:04:05.000")),
				app.Span().Text(" "+l.Text),
			)
		}),
	)
}
