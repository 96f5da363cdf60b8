package ui

import (
	"context"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/checkpoints"
	"qosplayground/app/client"
	"qosplayground/app/exercises"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
)

// maxShownRecords bounds the results table during a burst.
const maxShownRecords = 100

// publisherPage is Exercise 1: the QoS publisher, its comparison run, its
// persistent-session run, and a windowed burst.
type publisherPage struct {
	app.Compo
	lang  i18n.Lang
	embed embedView

	gapMS    string // between messages of a run
	window   string // messages in flight at most
	burstN   string
	burstQoS byte
	clean    bool // clean session for the persistent-session subscriber

	running bool
	runName phrase // the run in progress or last run
	err     error
	records []exercises.PublishRecord // the last run's, at most maxShownRecords
	all     []exercises.PublishRecord // the last run's, every one (for the latency chart)
	took    time.Duration
	persist *exercises.PersistentResult
	log     *feed
	lines   []logLine
}

func newPublisherPage() *publisherPage {
	return &publisherPage{lang: firstLang(), embed: tabEmbed(), gapMS: "1000", window: strconv.Itoa(exercises.DefaultWindow), burstN: "1000", burstQoS: 1, log: newFeed(60)}
}

// OnMount follows the tab's language.
func (p *publisherPage) OnMount(ctx app.Context) { observeLang(ctx, &p.lang) }

// OnPreRender draws the server's pre-render in the request's language.
func (p *publisherPage) OnPreRender(ctx app.Context) {
	p.lang, p.embed = preRenderLang(ctx), preRenderEmbed(ctx)
}

// startRun connects a publisher and runs f with it off the UI goroutine,
// redrawing the results while it runs.
func (p *publisherPage) startRun(ctx app.Context, name phrase, f func(context.Context, *exercises.Publisher) error) {
	if p.running {
		return
	}
	window, err := formcheck.Number(formcheck.ExWindow, p.window, 1, 1000)
	if err != nil {
		p.err = err
		return
	}
	p.running, p.runName, p.err, p.records, p.all, p.persist = true, name, nil, nil, nil, nil
	url, id, log := brokerURL(ctx), tabID()+"qos_publisher", p.log
	log.add(false, i18n.LogRunConnecting, name, id)
	done := make(chan struct{})
	var pub atomic.Pointer[exercises.Publisher] // set by the run, read by the redraws
	var runErr error                            // read once done is closed
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
		pub.Store(exercises.NewPublisher(cl, exercises.PublisherConfig{Window: window}))
		runErr = f(context.Background(), pub.Load())
	})
	whileRunning(ctx, done, func(ctx app.Context) {
		if pub := pub.Load(); pub != nil {
			recs := pub.Records()
			p.all = recs
			if len(recs) > maxShownRecords {
				recs = recs[len(recs)-maxShownRecords:]
			}
			p.records = recs
		}
		p.took = time.Since(start)
		select {
		case <-done:
			if runErr != nil {
				p.err = runErr
				log.add(true, i18n.LogRunFailed, name, runErr)
			} else {
				log.add(false, i18n.LogRunDone, name, p.took.Round(time.Millisecond).String())
			}
			p.running = false
			recordFacts(ctx, checkpoints.PublishFacts(p.all)...)
			if p.persist != nil {
				recordFacts(ctx, checkpoints.PersistentFacts(*p.persist)...)
			}
		default:
		}
		p.lines = log.snapshot()
	})
}

func (p *publisherPage) onComparison(ctx app.Context, e app.Event) {
	gap, err := formcheck.Millis(formcheck.ExGap, p.gapMS)
	if err != nil {
		p.err = err
		return
	}
	p.startRun(ctx, phraseOf(i18n.RunComparisonName), func(c context.Context, pub *exercises.Publisher) error {
		_, err := exercises.RunComparison(c, pub, exercises.ComparisonConfig{Gap: gap})
		return err
	})
}

func (p *publisherPage) onPersistent(ctx app.Context, e app.Event) {
	gap, err := formcheck.Millis(formcheck.ExGap, p.gapMS)
	if err != nil {
		p.err = err
		return
	}
	clean, url, log := p.clean, brokerURL(ctx), p.log
	p.startRun(ctx, phraseOf(i18n.RunPersistentName), func(c context.Context, pub *exercises.Publisher) error {
		res, err := exercises.RunPersistentSession(c, pub, exercises.PersistentConfig{
			URL: url, ClientID: tabID() + "persistent_test_client", CleanSession: clean, Gap: gap,
			OnStep: func(s exercises.PersistentStep) { logPersistentStep(log, s) },
		})
		ctx.Dispatch(func(app.Context) { p.persist = &res })
		return err
	})
}

// logPersistentStep logs a step of the persistent-session run at the time
// it happened: the run reports a reconnection only once its subscription is
// back, after the messages it brought.
func logPersistentStep(log *feed, s exercises.PersistentStep) {
	if text, ok := s.Text(); ok {
		log.addAt(s.At, false, text.Msg, text.Args...)
	}
}

func (p *publisherPage) onBurst(ctx app.Context, e app.Event) {
	n, err := formcheck.Number(formcheck.ExMessages, p.burstN, 1, 100_000)
	if err != nil {
		p.err = err
		return
	}
	qos := p.burstQoS
	p.startRun(ctx, phraseOf(i18n.RunBurstName, int(qos), n), func(c context.Context, pub *exercises.Publisher) error {
		return pub.Burst(c, "burst/qos"+strconv.Itoa(int(qos)), qos, n)
	})
}

// Render draws the page.
func (p *publisherPage) Render() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.running}
	return app.Div().Class("page").Body(
		pageHeader(l, p.embed, "/lab/publisher", nil),
		app.Main().Class("grid").Body(
			app.Section().Class("card").Aria("labelledby", "h-pubrun").Body(
				app.H2().ID("h-pubrun").Text(i18n.PubLabHeading.In(l)),
				app.P().Class("help").Text(i18n.PubLabHelp.In(l)),
				b.numberField(i18n.GapLabel, "gap", &p.gapMS, 0, 600000, i18n.GapHelp),
				b.numberField(i18n.WindowLabel, "window", &p.window, 1, 1000, i18n.WindowHelp),
				app.Div().Class("buttons").Body(
					app.Button().ID("run-comparison").Type("button").Class("primary").Disabled(p.running).OnClick(p.onComparison).Text(i18n.RunComparison.In(l)),
				),
			),
			app.Section().Class("card").Aria("labelledby", "h-persist").Body(
				app.H2().ID("h-persist").Text(i18n.PersistHeading.In(l)),
				app.P().Class("help").Text(i18n.PersistHelp.In(l)),
				b.checkField("persist-clean", &p.clean, i18n.CleanSessionLabel, i18n.PersistCleanHelp),
				app.Div().Class("buttons").Body(
					app.Button().ID("run-persistent").Type("button").Class("primary").Disabled(p.running).OnClick(p.onPersistent).Text(i18n.RunPersistent.In(l)),
				),
				p.renderPersistent(),
			),
			app.Section().Class("card").Aria("labelledby", "h-burst").Body(
				app.H2().ID("h-burst").Text(i18n.BurstHeading.In(l)),
				app.P().Class("help").Text(i18n.BurstHelp.In(l)),
				b.numberField(i18n.MessagesLabel, "burst-n", &p.burstN, 1, 100000, i18n.Msg{}),
				field(l, i18n.QoSLabel.In(l), "burst-qos", qosSelect(l, "burst-qos", p.burstQoS, qosTo(&p.burstQoS)), i18n.Msg{}),
				app.Div().Class("buttons").Body(
					app.Button().ID("run-burst").Type("button").Class("primary").Disabled(p.running).OnClick(p.onBurst).Text(i18n.RunBurst.In(l)),
				),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-results").Body(
				app.H2().ID("h-results").Text(i18n.ResultsHeading.In(l)),
				errorLine(l, "lab-error", p.err),
				app.P().ID("pub-summary").Attr("data-running", strconv.FormatBool(p.running)).Text(p.summary()),
				app.If(len(p.all) > 0, latencyChart(l, p.all)),
				app.If(len(p.records) > 0, publishTable(l, "publish-results", p.records)),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-publog").Body(
				app.H2().ID("h-publog").Text(i18n.LogHeading.In(l)),
				renderLog(l, "pub-log", i18n.LogHeading, p.lines),
			),
		),
	)
}

func (p *publisherPage) summary() string {
	return say(p.lang, exercises.PublisherSummary(p.runName, p.running, p.all, p.took, maxShownRecords)...)
}

func (p *publisherPage) renderPersistent() app.UI {
	if p.persist == nil {
		return app.Div()
	}
	return persistentFacts(p.lang, "persist-result", *p.persist)
}

// persistentFacts shows the outcome of a persistent-session run.
func persistentFacts(l i18n.Lang, id string, r exercises.PersistentResult) app.UI {
	verdict, redelivered := say(l, r.Verdict()...), say(l, r.RedeliveredText())
	return app.Dl().ID(id).Class("facts").
		Attr("data-offline-received", strconv.Itoa(r.OfflineReceived)).
		Attr("data-session-present", strconv.FormatBool(r.SessionPresentReconnect)).
		Attr("data-redelivered", strconv.Itoa(r.Redelivered)).Body(
		app.Dt().Text(i18n.FactClean.In(l)), app.Dd().Text(yesNo(l, r.CleanSession)),
		app.Dt().Text(i18n.FactSPFirst.In(l)), app.Dd().Text(yesNo(l, r.SessionPresentFirst)),
		app.Dt().Text(i18n.FactSPReconnect.In(l)), app.Dd().Text(yesNo(l, r.SessionPresentReconnect)),
		app.Dt().Text(i18n.FactRedelivered.In(l)), app.Dd().Text(redelivered),
		app.Dt().Text(i18n.FactVerdict.In(l)), app.Dd().Text(verdict),
	)
}
