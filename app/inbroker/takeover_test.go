package inbroker_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"qosplayground/app/client"
	"qosplayground/app/inbroker"
	"qosplayground/app/intab"
	"qosplayground/app/mochibroker/mochitest"
)

// TestUnroutedPublishIsRoutedOnResend: mochi acknowledges a QoS 1 or 2
// PUBLISH in the publisher's session before it routes it, and a failed write
// of that acknowledgement ends processing before the routing. Without the
// takeover guard's repair (mochibroker.TakeoverGuard) the publisher's
// persistent session, resumed on reconnection, answers its resend with the
// stale acknowledgement and the message goes nowhere. With it, the
// subscriber gets the message exactly once.
func TestUnroutedPublishIsRoutedOnResend(t *testing.T) {
	for _, qos := range []byte{1, 2} {
		t.Run(fmt.Sprintf("QoS %d", qos), func(t *testing.T) {
			b := inbroker.New(true)
			t.Cleanup(func() { b.Close() })
			intab.Use(b)
			t.Cleanup(func() { intab.Use(inbroker.Default()) })
			name := uniq("unrouted")
			if err := b.AddHookForTest(&mochitest.CutBeforeAck{Topic: name}); err != nil {
				t.Fatal(err)
			}

			in := newInbox()
			sub, _ := connect(t, uniq("unrouted-sub"), true, in)
			if _, err := sub.Subscribe(name, 2); err != nil {
				t.Fatal(err)
			}
			pub, err := client.New(client.Options{
				URL: intab.URL, ClientID: uniq("unrouted-pub"), CleanSession: false,
				AutoReconnect: true, ReconnectMax: 200 * time.Millisecond, Timeout: 5 * time.Second,
			}, func(client.Event) {})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(pub.Disconnect)
			if _, err := pub.Connect(); err != nil {
				t.Fatal(err)
			}
			// The cut comes before the acknowledgement: the publish completes
			// only once the reconnected client's resend is acknowledged.
			if err := pub.Publish(name, []byte("lost?"), qos, false); err != nil {
				t.Fatalf("Publish across the cut: %v", err)
			}
			if err := pub.Publish(name, []byte("end"), qos, false); err != nil {
				t.Fatalf("Publish: %v", err)
			}
			msgs := in.waitFor(t, "the message after the cut", func(m []client.Message) bool {
				for _, msg := range m {
					if string(msg.Payload) == "end" {
						return true
					}
				}
				return false
			})
			var got []string
			n := 0
			for _, msg := range msgs {
				got = append(got, string(msg.Payload))
				if string(msg.Payload) == "lost?" {
					n++
				}
			}
			if n != 1 {
				t.Errorf("the subscriber got the message published across the cut %d times (%s), want once", n, strings.Join(got, ", "))
			}
		})
	}
}
