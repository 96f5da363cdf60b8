package ui

import (
	"fmt"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/lab"
)

// statusText shows a publish status as the tutorial's table does.
func statusText(s lab.Status) string {
	switch s {
	case lab.StatusConfirmed:
		return "✅ Confirmed"
	case lab.StatusPending:
		return "⏳ Pending"
	case lab.StatusSentQoS0:
		return "📤 Sent (QoS 0)"
	case lab.StatusFailed:
		return "❌ Failed"
	}
	return string(s)
}

func latencyText(r lab.PublishRecord) string {
	if r.Status != lab.StatusConfirmed {
		return "N/A"
	}
	return fmt.Sprintf("%.3fs", r.Latency.Seconds())
}

// publishTable is the tutorial's "QoS Test Results" table.
func publishTable(id string, recs []lab.PublishRecord) app.UI {
	return app.Div().Class("table-wrap").Body(
		app.Table().ID(id).Class("results").Body(
			app.Caption().Text("QoS Test Results"),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("Message ID"),
				app.Th().Scope("col").Text("Packet ID"),
				app.Th().Scope("col").Text("Topic"),
				app.Th().Scope("col").Text("QoS"),
				app.Th().Scope("col").Text("Type"),
				app.Th().Scope("col").Text("Status"),
				app.Th().Scope("col").Text("Latency"),
			)),
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
						app.Td().Text(r.MessageType),
						app.Td().Title(r.Err).Text(statusText(r.Status)),
						app.Td().Class("num").Text(latencyText(r)),
					)
				}),
			),
		),
	)
}

// statsTable is the subscriber's "Message Processing Statistics" table.
func statsTable(id string, s lab.Stats) app.UI {
	rows := []struct {
		key, label string
		n          int
	}{
		{"total", "Total Received", s.TotalReceived},
		{"duplicates", "Duplicates Detected", s.DuplicatesDetected},
		{"errors", "Processing Errors", s.ProcessingErrors},
		{"processed", "Successfully Processed", s.SuccessfullyProcessed},
	}
	return app.Div().Class("table-wrap").Body(
		app.Table().ID(id).Class("results").Body(
			app.Caption().Text("Message Processing Statistics"),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("Metric"),
				app.Th().Scope("col").Text("Count"),
				app.Th().Scope("col").Text("Percentage"),
			)),
			app.TBody().Body(
				app.Range(rows).Slice(func(i int) app.UI {
					r := rows[i]
					return app.Tr().ID(id+"-"+r.key).Attr("data-count", strconv.Itoa(r.n)).Body(
						app.Th().Scope("row").Text(r.label),
						app.Td().Class("num").Text(strconv.Itoa(r.n)),
						app.Td().Class("num").Text(fmt.Sprintf("%.1f%%", s.Percent(r.n))),
					)
				}),
			),
		),
	)
}

// recordsTable lists what the reliable subscriber received, newest first.
func recordsTable(id string, recs []lab.Record) app.UI {
	return app.Div().Class("table-wrap").Body(
		app.Table().ID(id).Class("results").Body(
			app.Caption().Text("Received messages"),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("#"),
				app.Th().Scope("col").Text("Topic"),
				app.Th().Scope("col").Text("Message identity"),
				app.Th().Scope("col").Text("QoS"),
				app.Th().Scope("col").Text("DUP"),
				app.Th().Scope("col").Text("Processed"),
				app.Th().Scope("col").Text("Attempts"),
				app.Th().Scope("col").Text("Result"),
			)),
			app.TBody().Body(
				app.Range(recs).Slice(func(i int) app.UI {
					r := recs[len(recs)-1-i]
					return app.Tr().Attr("data-key", r.Key).Attr("data-processed", strconv.FormatBool(r.Processed)).Body(
						app.Td().Text(strconv.Itoa(r.Seq)),
						app.Td().Body(app.Code().Text(r.Topic)),
						app.Td().Body(app.Code().Text(r.Key)),
						app.Td().Text(strconv.Itoa(int(r.QoS))),
						app.Td().Text(yesNo(r.Dup)),
						app.Td().Text(yesNo(r.Processed)),
						app.Td().Text(strconv.Itoa(r.Attempts)),
						app.Td().Class("result").Text(r.Result),
					)
				}),
			),
		),
	)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// parseMillis reads a non-negative number of milliseconds typed in a form.
func parseMillis(field, s string) (time.Duration, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 600_000 {
		return 0, fmt.Errorf("%s: a whole number of milliseconds from 0 to 600000", field)
	}
	return time.Duration(n) * time.Millisecond, nil
}

// parseCount reads a whole number in [min, max] typed in a form.
func parseCount(field, s string, min, max int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, fmt.Errorf("%s: a whole number from %d to %d", field, min, max)
	}
	return n, nil
}

// numberField is a labelled number input bound to *v.
func (h binder) numberField(label, id string, v *string, min, max int, help string) app.UI {
	return field(label, id,
		app.Input().ID(id).Type("number").Attr("min", strconv.Itoa(min)).Attr("max", strconv.Itoa(max)).
			Value(*v).Disabled(h.disabled).OnInput(h.c.ValueTo(v)),
		help)
}

// binder binds form fields to a component's string fields.
type binder struct {
	c        interface{ ValueTo(any) app.EventHandler }
	disabled bool
}
