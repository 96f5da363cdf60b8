package broker

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"qosplayground/app/mochibroker"
	"qosplayground/app/mochibroker/mochitest"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

const (
	pktPingreq  = 12
	pktPingresp = 13
)

// TestUnroutedPublishIsRoutedOnResend cuts a publisher's connection after
// the embedded broker accepted its QoS 1 or 2 PUBLISH but before the
// acknowledgement went out, so mochi never routes the message (see
// mochibroker.TakeoverGuard). The publisher, which got no acknowledgement, reconnects
// and sends it again: the subscriber must receive it exactly once, and the
// resumed session must not acknowledge it before that resend (a client that
// sees the PUBACK first never resends). With persistence on, the broker
// restarts in between, so the acknowledgement must not come back from the
// store either. This fault can only be placed from inside mochi, so the test
// is the embedded broker's; app/lab's TestBlips checks both brokers under
// random cuts.
func TestUnroutedPublishIsRoutedOnResend(t *testing.T) {
	for _, p := range []Persistence{PersistenceOff, PersistenceOn} {
		for _, qos := range []byte{1, 2} {
			t.Run(fmt.Sprintf("%s/qos%d", p, qos), func(t *testing.T) {
				b := startBroker(t, Config{Spec: string(ModeEmbedded), DataDir: t.TempDir(), Persistence: p})
				eb := b.(*embeddedBroker)
				topic := fmt.Sprintf("test/unrouted/%d", qos)
				eb.mu.Lock()
				err := eb.srv.AddHook(&mochitest.CutBeforeAck{Topic: topic}, nil)
				eb.mu.Unlock()
				if err != nil {
					t.Fatal(err)
				}

				pubID := fmt.Sprintf("unrouted-pub-%s-%d", p, qos)
				pub, _ := mqttDial(t, b.Addr(), pubID, false)
				body := mqttString(topic)
				body = binary.BigEndian.AppendUint16(body, 7)
				body = append(body, "lost?"...)
				pub.send(pktPublish<<4|qos<<1, body)
				_ = pub.c.SetReadDeadline(time.Now().Add(5 * time.Second))
				if _, err := pub.r.ReadByte(); err == nil {
					t.Fatal("the broker answered the PUBLISH whose connection the hook closed")
				}

				if p == PersistenceOn {
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					if err := b.Restart(ctx, RestartOptions{}); err != nil {
						t.Fatalf("Restart: %v", err)
					}
				}
				sub, _ := mqttDial(t, b.Addr(), "unrouted-sub", true)
				in := newInbox(sub)
				sub.sendSubscribe(1, map[string]byte{topic: 2})
				for !in.subbed[1] {
					in.pump()
				}

				pub, present := mqttDial(t, b.Addr(), pubID, false)
				if !present {
					t.Fatal("the publisher's session is gone after the cut: want it present")
				}
				// mochi resends a resumed session's acknowledgements before it
				// reads anything: if one is there, it comes before the PINGRESP.
				pub.send(pktPingreq<<4, nil)
				if typ, _, rb := pub.read(); typ != pktPingresp {
					t.Fatalf("after resuming, got packet type %d (%x) before the PINGRESP: the broker acknowledges a message it never routed", typ, rb)
				}
				pub.send(pktPublish<<4|qos<<1|0x08, body) // DUP=1
				if qos == 1 {
					pub.expectAck(pktPuback, 7)
				} else {
					pub.expectAck(pktPubrec, 7)
					pub.send(pktPubrel<<4|0x02, binary.BigEndian.AppendUint16(nil, 7))
					pub.expectAck(pktPubcomp, 7)
				}
				pub.publishQoS(8, topic, "end", qos)
				for in.got["end"] == 0 {
					in.pump()
				}
				if got := in.got["lost?"]; got != 1 {
					t.Errorf("the subscriber got the re-sent message %d times, want 1", got)
				}
				pub.disconnect()
				sub.disconnect()
			})
		}
	}
}

// cutAtEstablish closes a client's connection while its session is being
// established, before its CONNACK: the instant a cut right after CONNECT
// hits.
type cutAtEstablish struct {
	mqtt.HookBase
	clientID string
}

func (h *cutAtEstablish) ID() string           { return "test-cut-at-establish" }
func (h *cutAtEstablish) Provides(b byte) bool { return b == mqtt.OnSessionEstablish }

func (h *cutAtEstablish) OnSessionEstablish(cl *mqtt.Client, _ packets.Packet) {
	if cl.ID == h.clientID {
		_ = cl.Net.Conn.Close()
	}
}

// TestCutBeforeConnackDoesNotHoldUpOthers: a connection cut while the
// embedded broker establishes its session, so that its CONNACK cannot be
// written, must not keep the takeover guard's lock. With the lock held
// until the timeout (made an hour here), no other client could connect and
// nothing could be routed; the broker's Close, with clients still arriving,
// waited for each of them in turn.
func TestCutBeforeConnackDoesNotHoldUpOthers(t *testing.T) {
	defer func(d time.Duration) { mochibroker.EstablishTimeout = d }(mochibroker.EstablishTimeout)
	mochibroker.EstablishTimeout = time.Hour
	b := startBroker(t, Config{Spec: string(ModeEmbedded), Persistence: PersistenceOff})
	eb := b.(*embeddedBroker)
	eb.mu.Lock()
	err := eb.srv.AddHook(&cutAtEstablish{clientID: "doomed"}, nil)
	eb.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		c, err := net.DialTimeout("tcp", b.Addr(), 3*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		m := &mqttConn{t: t, c: c, r: bufio.NewReader(c)}
		body := append(mqttString("MQTT"), 4, 0, 0, 30)
		m.send(pktConnect<<4, append(body, mqttString("doomed")...))
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := m.r.ReadByte(); err == nil {
			t.Fatal("the broker answered the connection the hook closed")
		}
		_ = c.Close()
	}
	// Each client connects, subscribes and publishes through the guard; the
	// raw client's reads time out after 5 s if the lock is still held.
	roundTrip(t, b.Addr())
	roundTrip(t, b.Addr())
}
