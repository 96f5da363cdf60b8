package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/capworker"
	"qosplayground/app/lab"
	"qosplayground/app/wiretap"
)

// The fault lab's capture card: the one-click lesson's packets (its
// publisher's connections, the cut and the resend among them) saved as
// pcapng or JSON, with the lesson's settings and ledger.

func (p *faultsPage) captureName() string {
	return "faults-qos" + strconv.Itoa(p.lessonQoS)
}

func (p *faultsPage) onCapPcap(ctx app.Context, e app.Event) {
	if p.busy {
		return // the lesson is still adding packets
	}
	p.cap.exportPcap(ctx, p.captureName(), p.packets)
}

func (p *faultsPage) onCapJSON(ctx app.Context, e app.Event) {
	if p.busy {
		return
	}
	settings := map[string]any{"lesson_qos": p.lessonQoS, "topic": "lesson/qos" + strconv.Itoa(p.lessonQoS)}
	var ledger *capworker.Ledger
	if r := p.lesson; r != nil {
		settings["cut"] = r.Cut
		ledger = lessonLedger(*r, p.packets)
	} else {
		settings["cut"] = lab.LessonCut(byte(max(p.lessonQoS, 0)))
	}
	p.cap.exportJSON(ctx, p.captureName(), capworker.Document{Page: "/lab/faults", Settings: settings, Ledger: ledger}, p.packets)
}

// lessonLedger is the lesson's ledger of its one message, with the
// publisher's resends counted on the wire.
func lessonLedger(r lab.LessonResult, pkts []wiretap.Packet) *capworker.Ledger {
	resends := 0
	for _, pk := range pkts {
		if pk.Type == "PUBLISH" && pk.Dup {
			resends++
		}
	}
	return &capworker.Ledger{Sent: r.Ledger.Sent, Received: r.Ledger.Received, Duplicates: r.Ledger.DuplicatesSeen, Lost: r.Ledger.Lost, Resends: resends}
}
