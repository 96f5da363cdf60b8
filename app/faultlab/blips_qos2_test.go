package faultlab

import (
	"testing"
	"time"

	"qosplayground/internal/teststack"
)

// TestBlipsQoS2Causes measures, on both brokers, the QoS 2 random-cut run
// with paho's own QoS 2 and with the client's fix (app/client/qos2.go):
// why the broker sent messages to the subscriber again, and how many
// copies reached the application. Without the fix the copies reach the
// application (paho issues #768, #791) and the publisher resends PUBLISH
// after PUBREC (#788); with it, none.
//
//	go test -count=1 -run TestBlipsQoS2Causes -v ./app/faultlab/
func TestBlipsQoS2Causes(t *testing.T) {
	teststack.EachBroker(t, func(t *testing.T, env *teststack.Env) {
		for _, noFix := range []bool{true, false} {
			res, err := RunBlips(ctxFor(t, 5*time.Minute), BlipConfig{
				URL: env.URL, IDPrefix: "causes-", QoS: 2, Messages: 1000, Gap: time.Millisecond,
				CutMin: 40, CutMax: 100, CutPublisher: true, CutSubscriber: true, Seed: 2000,
				Settle: 30 * time.Second, NoQoS2Fix: noFix,
			})
			if err != nil {
				t.Fatalf("without fix %v: %v", noFix, err)
			}
			row, s, p := res.Ledger, res.SubscriberQoS2, res.PublisherQoS2
			t.Logf("paho as is: %v; cuts %d+%d; ledger %+v", noFix, res.PublisherCuts, res.SubscriberCuts, row)
			t.Logf("  subscriber: %d PUBLISH read, %d to the application, %d withheld; %d copies of held messages: %d unacknowledged (processing), %d acknowledged after the connection died, %d PUBREC queued at the cut, %d PUBREC written and lost; %d DUP=1 of ids not held",
				s.Received, s.Delivered, s.Withheld, s.Copies, s.ResentUnacked, s.ResentAckLate, s.ResentAckQueued, s.ResentAckLost, s.ResentUnheld)
			t.Logf("  publisher: %d PUBREC read, %d PUBREL stored, %d PUBREL resent, %d PUBLISH resent after PUBREC, %d after PUBREL; %d PUBLISH resent with DUP=1",
				p.PubrecRead, p.PubrelStored, p.PubrelResent, p.PublishAfterPubrec, p.PublishAfterPubrel, res.Resent)
		}
	})
}

// TestQoS2Outcome: the explanation the page gives for a QoS 2 run follows
// from the copies handed to the application and whether a session was
// lost.
func TestQoS2Outcome(t *testing.T) {
	var once BlipResult
	once.Ledger.WireCopies = 40 // resends on the wire alone
	var lost BlipResult
	lost.Ledger.DuplicatesSeen, lost.SubscriberQoS2.SessionLost = 2, 1
	var kept BlipResult
	kept.Ledger.DuplicatesSeen = 1
	for _, c := range []struct {
		r    BlipResult
		want QoS2Outcome
	}{{once, QoS2ExactlyOnce}, {lost, QoS2SessionLost}, {kept, QoS2SessionKept}} {
		if got := c.r.QoS2Outcome(); got != c.want {
			t.Errorf("%+v: outcome %d, want %d", c.r, got, c.want)
		}
	}
}
