package ui

import (
	"context"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/capworker"
	"qosplayground/app/i18n"
	"qosplayground/app/mqttframe"
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
	portErr bool           // the port typed is not one
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
	out := make([]wiretap.Packet, min(n, wiretap.MaxLogPackets)) // as many as the tab's own log keeps
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
		p.Raw = mqttframe.MaskPassword(p.Raw)
		out[len(pkts)-1-i] = p
	}
	return out
}

// save saves pkts (newest first) as pcapng through the worker, or with
// head as JSON.
func (f *captureForm) save(ctx app.Context, what string, json bool, head capworker.Head, pkts []wiretap.Packet) {
	if f.busy || len(pkts) == 0 {
		return
	}
	list := oldestFirst(pkts)
	ext := "pcapng"
	if json {
		ext = "json"
	}
	name := "qos-playground-" + what + "-" + time.Now().Format("20060102-150405") + "." + ext
	f.busy, f.err, f.saved = true, nil, ""
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var err error
		if json {
			err = capworker.SaveJSON(c, head, list, name)
		} else {
			err = capworker.ExportPcapng(c, list, name)
		}
		ctx.Dispatch(func(ctx app.Context) {
			f.busy, f.err = false, err
			if err == nil {
				f.saved = name
			}
		})
	})
}

// capturePort is the import's port: the learner's, else 1883.
func capturePort() (int, bool) {
	s := strings.TrimSpace(app.Window().GetElementByID("cap-port").Get("value").String())
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

// capButton is the HTML of one of the card's buttons.
func capButton(id, label string, disabled bool) string {
	d := ""
	if disabled {
		d = " disabled"
	}
	return `<button type="button" id="` + id + `"` + d + `>` + label + `</button>`
}

// capLine is a line of the card's text, with an id for tests and an ARIA
// role, hidden when empty.
func capLine(id, class, role, text string) app.UI {
	return app.P().ID(id).Class(class).Attr("role", role).Hidden(text == "").Text(text)
}

// renderCaptureCard draws the card: the export buttons and, with
// withImport, the import and the replay. count is how many packets the
// page would save. Its controls are plain HTML (app.Raw, about 15 KB less
// of app.wasm than go-app's builders), their clicks and changes handled
// by the card's onClick and onChange, which read the control's id. A part
// is redrawn only when its text changes (the language, or the first
// packet), so that the focus stays where it is; the port keeps what the
// learner types (the import reads it from the page).
func renderCaptureCard(l i18n.Lang, f *captureForm, count int, withImport bool, onClick, onChange app.EventHandler) app.UI {
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
	errText, portErr := "", ""
	if f.err != nil {
		errText = captureErrText(l, f.reading, f.err)
	}
	if f.portErr {
		portErr = i18n.CapErrPort.In(l)
	}
	heading := i18n.CapSaveHeading
	var open, replay app.UI
	if withImport {
		heading = i18n.CapHeading
		open = app.Raw(`<div class="cap-open"><h3>` + i18n.CapOpenHeading.In(l) + `</h3><p class="help">` + i18n.CapOpenHelp.In(l) +
			`</p><div class="field-row"><div class="field"><label for="cap-port">` + i18n.CapPort.In(l) +
			`</label><input id="cap-port" type="number" min="1" max="65535" placeholder="1883" aria-describedby="cap-port-help cap-port-error"><small id="cap-port-help" class="help">` +
			i18n.CapPortHelp.In(l) + `</small></div><div class="field"><label for="cap-file">` + i18n.CapFile.In(l) +
			`</label><input id="cap-file" type="file" accept=".pcap,.pcapng,.cap"></div></div></div>`)
	}
	progress := ""
	if r := f.replay; r != nil {
		n := strconv.Itoa(len(r.packets))
		more := ""
		if r.more {
			more = `<p class="help">` + fill(l, i18n.CapMore, "{n}", n) + `</p>`
		}
		if r.shown < len(r.packets) {
			progress = fill(l, i18n.CapReplaying, "{shown}", strconv.Itoa(r.shown), "{n}", n)
		}
		replay = app.Raw(`<div id="cap-replay" data-file="` + html.EscapeString(r.name) + `" data-total="` + n + `"><p id="cap-showing">` +
			fill(l, i18n.CapShowing, "{file}", html.EscapeString(r.name), "{n}", n, "{conns}", strconv.Itoa(r.conns),
				"{span}", r.span.Round(time.Microsecond).String()) + `</p>` + more + `<div class="buttons">` +
			capButton("cap-show-all", i18n.CapShowAll.In(l), false) + capButton("cap-replay-again", i18n.CapReplay.In(l), false) +
			capButton("cap-live", i18n.CapBackLive.In(l), false) + `</div></div>`)
	}
	return app.Section().ID("capture").Class("card", "wide").Aria("labelledby", "h-capture").On("click", onClick).On("change", onChange).Body(
		app.Raw(`<div><h2 id="h-capture">`+heading.In(l)+`</h2><p class="help">`+i18n.CapIntro.In(l)+`</p><div class="buttons">`+
			capButton("cap-pcapng", i18n.CapPcap.In(l), count == 0)+capButton("cap-json", i18n.CapJSON.In(l), count == 0)+`</div></div>`),
		capLine("cap-status", "muted", "status", status),
		open,
		capLine("cap-port-error", "error field-error", "alert", portErr),
		capLine("cap-error", "error", "alert", errText),
		replay,
		app.P().ID("cap-progress").Class("muted").Attr("data-shown", f.shownCount()).Hidden(progress == "").Text(progress),
	)
}

// shownCount is how many packets of the file the replay shows so far.
func (f *captureForm) shownCount() int {
	if f.replay == nil {
		return 0
	}
	return f.replay.shown
}
