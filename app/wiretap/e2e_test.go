package wiretap

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"qosplayground/app/client"
	"qosplayground/internal/teststack"
)

// step is one packet of an exchange: its direction and type.
type step struct {
	dir Direction
	typ string
}

func (s step) String() string { return s.dir.Arrow() + " " + s.typ }

// findFlow finds the steps of one exchange in pkts, in order, from index
// from on: the first step must satisfy first, and the others carry its
// packet id. It returns the index of each step.
func findFlow(pkts []Packet, from int, first func(Packet) bool, steps []step) ([]int, error) {
	var idx []int
	var id uint16
	for i := from; i < len(pkts) && len(idx) < len(steps); i++ {
		p, s := pkts[i], steps[len(idx)]
		if p.Dir != s.dir || p.Type != s.typ {
			continue
		}
		if len(idx) == 0 {
			if !first(p) {
				continue
			}
			id = p.PacketID
		} else if p.PacketID != id {
			continue
		}
		idx = append(idx, i)
	}
	if len(idx) < len(steps) {
		return idx, fmt.Errorf("found %v of %v (packet id %d)", steps[:len(idx)], steps, id)
	}
	return idx, nil
}

// TestTapEndToEnd taps the real client talking to each broker through the
// gateway, subscribing and publishing to the same topic at each QoS: the
// tap must show each exchange of the protocol, in order, with matching
// packet ids.
func TestTapEndToEnd(t *testing.T) {
	for _, mode := range teststack.Modes {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			env := teststack.Start(t, mode)
			for _, qos := range []byte{0, 1, 2} {
				t.Run(fmt.Sprintf("QoS %d", qos), func(t *testing.T) {
					endToEnd(t, env.URL, fmt.Sprintf("wiretap-%s-%d", mode, qos), qos)
				})
			}
		})
	}
}

func endToEnd(t *testing.T, url, id string, qos byte) {
	col := newCollector()
	tap := New(col.add)
	msgs := make(chan client.Message, 10)
	cl, err := client.New(client.Options{URL: url, ClientID: id, CleanSession: true, WrapConn: tap.Wrap}, func(ev client.Event) {
		if ev.Kind == client.EventMessage {
			select {
			case msgs <- ev.Message:
			default:
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Connect(); err != nil {
		t.Fatalf("Connect: %v", err)
	}
	defer cl.Disconnect()
	topic := "wiretap/" + id
	if granted, err := cl.Subscribe(topic, qos); err != nil || granted != qos {
		t.Fatalf("Subscribe at QoS %d: granted %d, %v", qos, granted, err)
	}
	payload := []byte("hello from the wire tap")
	pending, err := cl.PublishAsync(topic, payload, qos, false)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	select {
	case <-pending.Done():
		if err := pending.Err(); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	case <-time.After(waitTimeout):
		t.Fatalf("Publish: not complete within %v", waitTimeout)
	}
	select {
	case m := <-msgs:
		if string(m.Payload) != string(payload) || m.QoS != qos {
			t.Fatalf("message: got %q at QoS %d, want %q at QoS %d", m.Payload, m.QoS, payload, qos)
		}
	case <-time.After(waitTimeout):
		t.Fatalf("no message within %v", waitTimeout)
	}

	// The publish and delivery exchanges of this QoS.
	var pubFlow, delivFlow []step
	switch qos {
	case 0:
		pubFlow = []step{{Sent, "PUBLISH"}}
		delivFlow = []step{{Received, "PUBLISH"}}
	case 1:
		pubFlow = []step{{Sent, "PUBLISH"}, {Received, "PUBACK"}}
		delivFlow = []step{{Received, "PUBLISH"}, {Sent, "PUBACK"}}
	case 2:
		pubFlow = []step{{Sent, "PUBLISH"}, {Received, "PUBREC"}, {Sent, "PUBREL"}, {Received, "PUBCOMP"}}
		delivFlow = []step{{Received, "PUBLISH"}, {Sent, "PUBREC"}, {Received, "PUBREL"}, {Sent, "PUBCOMP"}}
	}
	// The client's last packet of the delivery goes out after the message
	// was handed over, and the publish's acknowledgement may reach the tap
	// after the client knew of it (the client reads acknowledgements below
	// the tap, and the gateway may send it in one message with the
	// delivery): wait for both exchanges, then disconnect.
	last := delivFlow[len(delivFlow)-1]
	col.waitFor(t, "the end of the publish and of the delivery ("+last.String()+")", func(pkts []Packet) bool {
		_, err1 := findFlow(pkts, 0, func(p Packet) bool { return true }, delivFlow)
		_, err2 := findFlow(pkts, 0, func(p Packet) bool { return true }, pubFlow)
		return err1 == nil && err2 == nil
	})
	cl.Disconnect()
	pkts := col.waitFor(t, "DISCONNECT", func(pkts []Packet) bool {
		return len(pkts) > 0 && pkts[len(pkts)-1].Type == "DISCONNECT"
	})
	col.check(t)
	show := "the tap saw:\n" + listing(pkts)

	for _, p := range pkts {
		if p.Type == Undecodable || p.Conn != 1 {
			t.Fatalf("packet %d: %s on connection %d; want every packet decoded, on connection 1\n%s", p.Seq, p.Summary(), p.Conn, show)
		}
	}
	if want := 4 + 2*len(pubFlow) + 1; len(pkts) != want {
		t.Errorf("got %d packets, want %d: CONNECT, CONNACK, SUBSCRIBE, SUBACK, the two exchanges and DISCONNECT\n%s", len(pkts), want, show)
	}
	start := []step{{Sent, "CONNECT"}, {Received, "CONNACK"}, {Sent, "SUBSCRIBE"}, {Received, "SUBACK"}}
	for i, s := range start {
		if i >= len(pkts) || pkts[i].Dir != s.dir || pkts[i].Type != s.typ {
			t.Fatalf("packet %d: want %v\n%s", i+1, s, show)
		}
	}
	if c := pkts[0]; c.ClientID != id || !c.CleanSession || c.Protocol != "MQTT" || c.Level != 4 || c.KeepAlive != 30 {
		t.Errorf("CONNECT: got %s, want client id %q, clean, MQTT 3.1.1, keepalive 30s", c.Summary(), id)
	}
	if c := pkts[1]; c.ReturnCode != 0 || c.SessionPresent {
		t.Errorf("CONNACK: got %s, want accepted without a session", c.Summary())
	}
	sub, ack := pkts[2], pkts[3]
	if strings.Join(sub.Filters, ",") != topic || string(sub.RequestedQoS) != string([]byte{qos}) ||
		ack.PacketID != sub.PacketID || string(ack.GrantedQoS) != string([]byte{qos}) {
		t.Errorf("SUBSCRIBE and SUBACK: got %s and %s, want %s at QoS %d granted, same id", sub.Summary(), ack.Summary(), topic, qos)
	}

	isOurs := func(d Direction) func(Packet) bool {
		return func(p Packet) bool {
			return p.Dir == d && p.Topic == topic && string(p.Payload) == string(payload) && p.QoS == qos && !p.Dup && !p.Retain
		}
	}
	pub, err := findFlow(pkts, 4, isOurs(Sent), pubFlow)
	if err != nil {
		t.Fatalf("publish exchange: %v\n%s", err, show)
	}
	if got := pkts[pub[0]].PacketID; got != pending.PacketID() {
		t.Errorf("PUBLISH sent: packet id %d, paho gave the publish id %d", got, pending.PacketID())
	}
	deliv, err := findFlow(pkts, 4, isOurs(Received), delivFlow)
	if err != nil {
		t.Fatalf("delivery exchange: %v\n%s", err, show)
	}
	if qos > 0 && pkts[deliv[0]].PacketID == 0 {
		t.Errorf("delivery at QoS %d with packet id 0\n%s", qos, show)
	}
}
