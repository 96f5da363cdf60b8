package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/capworker"
	"qosplayground/app/i18n"
	"qosplayground/app/seqdiag"
	"qosplayground/app/wiretap"
)

// The capture card (issue 16, items 4 and 5): the page's packets saved as
// pcapng for Wireshark or as JSON, and, on the playground, a capture file
// opened and replayed in the sequence diagram and the packet list. The
// pcapng file is written, and a capture read, by the capture worker
// (package capworker), which the page starts only here: app.wasm links no
// gopacket. This file only draws and binds.

// captureForm is the card's state in a page.
type captureForm struct {
	busy  bool   // an export or an import is on its way
	saved string // the last file saved, and how many packets it had
	count int
	err   error // the last export's or import's failure

	// The import (the playground only).
	port    string // as typed
	portErr bool
	reading string         // the file being read
	replay  *captureReplay // the file shown, nil for the tab's own packets
}

// captureReplay is a capture file replayed in the page.
type captureReplay struct {
	name    string
	packets []wiretap.Packet // oldest first, numbered 1, 2, 3…
	offsets []time.Duration  // when each is shown, from the start of the replay
	more    bool             // the file had more packets than capworker.MaxPackets
	conns   int
	span    time.Duration // from the first packet to the last, as captured
	shown   int           // how many are shown so far
	start   time.Time     // when the replay started
	gen     int           // a new replay makes the old one's timers do nothing
}

// maxReplayPause is the longest pause the replay keeps: a capture left
// running over lunch does not make the learner wait an hour.
const maxReplayPause = 2 * time.Second

// newReplay prepares pkts (oldest first) for a replay with their own
// timing, pauses shortened to maxReplayPause.
func newReplay(name string, pkts []wiretap.Packet, more bool, gen int) *captureReplay {
	r := &captureReplay{name: name, packets: pkts, more: more, gen: gen, offsets: make([]time.Duration, len(pkts))}
	conns := map[int]bool{}
	var at time.Duration
	for i, p := range pkts {
		conns[p.Conn] = true
		if i > 0 {
			gap := p.At.Sub(pkts[i-1].At)
			at += min(max(gap, 0), maxReplayPause)
		}
		r.offsets[i] = at
	}
	r.conns = len(conns)
	if len(pkts) > 1 {
		r.span = pkts[len(pkts)-1].At.Sub(pkts[0].At)
	}
	return r
}

// newestFirst returns the first n packets of r, newest first, as the
// diagram and the list take them.
func (r *captureReplay) newestFirst() []wiretap.Packet {
	n := r.shown
	out := make([]wiretap.Packet, min(n, maxPackets)) // as many as the tab's own log keeps
	for i := range out {
		out[i] = r.packets[n-1-i]
	}
	return out
}

// oldestFirst turns the page's packets (newest first) around, with the
// password of a CONNECT masked: what leaves the page never carries it.
func oldestFirst(pkts []wiretap.Packet) []wiretap.Packet {
	out := make([]wiretap.Packet, len(pkts))
	for i, p := range pkts {
		p.Raw = seqdiag.MaskPassword(p)
		out[len(pkts)-1-i] = p
	}
	return out
}

// captureFileName names a saved file after the page, what it shows and
// when, e.g. qos-playground-faults-qos1-20261203-161500.pcapng.
func captureFileName(what, ext string, at time.Time) string {
	return "qos-playground-" + what + "-" + at.Format("20060102-150405") + "." + ext
}

// exportPcap saves pkts (newest first) as pcapng through the worker.
func (f *captureForm) exportPcap(ctx app.Context, what string, pkts []wiretap.Packet) {
	if f.busy || len(pkts) == 0 {
		return
	}
	name := captureFileName(what, "pcapng", time.Now())
	list := oldestFirst(pkts)
	f.busy, f.err, f.saved = true, nil, ""
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := capworker.ExportPcapng(c, list, name)
		ctx.Dispatch(func(ctx app.Context) {
			f.busy, f.err = false, err
			if err == nil {
				f.saved, f.count = name, len(list)
			}
		})
	})
}

// exportJSON saves the page's document (capworker.Document) as JSON; the
// page fills in its settings and ledger.
func (f *captureForm) exportJSON(what string, doc capworker.Document, pkts []wiretap.Packet) {
	if f.busy || len(pkts) == 0 {
		return
	}
	now := time.Now()
	doc.ExportedAt = now.UTC()
	doc.Packets = capworker.FromWire(oldestFirst(pkts))
	b, err := doc.Marshal()
	if err != nil {
		f.err = err
		return
	}
	name := captureFileName(what, "json", now)
	capworker.Download(b, name, "application/json")
	f.err, f.saved, f.count = nil, name, len(pkts)
}

// linkSettings are the page's link parameters, as the JSON's settings.
func linkSettings() map[string]any {
	out := map[string]any{}
	q := app.Window().URL().Query()
	for k := range q {
		switch k {
		case "lang", "embed", "room", "autorun":
			continue
		}
		out[k] = q.Get(k)
	}
	return out
}

// capturePort is the import's port: the learner's, else 1883.
func (f *captureForm) capturePort() (int, bool) {
	s := strings.TrimSpace(f.port)
	if s == "" {
		return capworker.DefaultPort, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 65535
}

// captureErrText words a failed export or import for the learner.
func captureErrText(l i18n.Lang, name string, err error) string {
	var e *capworker.Error
	if !errors.As(err, &e) {
		return tr(l, i18n.CapErrFailed)
	}
	switch e.Kind {
	case capworker.NotCapture:
		return tr(l, i18n.CapErrNotCapture, name)
	case capworker.Damaged:
		return tr(l, i18n.CapErrDamaged, name)
	case capworker.Truncated:
		return tr(l, i18n.CapErrTruncated, name)
	case capworker.NoMQTT:
		if len(e.Ports) == 0 {
			return tr(l, i18n.CapErrNoTCP, name)
		}
		ports := make([]string, len(e.Ports))
		for i, p := range e.Ports {
			ports[i] = strconv.Itoa(p)
		}
		return tr(l, i18n.CapErrNoMQTT, name, e.Port, strings.Join(ports, ", "))
	case capworker.NotMQTT:
		return tr(l, i18n.CapErrNotMQTT, name, e.Port)
	case capworker.TooLarge:
		return tr(l, i18n.CapErrTooLarge, name, capworker.MaxFile>>20)
	}
	return tr(l, i18n.CapErrFailed)
}

// renderCaptureCard draws the export buttons and, with onFile set, the
// import. count is how many packets the page would save.
func renderCaptureCard(l i18n.Lang, f *captureForm, count int, onPcap, onJSON, onPort, onFile app.EventHandler, onShowAll, onReplay, onLive app.EventHandler) app.UI {
	var status string
	switch {
	case f.busy && f.reading != "":
		status = tr(l, i18n.CapReading, f.reading)
	case f.busy:
		status = i18n.CapWorking.In(l)
	case f.saved != "":
		status = tr(l, i18n.CapSaved, f.saved, f.count)
	case count == 0:
		status = i18n.CapNoPackets.In(l)
	}
	errText := ""
	if f.err != nil {
		errText = captureErrText(l, f.reading, f.err)
	}
	var open, replay app.UI
	if onFile != nil {
		open = app.Div().Class("cap-open").Body(
			app.H3().Text(i18n.CapOpenHeading.In(l)),
			app.P().Class("help").Text(i18n.CapOpenHelp.In(l)),
			app.Div().Class("field-row").Body(
				app.Div().Class("field").Body(
					app.Label().For("cap-port").Text(i18n.CapPort.In(l)),
					app.Input().ID("cap-port").Type("number").Attr("min", "1").Attr("max", "65535").
						Attr("inputmode", "numeric").Placeholder("1883").Value(f.port).
						Aria("invalid", strconv.FormatBool(f.portErr)).Aria("describedby", "cap-port-help").
						OnInput(onPort),
					app.Small().ID("cap-port-help").Class("help").Text(i18n.CapPortHelp.In(l)),
					app.P().ID("cap-port-error").Class("error", "field-error").Attr("role", "alert").Hidden(!f.portErr).Text(i18n.CapErrPort.In(l)),
				),
				app.Div().Class("field").Body(
					app.Label().For("cap-file").Text(i18n.CapFile.In(l)),
					app.Input().ID("cap-file").Type("file").Accept(".pcap,.pcapng,.cap,.dmp,application/vnd.tcpdump.pcap").
						Disabled(f.busy).OnChange(onFile),
				),
			),
		)
	}
	if r := f.replay; r != nil {
		var more, progress app.UI
		if r.more {
			more = app.P().Class("help").Text(tr(l, i18n.CapMore, len(r.packets)))
		}
		if r.shown < len(r.packets) {
			progress = app.P().Class("muted").Text(tr(l, i18n.CapReplaying, r.shown, len(r.packets)))
		}
		replay = app.Div().ID("cap-replay").Attr("data-shown", strconv.Itoa(r.shown)).Attr("data-total", strconv.Itoa(len(r.packets))).Body(
			app.P().Class("cap-showing").Text(tr(l, i18n.CapImported, r.name)+" "+
				tr(l, i18n.CapShowing, r.name, len(r.packets), r.conns, r.span.Round(time.Millisecond).String())),
			more,
			progress,
			app.Div().Class("buttons").Body(
				app.Button().ID("cap-show-all").Type("button").Disabled(r.shown >= len(r.packets)).OnClick(onShowAll).Text(i18n.CapShowAll.In(l)),
				app.Button().ID("cap-replay-again").Type("button").OnClick(onReplay).Text(i18n.CapReplay.In(l)),
				app.Button().ID("cap-live").Type("button").OnClick(onLive).Text(i18n.CapBackLive.In(l)),
			),
		)
	}
	return app.Section().ID("capture").Class("card", "wide").Aria("labelledby", "h-capture").Body(
		app.H2().ID("h-capture").Text(i18n.CapHeading.In(l)),
		app.P().Class("help").Text(i18n.CapIntro.In(l)),
		app.Div().Class("buttons").Body(
			app.Button().ID("cap-pcapng").Type("button").Disabled(f.busy || count == 0).OnClick(onPcap).Text(i18n.CapPcap.In(l)),
			app.Button().ID("cap-json").Type("button").Disabled(f.busy || count == 0).OnClick(onJSON).Text(i18n.CapJSON.In(l)),
		),
		app.P().ID("cap-status").Class("muted").Attr("role", "status").Text(status),
		open,
		app.P().ID("cap-error").Class("error").Attr("role", "alert").Hidden(errText == "").Text(errText),
		replay,
	)
}
