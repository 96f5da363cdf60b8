package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/exercises"
	"qosplayground/app/i18n"
	"qosplayground/app/svgchart"
)

// latencyChart draws the median and p95 confirmation latency of each QoS
// level, in milliseconds, as an SVG the app makes itself.
func latencyChart(l i18n.Lang, recs []exercises.PublishRecord) app.UI {
	chart := svgchart.BarChart{Title: i18n.LatencyTitle.In(l), Unit: "ms", Empty: i18n.LatencyNoData.In(l)}
	for _, st := range exercises.Latencies(recs) {
		q := strconv.Itoa(int(st.QoS))
		chart.Groups = append(chart.Groups, svgchart.Group{
			Label: i18n.QoSLabel.In(l) + " " + q + " (n=" + strconv.Itoa(st.Count) + ")",
			Bars: []svgchart.Bar{
				{Label: i18n.LatencyMedian.In(l), Value: ms(st.Median.Seconds()), Class: "qos" + q},
				{Label: i18n.LatencyP95.In(l), Value: ms(st.P95.Seconds()), Class: "qos" + q + " p95"},
			},
		})
	}
	return app.Figure().ID("latency-chart").Class("chart").Body(
		app.Raw(chart.SVG()),
		app.FigCaption().Class("help").Text(i18n.LatencyHelp.In(l)),
	)
}

func ms(seconds float64) float64 { return seconds * 1000 }

// ledgerTable shows the ledger's rows.
func ledgerTable(l i18n.Lang, id string, rows []exercises.LedgerRow) app.UI {
	return app.Div().Class("table-wrap").Body(
		app.Table().ID(id).Class("results").Body(
			app.Caption().Text(i18n.LedgerCaption.In(l)),
			headerRow(l, i18n.ColQoS, i18n.LedgerSent, i18n.LedgerReceived, i18n.LedgerLost, i18n.LedgerDupSeen, i18n.LedgerDupProc, i18n.LedgerDupFlagged),
			app.TBody().Body(
				app.Range(rows).Slice(func(i int) app.UI {
					r := rows[i]
					cell := func(n int) app.UI { return app.Td().Class("num").Text(strconv.Itoa(n)) }
					return app.Tr().Attr("data-qos", strconv.Itoa(int(r.QoS))).
						Attr("data-sent", strconv.Itoa(r.Sent)).Attr("data-received", strconv.Itoa(r.Received)).
						Attr("data-lost", strconv.Itoa(r.Lost)).Attr("data-dup-processed", strconv.Itoa(r.DuplicatesProcessed)).Body(
						app.Th().Scope("row").Text(strconv.Itoa(int(r.QoS))),
						cell(r.Sent), cell(r.Received), cell(r.Lost), cell(r.DuplicatesSeen), cell(r.DuplicatesProcessed), cell(r.DupFlagged),
					)
				}),
			),
		),
	)
}
