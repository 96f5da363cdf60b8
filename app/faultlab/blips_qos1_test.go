package faultlab

import (
	"testing"
	"time"

	"qosplayground/app/exercises"
	"qosplayground/internal/teststack"
)

// TestBlipsQoS1Copies is the fault lab's random-cut run at QoS 1 with the
// publisher as fast as its window allows (the worst case for the broker's
// queue), on both brokers: no message lost or processed twice, and fewer
// copies than messages. A copy is QoS 1 doing what it promises (at least
// once), but a dozen copies per message was a runaway: the publisher
// outran the subscriber, the broker's queue for it grew, Mosquitto 2.0.11
// let its messages in flight grow far past max_inflight_messages (each
// PUBACK of the oldest one moved up to 20 more into flight), and every
// reconnection resent them all (copies per 1,000 messages
// here, 3,880–6,668; up to 923 resent at one reconnection; 8,389–11,135 in the browser).
// The run keeps the subscriber at most DefaultAhead messages behind.
//
//	go test -race -count=1 -run TestBlipsQoS1Copies -v ./app/faultlab/
func TestBlipsQoS1Copies(t *testing.T) {
	teststack.EachBroker(t, func(t *testing.T, env *teststack.Env) {
		res, err := RunBlips(ctxFor(t, 5*time.Minute), BlipConfig{
			URL: env.URL, IDPrefix: "q1copies-", QoS: 1, Messages: 1000,
			CutMin: 40, CutMax: 100, CutPublisher: true, CutSubscriber: true, Seed: 4242,
			Settle: 30 * time.Second,
		})
		if err != nil {
			t.Fatalf("%v (%+v)", err, res.Ledger)
		}
		row, q := res.Ledger, res.SubscriberQoS1
		t.Logf("ledger %+v; cuts %d+%d; subscriber %+v", row, res.PublisherCuts, res.SubscriberCuts, q)
		if row.Lost != 0 || row.Received != 1000 || row.DuplicatesProcessed != 0 {
			t.Errorf("lost %d, received %d, processed twice %d: want none lost, each processed once", row.Lost, row.Received, row.DuplicatesProcessed)
		}
		if res.SubscriberCuts < 5 {
			t.Errorf("only %d subscriber cuts: the lesson needs many", res.SubscriberCuts)
		}
		if row.DuplicatesSeen >= row.Sent {
			t.Errorf("%d copies for %d messages: want fewer than one per message (at most %d resent at one reconnection)", row.DuplicatesSeen, row.Sent, q.MostResentAtOnce)
		}
		// Each reconnection resends what the broker had in flight: with
		// the subscriber at most DefaultAhead behind and the publisher's
		// window, that is bounded.
		if most := 2*DefaultAhead + exercises.DefaultWindow; q.MostResentAtOnce > most {
			t.Errorf("the broker resent %d messages at one reconnection, want at most %d", q.MostResentAtOnce, most)
		}
		// The page's explanation adds up: every copy on the subscriber's
		// wire is a resend with DUP=1 or a new message (DUP=0) made of the
		// publisher's resend.
		if got := q.Resent - q.ResentUnseen + q.CopiesAsNew; got != row.WireCopies {
			t.Errorf("copies explained %d (resent %d, first copies among them %d, as new %d), on the wire %d", got, q.Resent, q.ResentUnseen, q.CopiesAsNew, row.WireCopies)
		}
	})
}
