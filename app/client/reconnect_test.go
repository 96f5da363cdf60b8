package client

import (
	"fmt"
	"testing"
	"time"

	"qosplayground/app/fault"
	"qosplayground/internal/teststack"
)

// TestAutoReconnect cuts a persistent session's connection in the gateway:
// the client says it is reconnecting, comes back by itself with session
// present, and a QoS 1 message published while it was away (by it, and to
// it) is delivered; a QoS 0 publish while it is away is refused rather than
// silently dropped.
func TestAutoReconnect(t *testing.T) {
	for _, mode := range teststack.Modes {
		t.Run(string(mode), func(t *testing.T) {
			env := startStack(t, string(mode))
			topicName := uniq("reconnect/t")
			sub, subRec := connect(t, Options{URL: env.URL, ClientID: uniq("sub"), CleanSession: false,
				AutoReconnect: true, ReconnectMax: 50 * time.Millisecond}, false)
			if _, err := sub.Subscribe(topicName, 1); err != nil {
				t.Fatal(err)
			}
			pub, _ := connect(t, Options{URL: env.URL, ClientID: uniq("pub"), CleanSession: true}, false)

			for round := 1; round <= 3; round++ {
				if err := sub.Fault(fault.Command{Op: fault.OpCutNow}); err != nil {
					t.Fatalf("round %d: Fault: %v", round, err)
				}
				ev := subRec.waitState(t, Reconnecting)
				if ev.Err == nil {
					t.Errorf("round %d: reconnecting without the reason", round)
				}
				// Published while the subscriber may be away: the broker
				// queues it for the session.
				payload := fmt.Sprintf("round %d", round)
				if err := pub.Publish(topicName, []byte(payload), 1, false); err != nil {
					t.Fatal(err)
				}
				ev = subRec.waitState(t, Connected)
				if !ev.SessionPresent {
					t.Errorf("round %d: reconnected without session present", round)
				}
				waitPayload(t, subRec, payload)
			}

			// QoS 0 while reconnecting is refused; QoS 1 waits for the new
			// connection and completes there.
			if err := sub.Fault(fault.Command{Op: fault.OpCutNow}); err != nil {
				t.Fatal(err)
			}
			subRec.waitState(t, Reconnecting)
			if sub.State() == Reconnecting {
				if _, err := sub.PublishAsync(topicName, []byte("qos0"), 0, false); err != ErrNotConnected {
					t.Errorf("QoS 0 while reconnecting: %v, want ErrNotConnected", err)
				}
			}
			p, err := sub.PublishAsync(topicName, []byte("own qos1"), 1, false)
			if err != nil {
				t.Fatalf("QoS 1 while reconnecting: %v", err)
			}
			select {
			case <-p.Done():
				if p.Err() != nil {
					t.Errorf("QoS 1 published while reconnecting failed: %v", p.Err())
				}
			case <-time.After(waitTimeout):
				t.Fatal("QoS 1 published while reconnecting never completed")
			}
			waitPayload(t, subRec, "own qos1")

			// Disconnect stops reconnecting for good.
			sub.Disconnect()
			subRec.waitState(t, Disconnected)
			if sub.State() != Disconnected {
				t.Errorf("state %q after Disconnect", sub.State())
			}
		})
	}
}

// waitPayload waits for the message with payload want. A message the cut
// kept from being acknowledged may come first, again: QoS 1 is "at least
// once". It must then carry DUP=1.
func waitPayload(t *testing.T, rec *recorder, want string) {
	t.Helper()
	for {
		m := rec.waitMessage(t)
		if string(m.Payload) == want {
			return
		}
		if !m.Duplicate {
			t.Fatalf("got %q without DUP while waiting for %q", m.Payload, want)
		}
		t.Logf("%q again, with DUP=1, before %q: its PUBACK was cut off", m.Payload, want)
	}
}
