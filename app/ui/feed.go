package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/eventlog"
	"qosplayground/app/i18n"
)

// logLine is one line of a log: a message and its arguments, put into
// words when drawn, so a language switch redraws old lines too.
type logLine struct {
	At   time.Time
	Msg  i18n.Msg
	Args []any
	Bad  bool
}

// feed collects lines from any goroutine (paho's, the lab's) for the UI
// goroutine to pick up on its next refresh: a burst of events costs one
// render per refresh, not one per event. Its lines are in the order things
// happened (package eventlog): a line reported late with the time it
// happened (addAt) goes where it belongs.
type feed struct {
	log *eventlog.Log[logLine]
}

func newFeed(max int) *feed { return &feed{log: eventlog.New[logLine](max)} }

// add logs something that happens now.
func (f *feed) add(bad bool, msg i18n.Msg, args ...any) {
	f.addAt(time.Now(), bad, msg, args...)
}

// addAt logs something that happened at at (zero: now).
func (f *feed) addAt(at time.Time, bad bool, msg i18n.Msg, args ...any) {
	if at.IsZero() {
		at = time.Now()
	}
	f.log.Add(at, logLine{At: at, Msg: msg, Args: args, Bad: bad})
}

// snapshot returns the lines, latest first.
func (f *feed) snapshot() []logLine {
	es := f.log.Newest()
	out := make([]logLine, len(es))
	for i, e := range es {
		out[i] = e.Event
	}
	return out
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

// inBackground runs f off the UI goroutine, and calls refresh on the UI
// goroutine every refreshInterval while f runs and once after, with done
// set and f's error.
func inBackground(ctx app.Context, f func() error, refresh func(ctx app.Context, done bool, err error)) {
	done := make(chan struct{})
	var err error // read once done is closed
	ctx.Async(func() {
		defer close(done)
		err = f()
	})
	whileRunning(ctx, done, func(ctx app.Context) {
		select {
		case <-done:
			refresh(ctx, true, err)
		default:
			refresh(ctx, false, nil)
		}
	})
}

// renderLog draws a log. It scrolls, so it takes the keyboard focus, and
// is named by label for screen readers.
func renderLog(l i18n.Lang, id string, label i18n.Msg, lines []logLine) app.UI {
	return app.Ol().ID(id).Class("log").Attr("aria-live", "polite").TabIndex(0).Aria("label", label.In(l)).Body(
		app.Range(lines).Slice(func(i int) app.UI {
			line := lines[i]
			class := "ok"
			if line.Bad {
				class = "bad"
			}
			return app.Li().Class(class).Body(
				app.Time().Text(line.At.Format("15:04:05.000")),
				app.Span().Body(trNodes(l, line.Msg, line.Args...)...),
			)
		}),
	)
}

// dataMark brackets the place of a data argument in a formatted line.
const dataMark = "\x00"

// trNodes is tr for a log line: the arguments that are data (topics,
// payload contents, client ids: plain strings) come out as <code>, apart
// from the words around them, so a reader, a screen reader or a test can
// tell what the playground says from what the learner's messages say.
func trNodes(l i18n.Lang, msg i18n.Msg, args ...any) []app.UI {
	var data []string
	marked := make([]any, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok && s != "" {
			marked[i] = dataMark + strconv.Itoa(len(data)) + dataMark
			data = append(data, s)
		} else {
			marked[i] = a
		}
	}
	parts := strings.Split(" "+tr(l, msg, marked...), dataMark)
	nodes := make([]app.UI, 0, len(parts))
	for i, part := range parts {
		if i%2 == 0 {
			if part != "" {
				nodes = append(nodes, app.Text(part))
			}
			continue
		}
		if n, err := strconv.Atoi(part); err == nil && n < len(data) {
			nodes = append(nodes, app.Code().Class("data").Text(data[n]))
		}
	}
	return nodes
}
