package ui

import (
	"slices"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/checkpoints"
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
