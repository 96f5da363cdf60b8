package ui

import (
	"slices"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/checkpoints"
	"qosplayground/app/exercises"
	"qosplayground/app/i18n"
)

// stateProgress is the go-app state holding the learner's progress through
// the tutorial's checkpoints, persisted in local storage so it survives a
// reload and the PWA's next start.
const stateProgress = "qos-playground-progress"

// recordFacts adds facts to the learner's progress. It runs on the UI
// goroutine (an event handler or a Dispatch): every checklist observing the
// state ticks at once.
func recordFacts(ctx app.Context, facts ...checkpoints.Fact) {
	if len(facts) == 0 {
		return
	}
	var p checkpoints.Progress
	ctx.GetState(stateProgress, &p)
	// Pages record on every redraw of a run: copy and store only when a
	// fact is new.
	if !slices.ContainsFunc(facts, func(f checkpoints.Fact) bool { return !p.Has(f) }) {
		return
	}
	p = p.Clone()
	p.Record(time.Now(), facts...)
	ctx.SetState(stateProgress, p, app.Persist)
}

// qosFact is the fact of a completed exchange at qos.
func qosFact(qos byte) checkpoints.Fact {
	return [...]checkpoints.Fact{checkpoints.QoS0, checkpoints.QoS1, checkpoints.QoS2}[qos%3]
}

// publishFacts are the facts a publisher's records show: an exchange
// completed at each QoS among them.
func publishFacts(recs []exercises.PublishRecord) []checkpoints.Fact {
	var out []checkpoints.Fact
	seen := [3]bool{}
	for _, r := range recs {
		if (r.Status == exercises.StatusConfirmed || r.Status == exercises.StatusSentQoS0) && r.QoS <= 2 && !seen[r.QoS] {
			seen[r.QoS] = true
			out = append(out, qosFact(r.QoS))
		}
	}
	return out
}

// persistentFactsOf are the facts a persistent-session run shows.
func persistentFactsOf(r exercises.PersistentResult) []checkpoints.Fact {
	var out []checkpoints.Fact
	if r.SessionPresentReconnect {
		out = append(out, checkpoints.SessionResumed)
	}
	if !r.CleanSession && r.OfflineReceived > 0 {
		out = append(out, checkpoints.OfflineDelivered)
	}
	return out
}

// subscriberFacts are the facts a reliable subscriber's statistics show;
// retried says whether it retried a processing.
func subscriberFacts(s exercises.Stats, retried bool) []checkpoints.Fact {
	var out []checkpoints.Fact
	if s.DuplicatesDetected > 0 {
		out = append(out, checkpoints.DuplicateDetected)
	}
	if retried {
		out = append(out, checkpoints.RetryDone)
	}
	return out
}

// checkpointText is each checkpoint's line (the tutorial's words) and how
// the playground ticks it.
var checkpointText = map[checkpoints.ID][2]i18n.Msg{
	"qos-levels":         {i18n.CheckQoSLevels, i18n.CheckQoSLevelsHow},
	"persistent-session": {i18n.CheckPersistent, i18n.CheckPersistentHow},
	"duplicates":         {i18n.CheckDuplicates, i18n.CheckDuplicatesHow},
	"retries":            {i18n.CheckRetries, i18n.CheckRetriesHow},
	"qos-choice":         {i18n.CheckQoSChoice, i18n.CheckQoSChoiceHow},
}

// checklist is the tutorial's learning checkpoints, ticking themselves as
// the learner's experiments record facts.
type checklist struct {
	app.Compo
	lang       i18n.Lang
	progress   checkpoints.Progress
	confirming bool // "start over" asked: the in-page confirmation is shown
}

func (c *checklist) OnMount(ctx app.Context) {
	observeLang(ctx, &c.lang)
	ctx.ObserveState(stateProgress).Value(&c.progress)
}

// onReset asks before clearing: an in-page question, in the learner's
// language, with the safe answer focused (not window.confirm, which an
// iframe or a headless browser may answer by itself).
func (c *checklist) onReset(ctx app.Context, e app.Event) {
	c.confirming = true
	focusSoon(ctx, "reset-cancel")
}

func (c *checklist) onResetYes(ctx app.Context, e app.Event) {
	c.confirming = false
	ctx.SetState(stateProgress, checkpoints.Progress{}, app.Persist)
	focusSoon(ctx, "h-check")
}

func (c *checklist) onResetCancel(ctx app.Context, e app.Event) {
	c.confirming = false
	focusSoon(ctx, "reset-progress")
}

// onResetKey cancels the question on Escape.
func (c *checklist) onResetKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() == "Escape" {
		c.onResetCancel(ctx, e)
	}
}

// focusSoon moves the keyboard focus to element id once it is drawn.
func focusSoon(ctx app.Context, id string) {
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID(id); el.Truthy() {
			el.Call("focus")
		}
	})
}

func (c *checklist) Render() app.UI {
	l := c.lang
	statuses := c.progress.Statuses()
	return app.Section().ID("checkpoints").Class("card", "wide").Aria("labelledby", "h-check").
		Attr("data-done", strconv.Itoa(c.progress.Done())).Body(
		app.H2().ID("h-check").TabIndex(-1).Text(tr(l, i18n.CheckHeading, c.progress.Done(), len(statuses))),
		app.P().Class("help").Text(i18n.CheckHelp.In(l)+" "+i18n.CheckAutorunNote.In(l)),
		app.Ul().Class("checklist").Body(
			app.Range(statuses).Slice(func(i int) app.UI {
				s := statuses[i]
				text := checkpointText[s.ID]
				mark, state := "☐", i18n.CheckTodo
				if s.Done {
					mark, state = "☑", i18n.CheckDoneState
				}
				return app.Li().Attr("data-checkpoint", string(s.ID)).Attr("data-done", strconv.FormatBool(s.Done)).Body(
					app.Span().Class("mark").Aria("hidden", "true").Text(mark),
					app.Span().Class("visually-hidden").Text(state.In(l)+": "),
					app.Strong().Text(text[0].In(l)),
					app.Small().Class("help").Text(text[1].In(l)),
				)
			}),
		),
		app.Div().Class("buttons").Body(
			app.Button().ID("reset-progress").Type("button").Class("small").
				Disabled(c.confirming || (c.progress.Done() == 0 && len(c.progress.Facts) == 0)).
				Aria("expanded", strconv.FormatBool(c.confirming)).Aria("controls", "reset-confirm").
				OnClick(c.onReset).Text(i18n.CheckReset.In(l)),
		),
		app.Div().ID("reset-confirm").Class("confirm").Attr("role", "alertdialog").
			Aria("labelledby", "reset-ask").Hidden(!c.confirming).On("keydown", c.onResetKey).Body(
			app.P().ID("reset-ask").Text(i18n.CheckResetAsk.In(l)),
			app.Div().Class("buttons").Body(
				app.Button().ID("reset-yes").Type("button").Class("small", "danger").OnClick(c.onResetYes).Text(i18n.CheckResetYes.In(l)),
				app.Button().ID("reset-cancel").Type("button").Class("small").OnClick(c.onResetCancel).Text(i18n.CheckResetCancel.In(l)),
			),
		),
	)
}
