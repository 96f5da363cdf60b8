package faultlab

import (
	"fmt"
	"testing"

	"qosplayground/app/brokerapi"
	"qosplayground/app/i18n"
)

// said is a sentence as a test compares it: its English format and
// arguments, "" for none.
func said(s *i18n.Sentence) string {
	if s == nil {
		return ""
	}
	return s.Msg.EN + fmt.Sprint(s.Args)
}

func TestQoS1Explain(t *testing.T) {
	var quiet, resent, asNew, burst BlipResult
	quiet.Ledger.Sent = 100
	resent.SubscriberQoS1.Resent, resent.SubscriberQoS1.Reconnections, resent.SubscriberQoS1.MostResentAtOnce = 12, 3, 20
	asNew.SubscriberQoS1.CopiesAsNew = 2
	burst.SubscriberQoS1.Resent, burst.SubscriberQoS1.MostResentAtOnce = 40, 21
	for _, tc := range []struct {
		scenario               string
		r                      BlipResult
		mode                   string
		why                    i18n.Msg // zero: none
		asNew, burst           bool
		nats, mosquitto, mochi bool
	}{
		{"nothing resent", quiet, "mosquitto", i18n.Msg{}, false, false, false, false, false},
		{"resent, at most the window at once", resent, "mosquitto", i18n.BlipsExplain1Why, false, false, false, false, false},
		{"resent on a cluster", resent, brokerapi.ModeNATSCluster, i18n.BlipsExplain1WhyNATS, false, false, false, false, false},
		{"copies taken as new", asNew, "embedded", i18n.Msg{}, true, false, false, false, false},
		{"a burst on Mosquitto", burst, "mosquitto", i18n.BlipsExplain1Why, false, true, false, true, false},
		{"a burst on the embedded broker", burst, "embedded", i18n.BlipsExplain1Why, false, true, false, false, true},
		{"a burst on a broker not known", burst, "", i18n.BlipsExplain1Why, false, true, false, true, true},
		{"a burst on a cluster", burst, brokerapi.ModeCluster, i18n.BlipsExplain1WhyNATS, false, true, true, false, false},
	} {
		e := tc.r.QoS1Explain(tc.mode)
		if e.First.Msg != i18n.BlipsExplain1 || e.Rule != i18n.BlipsExplain1Rule {
			t.Errorf("%s: first %q, rule %q", tc.scenario, e.First.Msg.EN, e.Rule.EN)
		}
		if (e.Why == nil) != (tc.why == i18n.Msg{}) || (e.Why != nil && e.Why.Msg != tc.why) {
			t.Errorf("%s: why %q, want %q", tc.scenario, said(e.Why), tc.why.EN)
		}
		if (e.AsNew != nil) != tc.asNew || (e.Burst != nil) != tc.burst {
			t.Errorf("%s: as new %q, burst %q", tc.scenario, said(e.AsNew), said(e.Burst))
		}
		if e.BurstNATS != tc.nats || e.BurstMosquitto != tc.mosquitto || e.BurstMochi != tc.mochi {
			t.Errorf("%s: burst notes NATS %v, Mosquitto %v, mochi %v", tc.scenario, e.BurstNATS, e.BurstMosquitto, e.BurstMochi)
		}
	}
	// The numbers go where the messages say them.
	e := burst.QoS1Explain("mosquitto")
	if got, want := said(e.Burst), i18n.BlipsExplain1Burst.EN+"[21]"; got != want {
		t.Errorf("burst sentence %q, want %q", got, want)
	}
}

func TestQoS2Explain(t *testing.T) {
	var once, copies, unheld, sessionLost BlipResult
	once.Ledger.WireCopies = 40
	copies.SubscriberQoS2.Copies, copies.SubscriberQoS2.ResentAckLost = 5, 5
	unheld.Ledger.DuplicatesSeen, unheld.SubscriberQoS2.ResentUnheld = 1, 1
	sessionLost.Ledger.DuplicatesSeen, sessionLost.PublisherQoS2.SessionLost, sessionLost.SubscriberQoS2.SessionLost = 2, 1, 1
	for _, tc := range []struct {
		scenario string
		r        BlipResult
		mode     string
		first    string
		why      bool
		unheld   i18n.Msg
	}{
		{"once", once, "mosquitto", i18n.BlipsExplain2Once.EN + "[0 40]", false, i18n.Msg{}},
		{"copies on the wire only", copies, "embedded", i18n.BlipsExplain2Once.EN + "[0 0]", true, i18n.Msg{}},
		{"a copy to the application, session kept", unheld, "embedded", i18n.BlipsExplain2Kept.EN + "[0 1 0]", false, i18n.BlipsExplain2Unheld},
		{"the same on a cluster", unheld, brokerapi.ModeNATSCluster, i18n.BlipsExplain2NATS.EN + "[0 1 0]", false, i18n.BlipsExplain2UnheldNATS},
		{"sessions lost", sessionLost, "mosquitto", i18n.BlipsExplain2Copies.EN + "[0 2 2 0]", false, i18n.Msg{}},
	} {
		e := tc.r.QoS2Explain(tc.mode)
		if got := said(&e.First); got != tc.first {
			t.Errorf("%s: first %q, want %q", tc.scenario, got, tc.first)
		}
		if (e.Why != nil) != tc.why {
			t.Errorf("%s: why %q", tc.scenario, said(e.Why))
		}
		if (e.Unheld == nil) != (tc.unheld == i18n.Msg{}) || (e.Unheld != nil && e.Unheld.Msg != tc.unheld) {
			t.Errorf("%s: unheld %q, want %q", tc.scenario, said(e.Unheld), tc.unheld.EN)
		}
		if e.Held != i18n.BlipsExplain2Held || e.Pub.Msg != i18n.BlipsExplain2Pub {
			t.Errorf("%s: held %q, publisher %q", tc.scenario, e.Held.EN, e.Pub.Msg.EN)
		}
	}
	var r BlipResult
	r.Ledger.Lost, r.Ledger.Sent, r.NotSent = 3, 100, 2
	e0 := r.Explain0()
	if got, want := said(&e0), i18n.BlipsExplain0.EN+"[3 100 2]"; got != want {
		t.Errorf("QoS 0: %q, want %q", got, want)
	}
}
