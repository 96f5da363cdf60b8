package exercises

import (
	"net"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/internal/teststack"
)

// TestInjectedDuplicates sends the same message twice on purpose, once as a
// plain second publish and once as a resend with DUP set on a raw
// connection: the reliable subscriber detects each duplicate once and
// processes each message once.
func TestInjectedDuplicates(t *testing.T) {
	teststack.EachBroker(t, func(t *testing.T, env *teststack.Env) {
		events := newEventLog()
		sub := NewReliableSubscriber(SubscriberConfig{
			Subscriptions: []Subscription{{Filter: "alerts/+", QoS: 2}},
			WorkTimes:     map[string]time.Duration{}, RetryDelay: -1, OnEvent: events.add,
		})
		defer sub.Close()
		if err := sub.Subscribe(connect(t, env.URL, "dup-sub", true, true, sub.Handle)); err != nil {
			t.Fatal(err)
		}

		// 1. The same message_id published twice by a paho client.
		pubCl := connect(t, env.URL, "dup-pub", true, false, nil)
		same := Payload{MessageID: 41, Content: "Temperature exceeded threshold!", MessageType: "alert", QoS: 1}.Encode()
		for i := 0; i < 2; i++ {
			if err := pubCl.Publish("alerts/temperature_high", same, 1, false); err != nil {
				t.Fatal(err)
			}
		}

		// 2. A PUBLISH and its resend with DUP=1, same packet id, written
		// on a raw TCP connection to the broker.
		conn, err := net.Dial("tcp", env.BrokerAddr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		connect := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
		connect.ProtocolName, connect.ProtocolVersion = "MQTT", 4
		connect.ClientIdentifier, connect.CleanSession, connect.Keepalive = "dup-raw", true, 30
		if err := connect.Write(conn); err != nil {
			t.Fatal(err)
		}
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if p, err := packets.ReadPacket(conn); err != nil {
			t.Fatalf("CONNACK: %v", err)
		} else if ack, ok := p.(*packets.ConnackPacket); !ok || ack.ReturnCode != 0 {
			t.Fatalf("got %v, want an accepting CONNACK", p)
		}
		for _, dup := range []bool{false, true} {
			pub := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
			pub.TopicName, pub.Qos, pub.MessageID, pub.Dup = "alerts/door_open", 1, 7, dup
			pub.Payload = Payload{MessageID: 42, Content: "door open", MessageType: "alert", QoS: 1}.Encode()
			if err := pub.Write(conn); err != nil {
				t.Fatal(err)
			}
			if p, err := packets.ReadPacket(conn); err != nil {
				t.Fatalf("PUBACK: %v", err)
			} else if ack, ok := p.(*packets.PubackPacket); !ok || ack.MessageID != 7 {
				t.Fatalf("got %v, want PUBACK 7", p)
			}
		}

		events.waitUntil(t, "four deliveries handled", func() bool {
			st := sub.Stats()
			return st.TotalReceived == 4 && st.SuccessfullyProcessed+st.DuplicatesDetected == 4
		})
		want := Stats{TotalReceived: 4, DuplicatesDetected: 2, SuccessfullyProcessed: 2}
		if got := sub.Stats(); got != want {
			t.Errorf("stats %+v, want %+v", got, want)
		}
		if got := events.count(EventProcessed); got != 2 {
			t.Errorf("%d messages processed, want 2", got)
		}
		for _, key := range []string{"alerts/temperature_high:41", "alerts/door_open:42"} {
			if !sub.Processed(key) {
				t.Errorf("%s not processed", key)
			}
		}
	})
}
