package ui

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/i18n"
	"qosplayground/app/labrun"
	"qosplayground/app/netcond"
	"qosplayground/app/sidebyside"
	"qosplayground/app/svgchart"
)

// The fault lab's "QoS side by side" (issue 16, item 3): the same numbered
// stream at QoS 0, 1 and 2 at once, under one link and one cut range, as
// a table, two charts and what MQTT 3.1.1 section 4.6 says of the order.
// The run and its judgements are package sidebyside's; this file draws
// them and binds the form. The fault lab page holds the form (its field
// sbs), draws the section and syncs it with the run's slot.

// sbsRuns keeps the side-by-side run; it shares the fault lab's guard: one
// run at a time on the page.
var sbsRuns = labrun.NewSlot[sbsRun, sidebyside.Result](&faultRuns, "sidebyside")

func init() {
	// The fault lab page follows every run of its guard (lab_faults_runs.go).
	allFaultRuns = append(allFaultRuns, sbsRuns)
}

// sbsRun is the side-by-side run in progress: what it was asked, and its
// counts so far.
type sbsRun struct {
	Form     sidebyside.Form
	Net      string // the netcond preset's id, "" for the server's own network
	Progress sidebyside.Progress
}

// sbsForm is the section's state on the fault lab page.
type sbsForm struct {
	form     sidebyside.Form
	net      string
	restored bool // the latest run's settings were shown once, when the page was drawn
	running  bool
	progress sidebyside.Progress
	result   *sidebyside.Result
	err      error
}

func newSbsForm() sbsForm { return sbsForm{form: sidebyside.DefaultForm} }

// syncSideBySide copies the run's state into the page: its settings when
// the page is drawn and while it runs (the fields are disabled then).
func (p *faultsPage) syncSideBySide() {
	st, f := sbsRuns.State(), &p.sbs
	if st.Runs == 0 {
		return
	}
	if !f.restored || st.Running {
		f.form, f.net = st.Progress.Form, st.Progress.Net
	}
	f.restored = true
	f.running, f.progress, f.err, f.result = st.Running, st.Progress.Progress, st.Err, nil
	if st.Finished {
		res := st.Result
		f.result = &res
	}
}

func (p *faultsPage) onSbsNet(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("value").String()
	pr, ok := netcond.PresetByID(id)
	if !ok {
		id = ""
	}
	p.sbs.net = id
	if pr.CutMax > 0 { // a link that drops the connection: its own cuts
		p.sbs.form.CutMin, p.sbs.form.CutMax = strconv.Itoa(pr.CutMin), strconv.Itoa(pr.CutMax)
	}
}

func (p *faultsPage) onSbsRun(ctx app.Context, e app.Event) {
	f := &p.sbs
	n, lo, hi, errs := f.form.Check()
	if p.busy || errs.Any() {
		return // each field says what is wrong with it
	}
	url, prefix := brokerURL(ctx), tabID()
	link, _ := netcond.PresetByID(f.net) // the zero preset: the server's own network
	f.err = p.follow(ctx)(sbsRuns.Start(sbsRun{Form: f.form, Net: f.net},
		func(update func(func(*sbsRun))) (sidebyside.Result, error) {
			return sidebyside.Run(context.Background(), sidebyside.Config{
				URL: url, IDPrefix: prefix, Messages: n, Net: link.Conditions, CutMin: lo, CutMax: hi,
				Seed: time.Now().UnixNano(), Settle: time.Minute,
				OnProgress: func(pr sidebyside.Progress) { update(func(r *sbsRun) { r.Progress = pr }) },
			})
		}))
}

// sbsFieldErr says a field's error (sidebyside.Form.Check) in the
// page's words.
func sbsFieldErr(label i18n.Msg, err error) error {
	var rng *sidebyside.RangeError
	var order *sidebyside.CutOrderError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &rng):
		return newUIError(i18n.ErrNumberRange, label, rng.Min, rng.Max)
	case errors.As(err, &order):
		return newUIError(i18n.FaultErrCutMax, order.Min)
	case errors.Is(err, sidebyside.ErrCutFromZero):
		return newUIError(i18n.SbsErrCutMin)
	}
	return err
}

// renderSideBySide draws the section: the form, the run's status, and
// its results.
func (p *faultsPage) renderSideBySide() app.UI {
	l, f := p.lang, &p.sbs
	b := binder{c: p, lang: l, disabled: p.busy}
	n, _, _, errs := f.form.Check()
	nErr := sbsFieldErr(i18n.SbsMessages, errs.Messages)
	loErr := sbsFieldErr(i18n.SbsCutMin, errs.CutMin)
	hiErr := sbsFieldErr(i18n.SbsCutMax, errs.CutMax)
	status := ""
	switch {
	case f.running:
		pr := f.progress
		status = tr(l, i18n.SbsRunning, pr[0].Published, n, pr[1].Published, n, pr[2].Published, n,
			pr[0].PublisherCuts+pr[0].SubscriberCuts+pr[1].PublisherCuts+pr[1].SubscriberCuts+pr[2].PublisherCuts+pr[2].SubscriberCuts)
	case f.result != nil:
		status = tr(l, i18n.SbsDone, f.result.Took.Seconds())
	}
	return app.Section().ID("sbs").Class("card", "wide").Aria("labelledby", "h-sbs").Body(
		app.H2().ID("h-sbs").Text(i18n.SbsHeading.In(l)),
		app.P().Class("help").Text(i18n.SbsHelp.In(l)),
		app.P().ID("sbs-spec").Class("help").Text(i18n.SbsSpec.In(l)),
		field(l, i18n.BlipsLink.In(l), "sbs-net",
			app.Select().ID("sbs-net").Disabled(p.busy).OnChange(p.onSbsNet).Body(presetOptions(l, f.net, true)...), i18n.SbsLinkHelp),
		app.Div().Class("field-row").Body(
			checkedNumberField(b, i18n.SbsMessages, "sbs-n", &f.form.Messages, 1, sidebyside.MaxMessages, nErr),
			checkedNumberField(b, i18n.SbsCutMin, "sbs-min", &f.form.CutMin, 0, sidebyside.MaxCut, loErr),
			checkedNumberField(b, i18n.SbsCutMax, "sbs-max", &f.form.CutMax, 0, sidebyside.MaxCut, hiErr),
		),
		app.Small().Class("help").Text(i18n.SbsCutHelp.In(l)),
		app.Div().Class("buttons").Body(
			app.Button().ID("run-sbs").Type("button").Class("primary").Disabled(p.busy || errs.Any()).
				OnClick(p.onSbsRun).Text(i18n.SbsRun.In(l)),
		),
		runError(l, "sbs-error", f.err),
		app.P().ID("sbs-status").Attr("role", "status").
			Attr("data-done", strconv.FormatBool(!f.running && f.result != nil)).Text(status),
		app.If(f.result != nil && !f.running, func() app.UI {
			if f.result == nil {
				return nil
			}
			return sbsResults(l, *f.result)
		}()),
	)
}

// sbsMeasure is one row of the results table: a measure, QoS by QoS.
type sbsMeasure struct {
	id    string
	label i18n.Msg
	cell  func(l i18n.Lang, r sidebyside.Row) string
}

func sbsCount(f func(sidebyside.Row) int) func(i18n.Lang, sidebyside.Row) string {
	return func(_ i18n.Lang, r sidebyside.Row) string { return strconv.Itoa(f(r)) }
}

func sbsMS(f func(sidebyside.Latency) time.Duration) func(i18n.Lang, sidebyside.Row) string {
	return func(l i18n.Lang, r sidebyside.Row) string {
		if r.Latency.N == 0 {
			return i18n.SbsNone.In(l)
		}
		return strconv.FormatFloat(ms(f(r.Latency).Seconds()), 'f', 1, 64)
	}
}

func sbsPer(f func(sidebyside.Row) (float64, bool), prec int) func(i18n.Lang, sidebyside.Row) string {
	return func(l i18n.Lang, r sidebyside.Row) string {
		v, ok := f(r)
		if !ok {
			return i18n.SbsNone.In(l)
		}
		return strconv.FormatFloat(v, 'f', prec, 64)
	}
}

var sbsMeasures = []sbsMeasure{
	{"sent", i18n.SbsRowSent, sbsCount(func(r sidebyside.Row) int { return r.Sent })},
	{"received", i18n.SbsRowReceived, sbsCount(func(r sidebyside.Row) int { return r.Received })},
	{"lost", i18n.SbsRowLost, sbsCount(func(r sidebyside.Row) int { return r.Lost })},
	{"wire-copies", i18n.SbsRowWire, sbsCount(func(r sidebyside.Row) int { return r.WireCopies })},
	{"app-copies", i18n.SbsRowApp, sbsCount(func(r sidebyside.Row) int { return r.AppCopies })},
	{"out-of-order", i18n.SbsRowOutOfOrder, sbsCount(func(r sidebyside.Row) int { return r.Order.OutOfOrder })},
	{"late-first", i18n.SbsRowLateFirst, sbsCount(func(r sidebyside.Row) int { return r.Order.LateFirst })},
	{"p50", i18n.SbsRowP50, sbsMS(func(t sidebyside.Latency) time.Duration { return t.P50 })},
	{"p95", i18n.SbsRowP95, sbsMS(func(t sidebyside.Latency) time.Duration { return t.P95 })},
	{"max", i18n.SbsRowMax, sbsMS(func(t sidebyside.Latency) time.Duration { return t.Max })},
	{"packets", i18n.SbsRowPackets, sbsPer(sidebyside.Row.PacketsPerMessage, 1)},
	{"bytes", i18n.SbsRowBytes, sbsPer(sidebyside.Row.BytesPerMessage, 0)},
	{"cuts", i18n.SbsRowCuts, sbsCount(func(r sidebyside.Row) int { return r.Cuts })},
}

// sbsResults draws a finished run: its conditions, the table (a column
// per QoS, so that it fits a phone), the charts and the findings.
func sbsResults(l i18n.Lang, r sidebyside.Result) app.UI {
	link := i18n.NetPerfect.In(l)
	if !r.Net.IsZero() {
		link = netNumbers(l, netcond.Preset{Conditions: r.Net})
	}
	cuts := i18n.SbsNoCuts.In(l)
	if r.CutMax > 0 {
		cuts = tr(l, i18n.SbsCutRange, r.CutMin, r.CutMax, r.Rows[0].Cuts+r.Rows[1].Cuts+r.Rows[2].Cuts)
	}
	qs := []int{0, 1, 2}
	findings := r.Findings()
	return app.Div().ID("sbs-results").Body(
		app.P().ID("sbs-conds").Class("help").Text(tr(l, i18n.SbsConds, link, cuts)),
		app.Div().Class("table-wrap").Body(
			// As wide as its content (the page's other tables fill the
			// card), the measures' names wrapping on a phone.
			app.Table().ID("sbs-table").Class("results").Style("min-width", "0").Body(
				app.Caption().Text(tr(l, i18n.SbsCaption, r.Messages)),
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text(i18n.SbsMeasure.In(l)),
					app.Range(qs).Slice(func(i int) app.UI {
						return app.Th().Scope("col").Style("white-space", "nowrap").Text(tr(l, i18n.SbsColQoS, qs[i]))
					}),
				)),
				app.TBody().Body(app.Range(sbsMeasures).Slice(func(i int) app.UI {
					m := sbsMeasures[i]
					return app.Tr().Attr("data-measure", m.id).Body(
						app.Th().Scope("row").Style("white-space", "normal").Style("min-width", "6em").Text(m.label.In(l)),
						app.Range(qs).Slice(func(j int) app.UI {
							return app.Td().Class("num").Attr("data-qos", strconv.Itoa(qs[j])).Attr("data-measure", m.id).
								Text(m.cell(l, r.Rows[qs[j]]))
						}),
					)
				})),
			),
		),
		app.P().Class("help").Text(i18n.SbsTableHelp.In(l)),
		sbsCharts(l, r),
		app.H3().Text(i18n.SbsFindings.In(l)),
		app.Ul().ID("sbs-findings").Body(app.Range(findings).Slice(func(i int) app.UI {
			fd := findings[i]
			return app.Li().Class("explain").Attr("data-qos", strconv.Itoa(int(fd.QoS))).Attr("data-point", strconv.Itoa(int(fd.Point))).
				Body(withCode(sbsFindingText(l, fd))...)
		})),
	)
}

// sbsCharts draws the counts and the latencies, a group per measure, a
// bar per QoS.
func sbsCharts(l i18n.Lang, r sidebyside.Result) app.UI {
	group := func(label i18n.Msg, v func(sidebyside.Row) float64) svgchart.Group {
		g := svgchart.Group{Label: label.In(l)}
		for q, row := range r.Rows {
			s := strconv.Itoa(q)
			g.Bars = append(g.Bars, svgchart.Bar{Label: s, Value: v(row), Class: "qos" + s})
		}
		return g
	}
	counts := svgchart.BarChart{Title: i18n.SbsChartCounts.In(l), Empty: i18n.SbsChartEmpty.In(l), Groups: []svgchart.Group{
		group(i18n.SbsChartLost, func(r sidebyside.Row) float64 { return float64(r.Lost) }),
		group(i18n.SbsChartCopies, func(r sidebyside.Row) float64 { return float64(r.AppCopies) }),
		group(i18n.SbsChartDisorder, func(r sidebyside.Row) float64 { return float64(r.Order.OutOfOrder) }),
	}}
	latency := svgchart.BarChart{Title: i18n.SbsChartLatency.In(l), Unit: "ms", Empty: i18n.SbsChartEmpty.In(l), Groups: []svgchart.Group{
		group(i18n.SbsChartP50, func(r sidebyside.Row) float64 { return ms(r.Latency.P50.Seconds()) }),
		group(i18n.SbsChartP95, func(r sidebyside.Row) float64 { return ms(r.Latency.P95.Seconds()) }),
		group(i18n.SbsChartMax, func(r sidebyside.Row) float64 { return ms(r.Latency.Max.Seconds()) }),
	}}
	return app.Div().ID("sbs-charts").Style("display", "flex").Style("flex-wrap", "wrap").Style("column-gap", "24px").Body(
		app.Figure().ID("sbs-chart-counts").Class("chart").Style("flex", "1 1 300px").Body(
			app.Raw(counts.SVG()),
			app.FigCaption().Class("help").Text(i18n.SbsChartHelp.In(l)),
		),
		app.Figure().ID("sbs-chart-latency").Class("chart").Style("flex", "1 1 300px").Body(
			app.Raw(latency.SVG()),
			app.FigCaption().Class("help").Text(i18n.SbsChartHelp.In(l)),
		),
	)
}

// sbsFindingText says one finding with the run's own numbers.
func sbsFindingText(l i18n.Lang, f sidebyside.Finding) string {
	r, o, q := f.Row, f.Row.Order, int(f.QoS)
	switch f.Point {
	case sidebyside.LostAllowed:
		return tr(l, i18n.SbsLostAllowed, r.Lost, r.Sent)
	case sidebyside.NoneLostQoS0:
		return tr(l, i18n.SbsNoneLostQoS0, r.Sent)
	case sidebyside.NoneLost:
		return tr(l, i18n.SbsNoneLost, q, r.Sent)
	case sidebyside.LostBroken:
		return tr(l, i18n.SbsLostBroken, q, r.Lost, r.Sent)
	case sidebyside.OnceHeld:
		return tr(l, i18n.SbsOnceHeld, r.WireCopies)
	case sidebyside.OnceBroken:
		return tr(l, i18n.SbsOnceBroken, r.AppCopies)
	case sidebyside.InOrder:
		return tr(l, i18n.SbsInOrder, q, o.Arrivals)
	case sidebyside.CopiesLate:
		ex := o.CopyExample
		return tr(l, i18n.SbsCopiesLate, q, o.LateCopies(), ex.Text, ex.N, ex.After)
	case sidebyside.FirstInOrder:
		return tr(l, i18n.SbsFirstInOrder, q)
	case sidebyside.FirstLate:
		ex := o.FirstExample
		sp := " " // between sentences; Japanese puts none
		if l == i18n.JA {
			sp = ""
		}
		return tr(l, i18n.SbsFirstLate, q, o.LateFirst, ex.Text, ex.N, ex.After) + sp + i18n.SbsFirstLateWhy.In(l)
	}
	return ""
}
