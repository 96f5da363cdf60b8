package client

import (
	"context"
	"encoding/binary"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
	"qosplayground/app/transport"
)

// fakeBroker is a WebSocket endpoint that speaks raw MQTT bytes, so that a
// test can send exactly the packets paho mishandles, in the order it
// chooses. Each accepted connection arrives on conns.
type fakeBroker struct {
	url   string
	conns chan *rawConn
}

func newFakeBroker(t *testing.T) *fakeBroker {
	t.Helper()
	fb := &fakeBroker{conns: make(chan *rawConn, 8)}
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{transport.Subprotocol}})
		if err != nil {
			return
		}
		c := websocket.NetConn(ctx, ws, websocket.MessageBinary)
		rc := &rawConn{t: t, Conn: c, pkts: make(chan rawPacket, 64)}
		fb.conns <- rc
		// Read in the background: a read deadline would close the
		// WebSocket (coder/websocket's NetConn).
		rd := mqttframe.NewReader(c, 1<<20, 4096)
		for {
			h, pkt, err := rd.Next()
			if err != nil {
				close(rc.pkts)
				return
			}
			if h.Type == mqttframe.PINGREQ {
				c.Write(mqtttest.Pingresp.Bytes())
				continue
			}
			rc.pkts <- rawPacket{h, append([]byte(nil), pkt...)} // the reader reuses its buffer
		}
	}))
	t.Cleanup(func() {
		cancel()
		srv.Close()
	})
	fb.url = "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt"
	return fb
}

// connect makes a client of opts that reconnects to fb at once (on its
// events, or none), connects it, and returns it with the broker's side of
// its first connection (no session present).
func (fb *fakeBroker) connect(t *testing.T, opts Options, on func(Event)) (*Client, *rawConn) {
	t.Helper()
	if on == nil {
		on = func(Event) {}
	}
	opts.URL, opts.AutoReconnect, opts.ReconnectMax = fb.url, true, 20*time.Millisecond
	cl, err := New(opts, on)
	if err != nil {
		t.Fatal(err)
	}
	connected := make(chan struct{})
	go func() {
		defer close(connected)
		if _, err := cl.Connect(); err != nil {
			t.Error(err)
		}
	}()
	c1 := fb.accept(t, false)
	<-connected
	return cl, c1
}

// accept returns the next connection, after reading its CONNECT and
// answering CONNACK with the given session present flag.
func (fb *fakeBroker) accept(t *testing.T, sessionPresent bool) *rawConn {
	t.Helper()
	select {
	case c := <-fb.conns:
		if typ, _ := c.next(); typ != mqttframe.CONNECT {
			t.Fatalf("first packet type %d, want CONNECT", typ)
		}
		connack := mqtttest.ConnackAccepted
		if sessionPresent {
			connack = mqtttest.ConnackSessionPresent
		}
		c.send(connack.Bytes()...)
		return c
	case <-time.After(waitTimeout):
		t.Fatal("the client did not connect")
		return nil
	}
}

type rawConn struct {
	t *testing.T
	net.Conn
	pkts chan rawPacket // read in the background
}

type rawPacket struct {
	h   mqttframe.Header
	pkt []byte
}

func (c *rawConn) send(b ...byte) {
	c.t.Helper()
	if _, err := c.Write(b); err != nil {
		c.t.Fatalf("fake broker write: %v", err)
	}
}

// next reads the next packet and returns its type and, for the packets
// that have one, its packet id. PINGREQs are answered and skipped.
func (c *rawConn) next() (typ byte, id uint16) {
	c.t.Helper()
	var p rawPacket
	select {
	case got, ok := <-c.pkts:
		if !ok {
			c.t.Fatal("fake broker: the connection ended")
		}
		p = got
	case <-time.After(waitTimeout):
		c.t.Fatal("fake broker: no packet in time")
	}
	h, pkt := p.h, p.pkt
	switch h.Type {
	case mqttframe.PUBLISH:
		pub, _ := mqttframe.ParsePublish(h, pkt)
		id = pub.PacketID
	case mqttframe.PUBACK, mqttframe.PUBREC, mqttframe.PUBREL, mqttframe.PUBCOMP, mqttframe.SUBSCRIBE:
		id = binary.BigEndian.Uint16(h.Body(pkt))
	}
	return h.Type, id
}

// expect reads the next packet and fails unless it is typ with packet id id.
func (c *rawConn) expect(what string, typ byte, id uint16) {
	c.t.Helper()
	gotTyp, gotID := c.next()
	if gotTyp != typ || gotID != id {
		c.t.Fatalf("%s: got %s id %d, want %s id %d", what, mqttframe.TypeName(gotTyp), gotID, mqttframe.TypeName(typ), id)
	}
}

// expectNothing fails if a packet arrives within d.
func (c *rawConn) expectNothing(what string, d time.Duration) {
	c.t.Helper()
	select {
	case p, ok := <-c.pkts:
		if ok {
			c.t.Fatalf("%s: got %s, want nothing yet", what, mqttframe.TypeName(p.h.Type))
		}
	case <-time.After(d):
	}
}

// publish2 sends a QoS 2 PUBLISH of payload on topic "t" with packet id id.
func (c *rawConn) publish2(id uint16, dup bool, payload string) {
	c.t.Helper()
	p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	p.Qos, p.Dup, p.MessageID, p.TopicName, p.Payload = 2, dup, id, "t", []byte(payload)
	c.send(mqttframe.Encode(p)...)
}

var ack = mqttframe.Ack

// messages collects what the client hands to the application.
type messages struct {
	mu   sync.Mutex
	msgs []Message
}

func (ms *messages) on(ev Event) {
	if ev.Kind == EventMessage {
		ms.mu.Lock()
		ms.msgs = append(ms.msgs, ev.Message)
		ms.mu.Unlock()
	}
}

func (ms *messages) all() []Message {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]Message(nil), ms.msgs...)
}

func (ms *messages) wait(t *testing.T, n int) []Message {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for len(ms.all()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d messages handed to the application, want %d", len(ms.all()), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return ms.all()
}

// TestQoS2ResentPublishHandedOnce: a broker that sends a QoS 2 PUBLISH again
// before its PUBREL (on the same connection, and after a reconnection of
// the persistent session) gets a PUBREC for each copy, and the application
// gets the message once (MQTT 3.1.1 section 4.3.3, Method B; paho hands
// every copy over, issues #768 and #791). After PUBREL the packet id is
// free: the next PUBLISH with it is a new message.
func TestQoS2ResentPublishHandedOnce(t *testing.T) {
	fb := newFakeBroker(t)
	var ms messages
	cl, c1 := fb.connect(t, Options{ClientID: "q2-recv"}, ms.on)
	defer cl.Disconnect()

	c1.publish2(7, false, "one")
	c1.expect("the first copy", mqttframe.PUBREC, 7)
	c1.publish2(7, true, "one") // the broker did not get the PUBREC yet
	c1.expect("a copy before PUBREL", mqttframe.PUBREC, 7)

	// The connection breaks; the persistent session resumes.
	c1.Close()
	c2 := fb.accept(t, true)
	c2.publish2(7, true, "one")
	c2.expect("a copy after reconnecting", mqttframe.PUBREC, 7)
	c2.send(ack(mqttframe.PUBREL, 7)...)
	c2.expect("the release", mqttframe.PUBCOMP, 7)
	c2.publish2(7, false, "two") // released: a new message with the same id
	c2.expect("the next message", mqttframe.PUBREC, 7)
	c2.publish2(7, true, "two") // held again: a copy
	c2.expect("a copy of the next message", mqttframe.PUBREC, 7)

	got := ms.wait(t, 2)
	time.Sleep(50 * time.Millisecond) // a third would have come with the second
	if got = ms.all(); len(got) != 2 || string(got[0].Payload) != "one" || string(got[1].Payload) != "two" {
		var payloads []string
		for _, m := range got {
			payloads = append(payloads, string(m.Payload))
		}
		t.Fatalf("the application got %q, want [one two]", payloads)
	}
	st := cl.QoS2Stats()
	if st.Received != 5 || st.Delivered != 2 || st.Withheld != 3 || st.Copies != 3 || st.MostHeld != 1 {
		t.Errorf("stats %+v, want 5 received, 2 delivered, 3 withheld copies", st)
	}
}

// TestQoS2NewMessageOnHeldID: a PUBLISH with DUP=0 is a first attempt
// [MQTT-3.3.1-1], so one with a packet id the client still holds (its
// PUBREL never seen) is a new message: it reaches the application rather
// than being lost.
func TestQoS2NewMessageOnHeldID(t *testing.T) {
	fb := newFakeBroker(t)
	var ms messages
	cl, c1 := fb.connect(t, Options{ClientID: "q2-new"}, ms.on)
	defer cl.Disconnect()
	c1.publish2(5, false, "a")
	c1.expect("PUBREC", mqttframe.PUBREC, 5)
	c1.publish2(5, false, "b")
	c1.expect("PUBREC", mqttframe.PUBREC, 5)
	if got := ms.wait(t, 2); string(got[1].Payload) != "b" {
		t.Fatalf("second message %q, want b", got[1].Payload)
	}
	if st := cl.QoS2Stats(); st.NewOnHeldID != 1 || st.Withheld != 0 {
		t.Errorf("stats %+v, want one new message on a held id", st)
	}
}

// TestQoS2ManualAckAcrossReconnection: the application acknowledges
// (ManualAck) a QoS 2 message only after its connection is gone. paho
// drops that acknowledgement; the broker's copy on the new connection is
// not handed over again, and the application's late acknowledgement sends
// its PUBREC on the new connection. A copy that comes after the
// acknowledgement is answered at once.
func TestQoS2ManualAckAcrossReconnection(t *testing.T) {
	fb := newFakeBroker(t)
	var ms messages
	cl, c1 := fb.connect(t, Options{ClientID: "q2-manual", ManualAck: true}, ms.on)
	defer cl.Disconnect()

	c1.publish2(9, false, "slow")
	first := ms.wait(t, 1)[0]
	c1.expectNothing("before the application acknowledges", 100*time.Millisecond)

	c1.Close()
	c2 := fb.accept(t, true)
	c2.publish2(9, true, "slow")
	c2.expectNothing("a copy while the application still processes", 100*time.Millisecond)
	first.Ack() // processed at last, its connection long gone
	c2.expect("the late acknowledgement", mqttframe.PUBREC, 9)
	first.Ack() // twice: nothing more
	c2.publish2(9, true, "slow")
	c2.expect("a copy after the acknowledgement", mqttframe.PUBREC, 9)
	c2.send(ack(mqttframe.PUBREL, 9)...)
	c2.expect("the release", mqttframe.PUBCOMP, 9)

	time.Sleep(50 * time.Millisecond)
	if n := len(ms.all()); n != 1 {
		t.Fatalf("the application got the message %d times, want once", n)
	}
	st := cl.QoS2Stats()
	if st.ResentUnacked != 1 || st.Withheld != 2 {
		t.Errorf("stats %+v, want one copy resent because the application had not acknowledged, 2 withheld", st)
	}
}

// TestQoS2SessionGoneForgetsIDs: a CONNACK without session present means
// the broker kept nothing: a PUBLISH with a held packet id is then a new
// message, handed to the application.
func TestQoS2SessionGoneForgetsIDs(t *testing.T) {
	fb := newFakeBroker(t)
	var ms messages
	cl, c1 := fb.connect(t, Options{ClientID: "q2-gone"}, ms.on)
	defer cl.Disconnect()
	c1.publish2(3, false, "a")
	c1.expect("PUBREC", mqttframe.PUBREC, 3)
	c1.Close()
	c2 := fb.accept(t, false)
	c2.publish2(3, false, "b")
	c2.expect("PUBREC", mqttframe.PUBREC, 3)
	ms.wait(t, 2)
	if st := cl.QoS2Stats(); st.SessionLost != 1 {
		t.Errorf("stats %+v, want one lost session", st)
	}
}

// TestQoS2PubrelResentAfterLostPubcomp: the PUBCOMP of a QoS 2 publish is
// lost with the connection. After reconnecting, the client sends the
// PUBREL again, never the PUBLISH (MQTT-4.3.3-1; paho resends the PUBLISH,
// issue #788, which the broker takes for a new message), and the publish
// completes on the PUBCOMP.
func TestQoS2PubrelResentAfterLostPubcomp(t *testing.T) {
	fb := newFakeBroker(t)
	cl, c1 := fb.connect(t, Options{ClientID: "q2-send"}, nil)
	defer cl.Disconnect()

	p, err := cl.PublishAsync("t", []byte("once"), 2, false)
	if err != nil {
		t.Fatal(err)
	}
	typ, id := c1.next()
	if typ != mqttframe.PUBLISH || id == 0 {
		t.Fatalf("got %s id %d, want the PUBLISH", mqttframe.TypeName(typ), id)
	}
	c1.send(ack(mqttframe.PUBREC, id)...)
	c1.expect("the release", mqttframe.PUBREL, id)
	c1.Close() // the broker's PUBCOMP never arrives

	c2 := fb.accept(t, true)
	c2.expect("the resend after reconnecting", mqttframe.PUBREL, id)
	c2.send(ack(mqttframe.PUBCOMP, id)...)
	select {
	case <-p.Done():
		if err := p.Err(); err != nil {
			t.Fatalf("publish failed: %v", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("the publish did not complete on PUBCOMP")
	}
	st := cl.QoS2Stats()
	if st.PublishAfterPubrel != 0 || st.PublishAfterPubrec != 0 || st.PublishDropped != 0 || st.PubrelStored != 1 || st.PubrelResent != 1 {
		t.Errorf("stats %+v, want the PUBREL stored and resent, no PUBLISH after PUBREC", st)
	}
}

// TestQoS2NoPublishAfterPubrel: after a reconnection the broker sends its
// PUBREC again at once, with the CONNACK (mochi does), while paho's resume
// is about to send the stored PUBLISH. Whatever the order, the client never
// writes that PUBLISH after its PUBREL, which would be a new message to a
// broker that completed the exchange.
func TestQoS2NoPublishAfterPubrel(t *testing.T) {
	for i := 0; i < 20; i++ {
		fb := newFakeBroker(t)
		cl, c1 := fb.connect(t, Options{ClientID: "q2-race"}, nil)
		p, err := cl.PublishAsync("t", []byte("once"), 2, false)
		if err != nil {
			t.Fatal(err)
		}
		typ, id := c1.next()
		if typ != mqttframe.PUBLISH {
			t.Fatalf("got %s, want the PUBLISH", mqttframe.TypeName(typ))
		}
		c1.Close() // the PUBREC never arrives on this connection

		// The next connection: CONNACK and the broker's PUBREC at once.
		var c2 *rawConn
		select {
		case c2 = <-fb.conns:
		case <-time.After(waitTimeout):
			t.Fatal("no reconnection")
		}
		if typ, _ := c2.next(); typ != mqttframe.CONNECT {
			t.Fatalf("first packet %s, want CONNECT", mqttframe.TypeName(typ))
		}
		c2.send(append(mqtttest.ConnackSessionPresent.Bytes(), ack(mqttframe.PUBREC, id)...)...)
		for {
			typ, got := c2.next()
			if got != id {
				continue
			}
			if typ == mqttframe.PUBREL {
				break
			}
			if typ != mqttframe.PUBLISH {
				t.Fatalf("got %s for id %d, want PUBLISH or PUBREL", mqttframe.TypeName(typ), id)
			}
		}
		c2.send(ack(mqttframe.PUBCOMP, id)...)
		// The stored PUBREL and the answer to the PUBREC may both go:
		// a second PUBREL is harmless, a PUBLISH is a new message.
		for deadline := time.After(100 * time.Millisecond); ; {
			var pk rawPacket
			select {
			case pk = <-c2.pkts:
			case <-deadline:
			}
			if pk.pkt == nil {
				break
			}
			if pk.h.Type == mqttframe.PUBLISH {
				t.Fatalf("round %d: a PUBLISH after the PUBREL", i)
			}
			if pk.h.Type == mqttframe.PUBREL {
				c2.send(ack(mqttframe.PUBCOMP, id)...)
			}
		}
		select {
		case <-p.Done():
		case <-time.After(waitTimeout):
			t.Fatal("the publish did not complete")
		}
		if st := cl.QoS2Stats(); st.PublishAfterPubrel != 0 {
			t.Fatalf("round %d: %+v", i, st)
		}
		cl.Disconnect()
	}
}
