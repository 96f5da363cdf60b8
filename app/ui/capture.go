package ui

import (
	"context"
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
	saved string // the last file saved
	err   error  // the last export's or import's failure

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

// run does an export in the background: the card says it is busy, then
// what was saved or why not.
func (f *captureForm) run(ctx app.Context, name string, do func(context.Context) error) {
	f.busy, f.err, f.saved = true, nil, ""
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := do(c)
		ctx.Dispatch(func(ctx app.Context) {
			f.busy, f.err = false, err
			if err == nil {
				f.saved = name
			}
		})
	})
}

// exportPcap saves pkts (newest first) as pcapng through the worker.
func (f *captureForm) exportPcap(ctx app.Context, what string, pkts []wiretap.Packet) {
	if f.busy || len(pkts) == 0 {
		return
	}
	name, list := captureFileName(what, "pcapng", time.Now()), oldestFirst(pkts)
	f.run(ctx, name, func(c context.Context) error { return capworker.ExportPcapng(c, list, name) })
}

// exportJSON saves the page's document (capworker.Document, its settings
// and ledger filled in by the page) with pkts as JSON.
func (f *captureForm) exportJSON(ctx app.Context, what string, doc capworker.Document, pkts []wiretap.Packet) {
	if f.busy || len(pkts) == 0 {
		return
	}
	now := time.Now()
	doc.ExportedAt, doc.Packets = now.UTC(), capworker.FromWire(oldestFirst(pkts))
	b, err := doc.Marshal()
	if err != nil {
		f.err = err
		return
	}
	name := captureFileName(what, "json", now)
	f.run(ctx, name, func(c context.Context) error { return capworker.SaveJSON(c, b, name) })
}

// linkSettings are the page's link parameters, as the JSON's settings.
func linkSettings() map[string]any {
	out := map[string]any{}
	q := app.Window().URL().Query()
	for k := range q {
		if k != "lang" && k != "embed" && k != "room" && k != "autorun" {
			out[k] = q.Get(k)
		}
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

// captureErrors word each kind of failure.
var captureErrors = map[capworker.Kind]i18n.Msg{
	capworker.NotCapture: i18n.CapErrNotCapture, capworker.Damaged: i18n.CapErrDamaged,
	capworker.Truncated: i18n.CapErrTruncated, capworker.NoMQTT: i18n.CapErrNoMQTT,
	capworker.NotMQTT: i18n.CapErrNotMQTT, capworker.TooLarge: i18n.CapErrTooLarge,
}

// fill puts values into a message's {name}s.
func fill(l i18n.Lang, msg i18n.Msg, kv ...string) string {
	return strings.NewReplacer(kv...).Replace(msg.In(l))
}

// captureErrText words a failed export or import for the learner.
func captureErrText(l i18n.Lang, file string, err error) string {
	e := capworker.AsError(err)
	msg, ok := captureErrors[e.Kind]
	if !ok {
		return i18n.CapErrFailed.In(l)
	}
	if e.Kind == capworker.NoMQTT && len(e.Ports) == 0 {
		msg = i18n.CapErrNoTCP
	}
	ports := make([]string, len(e.Ports))
	for i, p := range e.Ports {
		ports[i] = strconv.Itoa(p)
	}
	return fill(l, msg, "{file}", file, "{port}", strconv.Itoa(e.Port), "{ports}", strings.Join(ports, ", "),
		"{mb}", strconv.Itoa(capworker.MaxFile>>20))
}

// capButton is one of the card's buttons.
func capButton(id string, label string, disabled bool, onClick app.EventHandler) app.UI {
	return app.Button().ID(id).Type("button").Disabled(disabled).OnClick(onClick).Text(label)
}

// capLine is a line of the card's text, with an id for tests and an ARIA
// role, hidden when empty.
func capLine(id, class, role, text string) app.UI {
	return app.P().ID(id).Class(class).Attr("role", role).Hidden(text == "").Text(text)
}

// captureHandlers are a page's handlers of the card; the import's are nil
// on a page that only saves.
type captureHandlers struct {
	pcap, json, port, file, showAll, replay, live app.EventHandler
}

// renderCaptureCard draws the export buttons and, with h.file set, the
// import. count is how many packets the page would save.
func renderCaptureCard(l i18n.Lang, f *captureForm, count int, h captureHandlers) app.UI {
	status := ""
	switch {
	case f.busy && f.reading != "":
		status = fill(l, i18n.CapReading, "{file}", f.reading)
	case f.busy:
		status = i18n.CapWorking.In(l)
	case f.saved != "":
		status = fill(l, i18n.CapSaved, "{file}", f.saved)
	case count == 0:
		status = i18n.CapNoPackets.In(l)
	}
	errText := ""
	if f.err != nil {
		errText = captureErrText(l, f.reading, f.err)
	}
	var open, replay app.UI
	if h.file != nil {
		open = app.Div().Class("cap-open").Body(
			app.H3().Text(i18n.CapOpenHeading.In(l)),
			app.P().Class("help").Text(i18n.CapOpenHelp.In(l)),
			app.Div().Class("field-row").Body(
				field(l, i18n.CapPort.In(l), "cap-port",
					app.Input().ID("cap-port").Type("number").Attr("min", "1").Attr("max", "65535").Placeholder("1883").
						Value(f.port).Aria("invalid", strconv.FormatBool(f.portErr)).OnInput(h.port),
					i18n.CapPortHelp),
				field(l, i18n.CapFile.In(l), "cap-file",
					app.Input().ID("cap-file").Type("file").Accept(".pcap,.pcapng,.cap").Disabled(f.busy).OnChange(h.file),
					i18n.Msg{}),
			),
			capLine("cap-port-error", "error", "alert", map[bool]string{true: i18n.CapErrPort.In(l)}[f.portErr]),
		)
	}
	if r := f.replay; r != nil {
		n, more, progress := strconv.Itoa(len(r.packets)), "", ""
		if r.more {
			more = fill(l, i18n.CapMore, "{n}", n)
		}
		if r.shown < len(r.packets) {
			progress = fill(l, i18n.CapReplaying, "{shown}", strconv.Itoa(r.shown), "{n}", n)
		}
		replay = app.Div().ID("cap-replay").Attr("data-file", r.name).Attr("data-shown", r.shown).Attr("data-total", n).Body(
			capLine("cap-showing", "", "", fill(l, i18n.CapShowing, "{file}", r.name, "{n}", n,
				"{conns}", strconv.Itoa(r.conns), "{span}", r.span.Round(time.Microsecond).String())),
			capLine("cap-more", "help", "", more),
			capLine("cap-progress", "muted", "", progress),
			app.Div().Class("buttons").Body(
				capButton("cap-show-all", i18n.CapShowAll.In(l), progress == "", h.showAll),
				capButton("cap-replay-again", i18n.CapReplay.In(l), false, h.replay),
				capButton("cap-live", i18n.CapBackLive.In(l), false, h.live),
			),
		)
	}
	heading := i18n.CapSaveHeading
	if h.file != nil {
		heading = i18n.CapHeading
	}
	return app.Section().ID("capture").Class("card", "wide").Aria("labelledby", "h-capture").Body(
		app.H2().ID("h-capture").Text(heading.In(l)),
		app.P().Class("help").Text(i18n.CapIntro.In(l)),
		app.Div().Class("buttons").Body(
			capButton("cap-pcapng", i18n.CapPcap.In(l), f.busy || count == 0, h.pcap),
			capButton("cap-json", i18n.CapJSON.In(l), f.busy || count == 0, h.json),
		),
		capLine("cap-status", "muted", "status", status),
		open,
		capLine("cap-error", "error", "alert", errText),
		replay,
	)
}
