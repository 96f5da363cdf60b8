package ui

import (
	"errors"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/client"
	"qosplayground/app/i18n"
	"qosplayground/app/netcond"
	"qosplayground/app/seqdiag"
)

// The playground's network conditions card: the learner picks a preset or
// types numbers, and the page's client asks the server's gateway to apply
// them to this tab's connection (client.SetNetwork). The logic is in
// package netcond (card.go); this file only draws and binds.

// netForm is the card's state in the playground.
type netForm struct {
	netcond.Fields                    // as typed, and the preset chosen
	fieldErr       *netcond.FormError // the first field out of range
	applied        *netcond.Preset    // what the client carries; nil: nothing yet
	err            error              // the last apply's failure
	// periods are the conditions this tab's link had, from when, for the
	// sequence diagram's slanted arrows (seqdiag.LayoutOn); shaped tells
	// whether the in-tab broker's current connection was dialled through
	// conditions (a change then applies at once, else from the next one).
	periods []seqdiag.Period
	shaped  bool
}

// maxNetPeriods bounds the conditions kept for the diagram: the oldest go
// (their packets, if still drawn, are drawn flat).
const maxNetPeriods = 64

// netSince records that the link has had conditions c since now.
func (f *netForm) netSince(c netcond.Conditions) {
	f.periods = seqdiag.Since(f.periods, time.Now(), c, maxNetPeriods)
}

// netPeriods are the periods the diagram slants the tab's packets by;
// none for a capture file replayed, which keeps its own timing.
func (p *playground) netPeriods() []seqdiag.Period {
	if p.cap.replay != nil {
		return nil
	}
	return p.net.periods
}

// netApplied records conditions just applied to the live connection: at
// once through the gateway, and on the in-tab broker only if its
// connection is shaped already.
func (p *playground) netApplied(pr netcond.Preset) {
	if netcond.AppliesAtOnce(!p.broker.ThroughGateway(), p.net.shaped) {
		p.net.netSince(pr.Conditions)
	}
}

var netPresetNames = map[string]i18n.Msg{
	"campus-wifi":   i18n.NetCampusWiFi,
	"weak-3g":       i18n.NetWeak3G,
	"satellite":     i18n.NetSatellite,
	"factory-floor": i18n.NetFactory,
}

func netKbps(l i18n.Lang, v int) string {
	if v == 0 {
		return i18n.NetNoLimit.In(l)
	}
	return i18n.T(l, i18n.NetKbps, v)
}

// netNumbers says a preset's numbers, e.g. "300 ms ± 20 ms each way, up
// 512 kbit/s, down 2000 kbit/s".
func netNumbers(l i18n.Lang, p netcond.Preset) string {
	s := i18n.T(l, i18n.NetNumbers, p.LatencyMS, p.JitterMS, netKbps(l, p.UpKbps), netKbps(l, p.DownKbps))
	if p.CutMax > 0 {
		s += i18n.T(l, i18n.NetCutRange, p.CutMin, p.CutMax)
	}
	return s
}

func (p *playground) onNetPreset(ctx app.Context, e app.Event) {
	p.net.Choose(ctx.JSSrc().Get("value").String())
	p.net.fieldErr = nil
}

// onNetField binds the six number fields; it reads which one from the
// element (go-app keeps the first closure of a function literal).
func (p *playground) onNetField(ctx app.Context, e app.Event) {
	p.net.Set(ctx.JSSrc().Get("id").String(), ctx.JSSrc().Get("value").String())
	p.net.fieldErr = nil
}

func (p *playground) onNetApply(ctx app.Context, e app.Event) {
	e.PreventDefault()
	f := &p.net
	pr, ferr := f.Read()
	f.fieldErr = ferr
	if ferr != nil {
		return
	}
	cl := p.cl
	if cl == nil {
		f.applied, f.err = &pr, nil // sent when the tab connects
		p.syncURL()
		return
	}
	ctx.Async(func() {
		err := cl.SetNetwork(pr)
		if errors.Is(err, client.ErrNotConnected) {
			err = nil // kept by the client, sent when it connects
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				f.err = err
				return
			}
			f.applied, f.err = &pr, nil
			p.netApplied(pr)
			p.syncURL()
		})
	})
}

// setNetPreset applies a link's preset (net=satellite): chosen in the card
// and sent from the first CONNECT on. "" leaves the card as it is.
func (p *playground) setNetPreset(id string) {
	pr, ok := netcond.PresetByID(id)
	if !ok {
		return
	}
	f := &p.net
	f.Fields, f.fieldErr, f.err = netcond.FieldsOf(pr), nil, nil
	f.applied = &pr
	if p.cl != nil {
		cl := p.cl
		go cl.SetNetwork(pr)
		p.netApplied(pr)
	}
}

// netLinkID is the preset the page's link names (netcond.LinkID).
func (p *playground) netLinkID() string { return netcond.LinkID(p.net.applied) }

// netOnConnect gives a new client the conditions applied before.
func (p *playground) netOnConnect(cl *client.Client) {
	var c netcond.Conditions
	a := p.net.applied
	if a != nil {
		cl.SetNetwork(*a) // not connected yet: kept and sent before CONNECT
		c = a.Conditions
	}
	p.net.shaped = netcond.Shaped(a)
	p.net.netSince(c)
}

func (p *playground) netFieldError(field string) error {
	fe := p.net.fieldErr.On(field)
	if fe == nil {
		return nil
	}
	switch fe.Kind() {
	case netcond.ErrBandwidth:
		return newUIError(i18n.NetErrBw, fe.Min, fe.Max)
	case netcond.ErrCutBelow:
		return newUIError(i18n.NetErrCutRange, fe.Min)
	}
	return newUIError(i18n.NetErrRange, fe.Min, fe.Max)
}

func (p *playground) netInput(field, value string, min, max int) app.UI {
	err := p.netFieldError(field)
	invalid := "false"
	if err != nil {
		invalid = "true"
	}
	return app.Input().ID(field).Type("number").Value(value).OnInput(p.onNetField).
		Attr("min", min).Attr("max", max).Attr("step", 1).Attr("inputmode", "numeric").
		Aria("invalid", invalid).Aria("describedby", field+"-error")
}

func (p *playground) netField(l i18n.Lang, label i18n.Msg, field, value string, min, max int, help i18n.Msg) app.UI {
	err := p.netFieldError(field)
	return app.Div().Class("field").Body(
		app.Label().For(field).Text(label.In(l)),
		p.netInput(field, value, min, max),
		app.If(help != i18n.Msg{}, app.Small().Class("help").Text(help.In(l))),
		app.P().ID(field+"-error").Class("error", "field-error").Attr("aria-live", "polite").Hidden(err == nil).Text(errText(l, err)),
	)
}

// presetOptions are a link selector's options: the perfect link (""),
// then each preset with its numbers shown, its cut range among them
// unless the run that uses the link keeps a cut range of its own
// (withCuts false); chosen is selected.
func presetOptions(l i18n.Lang, chosen string, withCuts bool) []app.UI {
	options := []app.UI{app.Option().Value("").Selected(chosen == "").Text(i18n.NetPerfect.In(l))}
	for _, pr := range netcond.Presets {
		if !withCuts {
			pr.CutMin, pr.CutMax = 0, 0
		}
		options = append(options, app.Option().Value(pr.ID).Selected(chosen == pr.ID).
			Text(netPresetNames[pr.ID].In(l)+" — "+netNumbers(l, pr)))
	}
	return options
}

func (p *playground) renderNetwork() app.UI {
	l := p.lang
	f := &p.net
	inTab := !p.broker.ThroughGateway()
	options := append(presetOptions(l, f.Preset, true),
		app.Option().Value(netcond.Custom).Selected(f.Preset == netcond.Custom).Text(i18n.NetCustom.In(l)))

	// The chosen preset's numbers under the list: a closed list shows
	// only the start of an option at 390 px.
	var numbers string
	if pr, ok := netcond.PresetByID(f.Preset); ok {
		numbers = netNumbers(l, pr)
	}
	var status string
	switch netcond.Status(f.applied, inTab, p.state == client.Connected) {
	case netcond.StatusAppliedInTab:
		status = i18n.T(l, i18n.NetApplied, netNumbers(l, *f.applied)) + " " + i18n.NetInTab.In(l)
	case netcond.StatusInTab:
		status = i18n.NetInTab.In(l)
	case netcond.StatusApplied:
		status = i18n.T(l, i18n.NetApplied, netNumbers(l, *f.applied))
	case netcond.StatusPerfect:
		status = i18n.NetNone.In(l)
	case netcond.StatusConnectFirst:
		status = i18n.NetConnect.In(l)
	}
	return app.Section().ID("net-card").Class("card").Aria("labelledby", "h-net").Body(
		app.H2().ID("h-net").Text(i18n.NetHeading.In(l)),
		app.P().Class("help").Text(i18n.NetIntro.In(l)),
		app.Form().NoValidate(true).OnSubmit(p.onNetApply).Body(
			field(l, i18n.NetPresetLabel.In(l), "net-preset",
				app.Select().ID("net-preset").OnChange(p.onNetPreset).Aria("describedby", "net-numbers").Body(options...), i18n.Msg{}),
			app.P().ID("net-numbers").Class("help").Hidden(numbers == "").Text(numbers),
			app.Div().Class("field-row").Body(
				p.netField(l, i18n.NetLatency, netcond.FieldLatency, f.Latency, 0, netcond.MaxLatencyMS, i18n.Msg{}),
				p.netField(l, i18n.NetJitter, netcond.FieldJitter, f.Jitter, 0, netcond.MaxJitterMS, i18n.NetJitterHlp),
			),
			app.Div().Class("field-row").Body(
				p.netField(l, i18n.NetUp, netcond.FieldUp, f.Up, 0, netcond.MaxKbps, i18n.NetBwHelp),
				p.netField(l, i18n.NetDown, netcond.FieldDown, f.Down, 0, netcond.MaxKbps, i18n.Msg{}),
			),
			app.Div().Class("field-row").Body(
				p.netField(l, i18n.NetCutMin, netcond.FieldCutMin, f.CutMin, 0, netcond.MaxCut, i18n.NetCutHelp),
				p.netField(l, i18n.NetCutMax, netcond.FieldCutMax, f.CutMax, 0, netcond.MaxCut, i18n.Msg{}),
			),
			app.Div().Class("buttons").Body(
				app.Button().ID("net-apply").Type("submit").Text(i18n.NetApply.In(l)),
			),
			app.P().ID("net-status").Attr("role", "status").Text(status),
			errorLine(l, "net-error", f.err),
		),
	)
}
