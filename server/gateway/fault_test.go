package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/client"
	"qosplayground/app/fault"
	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
	"qosplayground/app/wiretap"
	"qosplayground/server/broker"
)

// TestFaults runs every fault lesson through the real gateway, with the
// real playground client (paho over app/transport) and a real broker of
// each kind.
func TestFaults(t *testing.T) {
	for _, spec := range brokers {
		t.Run(spec, func(t *testing.T) {
			b := startBroker(t, spec)
			e := newEnv(t, Config{BrokerAddr: b.Addr(), Faults: true})
			t.Run("QoS 1 publisher: cut before PUBACK, resend with DUP", func(t *testing.T) { testPublisherCutBeforePuback(t, e) })
			t.Run("QoS 1 subscriber: cut before its PUBACK, broker resends", func(t *testing.T) { testSubscriberCutBeforePuback(t, e) })
			t.Run("QoS 2 subscriber: cut before its PUBREC, delivered once", func(t *testing.T) { testSubscriberCutBeforePubrec(t, e) })
			t.Run("QoS 2 publisher: cut before PUBREC or PUBCOMP", func(t *testing.T) { testPublisherQoS2(t, e, spec) })
			t.Run("after forwards, then cuts", func(t *testing.T) { testCutAfter(t, e) })
			t.Run("skip lets matching packets pass", func(t *testing.T) { testSkip(t, e) })
			t.Run("random", func(t *testing.T) { testRandom(t, e) })
			t.Run("cut now publishes the will", func(t *testing.T) { testCutNow(t, e) })
			t.Run("clear and replace", func(t *testing.T) { testClearAndReplace(t, e) })
			t.Run("isolation", func(t *testing.T) { testIsolation(t, e) })
			t.Run("bad commands", func(t *testing.T) { testBadCommands(t, e, b) })
		})
	}
}

// tapped collects the packets a wiretap sees on a client's connections.
type tapped struct {
	mu      sync.Mutex
	pkts    []wiretap.Packet
	changed chan struct{}
}

func newTapped() *tapped { return &tapped{changed: make(chan struct{}, 1)} }

func (tp *tapped) add(p wiretap.Packet) {
	tp.mu.Lock()
	tp.pkts = append(tp.pkts, p)
	tp.mu.Unlock()
	select {
	case tp.changed <- struct{}{}:
	default:
	}
}

// all returns the packets seen so far that match.
func (tp *tapped) all(match func(wiretap.Packet) bool) []wiretap.Packet {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	var out []wiretap.Packet
	for _, p := range tp.pkts {
		if match(p) {
			out = append(out, p)
		}
	}
	return out
}

// wait waits for a packet that matches.
func (tp *tapped) wait(t *testing.T, what string, match func(wiretap.Packet) bool) wiretap.Packet {
	t.Helper()
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	for {
		if got := tp.all(match); len(got) > 0 {
			return got[0]
		}
		select {
		case <-tp.changed:
		case <-timer.C:
			t.Fatalf("the tap saw no %s within %v", what, waitTimeout)
		}
	}
}

// is matches packets of one connection, direction and type.
func is(conn int, dir wiretap.Direction, typ string) func(wiretap.Packet) bool {
	return func(p wiretap.Packet) bool { return p.Conn == conn && p.Dir == dir && p.Type == typ }
}

// faultClient makes a tapped playground client and connects it.
func faultClient(t *testing.T, url string, opts client.Options) (*client.Client, *recorder, *tapped) {
	t.Helper()
	rec, tp := newRecorder(), newTapped()
	opts.URL = url
	if opts.ClientID == "" {
		opts.ClientID = fmt.Sprintf("fault-%d", clientSeq.Add(1))
	}
	opts.Timeout = 5 * time.Second
	opts.WrapConn = wiretap.New(tp.add).Wrap
	c, err := client.New(opts, rec.on)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	if _, err := c.Connect(); err != nil {
		t.Fatalf("Connect(%s): %v", opts.ClientID, err)
	}
	t.Cleanup(c.Disconnect)
	return c, rec, tp
}

func arm(t *testing.T, c *client.Client, cmd fault.Command) {
	t.Helper()
	if err := c.Fault(cmd); err != nil {
		t.Fatalf("Fault(%v): %v", cmd, err)
	}
}

// waitCut waits for the client to lose its connection to a cut and checks
// the close code and reason it was given.
func waitCut(t *testing.T, c *client.Client, rec *recorder, cmd fault.Command) {
	t.Helper()
	ev := rec.waitState(t, client.Disconnected)
	if code := websocket.CloseStatus(ev.Err); code != StatusFaultCut || !strings.Contains(ev.Err.Error(), cmd.String()) {
		t.Errorf("connection lost with %v (close code %d); want close code %d and reason %q", ev.Err, code, StatusFaultCut, cmd.String())
	}
	if err := c.Fault(fault.Command{Op: fault.OpCutNow}); !errors.Is(err, client.ErrNotConnected) {
		t.Errorf("Fault after the cut: got %v, want ErrNotConnected", err)
	}
}

// reconnect connects a client again and checks that the broker kept its
// session.
func reconnect(t *testing.T, c *client.Client) {
	t.Helper()
	sp, err := c.Connect()
	if err != nil {
		t.Fatalf("reconnect: %v", err)
	}
	if !sp {
		t.Fatalf("reconnect: session present false, want the persistent session kept")
	}
}

func uniqTopic(name string) string { return fmt.Sprintf("fault/%s/%d", name, clientSeq.Add(1)) }

func subscribe(t *testing.T, c *client.Client, filter string, qos byte) {
	t.Helper()
	if _, err := c.Subscribe(filter, qos); err != nil {
		t.Fatalf("Subscribe(%q, %d): %v", filter, qos, err)
	}
}

func wantPayload(t *testing.T, m client.Message, payload string) {
	t.Helper()
	if string(m.Payload) != payload {
		t.Fatalf("got message %q on %q, want %q", m.Payload, m.Topic, payload)
	}
}

// The tutorial's QoS 1 lesson from the publisher's side: the broker got the
// PUBLISH but its PUBACK is lost; paho resends with DUP=1 on reconnect, and
// the subscriber gets the message twice.
func testPublisherCutBeforePuback(t *testing.T, e *env) {
	topic := uniqTopic("pub-puback")
	sub, subRec := connectClient(t, e.url)
	subscribe(t, sub, topic, 1)
	pub, pubRec, tp := faultClient(t, e.url, client.Options{CleanSession: false})

	cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: "PUBACK", When: fault.Before}
	arm(t, pub, cmd)
	p, err := pub.PublishAsync(topic, []byte("once?"), 1, false)
	if err != nil {
		t.Fatalf("PublishAsync: %v", err)
	}
	waitCut(t, pub, pubRec, cmd)
	wantPayload(t, subRec.waitMessage(t), "once?") // the broker did get it
	if acks := tp.all(is(1, wiretap.Received, "PUBACK")); len(acks) != 0 {
		t.Errorf("the publisher received %d PUBACKs; the gateway should have dropped it", len(acks))
	}

	reconnect(t, pub)
	resent := tp.wait(t, "PUBLISH resent on the new connection", is(2, wiretap.Sent, "PUBLISH"))
	if !resent.Dup || resent.PacketID != p.PacketID() || string(resent.Payload) != "once?" {
		t.Errorf("resent PUBLISH: DUP %v, packet id %d, payload %q; want DUP 1, id %d, \"once?\"", resent.Dup, resent.PacketID, resent.Payload, p.PacketID())
	}
	tp.wait(t, "PUBACK of the resent PUBLISH", is(2, wiretap.Received, "PUBACK"))
	dup := subRec.waitMessage(t)
	wantPayload(t, dup, "once?")
	// The broker does not pass DUP on ([MQTT-3.3.1-3]): the subscriber
	// cannot tell the duplicate by its flags, only by its content.
	if dup.Duplicate {
		t.Errorf("the subscriber's copy has DUP set; the broker should send its own PUBLISH with DUP 0")
	}
}

// The QoS 1 lesson from the subscriber's side: its PUBACK never reaches the
// broker, which resends the message with DUP=1 to the resumed session.
func testSubscriberCutBeforePuback(t *testing.T, e *env) {
	topic := uniqTopic("sub-puback")
	sub, subRec, tp := faultClient(t, e.url, client.Options{CleanSession: false})
	subscribe(t, sub, topic, 1)
	pub, _ := connectClient(t, e.url)

	cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBACK", When: fault.Before}
	arm(t, sub, cmd)
	if err := pub.Publish(topic, []byte("ack lost"), 1, false); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	first := subRec.waitMessage(t)
	wantPayload(t, first, "ack lost")
	waitCut(t, sub, subRec, cmd)
	tp.wait(t, "PUBACK the subscriber sent", is(1, wiretap.Sent, "PUBACK"))

	reconnect(t, sub)
	again := subRec.waitMessage(t)
	wantPayload(t, again, "ack lost")
	if !again.Duplicate || again.PacketID != first.PacketID {
		t.Errorf("redelivery: DUP %v, packet id %d; want DUP 1 and packet id %d", again.Duplicate, again.PacketID, first.PacketID)
	}
	resent := tp.wait(t, "PUBLISH resent by the broker", is(2, wiretap.Received, "PUBLISH"))
	if !resent.Dup {
		t.Errorf("the broker's resent PUBLISH has DUP 0, want 1")
	}
	tp.wait(t, "PUBACK of the resent PUBLISH", is(2, wiretap.Sent, "PUBACK"))
}

// The QoS 2 lesson: the subscriber's PUBREC never reaches the broker, which
// resends the PUBLISH (DUP=1). The protocol says the receiver must not
// deliver it again; paho v1.5.1 alone hands it to the application a second
// time (paho issues #768 and #791), the client (app/client/qos2.go) answers
// it with PUBREC and hands it over once.
func testSubscriberCutBeforePubrec(t *testing.T, e *env) {
	topic := uniqTopic("sub-pubrec")
	sub, subRec, tp := faultClient(t, e.url, client.Options{CleanSession: false})
	subscribe(t, sub, topic, 2)
	pub, _ := connectClient(t, e.url)

	cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBREC", When: fault.Before}
	arm(t, sub, cmd)
	if err := pub.Publish(topic, []byte("exactly once?"), 2, false); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	first := subRec.waitMessage(t)
	wantPayload(t, first, "exactly once?")
	waitCut(t, sub, subRec, cmd)

	reconnect(t, sub)
	resent := tp.wait(t, "PUBLISH resent by the broker", is(2, wiretap.Received, "PUBLISH"))
	if !resent.Dup || resent.PacketID != first.PacketID || resent.QoS != 2 {
		t.Errorf("resent PUBLISH: DUP %v, packet id %d, QoS %d; want DUP 1, id %d, QoS 2", resent.Dup, resent.PacketID, resent.QoS, first.PacketID)
	}
	for _, typ := range []struct {
		dir wiretap.Direction
		typ string
	}{{wiretap.Sent, "PUBREC"}, {wiretap.Received, "PUBREL"}, {wiretap.Sent, "PUBCOMP"}} {
		tp.wait(t, typ.typ+" on the new connection", is(2, typ.dir, typ.typ))
	}
	// The application does not get the message again: the next message
	// it gets is one published after the exchange was over.
	if err := pub.Publish(topic, []byte("marker"), 2, false); err != nil {
		t.Fatal(err)
	}
	if next := subRec.waitMessage(t); string(next.Payload) != "marker" {
		t.Errorf("after the resend the application got %q (DUP %v), want the marker: the copy was handed over again", next.Payload, next.Duplicate)
	}
}

// The QoS 2 lesson from the publisher's side.
//
// The broker keeps a QoS 2 packet id from PUBLISH until PUBREL: a PUBLISH
// sent again with that id before the PUBREL is recognised and not passed
// on twice, one sent after it is a new message. paho v1.5.1 does not store
// the PUBREL it sends (paho issue #788), so on reconnect it would send the
// PUBLISH again, DUP=1, even when the broker had its PUBREL already; the
// client stores the PUBREL on PUBREC and never writes a PUBLISH whose
// PUBREC has come (app/client/qos2.go):
//   - PUBCOMP lost: the PUBREL is sent again, never the PUBLISH, and the
//     subscriber gets the message once, on both brokers;
//   - PUBREC lost: the PUBLISH is sent again (DUP=1), or not at all when
//     the broker's own resent PUBREC comes first (mochi sends it on
//     reconnect); either way before any PUBREL: one copy.
func testPublisherQoS2(t *testing.T, e *env, spec string) {
	for _, lost := range []string{"PUBREC", "PUBCOMP"} {
		t.Run(lost+" lost", func(t *testing.T) {
			topic := uniqTopic("pub-qos2-" + lost)
			sub, subRec := connectClient(t, e.url)
			subscribe(t, sub, topic, 2)
			pub, pubRec, tp := faultClient(t, e.url, client.Options{CleanSession: false})
			cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: lost, When: fault.Before}
			arm(t, pub, cmd)
			p, err := pub.PublishAsync(topic, []byte("exactly once?"), 2, false)
			if err != nil {
				t.Fatal(err)
			}
			id := p.PacketID()
			waitCut(t, pub, pubRec, cmd)

			// paho queues what it resends before Connect returns, so a
			// marker published now goes after it, and its PUBCOMP means
			// the broker has handled everything sent before.
			reconnect(t, pub)
			if err := pub.Publish(topic, []byte("marker 1"), 2, false); err != nil {
				t.Fatal(err)
			}
			resent := tp.all(func(p wiretap.Packet) bool {
				return p.Conn == 2 && p.Dir == wiretap.Sent && p.Type == "PUBLISH" && p.PacketID == id
			})
			for _, r := range resent {
				if !r.Dup || string(r.Payload) != "exactly once?" {
					t.Errorf("PUBLISH %d sent again with DUP %v, payload %q; want DUP 1", id, r.Dup, r.Payload)
				}
				if len(tp.all(func(p wiretap.Packet) bool {
					return p.Dir == wiretap.Sent && p.Type == "PUBREL" && p.PacketID == id && p.Seq < r.Seq
				})) > 0 {
					t.Errorf("PUBLISH %d sent again after its PUBREL: a new message to the broker", id)
				}
			}

			// Count the copies, in any order with the marker: mochi may
			// pass on the first PUBLISH after everything that followed the
			// cut (its old connection's goroutine finishes that PUBLISH
			// whenever it runs again). Then a second marker: a copy more
			// would come before it.
			copies, marker := 0, false
			for !marker || copies < 1 {
				switch m := subRec.waitMessage(t); string(m.Payload) {
				case "marker 1":
					marker = true
				case "exactly once?":
					copies++
				default:
					t.Fatalf("the subscriber got %q", m.Payload)
				}
			}
			if err := pub.Publish(topic, []byte("marker 2"), 2, false); err != nil {
				t.Fatal(err)
			}
			for m := subRec.waitMessage(t); string(m.Payload) != "marker 2"; m = subRec.waitMessage(t) {
				wantPayload(t, m, "exactly once?")
				copies++
			}
			if copies != 1 {
				t.Errorf("the subscriber got %d copies, want 1 (PUBLISH sent again %d times)", copies, len(resent))
			}
			pubrelAgain := len(tp.all(func(p wiretap.Packet) bool {
				return p.Conn == 2 && p.Dir == wiretap.Sent && p.Type == "PUBREL" && p.PacketID == id
			}))
			switch {
			case lost == "PUBCOMP" && (len(resent) != 0 || pubrelAgain != 1):
				t.Errorf("PUBCOMP lost: PUBLISH sent again %d times, PUBREL %d times; want 0 and 1", len(resent), pubrelAgain)
			case lost == "PUBREC" && spec == "mosquitto" && len(resent) != 1:
				t.Errorf("PUBREC lost: PUBLISH sent again %d times on Mosquitto, want once", len(resent))
			}
			t.Logf("%s lost on %s: PUBLISH sent again %d times, PUBREL %d times; the subscriber got %d copies", lost, spec, len(resent), pubrelAgain, copies)
		})
	}
}

// testCutAfter: "after" forwards the packet, then cuts; "before" the same
// packet drops it.
func testCutAfter(t *testing.T, e *env) {
	t.Run("after PUBLISH up: the broker has it, the PUBACK is lost", func(t *testing.T) {
		topic := uniqTopic("after-publish")
		sub, subRec := connectClient(t, e.url)
		subscribe(t, sub, topic, 1)
		pub, pubRec, tp := faultClient(t, e.url, client.Options{CleanSession: true})
		cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBLISH", When: fault.After}
		arm(t, pub, cmd)
		if _, err := pub.PublishAsync(topic, []byte("forwarded"), 1, false); err != nil {
			t.Fatal(err)
		}
		waitCut(t, pub, pubRec, cmd)
		wantPayload(t, subRec.waitMessage(t), "forwarded")
		// The broker's PUBACK came after the cut: the gateway forwards
		// nothing after a cut.
		if acks := tp.all(is(1, wiretap.Received, "PUBACK")); len(acks) != 0 {
			t.Errorf("the publisher received a PUBACK after a cut after its PUBLISH")
		}
	})
	t.Run("after PUBACK down: the publisher has it", func(t *testing.T) {
		topic := uniqTopic("after-puback")
		pub, pubRec, tp := faultClient(t, e.url, client.Options{CleanSession: true})
		cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: "PUBACK", When: fault.After}
		arm(t, pub, cmd)
		p, err := pub.PublishAsync(topic, []byte("acked"), 1, false)
		if err != nil {
			t.Fatal(err)
		}
		waitCut(t, pub, pubRec, cmd)
		ack := tp.wait(t, "PUBACK before the cut", is(1, wiretap.Received, "PUBACK"))
		if ack.PacketID != p.PacketID() {
			t.Errorf("PUBACK for packet id %d, want %d", ack.PacketID, p.PacketID())
		}
	})
	t.Run("before PUBLISH up: the broker never has it", func(t *testing.T) {
		topic := uniqTopic("before-publish")
		sub, subRec := connectClient(t, e.url)
		subscribe(t, sub, topic, 1)
		pub, pubRec, tp := faultClient(t, e.url, client.Options{CleanSession: true})
		cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBLISH", When: fault.Before}
		arm(t, pub, cmd)
		if _, err := pub.PublishAsync(topic, []byte("dropped"), 1, false); err != nil {
			t.Fatal(err)
		}
		waitCut(t, pub, pubRec, cmd)
		tp.wait(t, "the PUBLISH the client sent", is(1, wiretap.Sent, "PUBLISH"))
		// Had the broker got "dropped", the subscriber would get it
		// before a message published after the cut.
		if err := sub.Publish(topic, []byte("marker"), 1, false); err != nil {
			t.Fatal(err)
		}
		wantPayload(t, subRec.waitMessage(t), "marker")
	})
}

// testSkip: skip lets that many matching packets through first.
func testSkip(t *testing.T, e *env) {
	topic := uniqTopic("skip")
	sub, subRec := connectClient(t, e.url)
	subscribe(t, sub, topic, 1)
	pub, pubRec, _ := faultClient(t, e.url, client.Options{CleanSession: true})
	cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBLISH", When: fault.Before, Skip: 2}
	arm(t, pub, cmd)
	for i := 1; i <= 2; i++ {
		if err := pub.Publish(topic, []byte(fmt.Sprint("passes ", i)), 1, false); err != nil {
			t.Fatalf("Publish %d of 2 let through: %v", i, err)
		}
		wantPayload(t, subRec.waitMessage(t), fmt.Sprint("passes ", i))
	}
	if _, err := pub.PublishAsync(topic, []byte("third"), 1, false); err != nil {
		t.Fatal(err)
	}
	waitCut(t, pub, pubRec, cmd)
	if err := sub.Publish(topic, []byte("marker"), 1, false); err != nil {
		t.Fatal(err)
	}
	wantPayload(t, subRec.waitMessage(t), "marker")
}

// rawConnect opens a raw WebSocket, sends CONNECT and reads CONNACK.
func rawConnect(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	ws := rawDial(t, url)
	rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, fmt.Sprintf("raw-fault-%d", clientSeq.Add(1))))
	if h, _ := rawRead(t, ws); h.Type != mqttframe.CONNACK {
		t.Fatalf("got %s, want CONNACK", h)
	}
	return ws
}

func rawCommand(t *testing.T, ws *websocket.Conn, cmd fault.Command) {
	t.Helper()
	msg, err := cmd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	rawWrite(t, ws, websocket.MessageText, msg)
}

// wantClose reads until the gateway closes ws and checks code and reason.
func wantClose(t *testing.T, ws *websocket.Conn, code websocket.StatusCode, reason string) {
	t.Helper()
	gotCode, gotReason := readClose(t, ws)
	if gotCode != code || !strings.Contains(gotReason, reason) {
		t.Errorf("close: got %d %q, want %d with %q", gotCode, gotReason, code, reason)
	}
	if !utf8.ValidString(gotReason) || len(gotReason) > 123 {
		t.Errorf("close reason %q (%d bytes): want valid UTF-8 of at most 123 bytes", gotReason, len(gotReason))
	}
}

// testRandom plays PINGREQ/PINGRESP one at a time on a raw connection, so
// that the packets through the gateway alternate up, down, up...: a random
// cut after N packets leaves exactly N/2 PINGRESPs received.
func testRandom(t *testing.T, e *env) {
	for _, cmd := range []fault.Command{
		{Op: fault.OpRandom, Min: 0, Max: 0},
		{Op: fault.OpRandom, Min: 3, Max: 12, Seed: 1},
		{Op: fault.OpRandom, Min: 3, Max: 12, Seed: 2},
		{Op: fault.OpRandom, Min: 3, Max: 12, Seed: 5},
	} {
		n := cmd.Draw()
		t.Run(fmt.Sprintf("seed %d: %d packets", cmd.Seed, n), func(t *testing.T) {
			if n < cmd.Min || n > cmd.Max {
				t.Fatalf("Draw: %d outside [%d,%d]", n, cmd.Min, cmd.Max)
			}
			ws := rawConnect(t, e.url)
			rawCommand(t, ws, cmd)
			for pongs := 0; ; pongs++ {
				rawWrite(t, ws, websocket.MessageBinary, mqtttest.Pingreq.Bytes())
				ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
				typ, msg, err := ws.Read(ctx)
				cancel()
				if err != nil {
					if code := websocket.CloseStatus(err); code != StatusFaultCut || !strings.Contains(err.Error(), cmd.String()) {
						t.Fatalf("after %d PINGRESPs: %v; want close %d %q", pongs, err, StatusFaultCut, cmd.String())
					}
					if pongs != n/2 {
						t.Errorf("cut after %d PINGRESPs, want %d: %d packets let through", pongs, n/2, n)
					}
					return
				}
				if typ != websocket.MessageBinary || len(msg) != 2 || msg[0] != 0xD0 {
					t.Fatalf("got % x, want PINGRESP", msg)
				}
				if pongs > n {
					t.Fatalf("%d PINGRESPs and no cut: %d packets should have been let through", pongs, n)
				}
			}
		})
	}
	t.Run("armed before CONNECT: CONNECT passes, CONNACK is dropped", func(t *testing.T) {
		ws := rawDial(t, e.url)
		cmd := fault.Command{Op: fault.OpRandom, Min: 1, Max: 1}
		rawCommand(t, ws, cmd)
		rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, fmt.Sprintf("random-connect-%d", clientSeq.Add(1))))
		wantClose(t, ws, StatusFaultCut, "random cut after 1 packets")
	})
	t.Run("cut-at before CONNECT: CONNACK is dropped", func(t *testing.T) {
		ws := rawDial(t, e.url)
		rawCommand(t, ws, fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: "CONNACK", When: fault.Before})
		rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, fmt.Sprintf("cutat-connect-%d", clientSeq.Add(1))))
		wantClose(t, ws, StatusFaultCut, "cut before CONNACK (broker→tab)")
	})
}

// testCutNow: a cut is a network failure to the broker, which publishes the
// client's will; before CONNECT it ends the connection all the same.
func testCutNow(t *testing.T, e *env) {
	willTopic := uniqTopic("will")
	watcher, watchRec := connectClient(t, e.url)
	subscribe(t, watcher, willTopic, 1)
	c, rec, _ := faultClient(t, e.url, client.Options{CleanSession: true,
		Will: client.Will{Topic: willTopic, Payload: []byte("cut off"), QoS: 1}})
	cmd := fault.Command{Op: fault.OpCutNow}
	arm(t, c, cmd)
	waitCut(t, c, rec, cmd)
	wantPayload(t, watchRec.waitMessage(t), "cut off")

	t.Run("before CONNECT", func(t *testing.T) {
		ws := rawDial(t, e.url)
		rawCommand(t, ws, cmd)
		wantClose(t, ws, StatusFaultCut, "cut now")
	})
}

// testClearAndReplace: clear disarms; a new command replaces the armed one.
func testClearAndReplace(t *testing.T, e *env) {
	topic := uniqTopic("clear")
	c, rec, _ := faultClient(t, e.url, client.Options{CleanSession: true})
	subscribe(t, c, topic, 1)
	arm(t, c, fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBLISH", When: fault.Before})
	arm(t, c, fault.Command{Op: fault.OpClear})
	if err := c.Publish(topic, []byte("after clear"), 1, false); err != nil {
		t.Fatalf("Publish after clear: %v", err)
	}
	wantPayload(t, rec.waitMessage(t), "after clear")

	arm(t, c, fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBLISH", When: fault.Before})
	cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: "SUBACK", When: fault.Before}
	arm(t, c, cmd) // replaces the PUBLISH one
	if err := c.Publish(topic, []byte("after replace"), 1, false); err != nil {
		t.Fatalf("Publish after the command was replaced: %v", err)
	}
	wantPayload(t, rec.waitMessage(t), "after replace")
	if _, err := c.Subscribe(uniqTopic("clear-sub"), 0); err == nil {
		t.Errorf("Subscribe: got no error, want the SUBACK dropped by the cut")
	}
	waitCut(t, c, rec, cmd)
}

// testIsolation: a command acts on the connection that carried it only,
// whatever the other connections' client ids.
func testIsolation(t *testing.T, e *env) {
	topic := uniqTopic("iso")
	base := fmt.Sprintf("learner-%d", clientSeq.Add(1))
	a, aRec, _ := faultClient(t, e.url, client.Options{ClientID: base + "-a", CleanSession: true})
	b, bRec, _ := faultClient(t, e.url, client.Options{ClientID: base + "-b", CleanSession: true})
	subscribe(t, a, topic+"/a", 1)
	subscribe(t, b, topic+"/b", 1)

	// A arms a cut before its next PUBLISH; B's PUBLISHes pass.
	cmdA := fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBLISH", When: fault.Before}
	arm(t, a, cmdA)
	for i := range 3 {
		if err := b.Publish(topic+"/b", []byte(fmt.Sprint("b ", i)), 1, false); err != nil {
			t.Fatalf("B publishes while A is armed: %v", err)
		}
		wantPayload(t, bRec.waitMessage(t), fmt.Sprint("b ", i))
	}
	// A's cut ends A only.
	if _, err := a.PublishAsync(topic+"/a", []byte("a"), 1, false); err != nil {
		t.Fatal(err)
	}
	waitCut(t, a, aRec, cmdA)
	if err := b.Publish(topic+"/b", []byte("b after"), 1, false); err != nil {
		t.Fatalf("B publishes after A's cut: %v", err)
	}
	wantPayload(t, bRec.waitMessage(t), "b after")
	if got := b.State(); got != client.Connected {
		t.Errorf("B's state after A's cut: %q", got)
	}

	// A command cannot name another connection: the attempt is a bad
	// command that ends the connection that sent it, and no other.
	ws := rawConnect(t, e.url)
	rawWrite(t, ws, websocket.MessageText, []byte(fmt.Sprintf(`{"op":"cut-now","client_id":%q}`, base+"-b")))
	wantClose(t, ws, websocket.StatusPolicyViolation, `unknown field "client_id"`)
	ws = rawConnect(t, e.url)
	rawCommand(t, ws, fault.Command{Op: fault.OpCutNow})
	wantClose(t, ws, StatusFaultCut, "cut now")
	if err := b.Publish(topic+"/b", []byte("b still"), 1, false); err != nil {
		t.Fatalf("B publishes after the others' commands: %v", err)
	}
	wantPayload(t, bRec.waitMessage(t), "b still")
}

// testBadCommands: a command that does not parse closes its own connection
// with 1008 and a reason saying why; with faults off, any text message
// closes with 1003.
func testBadCommands(t *testing.T, e *env, b broker.Broker) {
	h := newHealthy(t, e.url)
	tests := []struct {
		scenario string
		msg      string
		want     string
	}{
		{"not JSON", "cut it now", "bad fault command: not a JSON command"},
		{"unknown op", `{"op":"cut-later"}`, `bad fault command: unknown op "cut-later"`},
		{"packet the wrong way", `{"op":"cut-at","dir":"up","packet":"SUBACK","when":"before"}`,
			"bad fault command: a SUBACK only goes broker→tab, never tab→broker"},
		{"too long", `{"op":"clear","x":"` + strings.Repeat("y", 2000) + `"}`, "bad fault command: more than 1024 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			ws := rawConnect(t, e.url)
			rawWrite(t, ws, websocket.MessageText, []byte(tc.msg))
			wantClose(t, ws, websocket.StatusPolicyViolation, tc.want)
			h.roundTrip(t)
		})
	}
	t.Run("before CONNECT", func(t *testing.T) {
		ws := rawDial(t, e.url)
		rawWrite(t, ws, websocket.MessageText, []byte(`{"op":"random","min":9,"max":1}`))
		wantClose(t, ws, websocket.StatusPolicyViolation, "bad fault command: random max 1 is less than min 9")
		h.roundTrip(t)
	})
	t.Run("faults off: a valid command closes with 1003", func(t *testing.T) {
		off := newEnv(t, Config{BrokerAddr: b.Addr()})
		ws := rawConnect(t, off.url)
		rawCommand(t, ws, fault.Command{Op: fault.OpCutNow})
		wantClose(t, ws, websocket.StatusUnsupportedData, "binary")
		h.roundTrip(t)
	})
}

// TestForwardAllocs: with no fault armed, relaying a packet allocates
// nothing, either way.
func TestForwardAllocs(t *testing.T) {
	// The broker side: a TCP peer that reads and discards.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 64<<10)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	}()
	tcp, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()

	// The browser side: the gateway's end of a WebSocket, whose other end
	// reads and discards.
	accepted := make(chan *websocket.Conn, 1)
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		accepted <- ws
		<-done
	}))
	defer srv.Close()
	defer close(done)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	browser, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer browser.CloseNow()
	go func() {
		buf := make([]byte, 64<<10)
		for {
			_, r, err := browser.Reader(context.Background())
			if err != nil {
				return
			}
			for {
				if _, err := r.Read(buf); err != nil {
					break
				}
			}
		}
	}()
	ws := <-accepted
	defer ws.CloseNow()

	g := New(Config{BrokerAddr: l.Addr().String(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Faults: true})
	rl := &relay{g: g, ws: ws, log: g.log, tcp: tcp, wsClosed: make(chan struct{})}
	rl.writeTimer = time.AfterFunc(time.Hour, func() { rl.ws.CloseNow() })
	rl.writeTimer.Stop()
	defer rl.writeTimer.Stop()

	pp := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pp.Qos, pp.MessageID, pp.TopicName, pp.Payload = 1, 7, "alloc/test", make([]byte, 200)
	pkt := mqttframe.Encode(pp)
	h, _, err := mqttframe.ParseHeader(pkt)
	if err != nil {
		t.Fatal(err)
	}
	relayBoth := func() {
		for _, dir := range []fault.Dir{fault.Up, fault.Down} {
			if why, end := rl.forward(dir, h, pkt); end {
				t.Fatalf("forward %s: %v", dir, why)
			}
		}
	}
	relayBoth() // warm up: buffers, first writes
	if allocs := testing.AllocsPerRun(500, relayBoth); allocs != 0 {
		t.Errorf("relaying a packet each way with nothing armed: %.2f allocations, want 0", allocs)
	}

	// Armed, the packets pass through the fault's lock and counts; they
	// are still relayed.
	rl.faults.armed.Store(newArmedFault(fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "SUBSCRIBE", When: fault.Before}))
	relayBoth()
	if got := rl.faults.armed.Load().seen; got != 2 {
		t.Errorf("armed: %d packets counted, want 2", got)
	}
}
