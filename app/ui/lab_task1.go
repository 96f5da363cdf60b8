package ui

import (
	"context"
	"strconv"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/board"
	"qosplayground/app/checkpoints"
	"qosplayground/app/expconfig"
	"qosplayground/app/i18n"
	"qosplayground/app/task1"
)

// task1Page is the tutorial's Task 1: the learner picks a QoS for each
// stream of an IoT system, runs it over a flaky network, sees the
// consequences, and reveals the recommended choices.
type task1Page struct {
	app.Compo
	lang  i18n.Lang
	embed embedView

	scenario string
	choices  task1.Choices // each system's own, kept across switches
	flaky    bool

	running  bool
	current  int // the stream running, from 0
	err      error
	results  []task1.StreamResult
	revealed bool
	visit    checkpoints.Task1 // what this visit's acts earn
}

func newTask1Page() *task1Page {
	// A neutral start: the learner decides.
	return &task1Page{lang: firstLang(), embed: tabEmbed(), scenario: "factory", flaky: true, choices: task1.NewChoices(1)}
}

// OnMount follows the tab's language and takes the link's scenario, QoS
// choices and network (scenario=smarthome&light=0&…&flaky=false); with
// autorun=1 it runs them at once.
func (p *task1Page) OnMount(ctx app.Context) {
	observeLang(ctx, &p.lang)
	streams := map[string][]string{}
	for _, sc := range task1.IoTScenarios() {
		for _, s := range sc.Streams {
			streams[sc.ID] = append(streams[sc.ID], s.ID)
		}
	}
	cfg, errs := expconfig.ParseTask1(linkQuery(), expconfig.Task1{Scenario: p.scenario, Choices: p.choices.All(), Flaky: p.flaky}, streams)
	p.scenario, p.flaky = cfg.Scenario, cfg.Flaky
	p.choices.SetAll(cfg.Choices)
	p.err = linkError(errs)
	if autorun() {
		p.run(ctx, checkpoints.ByLink)
	}
}

func (p *task1Page) scenarioOf() task1.IoTScenario {
	sc, _ := task1.FindIoTScenario(p.scenario)
	return sc
}

func (p *task1Page) onScenario(ctx app.Context, e app.Event) {
	if _, ok := task1.FindIoTScenario(ctx.JSSrc().Get("value").String()); ok {
		p.scenario = ctx.JSSrc().Get("value").String()
		p.results, p.revealed, p.err = nil, false, nil
		ctx.Defer(func(app.Context) { p.showChoices() })
	}
}

// showChoices sets each stream's select to the scenario's choice. go-app
// reuses the selects of the other system and compares the new options with
// what it drew last, not with what the learner picked since: a pick it has
// not redrawn yet stays on screen, though the choices say otherwise.
func (p *task1Page) showChoices() {
	sc := p.scenarioOf()
	for _, s := range sc.Streams {
		if el := app.Window().GetElementByID("qos-" + s.ID); el.Truthy() {
			el.Set("value", strconv.Itoa(int(p.choices.Get(sc.ID, s.ID))))
		}
	}
}

func (p *task1Page) onRun(ctx app.Context, e app.Event) { p.run(ctx, checkpoints.ByLearner) }

// onStreamsChange hears, bubbled up from the streams' selects, that the
// learner changed a QoS choice.
func (p *task1Page) onStreamsChange(ctx app.Context, e app.Event) { p.visit.Chose() }

// run runs the scenario; by says who started it: a link's autorun earns no
// checkpoint.
func (p *task1Page) run(ctx app.Context, by checkpoints.Starter) {
	if p.running {
		return
	}
	sc := p.scenarioOf()
	cfg := task1.ScenarioConfig{URL: brokerURL(ctx), IDPrefix: tabID() + "task1-", Scenario: sc, Choices: p.choices.Of(sc.ID)}
	cfg.CutMin, cfg.CutMax = task1.FlakyCuts(p.flaky)
	var mu sync.Mutex // guards current
	current := 0
	cfg.OnStream = func(i int, _ task1.Stream) {
		mu.Lock()
		current = i
		mu.Unlock()
	}
	p.running, p.err, p.results, p.revealed, p.current = true, nil, nil, false, 0
	var res []task1.StreamResult
	inBackground(ctx, func() (err error) {
		res, err = task1.RunScenario(context.Background(), cfg)
		return err
	}, func(ctx app.Context, done bool, err error) {
		mu.Lock()
		p.current = current
		mu.Unlock()
		if !done {
			return
		}
		p.running, p.results, p.err = false, res, err
		if len(res) > 0 {
			setLastExperiment(ctx, board.Task1Summary(p.scenario, res), board.Task1Of(p.scenario, res))
		}
		if len(res) > 0 {
			ctx.Defer(func(app.Context) { bringIntoView("task1-results-card") })
		}
		recordFacts(ctx, p.visit.Ran(by, err == nil)...)
		for _, r := range res {
			recordFacts(ctx, checkpoints.Duplicates(by, r.Blips.Stats)...)
		}
	})
}

func (p *task1Page) onReveal(ctx app.Context, e app.Event) {
	p.revealed = true
	recordFacts(ctx, p.visit.Revealed()...)
	ctx.Defer(func(app.Context) { bringIntoView("task1-reveal") })
}

// bringIntoView scrolls the page so that the element with this id starts
// near the top of the window, unless its top is in sight already. It
// scrolls this document only: an embedding page stays where it is
// (Element.scrollIntoView would scroll the parent page too).
func bringIntoView(id string) {
	el := app.Window().GetElementByID(id)
	if !el.Truthy() {
		return
	}
	top := el.Call("getBoundingClientRect").Get("top").Float()
	if h := app.Window().Get("innerHeight").Float(); top >= 0 && top < h*2/3 {
		return
	}
	behavior := "smooth"
	if mq := app.Window().Call("matchMedia", "(prefers-reduced-motion: reduce)"); mq.Truthy() && mq.Get("matches").Bool() {
		behavior = "auto"
	}
	app.Window().Call("scrollTo", map[string]any{"top": app.Window().Get("scrollY").Float() + top - 8, "behavior": behavior})
}

// consequence says what a stream's choice meant in this run, in the
// learner's language.
func consequence(l i18n.Lang, r task1.StreamResult) string {
	s := ""
	for i, c := range task1.ConsequenceTexts(r) {
		if i > 0 {
			s += " "
		}
		s += tr(l, c.Msg, c.Args...)
	}
	return s
}

// Render draws the page.
func (p *task1Page) Render() app.UI {
	l := p.lang
	sc := p.scenarioOf()
	b := binder{c: p, lang: l, disabled: p.running}
	return app.Div().Class("page", "labs-tables").Body(
		pageHeader(l, p.embed, "/lab/task1", nil),
		app.Main().Class("grid").Body(
			app.Section().Class("card", "wide").Aria("labelledby", "h-task1").Body(
				app.H2().ID("h-task1").Text(i18n.Task1Heading.In(l)),
				app.P().Class("help").Text(i18n.Task1Help.In(l)),
				field(l, i18n.Task1System.In(l), "task1-scenario",
					app.Select().ID("task1-scenario").Disabled(p.running).OnChange(p.onScenario).Body(
						app.Range(task1.IoTScenarios()).Slice(func(i int) app.UI {
							sc := task1.IoTScenarios()[i]
							return app.Option().Value(sc.ID).Selected(sc.ID == p.scenario).Text(sc.Name().In(l))
						}),
					), i18n.Msg{}),
				app.Div().Class("streams").On("change", p.onStreamsChange).Body(
					app.Range(sc.Streams).Slice(func(i int) app.UI {
						s := sc.Streams[i]
						v := p.choices.Get(sc.ID, s.ID)
						// The handler is the same for every stream: the
						// select says which stream it is (see onChoice).
						return field(l, s.Name().In(l), "qos-"+s.ID,
							qosSelect(l, "qos-"+s.ID, v, p.onChoice).Disabled(p.running).
								DataSet("scenario", sc.ID).DataSet("stream", s.ID), i18n.Msg{})
					}),
				),
				b.checkField("task1-flaky", &p.flaky, i18n.FlakyLabel, i18n.FlakyHelp),
				app.Div().Class("buttons").Body(
					app.Button().ID("run-task1").Type("button").Class("primary").Disabled(p.running).OnClick(p.onRun).Text(i18n.RunTask1.In(l)),
					app.Button().ID("reveal-task1").Type("button").Disabled(p.running || len(p.results) == 0).OnClick(p.onReveal).Text(i18n.RevealButton.In(l)),
				),
				errorLine(l, "lab-error", p.err),
				app.P().ID("task1-status").Attr("role", "status").
					Attr("data-running", strconv.FormatBool(p.running)).
					Attr("data-done", strconv.FormatBool(!p.running && len(p.results) > 0)).
					Text(p.statusText(sc)),
			),
			app.If(len(p.results) > 0, p.renderResults()),
			app.If(p.revealed, p.renderReveal()),
			&checklist{lang: firstLang()},
		),
	)
}

// onChoice stores a stream's QoS. It reads the scenario and the stream from
// the select's data-scenario and data-stream: go-app compares handlers by
// their code, so when the system changes and the selects are reused, each
// keeps the handler it was first given; a handler closing over its stream
// wrote the smart home's choices into the factory's streams.
func (p *task1Page) onChoice(ctx app.Context, e app.Event) {
	src := ctx.JSSrc()
	n, err := strconv.Atoi(src.Get("value").String())
	if err != nil || n < 0 || n > 2 {
		return
	}
	ds := src.Get("dataset")
	if p.choices.Set(ds.Get("scenario").String(), ds.Get("stream").String(), byte(n)) == nil {
		p.revealed = false
	}
}

func (p *task1Page) statusText(sc task1.IoTScenario) string {
	st := task1.Status(sc, p.running, p.current, len(p.results))
	return tr(p.lang, st.Msg, st.Args...)
}

func (p *task1Page) renderResults() app.UI {
	l := p.lang
	return app.Section().ID("task1-results-card").Class("card", "wide").Aria("labelledby", "h-task1-res").Body(
		app.H2().ID("h-task1-res").Text(i18n.ResultsHeading.In(l)),
		app.Div().Class("table-wrap").Body(
			app.Table().ID("task1-results").Class("results").Body(
				app.Caption().Text(i18n.Task1Caption.In(l)),
				headerRow(l, i18n.ColStream, i18n.ColYourQoS, i18n.LedgerSent, i18n.LedgerReceived, i18n.LedgerLost,
					i18n.LedgerDupSeen, i18n.LedgerDupProc, i18n.ColPackets, i18n.ColConsequence),
				app.TBody().Body(
					app.Range(p.results).Slice(func(i int) app.UI {
						r := p.results[i]
						row := r.Blips.Ledger
						// data-label names each value's column where the
						// table stacks on a phone (web/app.css).
						num := func(label i18n.Msg, n int) app.UI {
							return app.Td().Class("num").DataSet("label", label.In(l)).Text(strconv.Itoa(n))
						}
						return app.Tr().Attr("data-stream", r.Stream.ID).Attr("data-qos", strconv.Itoa(int(r.QoS))).
							Attr("data-verdict", string(r.Verdict)).Attr("data-lost", strconv.Itoa(row.Lost)).Body(
							app.Th().Scope("row").Text(r.Stream.Name().In(l)),
							num(i18n.ColYourQoS, int(r.QoS)),
							num(i18n.LedgerSent, row.Sent),
							num(i18n.LedgerReceived, row.Received),
							num(i18n.LedgerLost, row.Lost),
							num(i18n.LedgerDupSeen, row.DuplicatesSeen),
							num(i18n.LedgerDupProc, row.DuplicatesProcessed),
							app.Td().Class("num", "packets").DataSet("label", i18n.ColPackets.In(l)).
								Title(tr(l, i18n.PacketsLegsTitle, task1.PacketsPerLeg(r.QoS), task1.PacketsPerMessage(r.QoS))).
								Text(packetsText(r.QoS)),
							app.Td().Class("consequence").DataSet("label", i18n.ColConsequence.In(l)).Text(consequence(l, r)),
						)
					}),
				),
			),
		),
		app.P().ID("task1-packets-help").Class("help").Text(i18n.PacketsLegsHelp.In(l)),
	)
}

// packetsText is what a message costs: on the publisher's leg, on the
// subscriber's, and in all ("4 + 4 = 8" at QoS 2).
func packetsText(qos byte) string {
	leg := strconv.Itoa(task1.PacketsPerLeg(qos))
	return leg + " + " + leg + " = " + strconv.Itoa(task1.PacketsPerMessage(qos))
}

func (p *task1Page) renderReveal() app.UI {
	l := p.lang
	sc := p.scenarioOf()
	rows := task1.Reveal(sc, p.results)
	return app.Section().ID("task1-reveal").Class("card", "wide").Aria("labelledby", "h-reveal").Body(
		app.H2().ID("h-reveal").Text(i18n.RevealHeading.In(l)),
		app.Ul().Class("reveal").Body(
			app.Range(rows).Slice(func(i int) app.UI {
				r := rows[i]
				s := r.Stream
				mark, says := r.Verdict()
				return app.Li().Attr("data-stream", s.ID).Attr("data-recommended", strconv.Itoa(int(s.Recommended))).
					Attr("data-match", strconv.FormatBool(r.Match)).Body(
					app.Strong().Text(s.Name().In(l)+": QoS "+strconv.Itoa(int(s.Recommended))),
					app.Span().Class("muted").Text(" "+mark+" "+tr(l, i18n.RevealYours, int(r.Yours))+" · "+says.In(l)),
					app.P().Text(s.Reason().In(l)),
				)
			}),
		),
	)
}
