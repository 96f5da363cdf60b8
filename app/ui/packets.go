package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/i18n"
	"qosplayground/app/wiretap"
)

// The packet table lists the newest maxPacketRows of the log's packets.
const maxPacketRows = 100

// packetLog keeps the tap's packets for the page (wiretap.Log) and asks for
// at most one redraw per refreshInterval however fast packets come.
type packetLog struct {
	wiretap.Log
	redraw batched
}

// add keeps a packet and schedules redraw on the UI goroutine.
func (pl *packetLog) add(pk wiretap.Packet, redraw func()) {
	pl.Add(pk)
	pl.redraw.soon(redraw)
}

// sentQoS is wiretap.SentQoS over the log: called for every received
// message.
func (pl *packetLog) sentQoS(topicName string, payload []byte) (byte, bool) {
	return pl.SentQoS(topicName, payload)
}

// snapshot returns the newest packets, newest first.
func (pl *packetLog) snapshot() []wiretap.Packet { return pl.Newest() }

func qosList(qs []byte) string {
	parts := make([]string, len(qs))
	for i, q := range qs {
		parts[i] = strconv.Itoa(int(q))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// packetFields are the decoded fields of a packet that matter to a learner.
func packetFields(l i18n.Lang, pk wiretap.Packet) []app.UI {
	var out []app.UI
	text := func(msg i18n.Msg, args ...any) { out = append(out, app.Span().Text(tr(l, msg, args...))) }
	data := func(s string) { out = append(out, app.Code().Class("data").Text(s)) }
	badge := func(s string) { out = append(out, app.Span().Class("badge", "flag").Text(s)) }
	switch pk.Type {
	case "CONNECT":
		data(pk.ClientID)
		if pk.CleanSession {
			text(i18n.PktCleanSession)
		} else {
			text(i18n.PktPersistent)
		}
		text(i18n.PktKeepAlive, int(pk.KeepAlive))
		if pk.HasWill {
			text(i18n.PktWill)
			data(pk.WillTopic)
		}
	case "CONNACK":
		if pk.ReturnCode == 0 {
			text(i18n.PktAccepted)
		} else {
			text(i18n.PktRefused, int(pk.ReturnCode))
		}
		if pk.SessionPresent {
			text(i18n.PktSessionYes)
		} else {
			text(i18n.PktSessionNo)
		}
	case "PUBLISH":
		data(pk.Topic)
		out = append(out, app.Span().Class("badge", "qos"+strconv.Itoa(int(pk.QoS))).Text(i18n.QoSLabel.In(l)+" "+strconv.Itoa(int(pk.QoS))))
		if pk.PacketID != 0 {
			text(i18n.PktID, int(pk.PacketID))
		}
		if pk.Dup {
			out = append(out, app.Span().Class("badge", "dup").Text(i18n.ColDup.In(l)))
		}
		if pk.Retain {
			badge(i18n.RetainLabel.In(l))
		}
	case "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "UNSUBACK":
		text(i18n.PktID, int(pk.PacketID))
	case "SUBSCRIBE":
		text(i18n.PktID, int(pk.PacketID))
		for _, f := range pk.Filters {
			data(f)
		}
		text(i18n.PktRequested, qosList(pk.RequestedQoS))
	case "SUBACK":
		text(i18n.PktID, int(pk.PacketID))
		text(i18n.PktGranted, qosList(pk.GrantedQoS))
	case "UNSUBSCRIBE":
		text(i18n.PktID, int(pk.PacketID))
		for _, f := range pk.Filters {
			data(f)
		}
	case wiretap.Undecodable:
		text(i18n.PktUndecodable)
		data(pk.Err)
	}
	text(i18n.PktBytes, len(pk.Raw))
	return out
}

// renderPackets lists the tap's newest packets, newest first. A row's
// number is a button that opens the packet in the sequence diagram's
// details, as a click on its arrow does.
func renderPackets(l i18n.Lang, pkts []wiretap.Packet, selected int, onSelect func(seq int) app.EventHandler) app.UI {
	// One handler for every row: it reads the packet from the button's
	// data-seq (go-app keeps the first handler of a reused element).
	open := func(ctx app.Context, e app.Event) {
		if seq, err := strconv.Atoi(ctx.JSSrc().Get("dataset").Get("seq").String()); err == nil {
			onSelect(seq)(ctx, e)
			// The details are drawn above the diagram: bring them into view.
			ctx.Defer(func(app.Context) {
				if d := app.Window().GetElementByID("seq-details"); d.Truthy() {
					d.Call("scrollIntoView", map[string]any{"block": "nearest"})
				}
			})
		}
	}
	pkts = pkts[:min(len(pkts), maxPacketRows)]
	return app.Section().Class("card", "wide").Aria("labelledby", "h-pkts").Body(
		app.H2().ID("h-pkts").Text(i18n.PacketsHeading.In(l)),
		app.P().Class("help").Text(i18n.PacketsHelp.In(l)+" "+i18n.PacketsOpenHelp.In(l)),
		app.If(len(pkts) == 0, app.P().Class("muted").Text(i18n.NoPacketsYet.In(l))),
		app.If(len(pkts) > 0, app.Div().Class("table-wrap", "packets-wrap").TabIndex(0).Aria("label", i18n.PacketsHeading.In(l)).Body(
			app.Table().ID("packets").Class("results", "packets").Body(
				headerRow(l, i18n.PktColSeq, i18n.PktColDir, i18n.PktColType, i18n.PktColFields),
				app.TBody().Body(
					app.Range(pkts).Slice(func(i int) app.UI {
						pk := pkts[i]
						dir, dirText := "sent", i18n.DirSent
						if pk.Dir == wiretap.Received {
							dir, dirText = "received", i18n.DirReceived
						}
						return app.Tr().Class("pkt-"+dir).
							Attr("data-seq", strconv.Itoa(pk.Seq)).
							Attr("data-dir", dir).
							Attr("data-type", pk.Type).
							Attr("data-id", strconv.Itoa(int(pk.PacketID))).
							Attr("data-qos", strconv.Itoa(int(pk.QoS))).
							Attr("data-at", strconv.FormatInt(pk.At.UnixMilli(), 10)).
							Attr("data-topic", pk.Topic).Body(
							app.Td().Class("num").Body(
								app.Button().Type("button").Class("small", "pkt-open").
									Attr("data-seq", strconv.Itoa(pk.Seq)).
									Aria("pressed", strconv.FormatBool(pk.Seq == selected)).
									Aria("label", tr(l, i18n.PktOpenLabel, pk.Seq, pk.Type)).
									OnClick(open).Text(strconv.Itoa(pk.Seq)),
							),
							app.Td().Aria("label", dirText.In(l)).Text(pk.Dir.Arrow()),
							app.Td().Body(app.Strong().Text(pk.Type)),
							app.Td().Class("fields").Body(packetFields(l, pk)...),
						)
					}),
				),
			),
		)),
	)
}
