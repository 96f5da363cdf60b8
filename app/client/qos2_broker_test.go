package client

import (
	"testing"
	"time"

	"qosplayground/app/fault"
	"qosplayground/internal/teststack"
)

// countMessages waits until the recorder has n messages, then a little
// longer for any copy, and returns how many arrived.
func countMessages(t *testing.T, rec *recorder, n int) int {
	t.Helper()
	for i := 0; i < n; i++ {
		rec.waitMessage(t)
	}
	time.Sleep(300 * time.Millisecond)
	return n + len(rec.Messages())
}

// TestQoS2LostPubcompOnBrokers: the publisher's PUBCOMP is cut on its way
// (the broker has finished the exchange). On reconnecting, the publisher
// sends the PUBREL again, not the PUBLISH (paho issue #788: the broker would
// take that for a new message), and the subscriber gets the message once,
// on the managed Mosquitto and on the embedded broker.
func TestQoS2LostPubcompOnBrokers(t *testing.T) {
	for _, mode := range teststack.Modes {
		t.Run(string(mode), func(t *testing.T) {
			s := teststack.Start(t, mode)
			topic := uniq("q2-pubcomp")
			sub, rec := connect(t, Options{URL: s.URL, ClientID: uniq("q2-sub"), CleanSession: false}, false)
			if _, err := sub.Subscribe(topic, 2); err != nil {
				t.Fatal(err)
			}
			pub, _ := connect(t, Options{URL: s.URL, ClientID: uniq("q2-pub"), CleanSession: false, AutoReconnect: true, ReconnectMax: 20 * time.Millisecond}, false)
			if err := pub.Fault(fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: "PUBCOMP", When: fault.Before}); err != nil {
				t.Fatal(err)
			}
			if err := pub.Publish(topic, []byte("once"), 2, false); err != nil {
				t.Fatalf("publish: %v", err)
			}
			if n := countMessages(t, rec, 1); n != 1 {
				t.Errorf("the subscriber got the message %d times, want once", n)
			}
			st := pub.QoS2Stats()
			if st.PubrelResent != 1 || st.PublishAfterPubrel != 0 {
				t.Errorf("publisher %+v: want the PUBREL resent once, no PUBLISH after it", st)
			}
		})
	}
}

// TestQoS2LostPubrecOnBrokers: the subscriber's PUBREC is cut on its way,
// so the broker sends the PUBLISH again after the reconnection. The
// subscriber answers that copy with PUBREC and does not hand it to the
// application again (paho issues #768, #791), on both brokers.
func TestQoS2LostPubrecOnBrokers(t *testing.T) {
	for _, mode := range teststack.Modes {
		t.Run(string(mode), func(t *testing.T) {
			s := teststack.Start(t, mode)
			topic := uniq("q2-pubrec")
			sub, rec := connect(t, Options{URL: s.URL, ClientID: uniq("q2-sub"), CleanSession: false, AutoReconnect: true, ReconnectMax: 20 * time.Millisecond}, false)
			if _, err := sub.Subscribe(topic, 2); err != nil {
				t.Fatal(err)
			}
			if err := sub.Fault(fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBREC", When: fault.Before}); err != nil {
				t.Fatal(err)
			}
			pub, _ := connect(t, Options{URL: s.URL, ClientID: uniq("q2-pub"), CleanSession: true}, false)
			if err := pub.Publish(topic, []byte("once"), 2, false); err != nil {
				t.Fatalf("publish: %v", err)
			}
			rec.waitState(t, Reconnecting)
			rec.waitState(t, Connected)
			deadline := time.Now().Add(waitTimeout)
			for sub.QoS2Stats().Copies == 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if n := countMessages(t, rec, 1); n != 1 {
				t.Errorf("the application got the message %d times, want once", n)
			}
			if st := sub.QoS2Stats(); st.Copies != 1 || st.Withheld != 1 || st.ResentAckLost != 1 {
				t.Errorf("subscriber %+v: want the broker's one copy withheld, its PUBREC lost in the cut", st)
			}
		})
	}
}
