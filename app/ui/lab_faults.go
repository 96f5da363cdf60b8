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
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
	"qosplayground/app/labrun"
	"qosplayground/app/netcond"
	"qosplayground/app/tabbroker"
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
	// while the learner was elsewhere.
	before labrun.Going
	form   faultlab.Form // the settings of every section

	// One-click lesson.
	lessonQoS int // the QoS of the lesson running or shown; -1 before any
	lesson    *faultlab.LessonResult
	lessonErr error
	packets   []wiretap.Packet
	selected  int
	picked    labrun.Seen // the lesson run whose resend was selected for the learner

	// Counted blips.
	blipQoS      int // running, -1 when idle
	blipProgress faultlab.BlipProgress
	blips        []faultlab.BlipResult
	blipsErr     error

	sbs sbsForm // QoS side by side (lab_sidebyside.go)

	// Broker restart.
	broker       tabbroker.Broker // on the in-tab broker only the restart works
	brokerStatus *brokerapi.Status
	statusErr    error
	confirming   bool // the restart would change the shared broker's persistence: asking first
	restartStep  string
	restart      *faultlab.RestartResult
	restartErr   error
	statusFor    labrun.Seen // the restart run after which the broker's status was read

	cap captureForm // the lesson's packets saved as pcapng or JSON (capture.go)

	// Client crash.
	crashing string
	will     *faultlab.WillResult
	willErr  error
}

func newFaultsPage() *faultsPage {
	return &faultsPage{lang: firstLang(), embed: tabEmbed(), lessonQoS: -1, blipQoS: -1, form: faultlab.NewForm(), sbs: newSbsForm()}
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
	ls, bs, rs, ws := lessonRuns.State(), blipRuns.State(), restartRuns.State(), willRuns.State()
	p.before = labrun.Going{}
	p.before.Note("lesson", ls.Runs, ls.Running)
	p.before.Note("blips", bs.Runs, bs.Running)
	p.before.Note("restart", rs.Runs, rs.Running)
	p.before.Note("will", ws.Runs, ws.Running)
	// loadStatus above reads the broker as it is now: again only after
	// the next restart, or the one going on now.
	p.statusFor = labrun.Seen(rs.Ended())
	// The settings of the latest runs, so that what is shown matches.
	p.form.Restore(bs, rs, ws)
	p.sync(ctx)
	if faultRuns.Running() != "" {
		p.watch(ctx)
	}
	qos, start, err := expconfig.LessonAtMount(linkQuery(), p.busy)
	if err != nil {
		p.linkErr = newUIError(i18n.FaultLinkLesson, linkQuery().Get("lesson"))
	}
	if start {
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
		p.lessonQoS = st.Progress.QoS
		p.packets = st.Progress.Log.Newest()
		p.lesson, p.lessonErr = st.Outcome()
		if p.lesson != nil {
			recordFacts(ctx, checkpoints.Duplicates(st.Progress.By, p.lesson.Stats)...)
		}
		// Select the resend, the packet the lesson is about, once: the
		// learner may pick another afterwards.
		if st.Finished && p.picked.First(st.Runs) {
			if p.lesson != nil {
				setLastExperiment(ctx, board.LessonSummary(*p.lesson), nil)
			}
			if seq, ok := faultlab.FirstResend(p.packets); ok {
				p.selected = seq
			}
		}
	}

	if st := blipRuns.State(); st.Runs > 0 {
		p.blips = append([]faultlab.BlipResult(nil), st.Progress.Results...)
		p.blipProgress, p.blipQoS, p.blipsErr = st.Progress.Progress, faultlab.RunningQoS(st), st.Err
		if !st.Running {
			for _, r := range p.blips {
				// Counted blips start only by the learner's click.
				recordFacts(ctx, checkpoints.Duplicates(checkpoints.ByLearner, r.Stats)...)
			}
		}
	}

	p.syncSideBySide()

	if st := restartRuns.State(); st.Runs > 0 {
		p.restartStep = faultlab.RestartStep(st)
		p.restart, p.restartErr = st.Outcome()
		if p.statusFor.First(st.Ended()) {
			// The broker now runs with the run's persistence: the
			// selector follows it again.
			p.form.Persistence = ""
			p.loadStatus(ctx)
		}
	}

	if st := willRuns.State(); st.Runs > 0 {
		p.crashing = faultlab.Leaving(st)
		p.will, p.willErr = st.Outcome()
	}
}

// origin is this page's scheme and host: the server's API.
func origin() string {
	u := app.Window().URL()
	return u.Scheme + "://" + u.Host
}

func (p *faultsPage) loadStatus(ctx app.Context) {
	b := p.broker
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), b.StatusTimeout())
		defer cancel()
		st, err := b.Status(c)
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

// chosenPersistence is the persistence the restart will run with: the
// learner's choice, else the broker's own.
func (p *faultsPage) chosenPersistence() string {
	return brokerapi.ChosenPersistence(p.brokerStatus, p.form.Persistence)
}

// changesPersistence says whether the restart would switch the shared
// broker to another persistence than it runs with.
func (p *faultsPage) changesPersistence() bool {
	return brokerapi.ChangesPersistence(p.brokerStatus, p.form.Persistence)
}

func (p *faultsPage) onPersistence(ctx app.Context, e app.Event) {
	p.form.Persistence = ctx.JSSrc().Get("value").String()
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
	p.confirming, p.form.Persistence = false, ""
}

func (p *faultsPage) runRestart(ctx app.Context) {
	persistence, kill := p.chosenPersistence(), p.form.Kill
	cfg := faultlab.RestartConfig{URL: brokerURL(ctx), APIBase: origin(), IDPrefix: tabID(), Persistence: persistence, Kill: kill, Restart: p.broker.Restarter()}
	p.restartErr = p.follow(ctx)(restartRuns.Start(faultlab.RestartRun{Persistence: persistence, Kill: kill},
		func(update func(func(*faultlab.RestartRun))) (faultlab.RestartResult, error) {
			cfg.OnStep = func(s string) { update(func(r *faultlab.RestartRun) { r.Step = s }) }
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
	if err := faultlab.NeedsServer(!currentBroker(ctx).ThroughGateway()); err != nil {
		p.lessonErr = err // a link's autorun may ask
		return
	}
	p.selected, p.linkErr = 0, nil
	p.cap.saved, p.cap.err = "", nil // a new lesson's packets: nothing of them saved yet
	url, prefix := brokerURL(ctx), tabID()
	tapped := &wiretap.Log{}
	tap := wiretap.New(tapped.Add)
	p.lessonErr = p.follow(ctx)(lessonRuns.Start(faultlab.LessonRun{QoS: int(qos), Log: tapped, By: by},
		func(func(func(*faultlab.LessonRun))) (faultlab.LessonResult, error) {
			return faultlab.RunLesson(context.Background(), faultlab.LessonConfig{
				URL: url, IDPrefix: prefix, QoS: qos, WrapPublisher: tap.Wrap,
			})
		}))
}

// blipFieldErrors are the errors the random-cut run's fields show under
// themselves as the learner types (formcheck.Blips).
func (p *faultsPage) blipFieldErrors() (n, lo, hi error) {
	_, es := p.blipsForm().Check()
	return es.Of(formcheck.BlipsMessages), es.Of(formcheck.BlipsCutMin), es.Of(formcheck.BlipsCutMax)
}

func (p *faultsPage) blipsForm() formcheck.Blips {
	return formcheck.Blips{Messages: p.form.Messages, CutMin: p.form.CutMin, CutMax: p.form.CutMax}
}

func (p *faultsPage) onBlips(ctx app.Context, e app.Event) {
	if p.busy {
		return
	}
	run, es := p.blipsForm().Check()
	if len(es) > 0 {
		return // each field says what is wrong with it
	}
	p.runBlips(ctx, run.Messages, run.CutMin, run.CutMax)
}

func (p *faultsPage) runBlips(ctx app.Context, n, lo, hi int) {
	url, prefix := brokerURL(ctx), tabID()
	link, _ := netcond.PresetByID(p.form.Net) // the zero preset: the server's own network
	p.blipsErr = p.follow(ctx)(blipRuns.Start(faultlab.BlipRun{Messages: p.form.Messages, CutMin: p.form.CutMin, CutMax: p.form.CutMax, Net: p.form.Net, QoS: 0},
		func(update func(func(*faultlab.BlipRun))) (struct{}, error) {
			for _, qos := range []byte{0, 1, 2} {
				update(func(r *faultlab.BlipRun) { r.QoS, r.Progress = int(qos), faultlab.BlipProgress{} })
				res, err := faultlab.RunBlips(context.Background(), faultlab.BlipConfig{
					URL: url, IDPrefix: prefix, QoS: qos, Messages: n,
					Gap:    faultlab.BlipGap(qos),
					CutMin: lo, CutMax: hi, CutPublisher: true, CutSubscriber: true,
					Seed:   time.Now().UnixNano(),
					Settle: time.Minute,
					Net:    link.Conditions,
					OnProgress: func(pr faultlab.BlipProgress) {
						update(func(r *faultlab.BlipRun) { r.Progress = pr })
					},
				})
				// A new slice each time: the page holds the old ones.
				update(func(r *faultlab.BlipRun) { r.Results = append(r.Results[:len(r.Results):len(r.Results)], res) })
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
	ka, err := formcheck.CrashKeepAliveSeconds(p.form.KeepAlive)
	if p.busy || err != nil {
		return
	}
	url, prefix := brokerURL(ctx), tabID()
	p.willErr = p.follow(ctx)(willRuns.Start(faultlab.WillRun{Leave: leave, KeepAlive: p.form.KeepAlive},
		func(func(func(*faultlab.WillRun))) (faultlab.WillResult, error) {
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
			app.If(!p.broker.ThroughGateway(), app.Section().ID("faults-need-server").Class("card", "wide").Body(
				app.P().Class("help").Text(i18n.FaultsNeedServer.In(l)),
				app.P().Class("help").Text(i18n.InTabSaving.In(l)),
			)).Else(
				p.renderLesson(),
				app.If(p.lessonQoS >= 0, renderSequence(l, p.packets, p.selected, p.onSelect)),
				app.If(p.lessonQoS >= 0, renderCaptureCard(l, &p.cap, len(p.packets), false, p.onCapClick, p.onCapClick)),
				p.renderBlips(),
				p.renderSideBySide(),
			),
			p.renderRestart(),
			app.If(p.broker.ThroughGateway(), p.renderCrash()),
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
		app.If(p.before.RanAway("lesson", lessonRuns.State().Runs), app.P().Class("muted").ID("lesson-away").Text(i18n.FaultsRanAway.In(l))),
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
					return app.P().Class("explain").Text(points[i].Text().In(l))
				}),
			)
		}()),
	)
}

func (p *faultsPage) renderBlips() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.busy}
	status := ""
	if text, ok := faultlab.BlipStatus(p.blipQoS, p.blipProgress, len(p.blips)); ok {
		status = say(l, text)
	}
	nErr, minErr, maxErr := p.blipFieldErrors()
	return app.Section().Class("card", "wide").Aria("labelledby", "h-blips").Body(
		app.H2().ID("h-blips").Text(i18n.BlipsHeading.In(l)),
		app.P().Class("help").Text(i18n.BlipsHelp.In(l)+" "+i18n.BlipsPace.In(l)),
		field(l, i18n.BlipsLink.In(l), "blips-net",
			app.Select().ID("blips-net").Disabled(p.busy).OnChange(p.onBlipsNet).Body(presetOptions(l, p.form.Net, false)...), i18n.BlipsLinkHelp),
		app.Div().Class("field-row").Body(
			checkedNumberField(b, i18n.BlipsMessages, string(formcheck.BlipsMessages), &p.form.Messages, 1, formcheck.MaxBlipMessages, nErr),
			checkedNumberField(b, i18n.BlipsCutMin, string(formcheck.BlipsCutMin), &p.form.CutMin, 1, formcheck.MaxCut, minErr),
			checkedNumberField(b, i18n.BlipsCutMax, string(formcheck.BlipsCutMax), &p.form.CutMax, 1, formcheck.MaxCut, maxErr),
		),
		app.Div().Class("buttons").Body(
			app.Button().ID("run-blips").Type("button").Class("primary").Disabled(p.busy || nErr != nil || minErr != nil || maxErr != nil).
				OnClick(p.onBlips).Text(i18n.BlipsRun.In(l)),
		),
		runError(l, "blips-error", p.blipsErr),
		app.If(p.before.RanAway("blips", blipRuns.State().Runs), app.P().Class("muted").ID("blips-away").Text(i18n.FaultsRanAway.In(l))),
		app.P().ID("blips-status").Attr("role", "status").
			Attr("data-done", strconv.FormatBool(faultlab.BlipsDone(p.blipQoS, len(p.blips)))).Text(status),
		app.If(len(p.blips) > 0, blipsResults(l, p.brokerMode(), p.blips)),
	)
}

func (p *faultsPage) onBlipsNet(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("value").String()
	if _, ok := netcond.PresetByID(id); !ok {
		id = ""
	}
	p.form.Net = id
}

func (p *faultsPage) renderCrash() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.busy}
	_, kaErr := formcheck.CrashKeepAliveSeconds(p.form.KeepAlive)
	leaves := []string{faultlab.LeaveCrash, faultlab.LeaveFreeze, faultlab.LeaveDisconnect}
	return app.Section().Class("card", "wide").Aria("labelledby", "h-crash").Body(
		app.H2().ID("h-crash").Text(i18n.CrashHeading.In(l)),
		app.P().Class("help").Text(i18n.CrashHelp.In(l)),
		checkedNumberField(b, i18n.CrashKeepAlive, string(formcheck.CrashKeepAlive), &p.form.KeepAlive, 1, formcheck.MaxCrashKeepAlive, kaErr),
		app.Div().Class("buttons").Body(
			app.Range(leaves).Slice(func(i int) app.UI {
				lv := leaves[i]
				return app.Button().ID("leave-"+lv).Type("button").DataSet("leave", lv).
					Disabled(p.busy || kaErr != nil).OnClick(p.onCrash).Text(faultlab.LeaveLabel(lv).In(l))
			}),
		),
		runError(l, "will-error", p.willErr),
		app.If(p.crashing != "", app.P().ID("will-status").Attr("role", "status").Text(i18n.CrashRunning.In(l))),
		app.If(p.before.RanAway("will", willRuns.State().Runs), app.P().Class("muted").ID("will-away").Text(i18n.FaultsRanAway.In(l))),
		app.If(p.will != nil, func() app.UI {
			w := p.will
			if w == nil {
				return nil
			}
			headline, explain := w.Texts()
			text := tr(l, headline, faultlab.LeaveLabel(w.Leave))
			if w.Delivered {
				text = tr(l, headline, faultlab.LeaveLabel(w.Leave), phraseOf(i18n.FaultSeconds, w.After.Seconds()))
			}
			return app.Div().ID("will-result").Attr("data-leave", w.Leave).Attr("data-delivered", strconv.FormatBool(w.Delivered)).Body(
				app.P().Attr("role", "status").Text(text),
				app.P().Class("explain").Text(explain.In(l)),
			)
		}()),
	)
}

// natsDifferences lists what a NATS Server cluster does differently from
// Mosquitto for the lessons (brokerapi.Differences); nothing for another
// broker.
func natsDifferences(l i18n.Lang, st *brokerapi.Status) app.UI {
	items := brokerapi.Differences(st)
	if len(items) == 0 {
		return nil
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
	allowed := brokerapi.CanRestart(st, p.statusErr)
	var statusLine app.UI = app.P().Class("muted").Text("…")
	switch brokerapi.RestartLineOf(st, p.statusErr) {
	case brokerapi.LineError:
		statusLine = app.P().ID("restart-status").Class("error").Attr("role", "alert").Text(faultErrText(l, p.statusErr))
	case brokerapi.LineNotAllowed:
		statusLine = app.P().ID("restart-status").Class("muted").Attr("data-allowed", "false").
			Text(tr(l, i18n.RestartNotAllowed, brokerapi.WhyNotText(st.WhyNot, st.ReasonIfNot)))
	case brokerapi.LineBroker:
		statusLine = app.P().ID("restart-status").Class("muted").Attr("data-allowed", "true").
			Attr("data-persistence", st.Persistence).
			Text(tr(l, i18n.RestartBroker, brokerapi.ModeName(st.Mode), brokerapi.PersistenceName(st.Persistence)))
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
	switch brokerapi.RestartNoteOf(st, p.statusErr, p.form.Persistence) {
	case brokerapi.NoteSwitch:
		note = app.P().ID("restart-switch").Class("warn-note").Text(tr(l, i18n.RestartWillSwitch, brokerapi.PersistenceName(st.Persistence)))
	case brokerapi.NoteKeeps:
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
					return app.Option().Value(o).Selected(o == chosen).Text(brokerapi.PersistenceChoiceLabel(o).In(l))
				}),
			),
			note,
		),
		b.checkField("restart-kill", &p.form.Kill, i18n.RestartCrash, i18n.Msg{}),
		app.Div().Class("buttons").Body(
			app.Button().ID("run-restart").Type("button").Class("primary").Disabled(p.busy || !allowed || p.confirming).OnClick(p.onRestart).Text(i18n.RestartRun.In(l)),
		),
		app.If(p.confirming && st != nil, func() app.UI {
			if st == nil {
				return nil
			}
			return app.Div().ID("restart-confirm").Class("confirm").Attr("role", "alertdialog").Aria("labelledby", "restart-confirm-text").Body(
				app.P().ID("restart-confirm-text").Text(tr(l, i18n.RestartConfirmText, brokerapi.PersistenceName(st.Persistence), brokerapi.PersistenceName(chosen))),
				app.Div().Class("buttons").Body(
					app.Button().ID("restart-confirm-yes").Type("button").Class("primary").OnClick(p.onRestartConfirm).Text(i18n.RestartConfirmYes.In(l)),
					app.Button().ID("restart-confirm-no").Type("button").OnClick(p.onRestartCancel).Text(i18n.RestartConfirmNo.In(l)),
				),
			)
		}()),
		runError(l, "restart-error", p.restartErr),
		app.If(p.restartStep != "", app.P().ID("restart-step").Attr("role", "status").Text(say(l, faultlab.RestartStepText(p.restartStep)))),
		app.If(p.before.RanAway("restart", restartRuns.State().Runs), app.P().Class("muted").ID("restart-away").Text(i18n.FaultsRanAway.In(l))),
		app.If(p.restart != nil, func() app.UI {
			r := p.restart
			if r == nil {
				return nil
			}
			lost, sent := r.Totals()
			explain := r.Outcome().Text()
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
