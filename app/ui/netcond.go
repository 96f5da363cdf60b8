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
// package netcond; this file only draws and binds.

// netCustom is the preset selector's value for numbers of the learner's own.
const netCustom = "custom"

// netForm is the card's state in the playground.
type netForm struct {
	preset                    string // a netcond preset id, "" (perfect) or netCustom
	latency, jitter, up, down string // as typed
	cutMin, cutMax            string // as typed
	fieldErr                  *netcond.FormError
	applied                   *netcond.Preset // what the client carries; nil: nothing yet
	err                       error           // the last apply's failure
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
	if n := len(f.periods); n > 0 && f.periods[n-1].Conditions == c {
		return
	}
	f.periods = append(f.periods, seqdiag.Period{From: time.Now(), Conditions: c})
	if len(f.periods) > maxNetPeriods {
		f.periods = f.periods[len(f.periods)-maxNetPeriods:]
	}
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
	if !p.broker.InTab || p.net.shaped {
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

// netPerfect reports whether p changes nothing: no delay, no limit, no cut.
func netPerfect(p netcond.Preset) bool { return p.Conditions.IsZero() && p.CutMax == 0 }

func (p *playground) onNetPreset(ctx app.Context, e app.Event) {
	f := &p.net
	f.preset = ctx.JSSrc().Get("value").String()
	f.fieldErr = nil
	switch f.preset {
	case netCustom:
	case "":
		f.latency, f.jitter, f.up, f.down, f.cutMin, f.cutMax = netcond.PresetFormValues(netcond.Preset{})
	default:
		if pr, ok := netcond.PresetByID(f.preset); ok {
			f.latency, f.jitter, f.up, f.down, f.cutMin, f.cutMax = netcond.PresetFormValues(pr)
		}
	}
}

// onNetField binds the four number fields; it reads which one from the
// element (go-app keeps the first closure of a function literal).
func (p *playground) onNetField(ctx app.Context, e app.Event) {
	f := &p.net
	v := ctx.JSSrc().Get("value").String()
	switch ctx.JSSrc().Get("id").String() {
	case netcond.FieldLatency:
		f.latency = v
	case netcond.FieldJitter:
		f.jitter = v
	case netcond.FieldUp:
		f.up = v
	case netcond.FieldDown:
		f.down = v
	case netcond.FieldCutMin:
		f.cutMin = v
	case netcond.FieldCutMax:
		f.cutMax = v
	}
	f.preset, f.fieldErr = netCustom, nil
}

func (p *playground) onNetApply(ctx app.Context, e app.Event) {
	e.PreventDefault()
	f := &p.net
	pr, ferr := netcond.PresetFromForm(f.latency, f.jitter, f.up, f.down, f.cutMin, f.cutMax)
	f.fieldErr = ferr
	if ferr != nil {
		return
	}
	pr.ID = f.preset
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
	f.preset, f.fieldErr, f.err = id, nil, nil
	f.latency, f.jitter, f.up, f.down, f.cutMin, f.cutMax = netcond.PresetFormValues(pr)
	f.applied = &pr
	if p.cl != nil {
		cl := p.cl
		go cl.SetNetwork(pr)
		p.netApplied(pr)
	}
}

// netLinkID is the preset the page's link names: the applied one, if it
// is a preset as it stands.
func (p *playground) netLinkID() string {
	a := p.net.applied
	if a == nil {
		return ""
	}
	if known, ok := netcond.PresetByID(a.ID); ok && known == *a {
		return a.ID
	}
	return ""
}

// netOnConnect gives a new client the conditions applied before.
func (p *playground) netOnConnect(cl *client.Client) {
	var c netcond.Conditions
	a := p.net.applied
	if a != nil {
		cl.SetNetwork(*a) // not connected yet: kept and sent before CONNECT
		c = a.Conditions
	}
	p.net.shaped = a != nil && !netPerfect(*a) // as the client shapes the in-tab link
	p.net.netSince(c)
}

func (p *playground) netFieldError(field string) error {
	fe := p.net.fieldErr
	if fe == nil || fe.Field != field {
		return nil
	}
	if fe.Bandwidth() {
		return newUIError(i18n.NetErrBw, fe.Min, fe.Max)
	}
	if fe.Field == netcond.FieldCutMax && fe.Min > 0 {
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

func (p *playground) renderNetwork() app.UI {
	l := p.lang
	f := &p.net
	inTab := p.broker.InTab
	options := []app.UI{
		app.Option().Value("").Selected(f.preset == "").Text(i18n.NetPerfect.In(l)),
	}
	for _, pr := range netcond.Presets {
		options = append(options, app.Option().Value(pr.ID).Selected(f.preset == pr.ID).
			Text(netPresetNames[pr.ID].In(l)+" — "+netNumbers(l, pr)))
	}
	options = append(options, app.Option().Value(netCustom).Selected(f.preset == netCustom).Text(i18n.NetCustom.In(l)))

	// The chosen preset's numbers under the list: a closed list shows
	// only the start of an option at 390 px.
	var numbers string
	if pr, ok := netcond.PresetByID(f.preset); ok {
		numbers = netNumbers(l, pr)
	}
	var status string
	switch {
	case inTab && f.applied != nil && !netPerfect(*f.applied):
		status = i18n.T(l, i18n.NetApplied, netNumbers(l, *f.applied)) + " " + i18n.NetInTab.In(l)
	case inTab:
		status = i18n.NetInTab.In(l)
	case f.applied != nil && !netPerfect(*f.applied):
		status = i18n.T(l, i18n.NetApplied, netNumbers(l, *f.applied))
	case f.applied != nil:
		status = i18n.NetNone.In(l)
	case p.state != client.Connected:
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
				p.netField(l, i18n.NetLatency, netcond.FieldLatency, f.latency, 0, netcond.MaxLatencyMS, i18n.Msg{}),
				p.netField(l, i18n.NetJitter, netcond.FieldJitter, f.jitter, 0, netcond.MaxJitterMS, i18n.NetJitterHlp),
			),
			app.Div().Class("field-row").Body(
				p.netField(l, i18n.NetUp, netcond.FieldUp, f.up, 0, netcond.MaxKbps, i18n.NetBwHelp),
				p.netField(l, i18n.NetDown, netcond.FieldDown, f.down, 0, netcond.MaxKbps, i18n.Msg{}),
			),
			app.Div().Class("field-row").Body(
				p.netField(l, i18n.NetCutMin, netcond.FieldCutMin, f.cutMin, 0, netcond.MaxCut, i18n.NetCutHelp),
				p.netField(l, i18n.NetCutMax, netcond.FieldCutMax, f.cutMax, 0, netcond.MaxCut, i18n.Msg{}),
			),
			app.Div().Class("buttons").Body(
				app.Button().ID("net-apply").Type("submit").Text(i18n.NetApply.In(l)),
			),
			app.P().ID("net-status").Attr("role", "status").Text(status),
			errorLine(l, "net-error", f.err),
		),
	)
}
