package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/i18n"
	"qosplayground/app/lab"
)

// The random-cut run's results on the fault lab page: the ledger, with
// the copies on the wire (the protocol's retries) apart from the copies
// handed to the application, and under it, per QoS, what happened and why.

// pahoIssues are the paho.mqtt.golang bugs the client works around
// (app/client/qos2.go), linked from the page.
var pahoIssues = []struct {
	n    string
	what i18n.Msg
}{
	{"768", i18n.BlipsUpstreamRecv},
	{"791", i18n.BlipsUpstreamRecv},
	{"788", i18n.BlipsUpstreamSend},
}

// blipsResults draws the finished runs' ledger and explanations.
func blipsResults(l i18n.Lang, results []lab.BlipResult) app.UI {
	return app.Div().ID("blips-results").Body(
		blipsLedgerTable(l, results),
		app.Ul().Body(
			app.Range(results).Slice(func(i int) app.UI {
				r := results[i]
				return app.Li().Class("help").Text(tr(l, i18n.BlipsCutsLine, int(r.QoS), r.PublisherCuts, r.SubscriberCuts, r.Resent))
			}),
		),
		app.Range(results).Slice(func(i int) app.UI { return blipsExplain(l, results[i]) }),
	)
}

// blipsLedgerTable is the ledger of the runs, one row per QoS. On a narrow
// screen it scrolls sideways with the QoS column fixed; no heading wraps
// (Japanese would wrap a character to a line).
func blipsLedgerTable(l i18n.Lang, results []lab.BlipResult) app.UI {
	cols := []i18n.Msg{i18n.ColQoS, i18n.LedgerSent, i18n.LedgerReceived, i18n.LedgerLost, i18n.BlipsColWire, i18n.BlipsColApp, i18n.BlipsColProcessed}
	return app.Div().Class("table-wrap").Body(
		app.P().Class("help").Text(i18n.BlipsLedgerCaption.In(l)),
		app.Table().ID("blips-ledger").Class("results").Body(
			app.Caption().Text(i18n.LedgerCaption.In(l)),
			app.THead().Body(app.Tr().Body(
				app.Range(cols).Slice(func(i int) app.UI {
					th := app.Th().Scope("col").Style("white-space", "nowrap").Text(cols[i].In(l))
					if i == 0 {
						th = th.Style("position", "sticky").Style("left", "0")
					}
					return th
				}),
			)),
			app.TBody().Body(
				app.Range(results).Slice(func(i int) app.UI {
					r := results[i].Ledger
					cell := func(n int) app.UI { return app.Td().Class("num").Text(strconv.Itoa(n)) }
					return app.Tr().Attr("data-qos", strconv.Itoa(int(r.QoS))).
						Attr("data-sent", strconv.Itoa(r.Sent)).Attr("data-received", strconv.Itoa(r.Received)).
						Attr("data-lost", strconv.Itoa(r.Lost)).Attr("data-wire-copies", strconv.Itoa(r.WireCopies)).
						Attr("data-app-copies", strconv.Itoa(r.DuplicatesSeen)).
						Attr("data-dup-processed", strconv.Itoa(r.DuplicatesProcessed)).Body(
						app.Th().Scope("row").Style("white-space", "nowrap").Style("position", "sticky").Style("left", "0").
							Style("background", "var(--card)").Text(tr(l, i18n.BlipsRowQoS, int(r.QoS))),
						cell(r.Sent), cell(r.Received), cell(r.Lost), cell(r.WireCopies), cell(r.DuplicatesSeen), cell(r.DuplicatesProcessed),
					)
				}),
			),
		),
	)
}

// blipsExplain says what the run of one QoS shows, and at QoS 2 why the
// broker resent and why the application still got each message once, or,
// where it did not, why.
func blipsExplain(l i18n.Lang, r lab.BlipResult) app.UI {
	row := r.Ledger
	q := strconv.Itoa(int(r.QoS))
	switch r.QoS {
	case 0:
		return app.P().Class("explain").Attr("data-qos", q).Text(tr(l, i18n.BlipsExplain0, row.Lost, row.Sent, r.NotSent))
	case 1:
		return app.P().Class("explain").Attr("data-qos", q).Text(tr(l, i18n.BlipsExplain1, row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed))
	}
	s, p := r.SubscriberQoS2, r.PublisherQoS2
	first := tr(l, i18n.BlipsExplain2Once, row.Lost, row.WireCopies)
	switch r.QoS2Outcome() {
	case lab.QoS2SessionLost:
		first = tr(l, i18n.BlipsExplain2Copies, row.Lost, row.DuplicatesSeen, s.SessionLost+p.SessionLost, row.DuplicatesProcessed)
	case lab.QoS2SessionKept:
		first = tr(l, i18n.BlipsExplain2Kept, row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed)
	}
	return app.Div().ID("blips-why").Class("explain").Attr("data-qos", q).
		Attr("data-outcome", strconv.Itoa(int(r.QoS2Outcome()))).
		Attr("data-copies", strconv.Itoa(s.Copies)).Attr("data-ack-lost", strconv.Itoa(s.ResentAckLost)).
		Attr("data-ack-late", strconv.Itoa(s.ResentAckLate)).Attr("data-ack-queued", strconv.Itoa(s.ResentAckQueued)).
		Attr("data-unacked", strconv.Itoa(s.ResentUnacked)).Attr("data-most-held", strconv.Itoa(s.MostHeld)).
		Attr("data-publish-after-pubrel", strconv.Itoa(p.PublishAfterPubrel)).Body(
		app.P().Text(first),
		app.If(s.Copies > 0, app.P().Text(tr(l, i18n.BlipsExplain2Why, s.ResentAckLost, s.ResentAckLate, s.ResentAckQueued, s.ResentUnacked, s.MostHeld))),
		app.If(s.ResentUnheld > 0, app.P().Text(tr(l, i18n.BlipsExplain2Unheld, s.ResentUnheld))),
		app.P().Text(i18n.BlipsExplain2Held.In(l)),
		app.P().Text(tr(l, i18n.BlipsExplain2Pub, p.PubrelResent, p.PublishDropped)),
		app.P().Class("upstream").Body(
			app.Text(i18n.BlipsUpstream.In(l)+" "),
			app.Range(pahoIssues).Slice(func(i int) app.UI {
				is := pahoIssues[i]
				sep := "; "
				if i == len(pahoIssues)-1 {
					sep = ""
				}
				return app.Span().Body(
					app.A().Href("https://github.com/eclipse/paho.mqtt.golang/issues/"+is.n).Target("_blank").Rel("noopener").Text("#"+is.n),
					app.Text(" ("+is.what.In(l)+")"+sep),
				)
			}),
		),
	)
}
