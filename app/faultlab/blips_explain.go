package faultlab

import (
	"qosplayground/app/brokerapi"
	"qosplayground/app/exercises"
	"qosplayground/app/i18n"
)

// The sentences that explain a random-cut run's result, per QoS, on the
// broker it ran on: the page draws each as it is given.

// Explain0 says what the QoS 0 run shows: lost, sent, not handed over.
func (r BlipResult) Explain0() i18n.Sentence {
	return i18n.Say(i18n.BlipsExplain0, r.Ledger.Lost, r.Ledger.Sent, r.NotSent)
}

// QoS1Explain is the explanation of a QoS 1 run, in the page's order; a
// nil sentence is not said.
type QoS1Explain struct {
	First i18n.Sentence  // lost, copies, copies processed
	Why   *i18n.Sentence // why the broker resent at each reconnection (the broker's own words on a cluster)
	AsNew *i18n.Sentence // resends of the publisher the broker took for new messages
	// Burst says a reconnection brought back more than the in-flight
	// window at once; the flags say whose behaviour explains it on the
	// broker of the run (all of those it may be, when it is not known).
	Burst                                 *i18n.Sentence
	BurstNATS, BurstMosquitto, BurstMochi bool
	Rule                                  i18n.Msg // what QoS 1 promises
}

// QoS1Explain explains a QoS 1 run on the broker of mode (as /api/broker
// names it, "" when not known).
func (r BlipResult) QoS1Explain(mode string) QoS1Explain {
	row, s := r.Ledger, r.SubscriberQoS1
	e := QoS1Explain{
		First: i18n.Say(i18n.BlipsExplain1, row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed),
		Rule:  i18n.BlipsExplain1Rule,
	}
	if s.Resent > 0 {
		why := i18n.BlipsExplain1Why
		if brokerapi.IsCluster(mode) {
			why = i18n.BlipsExplain1WhyNATS
		}
		e.Why = some(i18n.Say(why, s.Reconnections, s.Resent, s.MostResentAtOnce,
			s.ResentAckLost, s.ResentAckUnsent, s.ResentUnacked, s.ResentUnseen))
	}
	if s.CopiesAsNew > 0 {
		e.AsNew = some(i18n.Say(i18n.BlipsExplain1AsNew, s.CopiesAsNew))
	}
	if s.MostResentAtOnce > exercises.DefaultWindow {
		e.Burst = some(i18n.Say(i18n.BlipsExplain1Burst, s.MostResentAtOnce))
		e.BurstNATS, e.BurstMosquitto, e.BurstMochi = brokerapi.IsCluster(mode), brokerapi.MayBeMosquitto(mode), brokerapi.MayBeMochi(mode)
	}
	return e
}

// QoS2Explain is the explanation of a QoS 2 run, in the page's order; a
// nil sentence is not said.
type QoS2Explain struct {
	First  i18n.Sentence  // what the ledger shows (QoS2Headline)
	Why    *i18n.Sentence // why the broker sent copies to the subscriber
	Unheld *i18n.Sentence // copies that reached the application
	Held   i18n.Msg       // how the client holds the packet ids until PUBREL
	Pub    i18n.Sentence  // the publisher's side: PUBREL resent, PUBLISH dropped
}

// QoS2Explain explains a QoS 2 run on the broker of mode (as /api/broker
// names it, "" when not known).
func (r BlipResult) QoS2Explain(mode string) QoS2Explain {
	row, s, p := r.Ledger, r.SubscriberQoS2, r.PublisherQoS2
	e := QoS2Explain{
		Held: i18n.BlipsExplain2Held,
		Pub:  i18n.Say(i18n.BlipsExplain2Pub, p.PubrelResent, p.PublishDropped),
	}
	switch r.QoS2Headline(mode) {
	case QoS2HeadCopies:
		e.First = i18n.Say(i18n.BlipsExplain2Copies, row.Lost, row.DuplicatesSeen, s.SessionLost+p.SessionLost, row.DuplicatesProcessed)
	case QoS2HeadNATS:
		// NATS's own defect (README, issue 18), not mochi's or MQTT's.
		e.First = i18n.Say(i18n.BlipsExplain2NATS, row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed)
	case QoS2HeadKept:
		e.First = i18n.Say(i18n.BlipsExplain2Kept, row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed)
	default:
		e.First = i18n.Say(i18n.BlipsExplain2Once, row.Lost, row.WireCopies)
	}
	if s.Copies > 0 {
		e.Why = some(i18n.Say(i18n.BlipsExplain2Why, s.ResentAckLost, s.ResentAckLate, s.ResentAckQueued, s.ResentUnacked, s.MostHeld))
	}
	if s.ResentUnheld > 0 {
		unheld := i18n.BlipsExplain2Unheld
		if brokerapi.IsCluster(mode) {
			unheld = i18n.BlipsExplain2UnheldNATS
		}
		e.Unheld = some(i18n.Say(unheld, s.ResentUnheld))
	}
	return e
}

// some is s, to be said.
func some(s i18n.Sentence) *i18n.Sentence { return &s }
