package ui

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/client"
	"qosplayground/app/exercises"
	"qosplayground/app/expconfig"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
)

// Render draws the page: connection, subscribe, publish, messages and log.
func (p *playground) Render() app.UI {
	l := p.lang
	return app.Div().Class("page").Body(
		pageHeader(l, p.embed, "/", p.renderState()),
		app.Main().Class("grid").Body(
			p.renderConnection(),
			p.renderNetwork(),
			p.renderSubscribe(),
			p.renderPublish(),
			p.renderMessages(),
			p.capBanner(),
			renderSequenceOn(l, p.packets, p.netPeriods(), p.selected, p.onSelect),
			renderPackets(l, p.packets, p.selected, p.onSelect),
			renderCaptureCard(l, &p.cap, len(p.packets), true, p.onCapClick, p.onCapChange),
			app.Section().Class("card", "wide").Aria("labelledby", "h-log").Body(
				app.H2().ID("h-log").Text(i18n.ActivityHeading.In(l)),
				renderLog(l, "activity", i18n.ActivityHeading, p.log),
			),
			&checklist{lang: firstLang()},
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

// checkedField is field with the control's own error below it: drawn from
// the control's current value (package formcheck), so it shows while the
// value is wrong and goes as soon as it is fixed. The control names the
// error as its description and is marked invalid.
func checkedField(l i18n.Lang, label string, f formcheck.Field, control app.UI, help i18n.Msg, err error) app.UI {
	id := string(f)
	return app.Div().Class("field").Body(
		app.Label().For(id).Text(label),
		control,
		app.If(help != i18n.Msg{}, app.Small().Class("help").Text(help.In(l))),
		app.P().ID(id+"-error").Class("error", "field-error").Attr("aria-live", "polite").Hidden(err == nil).Text(errText(l, err)),
	)
}

// checkedInput is a text or number input of a checked field, bound to *v.
func (p *playground) checkedInput(f formcheck.Field, typ string, v *string, err error, disabled bool) app.HTMLInput {
	return app.Input().ID(string(f)).Type(typ).Value(*v).Disabled(disabled).OnInput(p.ValueTo(v)).
		Aria("invalid", strconv.FormatBool(err != nil)).Aria("describedby", string(f)+"-error")
}

// numberInput is a number input without the browser's own range check:
// its min and max drive the spinner only, the form says novalidate, and
// the range is checked by package formcheck, in the learner's language.
func (p *playground) numberInput(f formcheck.Field, v *string, min, max int, err error, disabled bool) app.HTMLInput {
	return p.checkedInput(f, "number", v, err, disabled).Attr("min", strconv.Itoa(min)).Attr("max", strconv.Itoa(max)).
		Attr("step", "1").Attr("inputmode", "numeric")
}

func (p *playground) renderConnection() app.UI {
	l := p.lang
	busy := p.state != client.Disconnected
	b := binder{c: p, lang: l, disabled: busy}
	errs := p.form.Checks(p.brokerURL, maxPacket()).Connection()
	return app.Section().Class("card").Aria("labelledby", "h-conn").Body(
		app.H2().ID("h-conn").Text(i18n.ConnHeading.In(l)),
		app.Form().NoValidate(true).OnSubmit(p.onConnect).Body(
			field(l, i18n.BrokerChoiceLabel.In(l), "broker-choice", p.brokerChoice(busy), i18n.BrokerChoiceHelp),
			checkedField(l, i18n.BrokerLabel.In(l), formcheck.BrokerURL,
				p.checkedInput(formcheck.BrokerURL, "url", &p.brokerURL, errs.Of(formcheck.BrokerURL), busy),
				i18n.BrokerHelp, errs.Of(formcheck.BrokerURL)),
			checkedField(l, i18n.ClientIDLabel.In(l), formcheck.ClientID,
				p.checkedInput(formcheck.ClientID, "text", &p.form.ClientID, errs.Of(formcheck.ClientID), busy),
				i18n.ClientIDHelp, errs.Of(formcheck.ClientID)),
			b.checkField("clean-session", &p.form.Clean, i18n.CleanSessionLabel, i18n.CleanSessionHelp),
			checkedField(l, i18n.KeepAliveLabel.In(l), formcheck.KeepAlive,
				p.numberInput(formcheck.KeepAlive, &p.form.KeepAlive, 1, formcheck.MaxKeepAlive, errs.Of(formcheck.KeepAlive), busy),
				i18n.KeepAliveHelp, errs.Of(formcheck.KeepAlive)),
			b.checkField("auto-reconnect", &p.form.Reconnect, i18n.AutoReconnectLabel, i18n.AutoReconnectHelp),
			app.Details().Class("more").Body(
				app.Summary().Text(i18n.WillLegend.In(l)),
				checkedField(l, i18n.WillTopicLabel.In(l), formcheck.WillTopic,
					p.checkedInput(formcheck.WillTopic, "text", &p.form.WillTopic, errs.Of(formcheck.WillTopic), busy),
					i18n.WillTopicHelp, errs.Of(formcheck.WillTopic)),
				checkedField(l, i18n.WillPayloadLabel.In(l), formcheck.WillMsg,
					p.checkedInput(formcheck.WillMsg, "text", &p.form.WillPayload, errs.Of(formcheck.WillMsg), busy),
					i18n.WillPayloadHelp, errs.Of(formcheck.WillMsg)),
				field(l, i18n.QoSLabel.In(l), "will-qos", qosSelect(l, "will-qos", p.form.WillQoS, qosTo(&p.form.WillQoS)), i18n.WillQoSHelp),
				b.checkField("will-retain", &p.form.WillRetain, i18n.WillRetainLabel, i18n.WillRetainHelp),
				checkedField(l, i18n.UserLabel.In(l), formcheck.Username,
					p.checkedInput(formcheck.Username, "text", &p.form.Username, errs.Of(formcheck.Username), busy).Attr("autocomplete", "off"),
					i18n.Msg{}, errs.Of(formcheck.Username)),
				checkedField(l, i18n.PasswordLabel.In(l), formcheck.Password,
					p.checkedInput(formcheck.Password, "password", &p.form.Password, errs.Of(formcheck.Password), busy).Attr("autocomplete", "off"),
					i18n.CredentialsHelp, errs.Of(formcheck.Password)),
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
	filterErr := p.form.Checks(p.brokerURL, maxPacket()).Subscribe().Of(formcheck.SubFilter)
	return app.Section().Class("card").Aria("labelledby", "h-sub").Body(
		app.H2().ID("h-sub").Text(i18n.SubHeading.In(l)),
		app.Form().NoValidate(true).OnSubmit(p.onSubscribe).Body(
			checkedField(l, i18n.FilterLabel.In(l), formcheck.SubFilter,
				p.checkedInput(formcheck.SubFilter, "text", &p.form.SubFilter, filterErr, false),
				i18n.FilterHelp, filterErr),
			field(l, i18n.QoSLabel.In(l), "sub-qos", qosSelect(l, "sub-qos", p.form.SubQoS, qosTo(&p.form.SubQoS)), i18n.SubQoSHelp),
			app.Div().Class("buttons").Body(
				app.Button().ID("subscribe").Type("submit").Disabled(p.state != client.Connected).Text(i18n.SubscribeButton.In(l)),
			),
			errorLine(l, "sub-error", p.typed().ShownSub(p.subErr)),
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
	errs := p.form.Checks(p.brokerURL, maxPacket()).Publish()
	payloadErr := errs.Of(formcheck.PubPayload)
	return app.Section().Class("card").Aria("labelledby", "h-pub").Body(
		app.H2().ID("h-pub").Text(i18n.PubHeading.In(l)),
		app.Form().NoValidate(true).OnSubmit(p.onPublish).Body(
			checkedField(l, i18n.TopicLabel.In(l), formcheck.PubTopic,
				p.checkedInput(formcheck.PubTopic, "text", &p.form.PubTopic, errs.Of(formcheck.PubTopic), false),
				i18n.TopicHelp, errs.Of(formcheck.PubTopic)),
			checkedField(l, i18n.PayloadLabel.In(l), formcheck.PubPayload,
				app.Textarea().ID("pub-payload").Rows(3).Text(p.form.PubPayload).OnInput(p.ValueTo(&p.form.PubPayload)).
					Aria("invalid", strconv.FormatBool(payloadErr != nil)).Aria("describedby", "pub-payload-error"),
				i18n.Msg{}, payloadErr),
			field(l, i18n.QoSLabel.In(l), "pub-qos", qosSelect(l, "pub-qos", p.form.PubQoS, qosTo(&p.form.PubQoS)), i18n.PubQoSHelp),
			b.checkField("pub-retain", &p.form.PubRetain, i18n.RetainLabel, i18n.RetainHelp),
			app.Div().Class("field-row").Body(
				checkedField(l, i18n.CountLabel.In(l), formcheck.PubCount,
					p.numberInput(formcheck.PubCount, &p.form.PubCount, 1, expconfig.MaxCount, errs.Of(formcheck.PubCount), false),
					i18n.CountHelp, errs.Of(formcheck.PubCount)),
				checkedField(l, i18n.WindowLabel.In(l), formcheck.PubWindow,
					p.numberInput(formcheck.PubWindow, &p.form.PubWindow, 1, expconfig.MaxWindow, errs.Of(formcheck.PubWindow), false),
					i18n.WindowHelp, errs.Of(formcheck.PubWindow)),
			),
			app.Div().Class("buttons").Body(
				app.Button().ID("publish").Type("submit").Disabled(p.state != client.Connected || p.bursting).Text(i18n.PublishButton.In(l)),
			),
			errorLine(l, "pub-error", p.typed().ShownPub(p.pubErr)),
			app.If(len(p.burstRecs) > 0 || p.bursting, p.renderBurst()),
		),
	)
}

// renderBurst tallies the current or last burst, with its latency chart.
func (p *playground) renderBurst() app.UI {
	l := p.lang
	c := exercises.CountStatuses(p.burstRecs)
	return app.Div().ID("burst").Attr("data-running", strconv.FormatBool(p.bursting)).
		Attr("data-total", strconv.Itoa(len(p.burstRecs))).
		Attr("data-confirmed", strconv.Itoa(c[exercises.StatusConfirmed]+c[exercises.StatusSentQoS0])).Body(
		app.P().Attr("role", "status").Text(tr(l, i18n.RunSummary, len(p.burstRecs), c[exercises.StatusConfirmed], c[exercises.StatusSentQoS0],
			c[exercises.StatusPending], c[exercises.StatusFailed], p.burstTook.Round(time.Millisecond).String())),
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
		p.broker = currentBroker(ctx).Choose(ctx.JSSrc().Get("value").String() == EnvBrokerInTab)
		setBroker(ctx, p.broker)
		p.brokerURL = p.broker.ShownURL()
	}).Body(
		app.Option().Value("server").Selected(!p.broker.InTab()).Text(i18n.BrokerChoiceServer.In(l)),
		app.Option().Value(EnvBrokerInTab).Selected(p.broker.InTab()).Text(i18n.BrokerChoiceInTab.In(l)),
	)
}
