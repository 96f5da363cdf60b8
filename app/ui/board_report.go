package ui

import (
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/board"
	"qosplayground/app/checkpoints"
	"qosplayground/app/classroom"
	"qosplayground/app/client"
	"qosplayground/app/tabbroker"
)

// EnvTeacher names the go-app environment variable in which the server
// says it has a teacher's board (-teacher-key-file): "1", or unset.
const EnvTeacher = "QOS_TEACHER"

// storageName is the sessionStorage key of the display name the learner
// chose for the teacher's board.
const storageName = "qos-classroom-name"

// boardReporting reports whether this tab, on broker b, tells the
// teacher's board its progress: on a server with a board, in a shared
// room, on the server's broker, and not on the board's own page.
func boardReporting(b tabbroker.Broker) bool {
	if !classroomMode() || app.Getenv(EnvTeacher) != "1" || !b.ReportsToBoard() {
		return false
	}
	if app.Window().URL().Path == teacherPath {
		return false
	}
	learnerState()
	return learner.room != ""
}

// lastExperiment is the summary of the learner's last experiment, which
// the report carries (set by the pages that run one: Task 1).
var lastExperiment struct {
	mu    sync.Mutex
	text  string
	task1 *board.Task1Choices // the last Task 1 run's choices, kept across other experiments
}

// setLastExperiment records the summary of an experiment just finished
// (and, for Task 1, its choices), and reports it.
func setLastExperiment(ctx app.Context, text string, task1 *board.Task1Choices) {
	lastExperiment.mu.Lock()
	lastExperiment.text = text
	if task1 != nil {
		lastExperiment.task1 = task1
	}
	lastExperiment.mu.Unlock()
	sendReport(ctx)
}

// sendReport publishes the tab's report if it changed: its name, the page
// it is on, its checkpoints and its last experiment.
func sendReport(ctx app.Context) {
	b := currentBroker(ctx)
	if !boardReporting(b) {
		return
	}
	var p checkpoints.Progress
	ctx.GetState(stateProgress, &p)
	lastExperiment.mu.Lock()
	last, task1 := lastExperiment.text, lastExperiment.task1
	lastExperiment.mu.Unlock()
	rep := board.NewReport(sessionGet(storageName), app.Window().URL().Path, p, last, time.Now())
	rep.Task1 = task1
	reporter.update(rep, b.URL)
}

// reporter is the tab's one connection to the board: it lives across
// pages (go-app makes new components at each navigation) and publishes
// the latest report, retained at QoS 1, whenever it changes. Reports made
// while one is on its way are folded into the next.
var reporter progressReporter

type progressReporter struct {
	mu      sync.Mutex
	latest  board.Report
	pending bool
	started bool
	wake    chan struct{}
}

func (r *progressReporter) update(rep board.Report, url string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started && rep.Same(r.latest) {
		return
	}
	r.latest, r.pending = rep, true
	if !r.started {
		r.started = true
		r.wake = make(chan struct{}, 1)
		go r.run(url, tabID()+"board")
	}
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// run connects once (reconnecting by itself), follows the teacher's
// offers and publishes each new report.
func (r *progressReporter) run(url, id string) {
	var cl *client.Client
	cl, err := client.New(client.Options{URL: url, ClientID: id, CleanSession: true, AutoReconnect: true, ReconnectMax: 30 * time.Second}, func(ev client.Event) {
		switch {
		case ev.Kind == client.EventMessage && ev.Message.Topic == classroom.OfferTopic:
			o, err := board.DecodeOffer(ev.Message.Payload, offerPages())
			setOffer(o, err == nil)
		case ev.Kind == client.EventState && ev.State == client.Connected && cl != nil:
			// An automatic reconnection (clean session): follow the
			// offers again; the retained one comes back with it.
			go cl.Subscribe(classroom.OfferTopic, 1)
		}
	})
	if err != nil {
		return
	}
	for backoff := time.Second; ; {
		if _, err := cl.Connect(); err == nil {
			break
		}
		time.Sleep(backoff)
		backoff = min(2*backoff, 30*time.Second)
	}
	go cl.Subscribe(classroom.OfferTopic, 1)
	for range r.wake {
		for {
			r.mu.Lock()
			rep, pending := r.latest, r.pending
			r.pending = false
			r.mu.Unlock()
			if !pending {
				break
			}
			if err := cl.Publish(classroom.ProgressTopic, rep.Encode(), 1, true); err != nil {
				r.mu.Lock()
				if !r.pending { // nothing newer: send this one again
					r.pending = true
				}
				r.mu.Unlock()
				time.Sleep(2 * time.Second)
			}
		}
	}
}

// offerPages are the pages an offer may lead to: the navigation's.
func offerPages() []string {
	out := make([]string, len(navItems))
	for i, it := range navItems {
		out[i] = it.Path
	}
	return out
}

// storageOfferDone is the sessionStorage key of the last offer the
// learner opened or dismissed: it is not shown again.
const storageOfferDone = "qos-classroom-offer-done"

// offers holds the room's current offer (retained, so a tab that joins
// late gets it) and the badge to tell of a new one.
var offers struct {
	mu       sync.Mutex
	current  board.Offer
	ok       bool
	listener func()
}

// setOffer records the room's offer (ok false: none, or one the tab
// refused) and tells the badge.
func setOffer(o board.Offer, ok bool) {
	offers.mu.Lock()
	offers.current, offers.ok = o, ok
	f := offers.listener
	offers.mu.Unlock()
	if f != nil {
		f()
	}
}

// currentOffer returns the offer to show: the room's, unless the learner
// already opened or dismissed it.
func currentOffer() (board.Offer, bool) {
	offers.mu.Lock()
	o, ok := offers.current, offers.ok
	offers.mu.Unlock()
	if !ok || sessionGet(storageOfferDone) == o.ID() {
		return board.Offer{}, false
	}
	return o, true
}
