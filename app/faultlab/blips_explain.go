package faultlab

import (
	"qosplayground/app/brokerapi"
	"qosplayground/app/exercises"
	"qosplayground/app/i18n"
)

// The sentences that explain a random-cut run's result, per QoS, on the
// broker it ran on: the page draws each as it is given.

// Sentence is a message and its arguments.
type Sentence struct {
	Msg  i18n.Msg
	Args []any
}

// Explain0 says what the QoS 0 run shows: lost, sent, not handed over.
func (r BlipResult) Explain0() Sentence {
	return Sentence{i18n.BlipsExplain0, []any{r.Ledger.Lost, r.Ledger.Sent, r.NotSent}}
}

// QoS1Explain is the explanation of a QoS 1 run, in the page's order; a
// nil sentence is not said.
type QoS1Explain struct {
	First Sentence  // lost, copies, copies processed
	Why   *Sentence // why the broker resent at each reconnection (the broker's own words on a cluster)
	AsNew *Sentence // resends of the publisher the broker took for new messages
	// Burst says a reconnection brought back more than the in-flight
	// window at once; the flags say whose behaviour explains it on the
	// broker of the run (all of those it may be, when it is not known).
	Burst                                 *Sentence
	BurstNATS, BurstMosquitto, BurstMochi bool
	Rule                                  i18n.Msg // what QoS 1 promises
}

// QoS1Explain explains a QoS 1 run on the broker of mode (as /api/broker
// names it, "" when not known).
func (r BlipResult) QoS1Explain(mode string) QoS1Explain {
	row, s := r.Ledger, r.SubscriberQoS1
	e := QoS1Explain{
		First: Sentence{i18n.BlipsExplain1, []any{row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed}},
		Rule:  i18n.BlipsExplain1Rule,
	}
	if s.Resent > 0 {
		why := i18n.BlipsExplain1Why
		if brokerapi.IsCluster(mode) {
			why = i18n.BlipsExplain1WhyNATS
		}
		e.Why = &Sentence{why, []any{s.Reconnections, s.Resent, s.MostResentAtOnce,
			s.ResentAckLost, s.ResentAckUnsent, s.ResentUnacked, s.ResentUnseen}}
	}
	if s.CopiesAsNew > 0 {
		e.AsNew = &Sentence{i18n.BlipsExplain1AsNew, []any{s.CopiesAsNew}}
	}
	if s.MostResentAtOnce > exercises.DefaultWindow {
		e.Burst = &Sentence{i18n.BlipsExplain1Burst, []any{s.MostResentAtOnce}}
		e.BurstNATS, e.BurstMosquitto, e.BurstMochi = brokerapi.IsCluster(mode), brokerapi.MayBeMosquitto(mode), brokerapi.MayBeMochi(mode)
	}
	return e
}

// QoS2Explain is the explanation of a QoS 2 run, in the page's order; a
// nil sentence is not said.
type QoS2Explain struct {
	First  Sentence  // what the ledger shows (QoS2Headline)
	Why    *Sentence // why the broker sent copies to the subscriber
	Unheld *Sentence // copies that reached the application
	Held   i18n.Msg  // how the client holds the packet ids until PUBREL
	Pub    Sentence  // the publisher's side: PUBREL resent, PUBLISH dropped
}

// QoS2Explain explains a QoS 2 run on the broker of mode (as /api/broker
// names it, "" when not known).
func (r BlipResult) QoS2Explain(mode string) QoS2Explain {
	row, s, p := r.Ledger, r.SubscriberQoS2, r.PublisherQoS2
	e := QoS2Explain{
		Held: i18n.BlipsExplain2Held,
		Pub:  Sentence{i18n.BlipsExplain2Pub, []any{p.PubrelResent, p.PublishDropped}},
	}
	switch r.QoS2Headline(mode) {
	case QoS2HeadCopies:
		e.First = Sentence{i18n.BlipsExplain2Copies, []any{row.Lost, row.DuplicatesSeen, s.SessionLost + p.SessionLost, row.DuplicatesProcessed}}
	case QoS2HeadNATS:
		// NATS's own defect (README, issue 18), not mochi's or MQTT's.
		e.First = Sentence{i18n.BlipsExplain2NATS, []any{row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed}}
	case QoS2HeadKept:
		e.First = Sentence{i18n.BlipsExplain2Kept, []any{row.Lost, row.DuplicatesSeen, row.DuplicatesProcessed}}
	default:
		e.First = Sentence{i18n.BlipsExplain2Once, []any{row.Lost, row.WireCopies}}
	}
	if s.Copies > 0 {
		e.Why = &Sentence{i18n.BlipsExplain2Why, []any{s.ResentAckLost, s.ResentAckLate, s.ResentAckQueued, s.ResentUnacked, s.MostHeld}}
	}
	if s.ResentUnheld > 0 {
		unheld := i18n.BlipsExplain2Unheld
		if brokerapi.IsCluster(mode) {
			unheld = i18n.BlipsExplain2UnheldNATS
		}
		e.Unheld = &Sentence{unheld, []any{s.ResentUnheld}}
	}
	return e
}
