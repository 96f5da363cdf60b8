package ui

import (
	"strconv"
	"unicode/utf8"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/client"
)

// Render draws the page: connection, subscribe, publish, messages and log.
func (p *playground) Render() app.UI {
	return app.Div().Class("page").Body(
		pageHeader("/", p.renderState()),
		app.Main().Class("grid").Body(
			p.renderConnection(),
			p.renderSubscribe(),
			p.renderPublish(),
			p.renderMessages(),
			p.renderLog(),
		),
	)
}

func (p *playground) renderState() app.UI {
	text := string(p.state)
	if p.state == client.Connected {
		if p.sessionPresent {
			text += " · session present"
		} else {
			text += " · new session"
		}
	}
	return app.Div().ID("conn-state").Class("state", "state-"+string(p.state)).
		Attr("data-state", string(p.state)).
		Attr("data-session-present", strconv.FormatBool(p.sessionPresent)).
		Attr("role", "status").
		Text(text)
}

func field(label, id string, control app.UI, help string) app.UI {
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(label),
		control,
		app.If(help != "", app.Small().Class("help").Text(help)),
	)
}

func qosSelect(id string, value byte, onChange app.EventHandler) app.UI {
	return app.Select().ID(id).OnChange(onChange).Body(
		app.Option().Value("0").Selected(value == 0).Text("0 · at most once"),
		app.Option().Value("1").Selected(value == 1).Text("1 · at least once"),
		app.Option().Value("2").Selected(value == 2).Text("2 · exactly once"),
	)
}

// qosTo returns a change handler that stores a selected QoS into v.
func qosTo(v *byte) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if n, err := strconv.Atoi(ctx.JSSrc().Get("value").String()); err == nil && n >= 0 && n <= 2 {
			*v = byte(n)
		}
	}
}

// checkedTo returns a change handler that stores a checkbox state into v.
func checkedTo(v *bool) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		*v = ctx.JSSrc().Get("checked").Bool()
	}
}

func errorLine(id, msg string) app.UI {
	return app.P().ID(id).Class("error").Attr("role", "alert").Hidden(msg == "").Text(msg)
}

func (p *playground) renderConnection() app.UI {
	busy := p.state != client.Disconnected
	return app.Section().Class("card").Aria("labelledby", "h-conn").Body(
		app.H2().ID("h-conn").Text("Connection"),
		app.Form().OnSubmit(p.onConnect).Body(
			field("Broker (WebSocket)", "broker-url",
				app.Input().ID("broker-url").Type("url").Value(p.brokerURL).Disabled(busy).OnInput(p.ValueTo(&p.brokerURL)),
				"The server's /mqtt endpoint relays every packet, unchanged, to a real broker."),
			field("Client id", "client-id",
				app.Input().ID("client-id").Type("text").Value(p.clientID).Disabled(busy).OnInput(p.ValueTo(&p.clientID)),
				"The broker keeps a persistent session under this id."),
			app.Div().Class("field", "check").Body(
				app.Input().ID("clean-session").Type("checkbox").Checked(p.clean).Disabled(busy).OnChange(checkedTo(&p.clean)),
				app.Label().For("clean-session").Text("Clean session"),
				app.Small().Class("help").Text("On: the broker forgets this client's subscriptions and queued messages when it disconnects. Off: it keeps them, and CONNACK says \"session present\"."),
			),
			field("Keepalive (seconds)", "keepalive",
				app.Input().ID("keepalive").Type("number").Attr("min", "1").Attr("max", "65535").Value(p.keepAlive).Disabled(busy).OnInput(p.ValueTo(&p.keepAlive)),
				"The client sends PINGREQ when idle this long; the broker drops it after 1.5 times this."),
			app.Div().Class("buttons").Body(
				app.Button().ID("connect").Type("submit").Disabled(busy).Text("Connect"),
				app.Button().ID("disconnect").Type("button").Disabled(p.state == client.Disconnected).OnClick(p.onDisconnect).Text("Disconnect"),
			),
			errorLine("conn-error", p.connErr),
		),
	)
}

func (p *playground) renderSubscribe() app.UI {
	return app.Section().Class("card").Aria("labelledby", "h-sub").Body(
		app.H2().ID("h-sub").Text("Subscribe"),
		app.Form().OnSubmit(p.onSubscribe).Body(
			field("Topic filter", "sub-filter",
				app.Input().ID("sub-filter").Type("text").Value(p.subFilter).OnInput(p.ValueTo(&p.subFilter)),
				"+ matches one level, # the rest (last level only)."),
			field("QoS", "sub-qos", qosSelect("sub-qos", p.subQoS, qosTo(&p.subQoS)),
				"The most this subscription will receive: a delivery gets min(publish QoS, this)."),
			app.Div().Class("buttons").Body(
				app.Button().ID("subscribe").Type("submit").Disabled(p.state != client.Connected).Text("Subscribe"),
			),
			errorLine("sub-error", p.subErr),
		),
		app.Ul().ID("subscriptions").Class("subs").Body(
			app.Range(p.subs).Slice(func(i int) app.UI {
				s := p.subs[i]
				return app.Li().Attr("data-filter", s.Filter).Attr("data-granted", strconv.Itoa(int(s.Granted))).Body(
					app.Code().Text(s.Filter),
					app.Span().Class("muted").Text(" granted QoS "+strconv.Itoa(int(s.Granted))),
					app.Button().Class("small").Type("button").Aria("label", "Unsubscribe "+s.Filter).
						OnClick(p.onUnsubscribe(s.Filter)).Text("Unsubscribe"),
				)
			}),
		),
	)
}

func (p *playground) renderPublish() app.UI {
	return app.Section().Class("card").Aria("labelledby", "h-pub").Body(
		app.H2().ID("h-pub").Text("Publish"),
		app.Form().OnSubmit(p.onPublish).Body(
			field("Topic", "pub-topic",
				app.Input().ID("pub-topic").Type("text").Value(p.pubTopic).OnInput(p.ValueTo(&p.pubTopic)),
				"A topic name: no wildcards."),
			field("Payload", "pub-payload",
				app.Textarea().ID("pub-payload").Rows(3).Text(p.pubPayload).OnInput(p.ValueTo(&p.pubPayload)),
				""),
			field("QoS", "pub-qos", qosSelect("pub-qos", p.pubQoS, qosTo(&p.pubQoS)),
				"0: one PUBLISH. 1: PUBLISH, PUBACK. 2: PUBLISH, PUBREC, PUBREL, PUBCOMP."),
			app.Div().Class("field", "check").Body(
				app.Input().ID("pub-retain").Type("checkbox").Checked(p.pubRetain).OnChange(checkedTo(&p.pubRetain)),
				app.Label().For("pub-retain").Text("Retain"),
				app.Small().Class("help").Text("The broker keeps the last retained message of a topic and gives it to every new subscriber."),
			),
			app.Div().Class("buttons").Body(
				app.Button().ID("publish").Type("submit").Disabled(p.state != client.Connected).Text("Publish"),
			),
			errorLine("pub-error", p.pubErr),
		),
	)
}

// preview shortens a payload for the message list.
func preview(b []byte) string {
	const max = 200
	if !utf8.Valid(b) {
		return "(" + strconv.Itoa(len(b)) + " bytes of binary)"
	}
	if len(b) > max {
		return string(b[:max]) + "… (" + strconv.Itoa(len(b)) + " bytes)"
	}
	return string(b)
}

func (p *playground) renderMessages() app.UI {
	return app.Section().Class("card", "wide").Aria("labelledby", "h-msg").Body(
		app.H2().ID("h-msg").Text("Messages received"),
		app.If(len(p.messages) == 0, app.P().Class("muted").Text("Nothing yet: subscribe, then publish.")),
		app.Ol().ID("messages").Class("messages").Body(
			app.Range(p.messages).Slice(func(i int) app.UI {
				m := p.messages[i]
				return app.Li().Class("msg").
					Attr("data-topic", m.Topic).
					Attr("data-qos", strconv.Itoa(int(m.QoS))).
					Attr("data-payload", preview(m.Payload)).Body(
					app.Div().Class("msg-head").Body(
						app.Time().Text(m.At.Format("15:04:05.000")),
						app.Code().Class("topic").Text(m.Topic),
						app.Span().Class("badge", "qos"+strconv.Itoa(int(m.QoS))).Text("QoS "+strconv.Itoa(int(m.QoS))),
						app.If(m.PacketID != 0, app.Span().Class("muted").Text("id "+strconv.Itoa(int(m.PacketID)))),
						app.If(m.Retained, app.Span().Class("badge", "flag").Text("retained")),
						app.If(m.Duplicate, app.Span().Class("badge", "flag", "dup").Text("DUP")),
					),
					app.Pre().Class("payload").Text(preview(m.Payload)),
				)
			}),
		),
	)
}

func (p *playground) renderLog() app.UI {
	return app.Section().Class("card", "wide").Aria("labelledby", "h-log").Body(
		app.H2().ID("h-log").Text("Activity"),
		app.Ol().ID("activity").Class("log").Attr("aria-live", "polite").Body(
			app.Range(p.log).Slice(func(i int) app.UI {
				l := p.log[i]
				return app.Li().Class(map[bool]string{true: "bad", false: "ok"}[l.Bad]).Body(
					app.Time().Text(l.At.Format("15:04:05.000")),
					app.Span().Text(" "+l.Text),
				)
			}),
		),
	)
}
