package ui

import (
	"context"
	"html"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/capworker"
	"qosplayground/app/i18n"
	"qosplayground/app/netcond"
	"qosplayground/app/wiretap"
)

// The playground's capture card: what it saves, and the replay of a file
// opened in it (capture.go draws the card).

// playgroundSettings are the JSON's settings of the playground beside
// its link's parameters (which capture-page.js adds).
type playgroundSettings struct {
	Broker      string              `json:"broker,omitempty"`
	ClientID    string              `json:"client_id,omitempty"`
	Network     *netcond.Conditions `json:"network,omitempty"`
	NetworkCuts []int               `json:"network_cuts,omitempty"`
	File        string              `json:"file,omitempty"` // a replayed capture
	Port        int                 `json:"port,omitempty"`
}

// onCapClick handles the clicks of the card's buttons, which it knows by
// their ids (renderCaptureCard).
func (p *playground) onCapClick(ctx app.Context, e app.Event) {
	r := p.cap.replay
	switch e.Get("target").Get("id").String() {
	case "cap-pcapng":
		p.capSave(ctx, false)
	case "cap-json":
		p.capSave(ctx, true)
	case "cap-show-all":
		if r != nil {
			r.gen++
			r.shown = len(r.Packets)
			p.packets = r.NewestFirst(r.shown, wiretap.MaxLogPackets)
		}
	case "cap-replay-again":
		if r != nil {
			p.selected = 0
			p.startReplay()
		}
	case "cap-live": // back to the tab's own packets
		p.cap.replay, p.cap.err, p.cap.reading, p.selected = nil, nil, "", 0
		p.packets = p.tapped.snapshot()
	}
}

// capBanner says, above the diagram, that a file is shown, not the tab's
// connection.
func (p *playground) capBanner() app.UI {
	if r := p.cap.replay; r != nil {
		return app.Raw(`<p id="cap-banner" class="card wide" role="note">` + fill(p.lang, i18n.CapBanner, "{file}", html.EscapeString(r.name)) + `</p>`)
	}
	return nil
}

// onCapChange handles a change of the port or of the file.
func (p *playground) onCapChange(ctx app.Context, e app.Event) {
	switch e.Get("target").Get("id").String() {
	case "cap-port":
		_, ok := capturePort()
		p.cap.portErr = !ok
	case "cap-file":
		p.openCapture(ctx, e.Get("target"))
	}
}

// capSave saves what the diagram shows: the tab's packets, or the file
// replayed. The playground keeps no ledger of messages: its packets tell
// all.
func (p *playground) capSave(ctx app.Context, json bool) {
	what, s := "playground", playgroundSettings{Broker: p.brokerURL, ClientID: p.form.ClientID}
	if r := p.cap.replay; r != nil {
		what, s = "replay", playgroundSettings{File: r.name, Port: p.importPort()}
	} else if a := p.net.applied; a != nil {
		s.Network = &a.Conditions
		if a.CutMax > 0 {
			s.NetworkCuts = []int{a.CutMin, a.CutMax}
		}
	}
	p.cap.save(ctx, what, json, capworker.Head{Page: "/", Settings: s}, p.packets)
}

func (p *playground) importPort() int {
	n, _ := capturePort()
	return n
}

// openCapture reads the file chosen in the input in the capture worker and
// replays it.
func (p *playground) openCapture(ctx app.Context, input app.Value) {
	f := &p.cap
	files := input.Get("files")
	if f.busy || files.Get("length").Int() == 0 {
		return
	}
	port, ok := capturePort()
	f.portErr = !ok
	if !ok {
		return
	}
	f.busy, f.err, f.saved, f.reading = true, nil, "", files.Index(0).Get("name").String()
	ctx.Async(func() {
		c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		pkts, more, err := capworker.Import(c, "cap-file", port)
		p.mounted.Dispatch(func(ctx app.Context) {
			f.busy, f.err = false, err
			if len(pkts) > 0 {
				gen := 0
				if f.replay != nil {
					gen = f.replay.gen
				}
				f.replay = &captureReplay{Replay: capworker.NewReplay(pkts), name: f.reading, more: more, gen: gen}
				p.selected = 0
				p.startReplay()
			}
			// The same file may be chosen again (after a change of port).
			input.Set("value", "")
		})
	})
}

// startReplay shows the file's packets from the first, at their own pace.
func (p *playground) startReplay() {
	r := p.cap.replay
	r.gen++
	r.shown, r.start = 0, time.Now()
	p.replayTick(r.gen)
}

// replayTick shows every packet whose time has come, and waits for the
// next; a timer of an earlier replay does nothing.
func (p *playground) replayTick(gen int) {
	r := p.cap.replay
	if r == nil || r.gen != gen {
		return
	}
	shown, next, more := r.Due(time.Since(r.start))
	r.shown = shown
	p.packets = r.NewestFirst(shown, wiretap.MaxLogPackets) // as many as the tab's own log keeps
	if more {
		p.mounted.After(max(next, 40*time.Millisecond), func(app.Context) { p.replayTick(gen) })
	}
}
