package ui

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/exercises"
	"qosplayground/app/i18n"
)

// statusText shows a publish status as the tutorial's table does.
func statusText(l i18n.Lang, s exercises.Status) string {
	switch s {
	case exercises.StatusConfirmed:
		return i18n.StatusConfirmed.In(l)
	case exercises.StatusPending:
		return i18n.StatusPending.In(l)
	case exercises.StatusSentQoS0:
		return i18n.StatusSentQoS0.In(l)
	}
	return i18n.StatusFailed.In(l)
}

func latencyText(l i18n.Lang, r exercises.PublishRecord) string {
	if r.Status != exercises.StatusConfirmed {
		return i18n.NotApplicable.In(l)
	}
	return fmt.Sprintf("%.3fs", r.Latency.Seconds())
}

func headerRow(l i18n.Lang, cols ...i18n.Msg) app.UI {
	return app.THead().Body(app.Tr().Body(
		app.Range(cols).Slice(func(i int) app.UI {
			return app.Th().Scope("col").Text(cols[i].In(l))
		}),
	))
}

// publishTable is the tutorial's "QoS Test Results" table.
func publishTable(l i18n.Lang, id string, recs []exercises.PublishRecord) app.UI {
	return app.Div().Class("table-wrap").Body(
		app.Table().ID(id).Class("results").Body(
			app.Caption().Text(i18n.ResultsCaption.In(l)),
			headerRow(l, i18n.ColMessageID, i18n.ColPacketID, i18n.ColTopic, i18n.ColQoS, i18n.ColType, i18n.ColStatus, i18n.ColLatency),
			app.TBody().Body(
				app.Range(recs).Slice(func(i int) app.UI {
					r := recs[i]
					packetID := "—"
					if r.PacketID != 0 {
						packetID = strconv.Itoa(int(r.PacketID))
					}
					return app.Tr().Attr("data-status", string(r.Status)).Attr("data-qos", strconv.Itoa(int(r.QoS))).Body(
						app.Td().Text(strconv.FormatInt(r.MessageID, 10)),
						app.Td().Text(packetID),
						app.Td().Body(app.Code().Text(r.Topic)),
						app.Td().Text(strconv.Itoa(int(r.QoS))),
						app.Td().Body(app.Code().Text(r.MessageType)),
						app.Td().Title(labWords(l, r.Err)).Text(statusText(l, r.Status)),
						app.Td().Class("num").Text(latencyText(l, r)),
					)
				}),
			),
		),
	)
}

// statsTable is the subscriber's "Message Processing Statistics" table.
func statsTable(l i18n.Lang, id string, s exercises.Stats) app.UI {
	rows := []struct {
		key   string
		label i18n.Msg
		n     int
	}{
		{"total", i18n.StatTotal, s.TotalReceived},
		{"duplicates", i18n.StatDuplicates, s.DuplicatesDetected},
		{"errors", i18n.StatErrors, s.ProcessingErrors},
		{"processed", i18n.StatProcessed, s.SuccessfullyProcessed},
	}
	return app.Div().Class("table-wrap").Body(
		app.Table().ID(id).Class("results").Body(
			app.Caption().Text(i18n.StatsCaption.In(l)),
			headerRow(l, i18n.ColMetric, i18n.ColCount, i18n.ColPercentage),
			app.TBody().Body(
				app.Range(rows).Slice(func(i int) app.UI {
					r := rows[i]
					return app.Tr().ID(id+"-"+r.key).Attr("data-count", strconv.Itoa(r.n)).Body(
						app.Th().Scope("row").Text(r.label.In(l)),
						app.Td().Class("num").Text(strconv.Itoa(r.n)),
						app.Td().Class("num").Text(fmt.Sprintf("%.1f%%", s.Percent(r.n))),
					)
				}),
			),
		),
	)
}

// recordsTable lists what the reliable subscriber received, newest first.
func recordsTable(l i18n.Lang, id string, recs []exercises.Record) app.UI {
	return app.Div().Class("table-wrap").Body(
		app.Table().ID(id).Class("results").Body(
			app.Caption().Text(i18n.RecordsCaption.In(l)),
			headerRow(l, i18n.ColSeq, i18n.ColTopic, i18n.ColIdentity, i18n.ColQoS, i18n.ColDup, i18n.ColProcessed, i18n.ColAttempts, i18n.ColResult),
			app.TBody().Body(
				app.Range(recs).Slice(func(i int) app.UI {
					r := recs[len(recs)-1-i]
					rt := r.ResultText()
					return app.Tr().Attr("data-key", r.Key).Attr("data-processed", strconv.FormatBool(r.Processed)).Body(
						app.Td().Text(strconv.Itoa(r.Seq)),
						app.Td().Body(app.Code().Text(r.Topic)),
						app.Td().Body(app.Code().Text(r.Key)),
						app.Td().Text(strconv.Itoa(int(r.QoS))),
						app.Td().Text(yesNo(l, r.Dup)),
						app.Td().Text(yesNo(l, r.Processed)),
						app.Td().Text(strconv.Itoa(r.Attempts)),
						app.Td().Class("result").Title(labWords(l, r.Result)).Body(trNodes(l, rt.Msg, rt.Args...)...),
					)
				}),
			),
		),
	)
}

// binder binds form fields to a component's string fields.
type binder struct {
	c        interface{ ValueTo(any) app.EventHandler }
	lang     i18n.Lang
	disabled bool
}

// numberField is a labelled number input bound to *v.
func (b binder) numberField(label i18n.Msg, id string, v *string, min, max int, help i18n.Msg) app.UI {
	return field(b.lang, label.In(b.lang), id,
		app.Input().ID(id).Type("number").Attr("min", strconv.Itoa(min)).Attr("max", strconv.Itoa(max)).
			Value(*v).Disabled(b.disabled).OnInput(b.c.ValueTo(v)),
		help)
}

// checkField is a checkbox bound to *v, with its label and help.
func (b binder) checkField(id string, v *bool, label, help i18n.Msg) app.UI {
	return app.Div().Class("field", "check").Body(
		app.Input().ID(id).Type("checkbox").Checked(*v).Disabled(b.disabled).OnChange(checkedTo(v)),
		app.Label().For(id).Text(label.In(b.lang)),
		app.If(help != i18n.Msg{}, app.Small().Class("help").Text(help.In(b.lang))),
	)
}
