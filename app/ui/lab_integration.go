package ui

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/lab"
)

// integrationPage is Exercise 3: the reliable subscriber and the publisher's
// two runs together, from one click, with both sides' results side by side.
type integrationPage struct {
	app.Compo

	gapMS     string
	clean     bool
	failAlert bool
	fast      bool

	running bool
	err     string
	result  *lab.IntegrationResult
	stats   lab.Stats
	log     *feed
	lines   []logLine
}

func newIntegrationPage() *integrationPage {
	return &integrationPage{gapMS: "1000", log: newFeed(150)}
}

func (p *integrationPage) onRun(ctx app.Context, e app.Event) {
	if p.running {
		return
	}
	gap, err := parseMillis("gap", p.gapMS)
	if err != nil {
		p.err = err.Error()
		return
	}
	p.running, p.err, p.result, p.stats = true, "", nil, lab.Stats{}
	log := p.log
	var mu sync.Mutex // guards stats
	var stats lab.Stats
	subCfg := lab.SubscriberConfig{
		SimulateAlertFailure: p.failAlert,
		OnEvent: func(ev lab.SubscriberEvent) {
			logSubscriberEvent(log, ev)
			mu.Lock()
			stats = ev.Stats
			mu.Unlock()
		},
	}
	if p.fast {
		subCfg.WorkTimes = map[string]time.Duration{}
		subCfg.RetryDelay = -1
	}
	cfg := lab.IntegrationConfig{
		URL: brokerURL(), IDPrefix: tabID(),
		Subscriber: subCfg,
		Comparison: lab.ComparisonConfig{Gap: gap},
		Persistent: lab.PersistentConfig{CleanSession: p.clean, Gap: gap,
			OnStep: func(s lab.PersistentStep) { log.add(false, "%s", persistentStepText(s)) }},
		OnStep: func(s string) { log.add(false, "▶ %s", s) },
	}
	done := make(chan struct{})
	var res lab.IntegrationResult
	var runErr error
	ctx.Async(func() {
		defer close(done)
		res, runErr = lab.RunIntegration(context.Background(), cfg)
	})
	whileRunning(ctx, done, func(ctx app.Context) {
		mu.Lock()
		p.stats = stats
		mu.Unlock()
		p.lines = p.log.snapshot()
		select {
		case <-done:
			p.running = false
			p.result = &res
			p.stats = res.Stats
			if runErr != nil {
				p.err = userError(runErr)
				p.log.add(true, "%v", runErr)
				p.lines = p.log.snapshot()
			}
		default:
		}
	})
}

// Render draws the page.
func (p *integrationPage) Render() app.UI {
	b := binder{c: p, disabled: p.running}
	r := p.result
	var published []lab.PublishRecord
	var history []lab.Record
	persist := app.UI(app.Div())
	if r != nil {
		published, history, persist = r.Published, r.History, persistentFacts("int-persist", r.Persistent)
	}
	return app.Div().Class("page").Body(
		pageHeader("/lab/integration", nil),
		app.Main().Class("grid").Body(
			app.Section().Class("card", "wide").Aria("labelledby", "h-int").Body(
				app.H2().ID("h-int").Text("Integration run (Exercise 3)"),
				app.P().Class("help").Text("One click does what qos_integration_test.py does with two processes: start the reliable subscriber, run the publisher's QoS comparison and persistent-session tests, and show both sides' results."),
				app.Div().Class("inline-fields").Body(
					b.numberField("Gap between messages (ms)", "int-gap", &p.gapMS, 0, 600000, ""),
					app.Div().Class("field", "check").Body(
						app.Input().ID("int-clean").Type("checkbox").Checked(p.clean).Disabled(p.running).OnChange(checkedTo(&p.clean)),
						app.Label().For("int-clean").Text("Clean session for the persistent-session test"),
					),
					app.Div().Class("field", "check").Body(
						app.Input().ID("int-fail").Type("checkbox").Checked(p.failAlert).Disabled(p.running).OnChange(checkedTo(&p.failAlert)),
						app.Label().For("int-fail").Text("Simulate the alert failure"),
					),
					app.Div().Class("field", "check").Body(
						app.Input().ID("int-fast").Type("checkbox").Checked(p.fast).Disabled(p.running).OnChange(checkedTo(&p.fast)),
						app.Label().For("int-fast").Text("No simulated work time"),
					),
				),
				app.Div().Class("buttons").Body(
					app.Button().ID("run-integration").Type("button").Class("primary").Disabled(p.running).OnClick(p.onRun).Text("Run the integration test"),
				),
				errorLine("lab-error", p.err),
				app.P().ID("int-status").
					Attr("data-running", strconv.FormatBool(p.running)).
					Attr("data-done", strconv.FormatBool(r != nil && !p.running)).
					Text(p.statusText()),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-int-pub").Body(
				app.H2().ID("h-int-pub").Text("Publisher"),
				app.If(len(published) > 0, publishTable("int-published", published)),
				persist,
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-int-sub").Body(
				app.H2().ID("h-int-sub").Text("Reliable subscriber"),
				statsTable("int-stats", p.stats),
				app.If(len(history) > 0, recordsTable("int-history", history)),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-int-log").Body(
				app.H2().ID("h-int-log").Text("Log"),
				renderLog("int-log", p.lines),
			),
		),
	)
}

func (p *integrationPage) statusText() string {
	switch {
	case p.running:
		return "Running…"
	case p.result == nil:
		return "Not run yet."
	case p.err != "":
		return "Stopped with an error."
	}
	return fmt.Sprintf("Done: %d messages published, %d received by the reliable subscriber.", len(p.result.Published), p.result.Stats.TotalReceived)
}
