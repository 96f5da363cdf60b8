package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/capworker"
	"qosplayground/app/fault"
	"qosplayground/app/faultlab"
)

// The fault lab's capture card: the one-click lesson's packets (its
// publisher's connections, the cut and the resend among them) saved as
// pcapng or JSON, with the lesson's settings and ledger.

// faultSettings are the JSON's settings of a lesson.
type faultSettings struct {
	LessonQoS int           `json:"lesson_qos"`
	Topic     string        `json:"topic"`
	Cut       fault.Command `json:"cut"`
}

// onCapClick handles the card's two buttons, known by their ids.
func (p *faultsPage) onCapClick(ctx app.Context, e app.Event) {
	switch e.Get("target").Get("id").String() {
	case "cap-pcapng":
		p.capSave(ctx, false)
	case "cap-json":
		p.capSave(ctx, true)
	}
}

// capSave saves the lesson's packets with its settings and, once it is
// over, its ledger of the one message, the publisher's resends counted on
// the wire.
func (p *faultsPage) capSave(ctx app.Context, json bool) {
	if p.busy {
		return // the lesson is still adding packets
	}
	q := p.lessonQoS
	head := capworker.Head{Page: "/lab/faults", Settings: faultSettings{q, "lesson/qos" + strconv.Itoa(q), faultlab.LessonCut(byte(max(q, 0)))}}
	if r := p.lesson; r != nil {
		resends := 0
		for _, pk := range p.packets {
			if pk.Type == "PUBLISH" && pk.Dup {
				resends++
			}
		}
		head.Ledger = &capworker.Ledger{Sent: r.Ledger.Sent, Received: r.Ledger.Received, Duplicates: r.Ledger.DuplicatesSeen, Lost: r.Ledger.Lost, Resends: resends}
	}
	p.cap.save(ctx, "faults-qos"+strconv.Itoa(q), json, head, p.packets)
}
