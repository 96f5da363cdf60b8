package ui

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/brokerapi"
	"qosplayground/app/checkpoints"
	"qosplayground/app/expconfig"
	"qosplayground/app/i18n"
	"qosplayground/app/intab"
	"qosplayground/app/lab"
	"qosplayground/app/wiretap"
)

// faultsPage is the fault lab (Task 3): one-click network-blip lessons with
// their packets, counted random blips with the ledger per QoS, and the
// client crash with its last will.
type faultsPage struct {
	app.Compo
	lang i18n.Lang

	busy bool // a run of any section is in progress: one at a time
	err  error

	// One-click lesson.
	lessonQoS int // the QoS of the lesson running or shown; -1 before any
	lesson    *lab.LessonResult
	tapped    packetLog
	packets   []wiretap.Packet
	selected  int

	// Counted blips.
	messages, cutMin, cutMax string
	blipQoS                  int // running, -1 when idle
	blipProgress             lab.BlipProgress
	blips                    []lab.BlipResult

	// Broker restart.
	broker       tabBroker // on the in-tab broker only the restart works (inbroker.go)
	brokerStatus *brokerapi.Status
	statusErr    error
	persistence  string
	kill         bool
	restartStep  string
	restart      *lab.RestartResult

	// Client crash.
	keepAlive string
	crashing  string
	will      *lab.WillResult
}

func newFaultsPage() *faultsPage {
	return &faultsPage{lessonQoS: -1, blipQoS: -1, messages: "1000", cutMin: "40", cutMax: "100", keepAlive: "2", persistence: "on"}
}

// OnMount follows the tab's language and asks the server about its
// broker; a link's lesson=0|1|2 with autorun=1 runs that lesson at once.
func (p *faultsPage) OnMount(ctx app.Context) {
	observeLang(ctx, &p.lang)
	observeBroker(ctx, &p.broker, func() { p.loadStatus(ctx) })
	p.loadStatus(ctx)
	qos, ok, err := expconfig.ParseLesson(linkQuery())
	if err != nil {
		p.err = linkError([]error{err})
	}
	if ok && autorun() {
		p.runLesson(ctx, qos)
	}
}

// origin is this page's scheme and host: the server's API.
func origin() string {
	u := app.Window().URL()
	return u.Scheme + "://" + u.Host
}

func (p *faultsPage) loadStatus(ctx app.Context) {
	inTab, base := p.broker.InTab, origin()
	ctx.Async(func() {
		// The in-tab broker's first answer waits for its worker to fetch
		// and compile broker.wasm.
		timeout := probeTimeout
		if inTab {
			timeout = 30 * time.Second
		}
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		var st brokerapi.Status
		var err error
		if inTab {
			st, err = intab.Status(c)
		} else {
			st, err = brokerapi.GetStatus(c, base)
		}
		ctx.Dispatch(func(ctx app.Context) { p.brokerStatus, p.statusErr = &st, err })
	})
}

// The broker's mode and persistence as the API names them, in words.
var (
	brokerNames      = map[string]i18n.Msg{"mosquitto": i18n.BrokerMosquitto, "embedded": i18n.BrokerEmbedded, "external": i18n.BrokerExternal, intab.ModeInTab: i18n.BrokerInTab}
	persistenceNames = map[string]i18n.Msg{"off": i18n.PersistOffShort, "on": i18n.PersistOnShort, "default": i18n.PersistDefShort}
)

var restartSteps = map[string]i18n.Msg{
	lab.RestartStepPrepare: i18n.StepPrepare, lab.RestartStepAway: i18n.StepAway, lab.RestartStepQueue: i18n.StepQueue,
	lab.RestartStepRestart: i18n.StepRestart, lab.RestartStepReturn: i18n.StepReturn,
}

func (p *faultsPage) onRestart(ctx app.Context, e app.Event) {
	if p.busy {
		return
	}
	p.restart, p.restartStep = nil, ""
	var mu sync.Mutex // guards step
	step := ""
	var res lab.RestartResult
	cfg := lab.RestartConfig{URL: brokerURL(), APIBase: origin(), IDPrefix: tabID(), Persistence: p.persistence, Kill: p.kill,
		OnStep: func(s string) {
			mu.Lock()
			step = s
			mu.Unlock()
		}}
	if p.broker.InTab {
		cfg.Restart = intab.Restart
	}
	p.start(ctx, func() (err error) {
		res, err = lab.RunRestart(context.Background(), cfg)
		return err
	}, func(ctx app.Context, done bool) {
		mu.Lock()
		p.restartStep = step
		mu.Unlock()
		if done {
			p.restartStep = ""
			if p.err == nil {
				p.restart = &res
			}
			p.loadStatus(ctx)
		}
	})
}

func (p *faultsPage) onSelect(seq int) app.EventHandler {
	return func(ctx app.Context, e app.Event) { p.selected = seq }
}

// start marks the page busy and runs f off the UI goroutine; refresh runs
// on the UI goroutine while f runs and once after.
func (p *faultsPage) start(ctx app.Context, f func() error, refresh func(ctx app.Context, done bool)) {
	p.busy, p.err = true, nil
	inBackground(ctx, f, func(ctx app.Context, done bool, err error) {
		if done {
			p.busy, p.err = false, err
		}
		refresh(ctx, done)
	})
}

func (p *faultsPage) onLesson(qos byte) app.EventHandler {
	return func(ctx app.Context, e app.Event) { p.runLesson(ctx, qos) }
}

func (p *faultsPage) runLesson(ctx app.Context, qos byte) {
	if p.busy {
		return
	}
	if currentBroker().InTab {
		p.err = newUIError(i18n.FaultsNeedServer) // a link's autorun may ask
		return
	}
	p.lessonQoS, p.lesson, p.packets, p.selected = int(qos), nil, nil, 0
	p.tapped = packetLog{}
	tap := wiretap.New(func(pk wiretap.Packet) { p.tapped.add(pk, func() {}) })
	var res lab.LessonResult
	p.start(ctx, func() (err error) {
		res, err = lab.RunLesson(context.Background(), lab.LessonConfig{
			URL: brokerURL(), IDPrefix: tabID(), QoS: qos, WrapPublisher: tap.Wrap,
		})
		return err
	}, func(ctx app.Context, done bool) {
		p.packets = p.tapped.snapshot()
		if done {
			p.lesson = &res
			if res.Stats.DuplicatesDetected > 0 {
				recordFacts(ctx, checkpoints.DuplicateDetected)
			}
			// Select the resend, the packet the lesson is about.
			for _, pk := range p.packets {
				if pk.Type == "PUBLISH" && pk.Dup {
					p.selected = pk.Seq
				}
			}
		}
	})
}

func (p *faultsPage) onBlips(ctx app.Context, e app.Event) {
	if p.busy {
		return
	}
	n, err := parseCount(i18n.FieldMessages, p.messages, 1, 100_000)
	if err == nil {
		var lo, hi int
		if lo, err = parseCount(i18n.BlipsCutMin, p.cutMin, 1, 10_000); err == nil {
			if hi, err = parseCount(i18n.BlipsCutMax, p.cutMax, lo, 10_000); err == nil {
				p.runBlips(ctx, n, lo, hi)
				return
			}
		}
	}
	p.err = err
}

func (p *faultsPage) runBlips(ctx app.Context, n, lo, hi int) {
	p.blips, p.blipProgress = nil, lab.BlipProgress{}
	var mu sync.Mutex // guards the three below
	var results []lab.BlipResult
	var progress lab.BlipProgress
	running := -1
	url, prefix := brokerURL(), tabID()
	p.start(ctx, func() error {
		for _, qos := range []byte{0, 1, 2} {
			mu.Lock()
			running = int(qos)
			mu.Unlock()
			res, err := lab.RunBlips(context.Background(), lab.BlipConfig{
				URL: url, IDPrefix: prefix, QoS: qos, Messages: n,
				// QoS 0 has no window to pace it.
				Gap:    map[bool]time.Duration{true: 2 * time.Millisecond}[qos == 0],
				CutMin: lo, CutMax: hi, CutPublisher: true, CutSubscriber: true,
				Seed:   time.Now().UnixNano(),
				Settle: time.Minute,
				OnProgress: func(pr lab.BlipProgress) {
					mu.Lock()
					progress = pr
					mu.Unlock()
				},
			})
			mu.Lock()
			results = append(results, res)
			mu.Unlock()
			if err != nil {
				return err
			}
		}
		return nil
	}, func(ctx app.Context, done bool) {
		mu.Lock()
		p.blips = append([]lab.BlipResult(nil), results...)
		p.blipProgress, p.blipQoS = progress, running
		mu.Unlock()
		if done {
			p.blipQoS = -1
			for _, r := range p.blips {
				if r.Stats.DuplicatesDetected > 0 {
					recordFacts(ctx, checkpoints.DuplicateDetected)
				}
			}
		}
	})
}

func (p *faultsPage) onCrash(leave string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if p.busy {
			return
		}
		ka, err := parseCount(i18n.CrashKeepAlive, p.keepAlive, 1, 60)
		if err != nil {
			p.err = err
			return
		}
		p.crashing, p.will = leave, nil
		var res lab.WillResult
		p.start(ctx, func() (err error) {
			res, err = lab.RunWill(context.Background(), lab.WillConfig{
				URL: brokerURL(), IDPrefix: tabID(), Leave: leave, KeepAlive: time.Duration(ka) * time.Second,
			})
			return err
		}, func(ctx app.Context, done bool) {
			if done {
				p.will, p.crashing = &res, ""
			}
		})
	}
}

// Render draws the page.
func (p *faultsPage) Render() app.UI {
	l := p.lang
	return app.Div().Class("page").Body(
		pageHeader(l, "/lab/faults", nil),
		app.Main().Class("grid").Body(
			app.Section().Class("card", "wide").Aria("labelledby", "h-faults").Body(
				app.H2().ID("h-faults").Text(i18n.NavFaults.In(l)),
				app.P().Class("help").Text(i18n.FaultsIntro.In(l)),
				errorLine(l, "lab-error", p.err),
			),
			app.If(p.broker.InTab, app.Section().ID("faults-need-server").Class("card", "wide").Body(
				app.P().Class("help").Text(i18n.FaultsNeedServer.In(l)),
				app.P().Class("help").Text(i18n.InTabSaving.In(l)),
			)).Else(
				p.renderLesson(),
				app.If(p.lessonQoS >= 0, renderSequence(l, p.packets, p.selected, p.onSelect)),
				p.renderBlips(),
			),
			p.renderRestart(),
			app.If(!p.broker.InTab, p.renderCrash()),
		),
	)
}

func (p *faultsPage) renderLesson() app.UI {
	l := p.lang
	r := p.lesson
	return app.Section().Class("card", "wide").Aria("labelledby", "h-lesson").Body(
		app.H2().ID("h-lesson").Text(i18n.LessonHeading.In(l)),
		app.P().Class("help").Text(i18n.LessonHelp.In(l)),
		app.Div().Class("buttons").Body(
			app.Range([]byte{1, 2, 0}).Slice(func(i int) app.UI {
				qos := []byte{1, 2, 0}[i]
				return app.Button().ID("lesson-qos" + strconv.Itoa(int(qos))).Type("button").Class("primary").
					Disabled(p.busy).OnClick(p.onLesson(qos)).Text(tr(l, i18n.LessonRun, int(qos)))
			}),
		),
		app.If(p.busy && p.lessonQoS >= 0 && r == nil, app.P().Attr("role", "status").Text(tr(l, i18n.LessonRunning, p.lessonQoS))),
		app.If(r != nil, func() app.UI {
			if r == nil {
				return nil
			}
			explain := []i18n.Msg{i18n.LessonExplain0, i18n.LessonExplain1, i18n.LessonExplain2}[r.QoS]
			return app.Div().ID("lesson-result").Attr("data-qos", strconv.Itoa(int(r.QoS))).
				Attr("data-resent", strconv.FormatBool(r.Resent)).
				Attr("data-delivered", strconv.Itoa(r.Ledger.Received+r.Ledger.DuplicatesSeen)).
				Attr("data-processed", strconv.Itoa(r.Stats.SuccessfullyProcessed)).Body(
				app.Dl().Class("facts").Body(
					app.Dt().Text(i18n.LessonCutFact.In(l)), app.Dd().Text(cutText(l, r.Cut)),
					app.Dt().Text(i18n.LessonResentFact.In(l)), app.Dd().Text(yesNo(l, r.Resent)),
					app.Dt().Text(i18n.LessonConfirmFact.In(l)), app.Dd().Text(yesNo(l, r.Confirmed)),
					app.Dt().Text(i18n.LessonDelivered.In(l)), app.Dd().Text(strconv.Itoa(r.Ledger.Received+r.Ledger.DuplicatesSeen)),
					app.Dt().Text(i18n.LessonProcessed.In(l)), app.Dd().Text(strconv.Itoa(r.Stats.SuccessfullyProcessed)),
				),
				app.P().Class("explain").Text(explain.In(l)),
				app.If(r.QoS == 2 && !r.Resent, app.P().Class("explain").Text(i18n.LessonExplain2Rec.In(l))),
				app.If(r.QoS == 2 && r.Ledger.DuplicatesSeen > 0, app.P().Class("explain").Text(i18n.LessonExplain2Dup.In(l))),
			)
		}()),
	)
}

func (p *faultsPage) renderBlips() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.busy}
	var rows []lab.LedgerRow
	for _, r := range p.blips {
		rows = append(rows, r.Ledger)
	}
	status := ""
	if p.blipQoS >= 0 {
		pr := p.blipProgress
		status = tr(l, i18n.BlipsRunning, p.blipQoS, pr.Published, pr.Received, pr.PublisherCuts+pr.SubscriberCuts)
	} else if len(p.blips) > 0 {
		status = i18n.BlipsDone.In(l)
	}
	return app.Section().Class("card", "wide").Aria("labelledby", "h-blips").Body(
		app.H2().ID("h-blips").Text(i18n.BlipsHeading.In(l)),
		app.P().Class("help").Text(i18n.BlipsHelp.In(l)),
		app.Div().Class("field-row").Body(
			b.numberField(i18n.BlipsMessages, "blips-n", &p.messages, 1, 100000, i18n.Msg{}),
			b.numberField(i18n.BlipsCutMin, "blips-min", &p.cutMin, 1, 10000, i18n.Msg{}),
			b.numberField(i18n.BlipsCutMax, "blips-max", &p.cutMax, 1, 10000, i18n.Msg{}),
		),
		app.Div().Class("buttons").Body(
			app.Button().ID("run-blips").Type("button").Class("primary").Disabled(p.busy).OnClick(p.onBlips).Text(i18n.BlipsRun.In(l)),
		),
		app.P().ID("blips-status").Attr("role", "status").
			Attr("data-done", strconv.FormatBool(p.blipQoS < 0 && len(p.blips) == 3)).Text(status),
		app.If(len(rows) > 0, ledgerTable(l, "blips-ledger", rows)),
		app.If(len(p.blips) > 0, app.Dl().Class("facts").Body(
			app.Range(p.blips).Slice(func(i int) app.UI {
				r := p.blips[i]
				q := "QoS " + strconv.Itoa(int(r.QoS)) + ": "
				return app.Div().Body(
					app.Dt().Text(q+i18n.BlipsCuts.In(l)), app.Dd().Text(strconv.Itoa(r.PublisherCuts)+" + "+strconv.Itoa(r.SubscriberCuts)),
					app.Dt().Text(q+i18n.BlipsResent.In(l)), app.Dd().Text(strconv.Itoa(r.Resent)),
				)
			}),
		)),
		app.Range(p.blips).Slice(func(i int) app.UI {
			r := p.blips[i]
			row := r.Ledger
			var text string
			switch r.QoS {
			case 0:
				text = tr(l, i18n.BlipsExplain0, row.Lost, row.Sent, r.NotSent)
			case 1:
				text = tr(l, i18n.BlipsExplain1, row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed)
			default:
				text = tr(l, i18n.BlipsExplain2, row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed)
			}
			return app.P().Class("explain").Attr("data-qos", strconv.Itoa(int(r.QoS))).Text(text)
		}),
	)
}

func (p *faultsPage) renderCrash() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.busy}
	leaves := []struct {
		id    string
		label i18n.Msg
	}{{lab.LeaveCrash, i18n.CrashCrash}, {lab.LeaveFreeze, i18n.CrashFreeze}, {lab.LeaveDisconnect, i18n.CrashDisconnect}}
	labelOf := map[string]i18n.Msg{}
	for _, lv := range leaves {
		labelOf[lv.id] = lv.label
	}
	return app.Section().Class("card", "wide").Aria("labelledby", "h-crash").Body(
		app.H2().ID("h-crash").Text(i18n.CrashHeading.In(l)),
		app.P().Class("help").Text(i18n.CrashHelp.In(l)),
		b.numberField(i18n.CrashKeepAlive, "crash-keepalive", &p.keepAlive, 1, 60, i18n.Msg{}),
		app.Div().Class("buttons").Body(
			app.Range(leaves).Slice(func(i int) app.UI {
				lv := leaves[i]
				return app.Button().ID("leave-" + lv.id).Type("button").Disabled(p.busy).OnClick(p.onCrash(lv.id)).Text(lv.label.In(l))
			}),
		),
		app.If(p.crashing != "", app.P().Attr("role", "status").Text(i18n.CrashRunning.In(l))),
		app.If(p.will != nil, func() app.UI {
			w := p.will
			if w == nil {
				return nil
			}
			text := tr(l, i18n.CrashNone, labelOf[w.Leave].In(l))
			explain := i18n.CrashExplainBye
			if w.Delivered {
				text = tr(l, i18n.CrashDelivered, labelOf[w.Leave].In(l), w.After.Round(10*time.Millisecond).String())
				explain = map[string]i18n.Msg{lab.LeaveCrash: i18n.CrashExplainOpen, lab.LeaveFreeze: i18n.CrashExplainIdle}[w.Leave]
			}
			return app.Div().ID("will-result").Attr("data-leave", w.Leave).Attr("data-delivered", strconv.FormatBool(w.Delivered)).Body(
				app.P().Attr("role", "status").Text(text),
				app.P().Class("explain").Text(explain.In(l)),
			)
		}()),
	)
}

func (p *faultsPage) renderRestart() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.busy}
	st := p.brokerStatus
	allowed := st != nil && st.RestartAllowed && p.statusErr == nil
	var statusLine app.UI = app.P().Class("muted").Text("…")
	switch {
	case p.statusErr != nil:
		statusLine = errorLine(l, "restart-status", p.statusErr)
	case st != nil && !st.RestartAllowed:
		statusLine = app.P().ID("restart-status").Class("muted").Attr("data-allowed", "false").Text(tr(l, i18n.RestartNotAllowed, restartReason(*st)))
	case st != nil:
		statusLine = app.P().ID("restart-status").Class("muted").Attr("data-allowed", "true").
			Text(tr(l, i18n.RestartBroker, brokerNames[st.Mode], persistenceNames[st.Persistence]))
	}
	options := []struct {
		value string
		label i18n.Msg
	}{{"on", i18n.PersistOn}, {"off", i18n.PersistOff}, {"default", i18n.PersistDefault}}
	return app.Section().Class("card", "wide").Aria("labelledby", "h-restart").Body(
		app.H2().ID("h-restart").Text(i18n.RestartHeading.In(l)),
		app.P().Class("help").Text(i18n.RestartHelp.In(l)),
		statusLine,
		field(l, i18n.RestartPersistence.In(l), "restart-persistence",
			app.Select().ID("restart-persistence").Disabled(p.busy || !allowed).OnChange(p.ValueTo(&p.persistence)).Body(
				app.Range(options).Slice(func(i int) app.UI {
					o := options[i]
					return app.Option().Value(o.value).Selected(o.value == p.persistence).Text(o.label.In(l))
				}),
			), i18n.Msg{}),
		b.checkField("restart-kill", &p.kill, i18n.RestartCrash, i18n.Msg{}),
		app.Div().Class("buttons").Body(
			app.Button().ID("run-restart").Type("button").Class("primary").Disabled(p.busy || !allowed).OnClick(p.onRestart).Text(i18n.RestartRun.In(l)),
		),
		app.If(p.restartStep != "", app.P().Attr("role", "status").Text(tr(l, i18n.RestartStepMsg, restartSteps[p.restartStep].In(l)))),
		app.If(p.restart != nil, func() app.UI {
			r := p.restart
			if r == nil {
				return nil
			}
			lost, sent := 0, 0
			for _, row := range r.Ledger {
				lost += row.Lost
				sent += row.Sent
			}
			explain := i18n.RestartExplainKept
			switch {
			case lost > 0 && r.Persistence == "off":
				explain = i18n.RestartExplainOff
			case lost > 0:
				explain = i18n.RestartExplainCrash
			}
			return app.Div().ID("restart-result").Attr("data-lost", strconv.Itoa(lost)).
				Attr("data-session-present", strconv.FormatBool(r.SessionPresent)).Body(
				app.P().Attr("role", "status").Text(tr(l, i18n.RestartResultText, yesNo(l, r.SessionPresent), lost, sent, r.TookMS)),
				ledgerTable(l, "restart-ledger", r.Ledger),
				app.P().Class("explain").Text(explain.In(l)),
			)
		}()),
	)
}
