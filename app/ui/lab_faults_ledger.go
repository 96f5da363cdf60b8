package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/faultlab"
	"qosplayground/app/i18n"
	"qosplayground/app/netcond"
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

// blipsResults draws the finished runs' ledger and explanations; mode is
// the broker's (/api/broker), "" when not known.
func blipsResults(l i18n.Lang, mode string, results []faultlab.BlipResult) app.UI {
	var link app.UI
	if len(results) > 0 && !results[0].Net.IsZero() {
		c := results[0].Net
		link = app.P().ID("blips-link").Class("help").Attr("data-latency-ms", strconv.Itoa(c.LatencyMS)).
			Text(tr(l, i18n.BlipsOverLink, netNumbers(l, netcond.Preset{Conditions: c})))
	}
	return app.Div().ID("blips-results").Body(
		link,
		blipsLedgerTable(l, results),
		app.Ul().Body(
			app.Range(results).Slice(func(i int) app.UI {
				r := results[i]
				return app.Li().Class("help").Text(tr(l, i18n.BlipsCutsLine, int(r.QoS), r.PublisherCuts, r.SubscriberCuts, r.Resent))
			}),
		),
		app.Range(results).Slice(func(i int) app.UI { return blipsExplain(l, mode, results[i]) }),
	)
}

// blipsLedgerTable is the ledger of the runs, one row per QoS. On a narrow
// screen it scrolls sideways with the QoS column fixed; no heading wraps
// (Japanese would wrap a character to a line).
func blipsLedgerTable(l i18n.Lang, results []faultlab.BlipResult) app.UI {
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
func blipsExplain(l i18n.Lang, mode string, r faultlab.BlipResult) app.UI {
	q := strconv.Itoa(int(r.QoS))
	switch r.QoS {
	case 0:
		return app.P().Class("explain").Attr("data-qos", q).Text(sentence(l, r.Explain0()))
	case 1:
		return blipsExplain1(l, mode, r)
	}
	s, p := r.SubscriberQoS2, r.PublisherQoS2
	e := r.QoS2Explain(mode)
	return app.Div().ID("blips-why").Class("explain").Attr("data-qos", q).
		Attr("data-outcome", strconv.Itoa(int(r.QoS2Outcome()))).
		Attr("data-copies", strconv.Itoa(s.Copies)).Attr("data-ack-lost", strconv.Itoa(s.ResentAckLost)).
		Attr("data-ack-late", strconv.Itoa(s.ResentAckLate)).Attr("data-ack-queued", strconv.Itoa(s.ResentAckQueued)).
		Attr("data-unacked", strconv.Itoa(s.ResentUnacked)).Attr("data-most-held", strconv.Itoa(s.MostHeld)).
		Attr("data-publish-after-pubrel", strconv.Itoa(p.PublishAfterPubrel)).Body(
		app.P().Text(sentence(l, e.First)),
		sentenceP(l, e.Why),
		sentenceP(l, e.Unheld),
		app.P().Body(withCode(e.Held.In(l))...),
		app.P().Body(withCode(sentence(l, e.Pub))...),
		app.P().Class("upstream").Body(
			app.Span().Body(withCode(i18n.BlipsUpstream.In(l)+" ")...),
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

// mosquittoInflightIssue is the Mosquitto issue about its in-flight limit
// not holding (db__message_delete_outgoing), linked where a reconnection
// brought back more than 20 at once.
const mosquittoInflightIssue = "https://github.com/eclipse/mosquitto/issues/2301"

// blipsExplain1 says why QoS 1 copies reached the subscriber: the
// broker's resends at each reconnection and the state of the previous copy
// of each, the publisher's resends the broker took for new messages, and,
// where a reconnection brought back more than Mosquitto's in-flight limit,
// why that was possible on the broker of mode (as /api/broker names it;
// "" when not known: both explanations).
func blipsExplain1(l i18n.Lang, mode string, r faultlab.BlipResult) app.UI {
	row, s := r.Ledger, r.SubscriberQoS1
	e := r.QoS1Explain(mode)
	sp := " " // between sentences; Japanese puts none
	if l == i18n.JA {
		sp = ""
	}
	return app.Div().ID("blips-why-1").Class("explain").Attr("data-qos", "1").
		Attr("data-copies", strconv.Itoa(row.DuplicatesSeen)).Attr("data-resent", strconv.Itoa(s.Resent)).
		Attr("data-ack-lost", strconv.Itoa(s.ResentAckLost)).Attr("data-ack-unsent", strconv.Itoa(s.ResentAckUnsent)).
		Attr("data-unacked", strconv.Itoa(s.ResentUnacked)).Attr("data-unseen", strconv.Itoa(s.ResentUnseen)).
		Attr("data-as-new", strconv.Itoa(s.CopiesAsNew)).Attr("data-reconnections", strconv.Itoa(s.Reconnections)).
		Attr("data-most-resent", strconv.Itoa(s.MostResentAtOnce)).Body(
		app.P().Text(sentence(l, e.First)),
		sentenceP(l, e.Why),
		sentenceP(l, e.AsNew),
		app.If(e.Burst != nil, func() app.UI {
			if e.Burst == nil {
				return nil
			}
			return app.P().Class("burst").Body(
				app.Text(sentence(l, *e.Burst)),
				app.If(e.BurstNATS, app.Text(sp+i18n.BlipsBurstNATS.In(l))),
				app.If(e.BurstMosquitto, app.Span().Body(
					app.Span().Body(withCode(sp+i18n.BlipsBurstMosquitto.In(l)+sp+i18n.BlipsMosquittoBug.In(l)+" ")...),
					app.A().Href(mosquittoInflightIssue).Target("_blank").Rel("noopener").Text("#2301"),
					app.Span().Body(withCode(" ("+i18n.BlipsMosquittoWhat.In(l)+")")...),
				)),
				app.If(e.BurstMochi, app.Text(sp+i18n.BlipsBurstMochi.In(l))),
			)
		}()),
		app.P().Text(e.Rule.In(l)),
	)
}

// sentence says a sentence of an explanation in l.
func sentence(l i18n.Lang, s i18n.Sentence) string { return tr(l, s.Msg, s.Args...) }

// sentenceP draws a sentence as a paragraph; nothing for nil.
func sentenceP(l i18n.Lang, s *i18n.Sentence) app.UI {
	if s == nil {
		return nil
	}
	return app.P().Text(sentence(l, *s))
}

// codeWords are the identifiers the explanations name: shown as code, not
// as words of the page's language.
var codeWords = []string{"paho.mqtt.golang", "max_inflight_messages", "db__message_delete_outgoing"}

// withCode is text with the identifiers of codeWords in code elements.
func withCode(text string) []app.UI {
	var out []app.UI
	for text != "" {
		at, word := -1, ""
		for _, w := range codeWords {
			if i := strings.Index(text, w); i >= 0 && (at < 0 || i < at) {
				at, word = i, w
			}
		}
		if at < 0 {
			return append(out, app.Text(text))
		}
		if at > 0 {
			out = append(out, app.Text(text[:at]))
		}
		out = append(out, app.Code().Text(word))
		text = text[at+len(word):]
	}
	return out
}
