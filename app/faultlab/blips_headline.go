package faultlab

import "qosplayground/app/brokerapi"

// QoS2Headline names the first sentence of the explanation of a QoS 2
// blips run: what its ledger shows, on the broker it ran on.
type QoS2Headline string

// The headlines of a QoS 2 run.
const (
	// QoS2HeadOnce: each message reached the application once (losses,
	// if any, were cut before the broker took them).
	QoS2HeadOnce QoS2Headline = "once"
	// QoS2HeadCopies: copies came after a session was lost (QoS2SessionLost).
	QoS2HeadCopies QoS2Headline = "copies"
	// QoS2HeadNATS: a NATS cluster's own defect (losses, or copies with
	// the session kept), not mochi's or MQTT's.
	QoS2HeadNATS QoS2Headline = "nats"
	// QoS2HeadKept: copies came although the session was kept
	// (QoS2SessionKept).
	QoS2HeadKept QoS2Headline = "kept"
)

// QoS2Headline says what a QoS 2 run on the broker of mode (as
// /api/broker names it) shows first.
func (r BlipResult) QoS2Headline(mode string) QoS2Headline {
	outcome := r.QoS2Outcome()
	switch {
	case outcome == QoS2SessionLost:
		return QoS2HeadCopies
	case brokerapi.IsCluster(mode) && (r.Ledger.Lost > 0 || outcome == QoS2SessionKept):
		return QoS2HeadNATS
	case outcome == QoS2SessionKept:
		return QoS2HeadKept
	}
	return QoS2HeadOnce
}
