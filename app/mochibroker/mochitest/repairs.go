package mochitest

import (
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"
	mqtt "github.com/mochi-mqtt/server/v2"
	mpackets "github.com/mochi-mqtt/server/v2/packets"

	"qosplayground/app/mochibroker"
)

// Broker is one of the playground's mochi brokers as the repair tests drive
// it: the server's embedded broker (server/broker) or the in-tab broker
// (app/inbroker), both set up by mochibroker.Start.
type Broker struct {
	// Dial connects a new client to the broker.
	Dial func() (net.Conn, error)
	// AddHook adds a hook to the running mochi server.
	AddHook func(mqtt.Hook) error
	// Restart, if not nil, restarts the broker cleanly, keeping what its
	// store holds: the test then checks that the store does not bring back
	// what the takeover guard took back.
	Restart func() error
}

// readWait bounds each read: a broker that answers at all answers at once.
const readWait = 5 * time.Second

var uniq atomic.Int64

// TestUnroutedPublishIsRoutedOnResend cuts a publisher's connection after
// the broker accepted its QoS 1 or 2 PUBLISH but before the
// acknowledgement went out, so mochi never routes the message (see
// mochibroker.TakeoverGuard). The publisher, which got no acknowledgement,
// reconnects and sends it again: the subscriber must receive it exactly
// once, and the resumed session must not acknowledge it before that resend
// (a client that sees the PUBACK first never resends). With b.Restart the
// broker restarts in between, so the acknowledgement must not come back
// from the store either. This fault can only be placed from inside mochi;
// app/faultlab's TestBlips checks both brokers under random cuts.
func TestUnroutedPublishIsRoutedOnResend(t *testing.T, b Broker, qos byte) {
	n := uniq.Add(1)
	topic := fmt.Sprintf("test/unrouted/%d/%d", qos, n)
	if err := b.AddHook(&CutBeforeAck{Topic: topic}); err != nil {
		t.Fatal(err)
	}
	pubID := fmt.Sprintf("unrouted-pub-%d", n)
	publish := func(id uint16, payload string, dup bool) *packets.PublishPacket {
		pk := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		pk.TopicName, pk.Qos, pk.MessageID, pk.Payload, pk.Dup = topic, qos, id, []byte(payload), dup
		return pk
	}

	pub, _ := Connect(t, b, pubID, false)
	pub.Send(publish(7, "lost?", false))
	if pk, err := pub.Read(); err == nil {
		t.Fatalf("the broker answered the PUBLISH whose connection the hook closed: %v", pk)
	}
	pub.Close()

	if b.Restart != nil {
		if err := b.Restart(); err != nil {
			t.Fatalf("Restart: %v", err)
		}
	}
	sub, _ := Connect(t, b, fmt.Sprintf("unrouted-sub-%d", n), true)
	sub.Subscribe(1, topic, 2)

	pub, present := Connect(t, b, pubID, false)
	if !present {
		t.Fatal("the publisher's session is gone after the cut: want it present")
	}
	// mochi resends a resumed session's acknowledgements before it reads
	// anything: if one is there, it comes before the PINGRESP.
	pub.Send(packets.NewControlPacket(packets.Pingreq))
	if pk := pub.MustRead(); !isPingresp(pk) {
		t.Fatalf("after resuming, got %v before the PINGRESP: the broker acknowledges a message it never routed", pk)
	}
	pub.Send(publish(7, "lost?", true))
	pub.Acknowledged(7, qos)
	pub.Send(publish(8, "end", false))
	pub.Acknowledged(8, qos)

	got := map[string]int{}
	for got["end"] == 0 {
		if pk := sub.Answer(sub.MustRead()); pk != nil {
			got[string(pk.Payload)]++
		}
	}
	if got["lost?"] != 1 {
		t.Errorf("the subscriber got the re-sent message %d times, want 1", got["lost?"])
	}
	pub.Disconnect()
	sub.Disconnect()
}

func isPingresp(pk packets.ControlPacket) bool {
	_, ok := pk.(*packets.PingrespPacket)
	return ok
}

func isSuback(pk packets.ControlPacket) bool {
	_, ok := pk.(*packets.SubackPacket)
	return ok
}

func isPublishOf(pk packets.ControlPacket, payload string) bool {
	p, ok := pk.(*packets.PublishPacket)
	return ok && string(p.Payload) == payload
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

func (h *cutAtEstablish) OnSessionEstablish(cl *mqtt.Client, _ mpackets.Packet) {
	if cl.ID == h.clientID {
		_ = cl.Net.Conn.Close()
	}
}

// TestCutBeforeConnackDoesNotHoldUpOthers: a connection cut while the
// broker establishes its session, so that its CONNACK cannot be written,
// must not keep the takeover guard's lock. With the lock held until the
// timeout (made an hour here), no other client could connect and nothing
// could be routed; the broker's Close, with clients still arriving, waited
// for each of them in turn. It changes mochibroker.EstablishTimeout while
// it runs: not for parallel tests.
func TestCutBeforeConnackDoesNotHoldUpOthers(t *testing.T, b Broker) {
	defer func(d time.Duration) { mochibroker.EstablishTimeout = d }(mochibroker.EstablishTimeout)
	mochibroker.EstablishTimeout = time.Hour
	doomed := fmt.Sprintf("doomed-%d", uniq.Add(1))
	if err := b.AddHook(&cutAtEstablish{clientID: doomed}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		c := dial(t, b)
		c.Send(connectPacket(doomed, true))
		if pk, err := c.Read(); err == nil {
			t.Fatalf("the broker answered the connection the hook closed: %v", pk)
		}
		c.Close()
	}
	// Each client connects, subscribes and publishes through the guard;
	// the reads time out after readWait if the lock is still held.
	for i := 0; i < 2; i++ {
		n := uniq.Add(1)
		topic := fmt.Sprintf("test/cut-before-connack/%d", n)
		sub, _ := Connect(t, b, fmt.Sprintf("sub-%d", n), true)
		sub.Subscribe(1, topic, 1)
		pub, _ := Connect(t, b, fmt.Sprintf("pub-%d", n), true)
		pk := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		pk.TopicName, pk.Qos, pk.MessageID, pk.Payload = topic, 1, 7, []byte("hello")
		pub.Send(pk)
		pub.Acknowledged(7, 1)
		if got := sub.MustRead(); !isPublishOf(got, "hello") {
			t.Fatalf("the subscriber got %v, want the PUBLISH of hello", got)
		}
		pub.Disconnect()
		sub.Disconnect()
	}
}

// Conn is a raw MQTT 3.1.1 connection to a broker, one packet at a time
// (paho's packets package encodes and decodes them).
type Conn struct {
	t testing.TB
	c net.Conn
}

func dial(t testing.TB, b Broker) *Conn {
	t.Helper()
	c, err := b.Dial()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &Conn{t: t, c: c}
}

func connectPacket(id string, clean bool) *packets.ConnectPacket {
	pk := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	pk.ProtocolName, pk.ProtocolVersion = "MQTT", 4
	pk.ClientIdentifier, pk.CleanSession, pk.Keepalive = id, clean, 30
	return pk
}

// Connect dials b and connects as id, and returns the connection and
// CONNACK's session present.
func Connect(t testing.TB, b Broker, id string, clean bool) (*Conn, bool) {
	t.Helper()
	c := dial(t, b)
	c.Send(connectPacket(id, clean))
	pk := c.MustRead()
	ack, ok := pk.(*packets.ConnackPacket)
	if !ok || ack.ReturnCode != 0 {
		t.Fatalf("connect %s: got %v, want CONNACK accepted", id, pk)
	}
	return c, ack.SessionPresent
}

// Send writes pk.
func (c *Conn) Send(pk packets.ControlPacket) {
	c.t.Helper()
	_ = c.c.SetWriteDeadline(time.Now().Add(readWait))
	if err := pk.Write(c.c); err != nil {
		c.t.Fatalf("send %v: %v", pk, err)
	}
}

// Read reads the next packet, waiting readWait at most.
func (c *Conn) Read() (packets.ControlPacket, error) {
	_ = c.c.SetReadDeadline(time.Now().Add(readWait))
	return packets.ReadPacket(c.c)
}

// MustRead reads the next packet, failing the test if none comes.
func (c *Conn) MustRead() packets.ControlPacket {
	c.t.Helper()
	pk, err := c.Read()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return pk
}

// Subscribe subscribes to filter and waits for the SUBACK.
func (c *Conn) Subscribe(id uint16, filter string, qos byte) {
	c.t.Helper()
	pk := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	pk.MessageID, pk.Topics, pk.Qoss = id, []string{filter}, []byte{qos}
	c.Send(pk)
	if got := c.MustRead(); got.Details().MessageID != id || !isSuback(got) {
		c.t.Fatalf("subscribe %s: got %v, want its SUBACK", filter, got)
	}
}

// Acknowledged completes the publisher's side of the exchange of packet
// id at qos: the PUBACK, or PUBREC, PUBREL and PUBCOMP.
func (c *Conn) Acknowledged(id uint16, qos byte) {
	c.t.Helper()
	expect := func(typ byte) {
		c.t.Helper()
		pk := c.MustRead()
		var got byte
		switch pk.(type) {
		case *packets.PubackPacket:
			got = packets.Puback
		case *packets.PubrecPacket:
			got = packets.Pubrec
		case *packets.PubcompPacket:
			got = packets.Pubcomp
		}
		if got != typ || pk.Details().MessageID != id {
			c.t.Fatalf("got %v, want %s of packet id %d", pk, packets.PacketNames[typ], id)
		}
	}
	switch qos {
	case 1:
		expect(packets.Puback)
	case 2:
		expect(packets.Pubrec)
		rel := packets.NewControlPacket(packets.Pubrel).(*packets.PubrelPacket)
		rel.MessageID = id
		c.Send(rel)
		expect(packets.Pubcomp)
	}
}

// Answer answers what a subscriber reads: a PUBLISH at QoS 1 with PUBACK,
// at QoS 2 with PUBREC, a PUBREL with PUBCOMP. It returns the PUBLISH, or
// nil for anything else.
func (c *Conn) Answer(pk packets.ControlPacket) *packets.PublishPacket {
	c.t.Helper()
	switch pk := pk.(type) {
	case *packets.PublishPacket:
		switch pk.Qos {
		case 1:
			ack := packets.NewControlPacket(packets.Puback).(*packets.PubackPacket)
			ack.MessageID = pk.MessageID
			c.Send(ack)
		case 2:
			rec := packets.NewControlPacket(packets.Pubrec).(*packets.PubrecPacket)
			rec.MessageID = pk.MessageID
			c.Send(rec)
		}
		return pk
	case *packets.PubrelPacket:
		comp := packets.NewControlPacket(packets.Pubcomp).(*packets.PubcompPacket)
		comp.MessageID = pk.MessageID
		c.Send(comp)
	}
	return nil
}

// Disconnect sends DISCONNECT and closes the connection.
func (c *Conn) Disconnect() {
	c.t.Helper()
	c.Send(packets.NewControlPacket(packets.Disconnect))
	c.Close()
}

// Close closes the connection.
func (c *Conn) Close() { _ = c.c.Close() }

// TestResendInOrder: a persistent QoS 1 subscriber with many messages in
// flight (received, not acknowledged), all routed within the same second,
// is cut and resumes its session: the broker must re-send them in the
// order it first sent them ([MQTT-4.6.0-1]). mochi (v2.7.9) sorts them by
// the second they came in, unstably, over a map's order: shuffled (see
// mochibroker.ResendOrder).
func TestResendInOrder(t *testing.T, b Broker) {
	const n = 40
	id := uniq.Add(1)
	topic := fmt.Sprintf("test/resend-order/%d", id)
	subID := fmt.Sprintf("resend-order-sub-%d", id)
	sub, _ := Connect(t, b, subID, false)
	sub.Subscribe(1, topic, 1)
	pub, _ := Connect(t, b, fmt.Sprintf("resend-order-pub-%d", id), true)
	for i := 0; i < n; i++ {
		pk := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		pk.TopicName, pk.Qos, pk.MessageID, pk.Payload = topic, 1, uint16(i+1), []byte(fmt.Sprint(i))
		pub.Send(pk)
		pub.Acknowledged(uint16(i+1), 1)
	}
	// The subscriber reads every message and acknowledges none: all n are
	// in flight when it is cut.
	for i := 0; i < n; i++ {
		if got := sub.MustRead(); !isPublishOf(got, fmt.Sprint(i)) {
			t.Fatalf("first delivery %d: got %v, want the PUBLISH of %d", i, got, i)
		}
	}
	sub.Close()
	pub.Disconnect()

	sub, present := Connect(t, b, subID, false)
	if !present {
		t.Fatal("the subscriber's session is gone after the cut: want it present")
	}
	var order []string
	for len(order) < n {
		pk := sub.MustRead()
		p, ok := pk.(*packets.PublishPacket)
		if !ok {
			t.Fatalf("got %v among the re-sends, want only PUBLISHes", pk)
		}
		if !p.Dup {
			t.Errorf("re-sent PUBLISH %s without DUP", p.Payload)
		}
		order = append(order, string(p.Payload))
		sub.Answer(pk)
	}
	for i, got := range order {
		if got != fmt.Sprint(i) {
			t.Fatalf("re-sent in the order %v, want 0 to %d in order", order, n-1)
		}
	}
	sub.Disconnect()
}
