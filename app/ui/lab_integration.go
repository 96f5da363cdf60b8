package ui

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/checkpoints"
	"qosplayground/app/exercises"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
)

// integrationPage is Exercise 3: the reliable subscriber and the publisher's
// two runs together, from one click, with both sides' results on one page.
type integrationPage struct {
	app.Compo
	lang  i18n.Lang
	embed embedView

	gapMS     string
	clean     bool
	failAlert bool
	fast      bool

	running bool
	err     error
	result  *exercises.IntegrationResult
	ledger  []exercises.LedgerRow
	stats   exercises.Stats
	log     *feed
	lines   []logLine
}

func newIntegrationPage() *integrationPage {
	return &integrationPage{lang: firstLang(), embed: tabEmbed(), gapMS: "1000", log: newFeed(150)}
}

// OnMount follows the tab's language; with autorun=1 in the link it runs
// the exercise at once.
func (p *integrationPage) OnMount(ctx app.Context) {
	observeLang(ctx, &p.lang)
	if autorun() {
		p.run(ctx, checkpoints.ByLink)
	}
}

func (p *integrationPage) onRun(ctx app.Context, e app.Event) { p.run(ctx, checkpoints.ByLearner) }

// run runs Exercise 3; by says who started it: a link's autorun earns no
// checkpoint.
func (p *integrationPage) run(ctx app.Context, by checkpoints.Starter) {
	if p.running {
		return
	}
	gap, err := formcheck.Millis(formcheck.ExGap, p.gapMS)
	if err != nil {
		p.err = err
		return
	}
	p.running, p.err, p.result, p.ledger, p.stats = true, nil, nil, nil, exercises.Stats{}
	log := p.log
	var mu sync.Mutex // guards stats
	var stats exercises.Stats
	var retried atomic.Bool
	ledger := exercises.NewLedger()
	subCfg := exercises.SubscriberConfig{
		SimulateAlertFailure: p.failAlert,
		OnEvent: func(ev exercises.SubscriberEvent) {
			logSubscriberEvent(log, ev)
			ledger.Event(ev)
			if ev.Kind == exercises.EventRetry {
				retried.Store(true)
			}
			mu.Lock()
			stats = ev.Stats
			mu.Unlock()
		},
	}
	if p.fast {
		subCfg = exercises.WithoutWaits(subCfg)
	}
	cfg := exercises.IntegrationConfig{
		URL: brokerURL(ctx), IDPrefix: tabID(),
		Subscriber: subCfg,
		Comparison: exercises.ComparisonConfig{Gap: gap},
		Persistent: exercises.PersistentConfig{CleanSession: p.clean, Gap: gap,
			OnStep: func(s exercises.PersistentStep) { logPersistentStep(log, s) }},
		OnStep: func(s string) {
			text := exercises.IntegrationStepText(s)
			log.add(false, text.Msg, text.Args...)
		},
	}
	done := make(chan struct{})
	var res exercises.IntegrationResult
	var runErr error
	ctx.Async(func() {
		defer close(done)
		res, runErr = exercises.RunIntegration(context.Background(), cfg)
	})
	whileRunning(ctx, done, func(ctx app.Context) {
		mu.Lock()
		p.stats = stats
		mu.Unlock()
		select {
		case <-done:
			p.running = false
			p.result = &res
			p.stats = res.Stats
			for _, r := range res.Published {
				ledger.Sent(r.QoS, r.MessageID)
			}
			p.ledger = ledger.Rows()
			recordFacts(ctx, checkpoints.Earned(by, checkpoints.PublishFacts(res.Published)...)...)
			recordFacts(ctx, checkpoints.Earned(by, checkpoints.PersistentFacts(res.Persistent)...)...)
			recordFacts(ctx, checkpoints.Earned(by, checkpoints.SubscriberFacts(res.Stats, retried.Load())...)...)
			if runErr != nil {
				p.err = runErr
				log.add(true, i18n.LogRunFailed, i18n.RunIntegration, runErr)
			}
		default:
		}
		p.lines = log.snapshot()
	})
}

// Render draws the page.
func (p *integrationPage) Render() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.running}
	r := p.result
	var published []exercises.PublishRecord
	var history []exercises.Record
	persist := app.UI(app.Div())
	if r != nil {
		published, history, persist = r.Published, r.History, persistentFacts(l, "int-persist", r.Persistent)
	}
	return app.Div().Class("page", "labs-tables").Body(
		pageHeader(l, p.embed, "/lab/integration", nil),
		app.Main().Class("grid").Body(
			app.Section().Class("card", "wide").Aria("labelledby", "h-int").Body(
				app.H2().ID("h-int").Text(i18n.IntHeading.In(l)),
				app.P().Class("help").Text(i18n.IntHelp.In(l)),
				app.Div().Class("inline-fields").Body(
					b.numberField(i18n.GapLabel, "int-gap", &p.gapMS, 0, 600000, i18n.Msg{}),
					b.checkField("int-clean", &p.clean, i18n.IntCleanLabel, i18n.Msg{}),
					b.checkField("int-fail", &p.failAlert, i18n.FailAlertLabel, i18n.Msg{}),
					b.checkField("int-fast", &p.fast, i18n.IntFastLabel, i18n.Msg{}),
				),
				app.P().ID("int-fail-rule").Class("help").Text(i18n.IntFailRule.In(l)),
				app.Div().Class("buttons").Body(
					app.Button().ID("run-integration").Type("button").Class("primary").Disabled(p.running).OnClick(p.onRun).Text(i18n.RunIntegration.In(l)),
				),
				errorLine(l, "lab-error", p.err),
				app.P().ID("int-status").
					Attr("data-running", strconv.FormatBool(p.running)).
					Attr("data-done", strconv.FormatBool(r != nil && !p.running)).
					Text(p.statusText()),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-int-pub").Body(
				app.H2().ID("h-int-pub").Text(i18n.IntPublisher.In(l)),
				app.If(len(published) > 0, publishTable(l, "int-published", published)),
				app.If(len(published) > 0, latencyChart(l, published)),
				persist,
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-int-sub").Body(
				app.H2().ID("h-int-sub").Text(i18n.IntSubscriber.In(l)),
				statsTable(l, "int-stats", p.stats),
				app.If(len(p.ledger) > 0, ledgerTable(l, "int-ledger", p.ledger)),
				app.If(len(history) > 0, recordsTable(l, "int-history", history)),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-int-log").Body(
				app.H2().ID("h-int-log").Text(i18n.LogHeading.In(l)),
				renderLog(l, "int-log", i18n.LogHeading, p.lines),
			),
		),
	)
}

func (p *integrationPage) statusText() string {
	return say(p.lang, exercises.IntegrationStatus(p.running, p.result, p.err))
}
