package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/i18n"
	"qosplayground/app/mqttframe"
	"qosplayground/app/seqdiag"
	"qosplayground/app/wiretap"
)

const svgNS = "http://www.w3.org/2000/svg"

// svg makes an SVG element. go-app sets classes through className, which
// SVG elements do not take, so the diagram is styled with presentation
// attributes and data attributes instead of classes.
func svg(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(svgNS) }

// Arrow colours: sent, received, a resend (DUP), not MQTT.
const (
	colourSent     = "#0a5cad"
	colourReceived = "#8250df"
	colourDup      = "#a40e26"
	colourBad      = "#7d4e00"
)

// renderSequence draws the packets (newest first, as the tap log keeps
// them) as a sequence diagram, and the selected packet's details.
func renderSequence(l i18n.Lang, pkts []wiretap.Packet, selected int, onSelect func(seq int) app.EventHandler) app.UI {
	return renderSequenceOn(l, pkts, nil, selected, onSelect)
}

// renderSequenceOn is renderSequence on a link whose conditions were
// periods: each arrow slants by its packet's time on the link as set
// (seqdiag.LayoutOn), and a note under the help says so.
func renderSequenceOn(l i18n.Lang, pkts []wiretap.Packet, periods []seqdiag.Period, selected int, onSelect func(seq int) app.EventHandler) app.UI {
	oldestFirst := make([]wiretap.Packet, len(pkts))
	for i, pk := range pkts {
		oldestFirst[len(pkts)-1-i] = pk
	}
	d := seqdiag.LayoutOn(oldestFirst, periods)
	slanted, capped := d.Slanted(), false
	for _, a := range d.Arrows {
		capped = capped || a.Capped
	}
	note := ""
	if slanted {
		note = i18n.SeqSlantNote.In(l)
		if capped {
			note += " " + i18n.SeqSlantCapped.In(l)
		}
	}
	var sel *wiretap.Packet
	for i := range pkts {
		if pkts[i].Seq == selected {
			sel = &pkts[i]
		}
	}
	w, h := strconv.Itoa(seqdiag.Width), strconv.Itoa(d.Height)
	lane := func(x int, label i18n.Msg) app.UI {
		xs := strconv.Itoa(x)
		return svg("g").Body(
			svg("text").Attr("x", xs).Attr("y", "24").Attr("text-anchor", "middle").Attr("font-weight", "700").Text(label.In(l)),
			svg("line").Attr("x1", xs).Attr("x2", xs).Attr("y1", "32").Attr("y2", h).Attr("stroke", "#d0d7de").Attr("stroke-width", "2"),
		)
	}
	return app.Section().Class("card", "wide").Aria("labelledby", "h-seq").Body(
		app.H2().ID("h-seq").Text(i18n.SeqHeading.In(l)),
		app.P().Class("help").Text(i18n.SeqHelp.In(l)),
		app.P().ID("seq-slant-note").Class("help").Hidden(!slanted).Text(note),
		app.Div().Class("seq-wrap").Body(
			app.Div().Class("seq-scroll").TabIndex(0).Aria("label", i18n.SeqHeading.In(l)).Body(
				svg("svg").ID("seq").Attr("viewBox", "0 0 "+w+" "+h).Attr("width", w).Attr("height", h).
					Attr("role", "group").Aria("label", i18n.SeqHeading.In(l)).Body(
					lane(seqdiag.ClientX, i18n.SeqClient),
					lane(seqdiag.BrokerX, i18n.SeqBroker),
					app.If(d.Omitted > 0, svg("text").Attr("x", strconv.Itoa(seqdiag.Width/2)).Attr("y", strconv.Itoa(seqdiag.HeaderH+seqdiag.RowH-8)).
						Attr("text-anchor", "middle").Attr("fill", "#57606a").Text(tr(l, i18n.SeqOmitted, d.Omitted))),
					app.Range(d.Arrows).Slice(func(i int) app.UI {
						return arrow(l, d.Arrows[i], d.Arrows[i].Seq == selected, onSelect)
					}),
					app.Range(d.Arrows).Slice(func(i int) app.UI { return seqNumber(d.Arrows[i]) }),
					app.Range(d.Arrows).Slice(func(i int) app.UI { return connBreak(l, d.Arrows[i]) }),
				),
			),
			renderDetails(l, sel),
		),
	)
}

func arrow(l i18n.Lang, a seqdiag.Arrow, selected bool, onSelect func(int) app.EventHandler) app.UI {
	x1, x2 := strconv.Itoa(a.X1), strconv.Itoa(a.X2)
	dirName, dir, colour := "received", i18n.DirReceived, colourReceived
	if a.Sent {
		dirName, dir, colour = "sent", i18n.DirSent, colourSent
	}
	width, dash, weight := "2", "", "400"
	if a.Dup {
		colour, width, dash, weight = colourDup, "3", "6 3", "700"
	}
	if a.Undecodable {
		colour = colourBad
	}
	if a.Count > 1 {
		width = "6" // a group row: a band, not a line
	}
	if selected {
		width = "4"
	}
	// go-app keeps the first handler of a reused element (it compares
	// handlers by code): the packet is read from the element's data-seq
	// when clicked, never from this closure.
	pick := func(ctx app.Context, e app.Event) {
		if seq, err := strconv.Atoi(ctx.JSSrc().Get("dataset").Get("seq").String()); err == nil {
			onSelect(seq)(ctx, e)
		}
	}
	if a.Mixed() {
		dirName = "both"
	}
	name := tr(l, i18n.SeqArrowLabel, a.Label, a.Seq, dir)
	if a.Y2 != a.Y {
		name += tr(l, i18n.SeqSlantAria, a.Link.Milliseconds())
	}
	return svg("g").
		Attr("data-seq", strconv.Itoa(a.Seq)).Attr("data-type", a.Type).
		Attr("data-dir", dirName).Attr("data-id", strconv.Itoa(int(a.PacketID))).
		Attr("data-dup", strconv.FormatBool(a.Dup)).
		Attr("data-count", strconv.Itoa(a.Count)).
		Attr("data-y1", strconv.Itoa(a.Y)).Attr("data-y2", strconv.Itoa(a.Y2)).
		Attr("data-link-ms", strconv.FormatInt(a.Link.Milliseconds(), 10)).
		Attr("tabindex", "0").Attr("role", "button").
		Aria("pressed", strconv.FormatBool(selected)).
		Aria("label", name).
		On("click", pick).
		On("keydown", func(ctx app.Context, e app.Event) {
			if k := e.Get("key").String(); k == "Enter" || k == " " {
				e.PreventDefault()
				pick(ctx, e)
			}
		}).Body(
		app.If(a.Mixed(),
			// A mixed group: a band across both lanes, for packets going
			// both ways.
			svg("rect").Attr("x", strconv.Itoa(seqdiag.ClientX)).Attr("y", strconv.Itoa(a.Y-4)).
				Attr("width", strconv.Itoa(seqdiag.BrokerX-seqdiag.ClientX)).Attr("height", "8").
				Attr("fill", "#d0d7de").Attr("stroke", colourSent).Attr("stroke-width", map[bool]string{true: "3", false: "1"}[selected]),
			svg("text").Attr("x", strconv.Itoa(a.LabelX)).Attr("y", strconv.Itoa(a.Y-seqdiag.LabelAbove)).Attr("text-anchor", "middle").
				Attr("fill", "#1b1f23").Attr("font-size", "11").Text(a.Label),
		).Else(
			arrowLine(l, a, x1, x2, colour, width, dash, weight)...,
		),
	)
}

// arrowLine draws one arrow (a packet, or a group of packets of one kind)
// and its label; a slanted arrow also says its time on the link, above the
// end it leaves from.
func arrowLine(l i18n.Lang, a seqdiag.Arrow, x1, x2, colour, width, dash, weight string) []app.UI {
	y1, y2 := strconv.Itoa(a.Y), strconv.Itoa(a.Y2)
	var ms app.UI
	if a.Y2 != a.Y {
		x, anchor := a.X1+8, "start"
		if a.X1 > a.X2 {
			x, anchor = a.X1-8, "end"
		}
		ms = svg("text").Attr("x", strconv.Itoa(x)).Attr("y", strconv.Itoa(a.Y-seqdiag.LabelAbove)).Attr("text-anchor", anchor).
			Attr("fill", "#57606a").Attr("data-part", "link-ms").Text(tr(l, i18n.SeqSlantMS, a.Link.Milliseconds()))
	}
	return []app.UI{
		// A wide transparent line makes the arrow easy to click.
		svg("line").Attr("x1", x1).Attr("x2", x2).Attr("y1", y1).Attr("y2", y2).
			Attr("stroke", "transparent").Attr("stroke-width", "14").Attr("data-part", "hit"),
		svg("line").Attr("x1", x1).Attr("x2", x2).Attr("y1", y1).Attr("y2", y2).
			Attr("stroke", colour).Attr("stroke-width", width).Attr("stroke-dasharray", dash).Attr("data-part", "arrow"),
		svg("polygon").Attr("points", a.Head()).Attr("fill", colour),
		svg("text").Attr("x", strconv.Itoa(a.LabelX)).Attr("y", strconv.Itoa(a.LabelY())).Attr("text-anchor", "middle").
			Attr("fill", map[bool]string{true: colourDup, false: "#1b1f23"}[a.Dup]).Attr("font-weight", weight).Text(a.Label),
		ms,
	}
}

// connBreak draws, above the first packet of a connection that follows
// another, the break between them: the old connection was lost and this
// is the reconnection.
func connBreak(l i18n.Lang, a seqdiag.Arrow) app.UI {
	if !a.NewConn {
		return nil
	}
	y := strconv.Itoa(a.Y - seqdiag.RowH/2 - 2)
	return svg("g").Attr("data-part", "conn-break").Attr("data-conn", strconv.Itoa(a.Conn)).Body(
		svg("line").Attr("x1", "0").Attr("x2", strconv.Itoa(seqdiag.Width)).Attr("y1", y).Attr("y2", y).
			Attr("stroke", colourDup).Attr("stroke-width", "1").Attr("stroke-dasharray", "2 4"),
		svg("text").Attr("x", strconv.Itoa(seqdiag.Width-4)).Attr("y", strconv.Itoa(a.Y-seqdiag.RowH/2-5)).
			Attr("text-anchor", "end").Attr("fill", colourDup).Attr("font-size", "11").
			Text(tr(l, i18n.SeqNewConn, a.Conn)),
	)
}

// seqNumber is a packet's number at the left of its arrow, outside the
// arrow's button so that the button's visible text is its label.
func seqNumber(a seqdiag.Arrow) app.UI {
	return svg("text").Attr("x", strconv.Itoa(min(a.X1, a.X2)-10)).Attr("y", strconv.Itoa(a.ClientY()+4)).
		Attr("text-anchor", "end").Attr("fill", "#57606a").Aria("hidden", "true").Text(seqRange(a))
}

// seqRange is the number, or the first and last numbers, of a row's packets.
func seqRange(a seqdiag.Arrow) string {
	if a.Count > 1 {
		return strconv.Itoa(a.FirstSeq) + "–" + strconv.Itoa(a.Seq)
	}
	return strconv.Itoa(a.Seq)
}

// renderDetails shows the selected packet's fields and its bytes.
func renderDetails(l i18n.Lang, pk *wiretap.Packet) app.UI {
	if pk == nil {
		return app.Div().ID("seq-details").Class("seq-details").Body(
			app.P().Class("muted").Text(i18n.SeqNoSelection.In(l)),
		)
	}
	return app.Div().ID("seq-details").Class("seq-details").Attr("data-seq", strconv.Itoa(pk.Seq)).Body(
		app.H3().Text(tr(l, i18n.SeqDetails, pk.Seq)+" · "+pk.Type),
		app.P().Class("fields").Body(packetFields(l, *pk)...),
		app.H4().Text(i18n.SeqBytes.In(l)),
		app.Pre().ID("seq-hex").Class("hex").TabIndex(0).Aria("label", i18n.SeqBytes.In(l)).Text(seqdiag.Hex(mqttframe.MaskPassword(pk.Raw))),
	)
}
