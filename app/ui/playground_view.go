package ui

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/client"
	"qosplayground/app/expconfig"
	"qosplayground/app/i18n"
	"qosplayground/app/lab"
)

// Render draws the page: connection, subscribe, publish, messages and log.
func (p *playground) Render() app.UI {
	l := p.lang
	return app.Div().Class("page").Body(
		pageHeader(l, "/", p.renderState()),
		app.Main().Class("grid").Body(
			p.renderConnection(),
			p.renderSubscribe(),
			p.renderPublish(),
			p.renderMessages(),
			renderSequence(l, p.packets, p.selected, p.onSelect),
			renderPackets(l, p.packets),
			app.Section().Class("card", "wide").Aria("labelledby", "h-log").Body(
				app.H2().ID("h-log").Text(i18n.ActivityHeading.In(l)),
				renderLog(l, "activity", i18n.ActivityHeading, p.log),
			),
			&checklist{},
		),
	)
}

var stateNames = map[client.State]i18n.Msg{
	client.Disconnected: i18n.StateDisconnected,
	client.Connecting:   i18n.StateConnecting,
	client.Connected:    i18n.StateConnected,
	client.Reconnecting: i18n.StateReconnecting,
}

func (p *playground) renderState() app.UI {
	l := p.lang
	text := stateNames[p.state].In(l)
	if p.state == client.Connected {
		if p.sessionPresent {
			text += " · " + i18n.SessionPresent.In(l)
		} else {
			text += " · " + i18n.NewSession.In(l)
		}
	}
	return app.Div().ID("conn-state").Class("state", "state-"+string(p.state)).
		Attr("data-state", string(p.state)).
		Attr("data-session-present", strconv.FormatBool(p.sessionPresent)).
		Attr("role", "status").
		Text(text)
}

// field is a labelled form control with an optional line of help.
func field(l i18n.Lang, label, id string, control app.UI, help i18n.Msg) app.UI {
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(label),
		control,
		app.If(help != i18n.Msg{}, app.Small().Class("help").Text(help.In(l))),
	)
}

func qosSelect(l i18n.Lang, id string, value byte, onChange app.EventHandler) app.HTMLSelect {
	return app.Select().ID(id).OnChange(onChange).Body(
		app.Option().Value("0").Selected(value == 0).Text(i18n.QoS0Option.In(l)),
		app.Option().Value("1").Selected(value == 1).Text(i18n.QoS1Option.In(l)),
		app.Option().Value("2").Selected(value == 2).Text(i18n.QoS2Option.In(l)),
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

// errorLine shows err in the learner's language, or nothing.
func errorLine(l i18n.Lang, id string, err error) app.UI {
	return app.P().ID(id).Class("error").Attr("role", "alert").Hidden(err == nil).Text(errText(l, err))
}

func (p *playground) renderConnection() app.UI {
	l := p.lang
	busy := p.state != client.Disconnected
	b := binder{c: p, lang: l, disabled: busy}
	return app.Section().Class("card").Aria("labelledby", "h-conn").Body(
		app.H2().ID("h-conn").Text(i18n.ConnHeading.In(l)),
		app.Form().OnSubmit(p.onConnect).Body(
			field(l, i18n.BrokerChoiceLabel.In(l), "broker-choice", p.brokerChoice(busy), i18n.BrokerChoiceHelp),
			field(l, i18n.BrokerLabel.In(l), "broker-url",
				app.Input().ID("broker-url").Type("url").Value(p.brokerURL).Disabled(busy).OnInput(p.ValueTo(&p.brokerURL)),
				i18n.BrokerHelp),
			field(l, i18n.ClientIDLabel.In(l), "client-id",
				app.Input().ID("client-id").Type("text").Value(p.clientID).Disabled(busy).OnInput(p.ValueTo(&p.clientID)),
				i18n.ClientIDHelp),
			b.checkField("clean-session", &p.clean, i18n.CleanSessionLabel, i18n.CleanSessionHelp),
			b.numberField(i18n.KeepAliveLabel, "keepalive", &p.keepAlive, 1, 65535, i18n.KeepAliveHelp),
			b.checkField("auto-reconnect", &p.reconnect, i18n.AutoReconnectLabel, i18n.AutoReconnectHelp),
			app.Details().Class("more").Body(
				app.Summary().Text(i18n.WillLegend.In(l)),
				field(l, i18n.WillTopicLabel.In(l), "will-topic",
					app.Input().ID("will-topic").Type("text").Value(p.willTopic).Disabled(busy).OnInput(p.ValueTo(&p.willTopic)),
					i18n.WillTopicHelp),
				field(l, i18n.WillPayloadLabel.In(l), "will-payload",
					app.Input().ID("will-payload").Type("text").Value(p.willPayload).Disabled(busy).OnInput(p.ValueTo(&p.willPayload)),
					i18n.WillPayloadHelp),
				field(l, i18n.QoSLabel.In(l), "will-qos", qosSelect(l, "will-qos", p.willQoS, qosTo(&p.willQoS)), i18n.WillQoSHelp),
				b.checkField("will-retain", &p.willRetain, i18n.WillRetainLabel, i18n.WillRetainHelp),
				field(l, i18n.UserLabel.In(l), "username",
					app.Input().ID("username").Type("text").Attr("autocomplete", "off").Value(p.username).Disabled(busy).OnInput(p.ValueTo(&p.username)),
					i18n.Msg{}),
				field(l, i18n.PasswordLabel.In(l), "password",
					app.Input().ID("password").Type("password").Attr("autocomplete", "off").Value(p.password).Disabled(busy).OnInput(p.ValueTo(&p.password)),
					i18n.CredentialsHelp),
			),
			app.Div().Class("buttons").Body(
				app.Button().ID("connect").Type("submit").Disabled(busy).Text(i18n.ConnectButton.In(l)),
				app.Button().ID("disconnect").Type("button").Disabled(p.state == client.Disconnected).OnClick(p.onDisconnect).Text(i18n.DisconnectButton.In(l)),
			),
			errorLine(l, "conn-error", p.connErr),
		),
	)
}

func (p *playground) renderSubscribe() app.UI {
	l := p.lang
	return app.Section().Class("card").Aria("labelledby", "h-sub").Body(
		app.H2().ID("h-sub").Text(i18n.SubHeading.In(l)),
		app.Form().OnSubmit(p.onSubscribe).Body(
			field(l, i18n.FilterLabel.In(l), "sub-filter",
				app.Input().ID("sub-filter").Type("text").Value(p.subFilter).OnInput(p.ValueTo(&p.subFilter)),
				i18n.FilterHelp),
			field(l, i18n.QoSLabel.In(l), "sub-qos", qosSelect(l, "sub-qos", p.subQoS, qosTo(&p.subQoS)), i18n.SubQoSHelp),
			app.Div().Class("buttons").Body(
				app.Button().ID("subscribe").Type("submit").Disabled(p.state != client.Connected).Text(i18n.SubscribeButton.In(l)),
			),
			errorLine(l, "sub-error", p.subErr),
		),
		app.Ul().ID("subscriptions").Class("subs").Body(
			app.Range(p.subs).Slice(func(i int) app.UI {
				s := p.subs[i]
				return app.Li().Attr("data-filter", s.Filter).Attr("data-granted", strconv.Itoa(int(s.Granted))).Body(
					app.Code().Text(s.Filter),
					app.Span().Class("muted").Text(" "+tr(l, i18n.GrantedQoS, int(s.Granted))),
					app.Button().Class("small").Type("button").Aria("label", tr(l, i18n.UnsubscribeLabel, s.Filter)).
						OnClick(p.onUnsubscribe(s.Filter)).Text(i18n.UnsubscribeButton.In(l)),
				)
			}),
		),
	)
}

func (p *playground) renderPublish() app.UI {
	l := p.lang
	b := binder{c: p, lang: l}
	return app.Section().Class("card").Aria("labelledby", "h-pub").Body(
		app.H2().ID("h-pub").Text(i18n.PubHeading.In(l)),
		app.Form().OnSubmit(p.onPublish).Body(
			field(l, i18n.TopicLabel.In(l), "pub-topic",
				app.Input().ID("pub-topic").Type("text").Value(p.pubTopic).OnInput(p.ValueTo(&p.pubTopic)),
				i18n.TopicHelp),
			field(l, i18n.PayloadLabel.In(l), "pub-payload",
				app.Textarea().ID("pub-payload").Rows(3).Text(p.pubPayload).OnInput(p.ValueTo(&p.pubPayload)),
				i18n.Msg{}),
			field(l, i18n.QoSLabel.In(l), "pub-qos", qosSelect(l, "pub-qos", p.pubQoS, qosTo(&p.pubQoS)), i18n.PubQoSHelp),
			b.checkField("pub-retain", &p.pubRetain, i18n.RetainLabel, i18n.RetainHelp),
			app.Div().Class("field-row").Body(
				b.numberField(i18n.CountLabel, "pub-count", &p.pubCount, 1, expconfig.MaxCount, i18n.CountHelp),
				b.numberField(i18n.WindowLabel, "pub-window", &p.pubWindow, 1, expconfig.MaxWindow, i18n.WindowHelp),
			),
			app.Div().Class("buttons").Body(
				app.Button().ID("publish").Type("submit").Disabled(p.state != client.Connected || p.bursting).Text(i18n.PublishButton.In(l)),
			),
			errorLine(l, "pub-error", p.pubErr),
			app.If(len(p.burstRecs) > 0 || p.bursting, p.renderBurst()),
		),
	)
}

// renderBurst tallies the current or last burst, with its latency chart.
func (p *playground) renderBurst() app.UI {
	l := p.lang
	c := countStatuses(p.burstRecs)
	return app.Div().ID("burst").Attr("data-running", strconv.FormatBool(p.bursting)).
		Attr("data-total", strconv.Itoa(len(p.burstRecs))).
		Attr("data-confirmed", strconv.Itoa(c[lab.StatusConfirmed]+c[lab.StatusSentQoS0])).Body(
		app.P().Attr("role", "status").Text(tr(l, i18n.RunSummary, len(p.burstRecs), c[lab.StatusConfirmed], c[lab.StatusSentQoS0],
			c[lab.StatusPending], c[lab.StatusFailed], p.burstTook.Round(time.Millisecond).String())),
		app.If(!p.bursting && len(p.burstRecs) > 0, latencyChart(l, p.burstRecs)),
	)
}

// preview shortens a payload for the message list.
func preview(l i18n.Lang, b []byte) string {
	const max = 200
	if !utf8.Valid(b) {
		return tr(l, i18n.BinaryPayload, len(b))
	}
	if len(b) > max {
		return string(b[:max]) + tr(l, i18n.TruncatedPayload, len(b))
	}
	return string(b)
}

func (p *playground) renderMessages() app.UI {
	l := p.lang
	return app.Section().Class("card", "wide").Aria("labelledby", "h-msg").Body(
		app.H2().ID("h-msg").Text(i18n.MessagesHeading.In(l)),
		app.If(len(p.messages) == 0, app.P().Class("muted").Text(i18n.NothingYet.In(l))),
		app.If(p.receivedTotal > len(p.messages), app.P().ID("received-total").Class("muted").
			Attr("data-total", strconv.Itoa(p.receivedTotal)).Text(tr(l, i18n.ReceivedTotal, p.receivedTotal, len(p.messages)))),
		app.Ol().ID("messages").Class("messages").TabIndex(0).Aria("label", i18n.MessagesHeading.In(l)).Body(
			app.Range(p.messages).Slice(func(i int) app.UI {
				m := p.messages[i]
				qos := strconv.Itoa(int(m.QoS))
				return app.Li().Class("msg").
					Attr("data-topic", m.Topic).
					Attr("data-qos", qos).
					Attr("data-payload", preview(i18n.EN, m.Payload)).Body(
					app.Div().Class("msg-head").Body(
						app.Time().Text(m.At.Format("15:04:05.000")),
						app.Code().Class("topic").Text(m.Topic),
						app.Span().Class("badge", "qos"+qos).Text(i18n.QoSLabel.In(l)+" "+qos),
						app.If(m.PacketID != 0, app.Span().Class("muted").Text(tr(l, i18n.PacketIDShort, int(m.PacketID)))),
						app.If(m.Retained, app.Span().Class("badge", "flag").Text(i18n.RetainedBadge.In(l))),
						app.If(m.Duplicate, app.Span().Class("badge", "flag", "dup").Text(i18n.ColDup.In(l))),
						app.If(m.PubQoS >= 0 && m.Granted >= 0, app.Span().Class("muted", "effective").
							Text(tr(l, i18n.EffectiveQoS, m.PubQoS, m.Granted, m.PubQoS, m.Granted, int(m.QoS)))),
					),
					app.Pre().Class("payload").Text(preview(l, m.Payload)),
				)
			}),
		),
	)
}

// brokerChoice offers the server's broker or the in-tab one (inbroker.go).
func (p *playground) brokerChoice(busy bool) app.UI {
	l := p.lang
	return app.Select().ID("broker-choice").Disabled(busy).OnChange(func(ctx app.Context, e app.Event) {
		if ctx.JSSrc().Get("value").String() == EnvBrokerInTab {
			setBroker(ctx, tabBroker{InTab: true, Reason: reasonChosen})
		} else {
			setBroker(ctx, tabBroker{})
		}
		p.brokerURL = withoutToken(brokerURL())
	}).Body(
		app.Option().Value("server").Selected(!p.broker.InTab).Text(i18n.BrokerChoiceServer.In(l)),
		app.Option().Value(EnvBrokerInTab).Selected(p.broker.InTab).Text(i18n.BrokerChoiceInTab.In(l)),
	)
}
