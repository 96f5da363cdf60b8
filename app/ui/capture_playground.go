package ui

import (
	"context"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/capworker"
)

// The playground's capture card: what it saves, and the replay of a file
// opened in it (capture.go draws the card).

func (p *playground) onCapPcap(ctx app.Context, e app.Event) {
	what := "playground"
	if r := p.cap.replay; r != nil {
		what = "replay"
	}
	p.cap.exportPcap(ctx, what, p.packets)
}

func (p *playground) onCapJSON(ctx app.Context, e app.Event) {
	settings := linkSettings()
	what := "playground"
	if r := p.cap.replay; r != nil {
		what = "replay"
		settings = map[string]any{"file": r.name, "port": p.importPort()}
	} else {
		settings["broker"] = p.brokerURL
		settings["client_id"] = p.clientID
		if a := p.net.applied; a != nil {
			settings["network"] = a.Conditions
			if a.CutMax > 0 {
				settings["network_cuts"] = []int{a.CutMin, a.CutMax}
			}
		}
	}
	// The playground keeps no ledger of messages: its packets tell all.
	p.cap.exportJSON(ctx, what, capworker.Document{Page: "/", Settings: settings}, p.packets)
}

func (p *playground) importPort() int {
	n, _ := p.cap.capturePort()
	return n
}

func (p *playground) onCapPort(ctx app.Context, e app.Event) {
	p.cap.port = ctx.JSSrc().Get("value").String()
	_, ok := p.cap.capturePort()
	p.cap.portErr = !ok
}

// onCapFile reads the chosen file in the capture worker and replays it.
func (p *playground) onCapFile(ctx app.Context, e app.Event) {
	f := &p.cap
	files := ctx.JSSrc().Get("files")
	if f.busy || !files.Truthy() || files.Get("length").Int() == 0 {
		return
	}
	port, ok := f.capturePort()
	if !ok {
		f.portErr = true
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
				gen := 1
				if f.replay != nil {
					gen = f.replay.gen + 1
				}
				f.replay = newReplay(f.reading, pkts, more, gen)
				p.selected = 0
				p.startReplay(ctx)
			}
			// The same file may be chosen again (after a change of port).
			if in := app.Window().GetElementByID("cap-file"); in.Truthy() {
				in.Set("value", "")
			}
		})
	})
}

// startReplay shows the file's packets from the first, at their own pace.
func (p *playground) startReplay(ctx app.Context) {
	r := p.cap.replay
	r.gen++
	r.shown, r.start = 0, time.Now()
	p.replayTick(ctx, r.gen)
}

// replayTick shows every packet whose time has come, and waits for the
// next; a timer of an earlier replay does nothing.
func (p *playground) replayTick(ctx app.Context, gen int) {
	r := p.cap.replay
	if r == nil || r.gen != gen {
		return
	}
	elapsed := time.Since(r.start)
	for r.shown < len(r.packets) && r.offsets[r.shown] <= elapsed {
		r.shown++
	}
	p.packets = r.newestFirst()
	if r.shown < len(r.packets) {
		wait := max(r.offsets[r.shown]-elapsed, 40*time.Millisecond)
		p.mounted.After(wait, func(ctx app.Context) { p.replayTick(ctx, gen) })
	}
}

func (p *playground) onCapShowAll(ctx app.Context, e app.Event) {
	if r := p.cap.replay; r != nil {
		r.gen++
		r.shown = len(r.packets)
		p.packets = r.newestFirst()
	}
}

func (p *playground) onCapReplay(ctx app.Context, e app.Event) {
	if p.cap.replay != nil {
		p.selected = 0
		p.startReplay(ctx)
	}
}

// onCapLive goes back to the tab's own packets.
func (p *playground) onCapLive(ctx app.Context, e app.Event) {
	p.cap.replay, p.cap.err, p.cap.reading, p.selected = nil, nil, "", 0
	p.packets = p.tapped.snapshot()
}
