package ui

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/client"
	"qosplayground/app/lab"
)

// maxShownRecords bounds the results table during a burst.
const maxShownRecords = 100

// publisherPage is Exercise 1: the QoS publisher, its comparison run, its
// persistent-session run, and a windowed burst.
type publisherPage struct {
	app.Compo

	gapMS    string // between messages of a run
	window   string // messages in flight at most
	burstN   string
	burstQoS byte
	clean    bool // clean session for the persistent-session subscriber

	running string // the run in progress, "" when idle
	err     string
	records []lab.PublishRecord // the last run's, at most maxShownRecords
	counts  map[lab.Status]int
	total   int
	took    time.Duration
	persist *lab.PersistentResult
	log     *feed
	lines   []logLine
}

func newPublisherPage() *publisherPage {
	return &publisherPage{gapMS: "1000", window: strconv.Itoa(lab.DefaultWindow), burstN: "1000", burstQoS: 1, log: newFeed(60)}
}

// startRun connects a publisher and runs f with it off the UI goroutine,
// redrawing the results while it runs.
func (p *publisherPage) startRun(ctx app.Context, name string, f func(context.Context, *lab.Publisher) error) {
	if p.running != "" {
		return
	}
	window, err := parseCount("window", p.window, 1, 1000)
	if err != nil {
		p.err = err.Error()
		return
	}
	p.running, p.err, p.records, p.counts, p.total, p.persist = name, "", nil, nil, 0, nil
	url, id := brokerURL(), tabID()+"qos_publisher"
	p.log.add(false, "%s: connecting %s", name, id)
	done := make(chan struct{})
	var pub atomic.Pointer[lab.Publisher] // set by the run, read by the redraws
	var runErr error                      // read once done is closed
	start := time.Now()
	ctx.Async(func() {
		defer close(done)
		cl, err := client.New(client.Options{URL: url, ClientID: id, CleanSession: true}, func(client.Event) {})
		if err == nil {
			_, err = cl.Connect()
		}
		if err != nil {
			runErr = err
			return
		}
		defer cl.Disconnect()
		pub.Store(lab.NewPublisher(cl, lab.PublisherConfig{Window: window}))
		runErr = f(context.Background(), pub.Load())
	})
	whileRunning(ctx, done, func(ctx app.Context) {
		if pub := pub.Load(); pub != nil {
			recs := pub.Records()
			p.total = len(recs)
			p.counts = countStatuses(recs)
			if len(recs) > maxShownRecords {
				recs = recs[len(recs)-maxShownRecords:]
			}
			p.records = recs
		}
		p.took = time.Since(start)
		p.lines = p.log.snapshot()
		select {
		case <-done:
			if runErr != nil {
				p.err = userError(runErr)
				p.log.add(true, "%s: %v", name, runErr)
			} else {
				p.log.add(false, "%s: done in %s", name, p.took.Round(time.Millisecond))
			}
			p.lines = p.log.snapshot()
			p.running = ""
		default:
		}
	})
}

func countStatuses(recs []lab.PublishRecord) map[lab.Status]int {
	m := make(map[lab.Status]int)
	for _, r := range recs {
		m[r.Status]++
	}
	return m
}

func (p *publisherPage) onComparison(ctx app.Context, e app.Event) {
	gap, err := parseMillis("gap", p.gapMS)
	if err != nil {
		p.err = err.Error()
		return
	}
	p.startRun(ctx, "QoS comparison", func(c context.Context, pub *lab.Publisher) error {
		_, err := lab.RunComparison(c, pub, lab.ComparisonConfig{Gap: gap})
		return err
	})
}

func (p *publisherPage) onPersistent(ctx app.Context, e app.Event) {
	gap, err := parseMillis("gap", p.gapMS)
	if err != nil {
		p.err = err.Error()
		return
	}
	clean, url, log := p.clean, brokerURL(), p.log
	p.startRun(ctx, "Persistent session", func(c context.Context, pub *lab.Publisher) error {
		res, err := lab.RunPersistentSession(c, pub, lab.PersistentConfig{
			URL: url, ClientID: tabID() + "persistent_test_client", CleanSession: clean, Gap: gap,
			OnStep: func(s lab.PersistentStep) { log.add(false, "%s", persistentStepText(s)) },
		})
		ctx.Dispatch(func(app.Context) { p.persist = &res })
		return err
	})
}

func persistentStepText(s lab.PersistentStep) string {
	switch s.Step {
	case "connect":
		return fmt.Sprintf("persistent client connected, session present: %v; subscribed to important/messages (QoS 1)", s.SessionPresent)
	case "publish-online":
		return "📤 published while the subscriber is connected: " + s.Content
	case "disconnect":
		return "💤 persistent client disconnected"
	case "publish-offline":
		return "📤 published while the subscriber is offline: " + s.Content
	case "reconnect":
		return fmt.Sprintf("🔌 persistent client reconnected, session present: %v", s.SessionPresent)
	case "received":
		return "📢 received: " + s.Content
	}
	return s.Step
}

func (p *publisherPage) onBurst(ctx app.Context, e app.Event) {
	n, err := parseCount("messages", p.burstN, 1, 100_000)
	if err != nil {
		p.err = err.Error()
		return
	}
	qos := p.burstQoS
	p.startRun(ctx, fmt.Sprintf("Burst of %d at QoS %d", n, qos), func(c context.Context, pub *lab.Publisher) error {
		return pub.Burst(c, fmt.Sprintf("burst/qos%d", qos), qos, n)
	})
}

// Render draws the page.
func (p *publisherPage) Render() app.UI {
	busy := p.running != ""
	b := binder{c: p, disabled: busy}
	return app.Div().Class("page").Body(
		pageHeader("/lab/publisher", nil),
		app.Main().Class("grid").Body(
			app.Section().Class("card").Aria("labelledby", "h-pubrun").Body(
				app.H2().ID("h-pubrun").Text("QoS publisher (Exercise 1)"),
				app.P().Class("help").Text("Publishes the tutorial's JSON messages and records, per message, its packet id, status and latency. Confirmed means the acknowledgement arrived: PUBACK at QoS 1, PUBCOMP at QoS 2. QoS 0 has nothing to confirm."),
				b.numberField("Gap between messages (ms)", "gap", &p.gapMS, 0, 600000, "The tutorial waits 1 s between messages."),
				b.numberField("In-flight window", "window", &p.window, 1, 1000, "At most this many QoS 1/2 messages await their acknowledgement (Mosquitto allows 20)."),
				app.Div().Class("buttons").Body(
					app.Button().ID("run-comparison").Type("button").Class("primary").Disabled(busy).OnClick(p.onComparison).Text("Run the QoS comparison"),
				),
			),
			app.Section().Class("card").Aria("labelledby", "h-persist").Body(
				app.H2().ID("h-persist").Text("Persistent session"),
				app.P().Class("help").Text("A subscriber with a fixed client id subscribes to important/messages at QoS 1. Two messages while it is connected, two while it is away; then it reconnects."),
				app.Div().Class("field", "check").Body(
					app.Input().ID("persist-clean").Type("checkbox").Checked(p.clean).Disabled(busy).OnChange(checkedTo(&p.clean)),
					app.Label().For("persist-clean").Text("Clean session"),
					app.Small().Class("help").Text("Off: the broker keeps the session and queues the messages sent while the subscriber is away. On: they are lost."),
				),
				app.Div().Class("buttons").Body(
					app.Button().ID("run-persistent").Type("button").Class("primary").Disabled(busy).OnClick(p.onPersistent).Text("Run the persistent-session test"),
				),
				p.renderPersistent(),
			),
			app.Section().Class("card").Aria("labelledby", "h-burst").Body(
				app.H2().ID("h-burst").Text("Burst"),
				app.P().Class("help").Text("Many messages as fast as the in-flight window allows: nothing is lost at QoS 1 or 2."),
				b.numberField("Messages", "burst-n", &p.burstN, 1, 100000, ""),
				field("QoS", "burst-qos", qosSelect("burst-qos", p.burstQoS, qosTo(&p.burstQoS)), ""),
				app.Div().Class("buttons").Body(
					app.Button().ID("run-burst").Type("button").Class("primary").Disabled(busy).OnClick(p.onBurst).Text("Run the burst"),
				),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-results").Body(
				app.H2().ID("h-results").Text("Results"),
				errorLine("lab-error", p.err),
				app.P().ID("pub-summary").Attr("data-running", strconv.FormatBool(busy)).Body(
					app.Text(summaryText(p.running, p.total, p.counts, p.took)),
				),
				app.If(len(p.records) > 0, publishTable("publish-results", p.records)),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-publog").Body(
				app.H2().ID("h-publog").Text("Log"),
				renderLog("pub-log", p.lines),
			),
		),
	)
}

func summaryText(running string, total int, counts map[lab.Status]int, took time.Duration) string {
	if total == 0 {
		if running != "" {
			return running + "…"
		}
		return "No run yet."
	}
	s := fmt.Sprintf("%d messages: %d confirmed, %d sent (QoS 0), %d pending, %d failed — %s",
		total, counts[lab.StatusConfirmed], counts[lab.StatusSentQoS0], counts[lab.StatusPending], counts[lab.StatusFailed], took.Round(time.Millisecond))
	if total > maxShownRecords {
		s += fmt.Sprintf(" (the table shows the last %d)", maxShownRecords)
	}
	return s
}

func (p *publisherPage) renderPersistent() app.UI {
	if p.persist == nil {
		return app.Div()
	}
	return persistentFacts("persist-result", *p.persist)
}

// persistentFacts shows the outcome of a persistent-session run.
func persistentFacts(id string, r lab.PersistentResult) app.UI {
	verdict := fmt.Sprintf("Received %d of the %d messages sent while it was away.", r.OfflineReceived, r.OfflineSent)
	if r.OfflineReceived < r.OfflineSent {
		verdict += " The others are lost: with clean session on, the broker kept nothing for it."
	} else {
		verdict += " The broker kept them in the session and delivered them right after CONNACK."
	}
	redelivered := "none"
	if r.Redelivered > 0 {
		redelivered = fmt.Sprintf("%d, with DUP set: QoS 1 is \"at least once\", and this broker sent acknowledged messages again. An application must be ready for duplicates — the reliable subscriber's duplicate check is.", r.Redelivered)
	}
	return app.Dl().ID(id).Class("facts").
		Attr("data-offline-received", strconv.Itoa(r.OfflineReceived)).
		Attr("data-session-present", strconv.FormatBool(r.SessionPresentReconnect)).
		Attr("data-redelivered", strconv.Itoa(r.Redelivered)).Body(
		app.Dt().Text("Clean session"), app.Dd().Text(yesNo(r.CleanSession)),
		app.Dt().Text("Session present, first connection"), app.Dd().Text(yesNo(r.SessionPresentFirst)),
		app.Dt().Text("Session present, after reconnecting"), app.Dd().Text(yesNo(r.SessionPresentReconnect)),
		app.Dt().Text("Earlier messages sent again"), app.Dd().Text(redelivered),
		app.Dt().Text("Verdict"), app.Dd().Text(verdict),
	)
}
