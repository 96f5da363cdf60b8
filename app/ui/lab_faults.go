package ui

import (
	"context"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/board"
	"qosplayground/app/brokerapi"
	"qosplayground/app/checkpoints"
	"qosplayground/app/expconfig"
	"qosplayground/app/faultlab"
	"qosplayground/app/i18n"
	"qosplayground/app/intab"
	"qosplayground/app/netcond"
	"qosplayground/app/wiretap"
)

// faultsPage is the fault lab (Task 3): one-click network-blip lessons with
// their packets, counted random blips with the ledger per QoS, and the
// client crash with its last will.
//
// The runs live in package-level slots (lab_faults_runs.go), not in the
// component: the page copies their state on every refresh (sync), so a
// learner who leaves and comes back finds a run still going, or its
// result.
type faultsPage struct {
	app.Compo
	ctx   app.Context // OnMount's: its dispatches update the page while it is shown
	lang  i18n.Lang
	embed embedView

	busy    bool  // a run of any section is in progress: one at a time
	linkErr error // the link's lesson= was not understood
	// The runs that were going when this page was drawn: they went on
	// while the learner was elsewhere (by slot name, the run's number).
	before map[string]int

	// One-click lesson.
	lessonQoS int // the QoS of the lesson running or shown; -1 before any
	lesson    *faultlab.LessonResult
	lessonErr error
	packets   []wiretap.Packet
	selected  int
	picked    int // the lesson run whose resend was selected for the learner

	// Counted blips.
	messages, cutMin, cutMax string
	blipNet                  string // the link of the random-cut run: a netcond preset's id, "" for none
	blipQoS                  int    // running, -1 when idle
	blipProgress             faultlab.BlipProgress
	blips                    []faultlab.BlipResult
	blipsErr                 error

	// Broker restart.
	broker       tabBroker // on the in-tab broker only the restart works (inbroker.go)
	brokerStatus *brokerapi.Status
	statusErr    error
	// persistence is the learner's choice in the selector; "" follows
	// the broker's actual setting (brokerStatus), which the selector
	// shows until the learner picks another.
	persistence string
	confirming  bool // the restart would change the shared broker's persistence: asking first
	kill        bool
	restartStep string
	restart     *faultlab.RestartResult
	restartErr  error
	statusFor   int // the restart run after which the broker's status was read

	cap captureForm // the lesson's packets saved as pcapng or JSON (capture.go)

	// Client crash.
	keepAlive string
	crashing  string
	will      *faultlab.WillResult
	willErr   error
}

func newFaultsPage() *faultsPage {
	return &faultsPage{lang: firstLang(), embed: tabEmbed(), lessonQoS: -1, blipQoS: -1, messages: "1000", cutMin: "40", cutMax: "100", keepAlive: "2"}
}

// OnMount follows the tab's language and asks the server about its
// broker; a link's lesson=0|1|2 with autorun=1 runs that lesson at once.
// A run that went on while the learner was away is shown as it is, and
// watched until it ends.
func (p *faultsPage) OnMount(ctx app.Context) {
	p.ctx = ctx
	observeLang(ctx, &p.lang)
	observeBroker(ctx, &p.broker, func() { p.loadStatus(ctx) })
	p.loadStatus(ctx)
	p.before = map[string]int{}
	going := func(name string, runs int, running bool) {
		if running {
			p.before[name] = runs
		}
	}
	ls, bs, rs, ws := lessonRuns.State(), blipRuns.State(), restartRuns.State(), willRuns.State()
	going("lesson", ls.Runs, ls.Running)
	going("blips", bs.Runs, bs.Running)
	going("restart", rs.Runs, rs.Running)
	going("will", ws.Runs, ws.Running)
	// loadStatus above reads the broker as it is now: again only after
	// the next restart, or the one going on now.
	p.statusFor = rs.Runs
	if rs.Running {
		p.statusFor--
	}
	// The settings of the latest runs, so that what is shown matches.
	if bs.Runs > 0 {
		p.messages, p.cutMin, p.cutMax, p.blipNet = bs.Progress.Messages, bs.Progress.CutMin, bs.Progress.CutMax, bs.Progress.Net
	}
	if ws.Runs > 0 {
		p.keepAlive = ws.Progress.KeepAlive
	}
	if rs.Running {
		p.persistence, p.kill = rs.Progress.Persistence, rs.Progress.Kill
	}
	p.sync(ctx)
	if faultRuns.Running() != "" {
		p.watch(ctx)
	}
	qos, ok, err := expconfig.ParseLesson(linkQuery())
	if err != nil {
		p.linkErr = newUIError(i18n.FaultLinkLesson, linkQuery().Get("lesson"))
	}
	if ok && autorun() && !p.busy {
		p.runLesson(ctx, qos, checkpoints.ByLink)
	}
}

// watch redraws the page while the running run goes on, and once after.
func (p *faultsPage) watch(ctx app.Context) {
	var done <-chan struct{}
	for _, s := range allFaultRuns {
		select {
		case <-s.Done():
		default:
			done = s.Done()
		}
	}
	if done != nil {
		whileRunning(ctx, done, p.sync)
	}
}

// sync copies the runs' state into the page.
func (p *faultsPage) sync(ctx app.Context) {
	p.busy = faultRuns.Running() != ""

	if st := lessonRuns.State(); st.Runs > 0 {
		p.lessonQoS, p.lesson, p.lessonErr = st.Progress.QoS, nil, nil
		p.packets = st.Progress.Log.snapshot()
		if st.Finished {
			p.lessonErr = st.Err
			if st.Err == nil {
				res := st.Result
				p.lesson = &res
				recordFacts(ctx, checkpoints.Duplicates(st.Progress.By, res.Stats)...)
			}
			// Select the resend, the packet the lesson is about, once: the
			// learner may pick another afterwards.
			if p.picked != st.Runs {
				p.picked = st.Runs
				if p.lesson != nil {
					setLastExperiment(ctx, board.LessonSummary(*p.lesson), nil)
				}
				if seq, ok := faultlab.FirstResend(p.packets); ok {
					p.selected = seq
				}
			}
		}
	}

	if st := blipRuns.State(); st.Runs > 0 {
		p.blips = append([]faultlab.BlipResult(nil), st.Progress.Results...)
		p.blipProgress, p.blipQoS, p.blipsErr = st.Progress.Progress, st.Progress.QoS, st.Err
		if !st.Running {
			p.blipQoS = -1
			for _, r := range p.blips {
				// Counted blips start only by the learner's click.
				recordFacts(ctx, checkpoints.Duplicates(checkpoints.ByLearner, r.Stats)...)
			}
		}
	}

	if st := restartRuns.State(); st.Runs > 0 {
		p.restartStep, p.restart, p.restartErr = st.Progress.Step, nil, st.Err
		if !st.Running {
			p.restartStep = ""
			if st.Err == nil && st.Finished {
				res := st.Result
				p.restart = &res
			}
			if p.statusFor != st.Runs {
				// The broker now runs with the run's persistence: the
				// selector follows it again.
				p.statusFor, p.persistence = st.Runs, ""
				p.loadStatus(ctx)
			}
		}
	}

	if st := willRuns.State(); st.Runs > 0 {
		p.crashing, p.will, p.willErr = st.Progress.Leave, nil, st.Err
		if !st.Running {
			p.crashing = ""
			if st.Err == nil && st.Finished {
				res := st.Result
				p.will = &res
			}
		}
	}
}

// ranAway says whether the run shown in the slot named name was going
// when this page was drawn: it went on while the learner was away.
func (p *faultsPage) ranAway(name string, runs int) bool {
	before, ok := p.before[name]
	return ok && runs == before
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
		ctx.Dispatch(func(ctx app.Context) {
			p.brokerStatus, p.statusErr = &st, err
			if err != nil {
				// Ask again: the error goes once the server answers.
				ctx.After(statusRetry, p.loadStatus)
			}
		})
	})
}

// statusRetry is how soon the page asks again for a broker status it
// could not get.
const statusRetry = 5 * time.Second

// The broker's mode and persistence as the API names them, in words.
var (
	brokerNames = map[string]i18n.Msg{"mosquitto": i18n.BrokerMosquitto, "embedded": i18n.BrokerEmbedded, "external": i18n.BrokerExternal, intab.ModeInTab: i18n.BrokerInTab,
		brokerapi.ModeNATSCluster: i18n.BrokerNATSCluster, brokerapi.ModeCluster: i18n.BrokerNATSCluster}
	persistenceNames = map[string]i18n.Msg{"off": i18n.PersistOffShort, "on": i18n.PersistOnShort, "default": i18n.PersistDefShort}
	// persistenceLabels are the selector's options (brokerapi.PersistenceChoices).
	persistenceLabels = map[string]i18n.Msg{"default": i18n.PersistDefault, "on": i18n.PersistOn, "off": i18n.PersistOff,
		brokerapi.PersistenceJetStream: i18n.PersistJetStream, brokerapi.PersistenceUnknown: i18n.PersistUnknown}
)

// lessonExplains say each point a lesson's result makes.
var lessonExplains = map[faultlab.LessonPoint]i18n.Msg{
	faultlab.LessonAtMostOnce: i18n.LessonExplain0, faultlab.LessonAtLeastOnce: i18n.LessonExplain1, faultlab.LessonExactlyOnce: i18n.LessonExplain2,
	faultlab.LessonBrokerFirst: i18n.LessonExplain2Rec, faultlab.LessonQoS2Dup: i18n.LessonExplain2Dup,
}

// restartExplains say what each outcome of a restart shows.
var restartExplains = map[faultlab.RestartOutcome]i18n.Msg{
	faultlab.RestartKept: i18n.RestartExplainKept, faultlab.RestartLostOff: i18n.RestartExplainOff, faultlab.RestartLostCrash: i18n.RestartExplainCrash,
}

var restartSteps = map[string]i18n.Msg{
	faultlab.RestartStepPrepare: i18n.StepPrepare, faultlab.RestartStepAway: i18n.StepAway, faultlab.RestartStepQueue: i18n.StepQueue,
	faultlab.RestartStepRestart: i18n.StepRestart, faultlab.RestartStepReturn: i18n.StepReturn,
}

// chosenPersistence is the persistence the restart will run with: the
// learner's choice, else the broker's own.
func (p *faultsPage) chosenPersistence() string {
	return brokerapi.ChosenPersistence(p.brokerStatus, p.persistence)
}

// changesPersistence says whether the restart would switch the shared
// broker to another persistence than it runs with.
func (p *faultsPage) changesPersistence() bool {
	return brokerapi.ChangesPersistence(p.brokerStatus, p.persistence)
}

func (p *faultsPage) onPersistence(ctx app.Context, e app.Event) {
	p.persistence = ctx.JSSrc().Get("value").String()
	p.confirming, p.restartErr = false, nil
}

// onRestart runs the restart, or first asks when it would switch the
// shared broker's persistence (issue 13, item 4).
func (p *faultsPage) onRestart(ctx app.Context, e app.Event) {
	if p.busy {
		return
	}
	if p.changesPersistence() {
		p.confirming = true
		return
	}
	p.runRestart(ctx)
}

func (p *faultsPage) onRestartConfirm(ctx app.Context, e app.Event) {
	p.confirming = false
	p.runRestart(ctx)
}

func (p *faultsPage) onRestartCancel(ctx app.Context, e app.Event) {
	p.confirming, p.persistence = false, ""
}

func (p *faultsPage) runRestart(ctx app.Context) {
	persistence, kill := p.chosenPersistence(), p.kill
	cfg := faultlab.RestartConfig{URL: brokerURL(), APIBase: origin(), IDPrefix: tabID(), Persistence: persistence, Kill: kill}
	if p.broker.InTab {
		cfg.Restart = intab.Restart
	}
	p.restartErr = p.follow(ctx)(restartRuns.Start(restartRun{Persistence: persistence, Kill: kill},
		func(update func(func(*restartRun))) (faultlab.RestartResult, error) {
			cfg.OnStep = func(s string) { update(func(r *restartRun) { r.Step = s }) }
			return faultlab.RunRestart(context.Background(), cfg)
		}))
}

func (p *faultsPage) onSelect(seq int) app.EventHandler {
	return func(ctx app.Context, e app.Event) { p.selected = seq }
}

// follow returns what follows a run a slot's Start began (done), or says
// why it did not begin: the page redraws while the run goes on and once
// after.
//
// It redraws through the page's own context (OnMount's): a context of an
// event names the element clicked as the source of its dispatches, and
// go-app drops every dispatch whose source has left the page, as the
// confirmation's button does at once.
func (p *faultsPage) follow(ctx app.Context) func(done <-chan struct{}, err error) error {
	return func(done <-chan struct{}, err error) error {
		if err != nil {
			return err
		}
		p.sync(ctx)
		whileRunning(p.ctx, done, p.sync)
		return nil
	}
}

func (p *faultsPage) onLesson(qos byte) app.EventHandler {
	return func(ctx app.Context, e app.Event) { p.runLesson(ctx, qos, checkpoints.ByLearner) }
}

func (p *faultsPage) runLesson(ctx app.Context, qos byte, by checkpoints.Starter) {
	if p.busy {
		return
	}
	if currentBroker().InTab {
		p.lessonErr = newUIError(i18n.FaultsNeedServer) // a link's autorun may ask
		return
	}
	p.selected, p.linkErr = 0, nil
	p.cap.saved, p.cap.err = "", nil // a new lesson's packets: nothing of them saved yet
	url, prefix := brokerURL(), tabID()
	tapped := &packetLog{}
	tap := wiretap.New(func(pk wiretap.Packet) { tapped.add(pk, func() {}) })
	p.lessonErr = p.follow(ctx)(lessonRuns.Start(lessonRun{QoS: int(qos), Log: tapped, By: by},
		func(func(func(*lessonRun))) (faultlab.LessonResult, error) {
			return faultlab.RunLesson(context.Background(), faultlab.LessonConfig{
				URL: url, IDPrefix: prefix, QoS: qos, WrapPublisher: tap.Wrap,
			})
		}))
}

// The random-cut run's fields: their limits, and the error each shows
// under itself as the learner types.
func (p *faultsPage) blipFieldErrors() (n, lo, hi error) {
	n = fieldError(i18n.BlipsMessages, p.messages, 1, 100_000)
	lo = fieldError(i18n.BlipsCutMin, p.cutMin, 1, 10_000)
	hi = fieldError(i18n.BlipsCutMax, p.cutMax, 1, 10_000)
	if lo == nil && hi == nil {
		min, _ := strconv.Atoi(p.cutMin)
		if max, _ := strconv.Atoi(p.cutMax); max < min {
			hi = newUIError(i18n.FaultErrCutMax, min)
		}
	}
	return n, lo, hi
}

func (p *faultsPage) onBlips(ctx app.Context, e app.Event) {
	if p.busy {
		return
	}
	if a, b, c := p.blipFieldErrors(); a != nil || b != nil || c != nil {
		return // each field says what is wrong with it
	}
	n, _ := strconv.Atoi(p.messages)
	lo, _ := strconv.Atoi(p.cutMin)
	hi, _ := strconv.Atoi(p.cutMax)
	p.runBlips(ctx, n, lo, hi)
}

func (p *faultsPage) runBlips(ctx app.Context, n, lo, hi int) {
	url, prefix := brokerURL(), tabID()
	link, _ := netcond.PresetByID(p.blipNet) // the zero preset: the server's own network
	p.blipsErr = p.follow(ctx)(blipRuns.Start(blipRun{Messages: p.messages, CutMin: p.cutMin, CutMax: p.cutMax, Net: p.blipNet, QoS: 0},
		func(update func(func(*blipRun))) (struct{}, error) {
			for _, qos := range []byte{0, 1, 2} {
				update(func(r *blipRun) { r.QoS, r.Progress = int(qos), faultlab.BlipProgress{} })
				res, err := faultlab.RunBlips(context.Background(), faultlab.BlipConfig{
					URL: url, IDPrefix: prefix, QoS: qos, Messages: n,
					Gap:    faultlab.BlipGap(qos),
					CutMin: lo, CutMax: hi, CutPublisher: true, CutSubscriber: true,
					Seed:   time.Now().UnixNano(),
					Settle: time.Minute,
					Net:    link.Conditions,
					OnProgress: func(pr faultlab.BlipProgress) {
						update(func(r *blipRun) { r.Progress = pr })
					},
				})
				// A new slice each time: the page holds the old ones.
				update(func(r *blipRun) { r.Results = append(r.Results[:len(r.Results):len(r.Results)], res) })
				if err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		}))
}

func (p *faultsPage) onCrash(ctx app.Context, e app.Event) {
	// One handler for the three buttons: each says which it is in its
	// data-leave (go-app keeps the first closure of a literal).
	leave := ctx.JSSrc().Get("dataset").Get("leave").String()
	if p.busy || fieldError(i18n.CrashKeepAlive, p.keepAlive, 1, 60) != nil {
		return
	}
	ka, _ := strconv.Atoi(p.keepAlive)
	url, prefix := brokerURL(), tabID()
	p.willErr = p.follow(ctx)(willRuns.Start(willRun{Leave: leave, KeepAlive: p.keepAlive},
		func(func(func(*willRun))) (faultlab.WillResult, error) {
			return faultlab.RunWill(context.Background(), faultlab.WillConfig{
				URL: url, IDPrefix: prefix, Leave: leave, KeepAlive: time.Duration(ka) * time.Second,
			})
		}))
}

// checkedNumberField is a number input bound to *v whose error, if any,
// shows right under it as the learner types and goes when the value is
// right (the browser's own validation bubble would speak the browser's
// language).
func checkedNumberField(b binder, label i18n.Msg, id string, v *string, min, max int, err error) app.UI {
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(label.In(b.lang)),
		app.Input().ID(id).Type("number").Attr("min", strconv.Itoa(min)).Attr("max", strconv.Itoa(max)).Value(*v).Disabled(b.disabled).
			Aria("invalid", strconv.FormatBool(err != nil)).Aria("describedby", id+"-error").
			OnInput(b.c.ValueTo(v)),
		app.P().ID(id+"-error").Class("error", "field-error").Attr("role", "alert").Hidden(err == nil).Text(faultErrText(b.lang, err)),
	)
}

// runError is the line under a section's buttons that says why its run
// failed or did not start.
func runError(l i18n.Lang, id string, err error) app.UI {
	return app.P().ID(id).Class("error").Attr("role", "alert").Hidden(err == nil).Text(faultErrText(l, err))
}

// Render draws the page.
func (p *faultsPage) Render() app.UI {
	l := p.lang
	return app.Div().Class("page", "faults-page").Body(
		pageHeader(l, p.embed, "/lab/faults", nil),
		app.Main().Class("grid").Body(
			app.Section().Class("card", "wide").Aria("labelledby", "h-faults").Body(
				app.H2().ID("h-faults").Text(i18n.NavFaults.In(l)),
				app.P().Class("help").Text(i18n.FaultsIntro.In(l)),
			),
			app.If(p.broker.InTab, app.Section().ID("faults-need-server").Class("card", "wide").Body(
				app.P().Class("help").Text(i18n.FaultsNeedServer.In(l)),
				app.P().Class("help").Text(i18n.InTabSaving.In(l)),
			)).Else(
				p.renderLesson(),
				app.If(p.lessonQoS >= 0, renderSequence(l, p.packets, p.selected, p.onSelect)),
				app.If(p.lessonQoS >= 0, renderCaptureCard(l, &p.cap, len(p.packets), false, p.onCapClick, p.onCapClick)),
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
		// The link's lesson= and the lesson's own errors, under its buttons.
		errorLine(l, "lab-error", p.linkErr),
		runError(l, "lesson-error", p.lessonErr),
		app.If(faultRuns.Running() == "lesson", app.P().ID("lesson-status").Attr("role", "status").Attr("data-running", "true").Text(tr(l, i18n.LessonRunning, p.lessonQoS))),
		app.If(p.ranAway("lesson", lessonRuns.State().Runs), app.P().Class("muted").ID("lesson-away").Text(i18n.FaultsRanAway.In(l))),
		app.If(r != nil, func() app.UI {
			if r == nil {
				return nil
			}
			points := r.Points()
			return app.Div().ID("lesson-result").Attr("data-qos", strconv.Itoa(int(r.QoS))).
				Attr("data-resent", strconv.FormatBool(r.Resent)).
				Attr("data-delivered", strconv.Itoa(r.Delivered())).
				Attr("data-processed", strconv.Itoa(r.Stats.SuccessfullyProcessed)).Body(
				app.Dl().Class("facts").Body(
					app.Dt().Text(i18n.LessonCutFact.In(l)), app.Dd().Body(app.Code().Class("data").Text(faultCutText(l, r.Cut))),
					app.Dt().Text(i18n.LessonResentFact.In(l)), app.Dd().Text(yesNo(l, r.Resent)),
					app.Dt().Text(i18n.LessonConfirmFact.In(l)), app.Dd().Text(yesNo(l, r.Confirmed)),
					app.Dt().Text(i18n.LessonDelivered.In(l)), app.Dd().Text(strconv.Itoa(r.Delivered())),
					app.Dt().Text(i18n.LessonProcessed.In(l)), app.Dd().Text(strconv.Itoa(r.Stats.SuccessfullyProcessed)),
				),
				app.Range(points).Slice(func(i int) app.UI {
					return app.P().Class("explain").Text(lessonExplains[points[i]].In(l))
				}),
			)
		}()),
	)
}

func (p *faultsPage) renderBlips() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.busy}
	status := ""
	if p.blipQoS >= 0 {
		pr := p.blipProgress
		status = tr(l, i18n.BlipsRunning, p.blipQoS, pr.Published, pr.Received, pr.PublisherCuts+pr.SubscriberCuts)
	} else if len(p.blips) > 0 {
		status = i18n.BlipsDone.In(l)
	}
	nErr, minErr, maxErr := p.blipFieldErrors()
	return app.Section().Class("card", "wide").Aria("labelledby", "h-blips").Body(
		app.H2().ID("h-blips").Text(i18n.BlipsHeading.In(l)),
		app.P().Class("help").Text(i18n.BlipsHelp.In(l)+" "+i18n.BlipsPace.In(l)),
		field(l, i18n.BlipsLink.In(l), "blips-net",
			app.Select().ID("blips-net").Disabled(p.busy).OnChange(p.onBlipsNet).Body(p.blipNetOptions()...), i18n.BlipsLinkHelp),
		app.Div().Class("field-row").Body(
			checkedNumberField(b, i18n.BlipsMessages, "blips-n", &p.messages, 1, 100000, nErr),
			checkedNumberField(b, i18n.BlipsCutMin, "blips-min", &p.cutMin, 1, 10000, minErr),
			checkedNumberField(b, i18n.BlipsCutMax, "blips-max", &p.cutMax, 1, 10000, maxErr),
		),
		app.Div().Class("buttons").Body(
			app.Button().ID("run-blips").Type("button").Class("primary").Disabled(p.busy || nErr != nil || minErr != nil || maxErr != nil).
				OnClick(p.onBlips).Text(i18n.BlipsRun.In(l)),
		),
		runError(l, "blips-error", p.blipsErr),
		app.If(p.ranAway("blips", blipRuns.State().Runs), app.P().Class("muted").ID("blips-away").Text(i18n.FaultsRanAway.In(l))),
		app.P().ID("blips-status").Attr("role", "status").
			Attr("data-done", strconv.FormatBool(p.blipQoS < 0 && len(p.blips) == 3)).Text(status),
		app.If(len(p.blips) > 0, blipsResults(l, p.brokerMode(), p.blips)),
	)
}

// blipNetOptions are the links the random-cut run can go over: the
// server's own network and the playground's presets, their numbers shown
// (the run keeps its own cut range).
func (p *faultsPage) blipNetOptions() []app.UI {
	l := p.lang
	options := []app.UI{app.Option().Value("").Selected(p.blipNet == "").Text(i18n.NetPerfect.In(l))}
	for _, pr := range netcond.Presets {
		pr.CutMin, pr.CutMax = 0, 0
		options = append(options, app.Option().Value(pr.ID).Selected(p.blipNet == pr.ID).
			Text(netPresetNames[pr.ID].In(l)+" — "+netNumbers(l, pr)))
	}
	return options
}

func (p *faultsPage) onBlipsNet(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("value").String()
	if _, ok := netcond.PresetByID(id); !ok {
		id = ""
	}
	p.blipNet = id
}

func (p *faultsPage) renderCrash() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.busy}
	kaErr := fieldError(i18n.CrashKeepAlive, p.keepAlive, 1, 60)
	leaves := []struct {
		id    string
		label i18n.Msg
	}{{faultlab.LeaveCrash, i18n.CrashCrash}, {faultlab.LeaveFreeze, i18n.CrashFreeze}, {faultlab.LeaveDisconnect, i18n.CrashDisconnect}}
	labelOf := map[string]i18n.Msg{}
	for _, lv := range leaves {
		labelOf[lv.id] = lv.label
	}
	return app.Section().Class("card", "wide").Aria("labelledby", "h-crash").Body(
		app.H2().ID("h-crash").Text(i18n.CrashHeading.In(l)),
		app.P().Class("help").Text(i18n.CrashHelp.In(l)),
		checkedNumberField(b, i18n.CrashKeepAlive, "crash-keepalive", &p.keepAlive, 1, 60, kaErr),
		app.Div().Class("buttons").Body(
			app.Range(leaves).Slice(func(i int) app.UI {
				lv := leaves[i]
				return app.Button().ID("leave-"+lv.id).Type("button").DataSet("leave", lv.id).
					Disabled(p.busy || kaErr != nil).OnClick(p.onCrash).Text(lv.label.In(l))
			}),
		),
		runError(l, "will-error", p.willErr),
		app.If(p.crashing != "", app.P().ID("will-status").Attr("role", "status").Text(i18n.CrashRunning.In(l))),
		app.If(p.ranAway("will", willRuns.State().Runs), app.P().Class("muted").ID("will-away").Text(i18n.FaultsRanAway.In(l))),
		app.If(p.will != nil, func() app.UI {
			w := p.will
			if w == nil {
				return nil
			}
			text := tr(l, i18n.CrashNone, labelOf[w.Leave].In(l))
			explain := i18n.CrashExplainBye
			if w.Delivered {
				text = tr(l, i18n.CrashDelivered, labelOf[w.Leave].In(l), tr(l, i18n.FaultSeconds, w.After.Seconds()))
				explain = map[string]i18n.Msg{faultlab.LeaveCrash: i18n.CrashExplainOpen, faultlab.LeaveFreeze: i18n.CrashExplainIdle}[w.Leave]
			}
			return app.Div().ID("will-result").Attr("data-leave", w.Leave).Attr("data-delivered", strconv.FormatBool(w.Delivered)).Body(
				app.P().Attr("role", "status").Text(text),
				app.P().Class("explain").Text(explain.In(l)),
			)
		}()),
	)
}

// natsDifferences lists what a NATS Server cluster does differently from
// Mosquitto for the lessons; nothing for another broker. QoS 2 differs
// only on a cluster that may run NATS Server as released.
func natsDifferences(l i18n.Lang, st *brokerapi.Status) app.UI {
	if st == nil || !brokerapi.IsCluster(st.Mode) {
		return nil
	}
	items := []i18n.Msg{i18n.NATSDiffTopics, i18n.NATSDiffRedeliver, i18n.NATSDiffExpiry, i18n.NATSDiffMQTT5}
	if brokerapi.MayBeStockNATS(st.Mode) {
		items = append(items, i18n.NATSDiffQoS2)
	}
	return app.Div().ID("nats-differences").Class("help").Body(
		app.P().Text(i18n.NATSDiffHeading.In(l)),
		app.Ul().Body(app.Range(items).Slice(func(i int) app.UI {
			return app.Li().Text(items[i].In(l))
		})),
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
		statusLine = app.P().ID("restart-status").Class("error").Attr("role", "alert").Text(faultErrText(l, p.statusErr))
	case st != nil && !st.RestartAllowed:
		statusLine = app.P().ID("restart-status").Class("muted").Attr("data-allowed", "false").
			Text(tr(l, i18n.RestartNotAllowed, whyNotText(l, st.WhyNot, st.ReasonIfNot)))
	case st != nil:
		statusLine = app.P().ID("restart-status").Class("muted").Attr("data-allowed", "true").
			Attr("data-persistence", st.Persistence).
			Text(tr(l, i18n.RestartBroker, brokerNames[st.Mode], persistenceNames[st.Persistence]))
	}
	var options []string
	if st != nil {
		options = brokerapi.PersistenceChoices(st.Mode)
	} else {
		options = brokerapi.PersistenceChoices("")
	}
	chosen := p.chosenPersistence()
	// What the selector shows until the broker's status is known: nothing
	// chosen, rather than a setting the broker may not have.
	var note app.UI
	switch {
	case p.changesPersistence():
		note = app.P().ID("restart-switch").Class("warn-note").Text(tr(l, i18n.RestartWillSwitch, persistenceNames[st.Persistence]))
	case st != nil && allowed:
		note = app.Small().ID("restart-keeps").Class("help").Text(i18n.RestartKeeps.In(l))
	}
	return app.Section().Class("card", "wide").Aria("labelledby", "h-restart").Body(
		app.H2().ID("h-restart").Text(i18n.RestartHeading.In(l)),
		app.P().Class("help").Text(i18n.RestartHelp.In(l)),
		statusLine,
		natsDifferences(l, st),
		app.Div().Class("field").Body(
			app.Label().For("restart-persistence").Text(i18n.RestartPersistence.In(l)),
			app.Select().ID("restart-persistence").Disabled(p.busy || !allowed).Attr("data-value", chosen).OnChange(p.onPersistence).Body(
				app.Range(options).Slice(func(i int) app.UI {
					o := options[i]
					return app.Option().Value(o).Selected(o == chosen).Text(persistenceLabels[o].In(l))
				}),
			),
			note,
		),
		b.checkField("restart-kill", &p.kill, i18n.RestartCrash, i18n.Msg{}),
		app.Div().Class("buttons").Body(
			app.Button().ID("run-restart").Type("button").Class("primary").Disabled(p.busy || !allowed || p.confirming).OnClick(p.onRestart).Text(i18n.RestartRun.In(l)),
		),
		app.If(p.confirming && st != nil, func() app.UI {
			if st == nil {
				return nil
			}
			return app.Div().ID("restart-confirm").Class("confirm").Attr("role", "alertdialog").Aria("labelledby", "restart-confirm-text").Body(
				app.P().ID("restart-confirm-text").Text(tr(l, i18n.RestartConfirmText, persistenceNames[st.Persistence], persistenceNames[chosen])),
				app.Div().Class("buttons").Body(
					app.Button().ID("restart-confirm-yes").Type("button").Class("primary").OnClick(p.onRestartConfirm).Text(i18n.RestartConfirmYes.In(l)),
					app.Button().ID("restart-confirm-no").Type("button").OnClick(p.onRestartCancel).Text(i18n.RestartConfirmNo.In(l)),
				),
			)
		}()),
		runError(l, "restart-error", p.restartErr),
		app.If(p.restartStep != "", app.P().ID("restart-step").Attr("role", "status").Text(tr(l, i18n.RestartStepMsg, restartSteps[p.restartStep].In(l)))),
		app.If(p.ranAway("restart", restartRuns.State().Runs), app.P().Class("muted").ID("restart-away").Text(i18n.FaultsRanAway.In(l))),
		app.If(p.restart != nil, func() app.UI {
			r := p.restart
			if r == nil {
				return nil
			}
			lost, sent := r.Totals()
			explain := restartExplains[r.Outcome()]
			return app.Div().ID("restart-result").Attr("data-lost", strconv.Itoa(lost)).
				Attr("data-session-present", strconv.FormatBool(r.SessionPresent)).Body(
				app.P().Attr("role", "status").Text(tr(l, i18n.RestartResultText, yesNo(l, r.SessionPresent), lost, sent, r.TookMS)),
				ledgerTable(l, "restart-ledger", r.Ledger),
				app.P().Class("explain").Text(explain.In(l)),
			)
		}()),
	)
}

// brokerMode is the broker's mode as /api/broker names it, "" until known.
func (p *faultsPage) brokerMode() string {
	if p.brokerStatus == nil {
		return ""
	}
	return p.brokerStatus.Mode
}
