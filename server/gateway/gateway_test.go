package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/client"
	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
	"qosplayground/internal/eventrec"
	"qosplayground/internal/testenv"
	"qosplayground/server/broker"
)

// waitTimeout bounds every wait for something that should happen at once.
const waitTimeout = 10 * time.Second

// startBroker starts a broker of the given kind for the test.
func startBroker(t *testing.T, spec string) broker.Broker {
	t.Helper()
	if spec == "mosquitto" {
		testenv.NeedMosquitto(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.Config{Spec: spec, DataDir: t.TempDir(), Logger: testenv.Logger(t)})
	if err != nil {
		t.Fatalf("broker.Start(%q): %v", spec, err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("closing the %s broker: %v", spec, err)
		}
	})
	return b
}

// env is a Gateway behind an HTTP test server.
type env struct {
	gw  *Gateway
	srv *httptest.Server
	url string // ws://127.0.0.1:port/mqtt
}

// newEnv serves a Gateway with cfg at /mqtt. At cleanup it closes the
// gateway and checks that no relay goroutine is left.
func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = testenv.Logger(t)
	}
	gw := New(cfg)
	mux := http.NewServeMux()
	mux.Handle("/mqtt", gw)
	srv := httptest.NewServer(mux)
	e := &env{gw: gw, srv: srv, url: "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt"}
	liveEnvs.Add(1)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		if err := gw.Close(ctx); err != nil {
			t.Errorf("Gateway.Close: %v", err)
		}
		srv.Close()
		if n := gw.Conns(); n != 0 {
			t.Errorf("Conns after Close: got %d, want 0", n)
		}
		// Goroutines are counted process-wide: check only when no other
		// gateway (of an enclosing test) is still serving.
		if liveEnvs.Add(-1) == 0 {
			checkNoRelayGoroutines(t)
		}
	})
	return e
}

// liveEnvs counts the envs not cleaned up yet.
var liveEnvs atomic.Int32

// relayGoroutines returns the stacks of goroutines running the gateway's
// relay code or a coder/websocket connection.
func relayGoroutines() []string {
	return goroutinesWith("server/gateway.(*relay)", "server/gateway.(*Gateway).ServeHTTP",
		"server/gateway.(*messageStream)", "github.com/coder/websocket.")
}

// goroutinesWith returns the stacks of the goroutines whose stack holds
// any of marks.
func goroutinesWith(marks ...string) []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var found []string
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		for _, m := range marks {
			if strings.Contains(g, m) {
				found = append(found, g)
				break
			}
		}
	}
	return found
}

// checkNoRelayGoroutines waits a bounded time for every relay goroutine to
// end, and fails the test with their stacks if some remain.
func checkNoRelayGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		leaks := relayGoroutines()
		if len(leaks) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d gateway or websocket goroutines still running after every connection closed:\n%s",
				len(leaks), strings.Join(leaks, "\n\n"))
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// recorder collects a client's events. Its on method never blocks. The
// recording is internal/eventrec's (shared with app/client's tests); these
// few lines keep the method names the tests call.
type recorder struct {
	*eventrec.Recorder[client.Event, client.Message, client.State]
}

func newRecorder() *recorder {
	return &recorder{eventrec.New(waitTimeout,
		func(ev client.Event) (client.Message, bool) { return ev.Message, ev.Kind == client.EventMessage },
		func(ev client.Event) client.State { return ev.State })}
}

func (r *recorder) on(ev client.Event)                      { r.On(ev) }
func (r *recorder) waitMessage(t *testing.T) client.Message { t.Helper(); return r.WaitMessage(t) }
func (r *recorder) waitState(t *testing.T, s client.State) client.Event {
	t.Helper()
	return r.WaitState(t, s)
}

var clientSeq atomic.Int64

// connectClient connects a playground client (paho over app/transport) to
// the gateway and disconnects it at cleanup.
func connectClient(t *testing.T, url string) (*client.Client, *recorder) {
	t.Helper()
	rec := newRecorder()
	c, err := client.New(client.Options{
		URL:          url,
		ClientID:     fmt.Sprintf("gwtest-%d", clientSeq.Add(1)),
		CleanSession: true,
		Timeout:      5 * time.Second,
		// Larger than any gateway limit here: these tests play a client
		// that does not know the server's limit, which the gateway must
		// enforce by itself.
		MaxPacket: 16 << 20,
	}, rec.on)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	if _, err := c.Connect(); err != nil {
		t.Fatalf("Connect to %s: %v", url, err)
	}
	t.Cleanup(c.Disconnect)
	return c, rec
}

// healthy is a second, well-behaved connection that must keep working while
// another connection is refused.
type healthy struct {
	c     *client.Client
	rec   *recorder
	topic string
	n     int
}

func newHealthy(t *testing.T, url string) *healthy {
	t.Helper()
	c, rec := connectClient(t, url)
	h := &healthy{c: c, rec: rec, topic: fmt.Sprintf("health/%d", clientSeq.Add(1))}
	if _, err := c.Subscribe(h.topic, 1); err != nil {
		t.Fatalf("healthy connection: Subscribe: %v", err)
	}
	return h
}

// roundTrip publishes at QoS 1 to itself and waits for the message.
func (h *healthy) roundTrip(t *testing.T) {
	t.Helper()
	h.n++
	payload := fmt.Sprintf("still alive %d", h.n)
	if err := h.c.Publish(h.topic, []byte(payload), 1, false); err != nil {
		t.Fatalf("healthy connection: Publish: %v", err)
	}
	m := h.rec.waitMessage(t)
	if m.Topic != h.topic || string(m.Payload) != payload || m.QoS != 1 {
		t.Fatalf("healthy connection: got %q %q QoS %d, want %q %q QoS 1", m.Topic, m.Payload, m.QoS, h.topic, payload)
	}
}

// subackPacket returns the SUBACK of packet id id with the given return codes.
func subackPacket(id uint16, codes ...byte) []byte {
	p := packets.NewControlPacket(packets.Suback).(*packets.SubackPacket)
	p.MessageID, p.ReturnCodes = id, codes
	return mqttframe.Encode(p)
}

func connectPacket(t *testing.T, clientID string) []byte {
	p := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	p.ProtocolName, p.ProtocolVersion = "MQTT", 4
	p.CleanSession, p.Keepalive, p.ClientIdentifier = true, 30, clientID
	return mqttframe.Encode(p)
}

// rawDial opens a WebSocket to the gateway with coder/websocket directly,
// offering the mqtt subprotocol.
func rawDial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"mqtt"}})
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	if got := ws.Subprotocol(); got != "mqtt" {
		t.Errorf("negotiated subprotocol: got %q, want mqtt", got)
	}
	ws.SetReadLimit(1 << 20)
	t.Cleanup(func() { ws.CloseNow() })
	return ws
}

func rawWrite(t *testing.T, ws *websocket.Conn, typ websocket.MessageType, p []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := ws.Write(ctx, typ, p); err != nil {
		t.Fatalf("write % x: %v", p, err)
	}
}

// rawRead returns the next MQTT packet from the gateway. A binary message
// may hold several packets that arrived together (brokerToBrowser), but
// only whole ones: rawRead keeps the rest for its next call, and fails on
// a message that ends inside a packet.
func rawRead(t *testing.T, ws *websocket.Conn) (mqttframe.Header, []byte) {
	t.Helper()
	v, _ := unread.LoadOrStore(ws, new([]byte))
	buf := v.(*[]byte)
	for len(*buf) == 0 {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		typ, msg, err := ws.Read(ctx)
		cancel()
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if typ != websocket.MessageBinary {
			t.Fatalf("got a %v message, want binary", typ)
		}
		for r, rest := mqttframe.NewReader(bytes.NewReader(msg), 0, 0), len(msg); rest > 0; {
			_, pkt, err := r.Next()
			if err != nil {
				t.Fatalf("message % x does not hold whole MQTT packets: %v", msg, err)
			}
			rest -= len(pkt)
		}
		*buf = msg
	}
	h, pkt, err := mqttframe.NewReader(bytes.NewReader(*buf), 0, 0).Next()
	if err != nil {
		t.Fatal(err)
	}
	pkt = bytes.Clone(pkt)
	*buf = (*buf)[len(pkt):]
	return h, pkt
}

// unread holds, per WebSocket, the packets of a message rawRead has not
// returned yet.
var unread sync.Map // *websocket.Conn → *[]byte

// readClose reads until the gateway closes the WebSocket and returns the
// close code and reason.
func readClose(t *testing.T, ws *websocket.Conn) (websocket.StatusCode, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	for {
		_, msg, err := ws.Read(ctx)
		if err == nil {
			t.Logf("message before the close: % x", msg)
			continue
		}
		var ce websocket.CloseError
		if !errors.As(err, &ce) {
			t.Fatalf("read: got %v, want a close frame", err)
		}
		if code := websocket.CloseStatus(err); code != ce.Code {
			t.Fatalf("CloseStatus %d disagrees with CloseError %d", code, ce.Code)
		}
		return ce.Code, ce.Reason
	}
}

// brokers lists the brokers each gateway test runs against.
var brokers = []string{"mosquitto", "embedded"}

func TestGateway(t *testing.T) {
	for _, spec := range brokers {
		t.Run(spec, func(t *testing.T) {
			b := startBroker(t, spec)
			t.Run("QoS round trips", func(t *testing.T) { testQoSRoundTrips(t, b) })
			t.Run("large payloads", func(t *testing.T) { testLargePayloads(t, b) })
			t.Run("refusals", func(t *testing.T) { testRefusals(t, b) })
			t.Run("split and merged packets", func(t *testing.T) { testSplitAndMerged(t, b) })
			t.Run("close", func(t *testing.T) { testClose(t, b) })
		})
	}
}

func testQoSRoundTrips(t *testing.T, b broker.Broker) {
	e := newEnv(t, Config{BrokerAddr: b.Addr()})
	sub, rec := connectClient(t, e.url)
	pub, _ := connectClient(t, e.url)
	base := fmt.Sprintf("rt/%d", clientSeq.Add(1))
	for subQoS := byte(0); subQoS <= 2; subQoS++ {
		granted, err := sub.Subscribe(fmt.Sprintf("%s/s%d/#", base, subQoS), subQoS)
		if err != nil {
			t.Fatalf("Subscribe at QoS %d: %v", subQoS, err)
		}
		if granted != subQoS {
			t.Errorf("Subscribe at QoS %d: granted %d", subQoS, granted)
		}
	}
	if got, want := e.gw.Conns(), 2; got != want {
		t.Errorf("Conns: got %d, want %d", got, want)
	}
	for subQoS := byte(0); subQoS <= 2; subQoS++ {
		for pubQoS := byte(0); pubQoS <= 2; pubQoS++ {
			t.Run(fmt.Sprintf("publish QoS %d to subscription QoS %d", pubQoS, subQoS), func(t *testing.T) {
				name := fmt.Sprintf("%s/s%d/p%d", base, subQoS, pubQoS)
				payload := []byte(fmt.Sprintf("payload %d/%d \x00\xff", subQoS, pubQoS))
				if err := pub.Publish(name, payload, pubQoS, false); err != nil {
					t.Fatalf("Publish: %v", err)
				}
				m := rec.waitMessage(t)
				want := min(pubQoS, subQoS)
				if m.Topic != name || !bytes.Equal(m.Payload, payload) || m.QoS != want {
					t.Errorf("got %q % x QoS %d, want %q % x QoS %d", m.Topic, m.Payload, m.QoS, name, payload, want)
				}
				if (m.PacketID == 0) != (want == 0) {
					t.Errorf("packet id %d at QoS %d", m.PacketID, want)
				}
			})
		}
	}
}

func testLargePayloads(t *testing.T, b broker.Broker) {
	const maxPacket = 256 << 10
	e := newEnv(t, Config{BrokerAddr: b.Addr(), MaxPacket: maxPacket})
	sub, rec := connectClient(t, e.url)
	pub, pubRec := connectClient(t, e.url)
	name := fmt.Sprintf("large/%d", clientSeq.Add(1))
	if _, err := sub.Subscribe(name, 1); err != nil {
		t.Fatalf("Subscribe: %v", err)
	}

	t.Run("200 KiB passes both ways", func(t *testing.T) {
		payload := make([]byte, 200<<10)
		for i := range payload {
			payload[i] = byte(i * 7)
		}
		for _, qos := range []byte{0, 1, 2} {
			if err := pub.Publish(name, payload, qos, false); err != nil {
				t.Fatalf("Publish 200 KiB at QoS %d: %v", qos, err)
			}
			m := rec.waitMessage(t)
			if m.Topic != name || !bytes.Equal(m.Payload, payload) || m.QoS != min(qos, 1) {
				t.Errorf("QoS %d: got %q, %d bytes (equal=%v), QoS %d", qos, m.Topic, len(m.Payload), bytes.Equal(m.Payload, payload), m.QoS)
			}
		}
	})

	t.Run("a packet from the broker over the limit closes with 1009", func(t *testing.T) {
		// A second gateway on the same broker with a smaller limit: the
		// broker's PUBLISH towards this subscriber is over it.
		small := newEnv(t, Config{BrokerAddr: b.Addr(), MaxPacket: 64 << 10})
		ws := rawDial(t, small.url)
		rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, fmt.Sprintf("small-%d", clientSeq.Add(1))))
		if h, _ := rawRead(t, ws); h.Type != mqttframe.CONNACK {
			t.Fatalf("got %s, want CONNACK", h)
		}
		sp := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
		sp.MessageID, sp.Topics, sp.Qoss = 1, []string{name}, []byte{0}
		rawWrite(t, ws, websocket.MessageBinary, mqttframe.Encode(sp))
		if h, _ := rawRead(t, ws); h.Type != mqttframe.SUBACK {
			t.Fatalf("got %s, want SUBACK", h)
		}
		if err := pub.Publish(name, make([]byte, 100<<10), 0, false); err != nil {
			t.Fatalf("Publish 100 KiB: %v", err)
		}
		rec.waitMessage(t) // the big gateway's subscriber still gets it
		code, reason := readClose(t, ws)
		if code != websocket.StatusMessageTooBig || !strings.Contains(reason, "limit") {
			t.Errorf("close: got %d %q, want %d with a reason mentioning the limit", code, reason, websocket.StatusMessageTooBig)
		}
	})

	t.Run("a packet from the client over the limit ends its connection only", func(t *testing.T) {
		err := pub.Publish(name, make([]byte, maxPacket), 1, false)
		if err == nil {
			t.Errorf("Publish of %d bytes over a %d byte limit: got no error", maxPacket, maxPacket)
		}
		ev := pubRec.waitState(t, client.Disconnected)
		if ev.Err == nil || !strings.Contains(ev.Err.Error(), "limit") {
			t.Errorf("Disconnected event error: got %v, want the gateway's reason naming the limit", ev.Err)
		}
		if got := pub.State(); got != client.Disconnected {
			t.Errorf("publisher state: got %q, want disconnected", got)
		}
		// The subscriber is unaffected.
		other, _ := connectClient(t, e.url)
		if err := other.Publish(name, []byte("after"), 1, false); err != nil {
			t.Fatalf("Publish after: %v", err)
		}
		if m := rec.waitMessage(t); string(m.Payload) != "after" {
			t.Errorf("subscriber got %q (%d bytes), want \"after\"", m.Payload, len(m.Payload))
		}
	})
}

func testRefusals(t *testing.T, b broker.Broker) {
	const maxPacket = 64 << 10
	e := newEnv(t, Config{BrokerAddr: b.Addr(), MaxPacket: maxPacket, ConnectTimeout: 300 * time.Millisecond})
	h := newHealthy(t, e.url)
	h.roundTrip(t)

	t.Run("foreign Origin is refused with 403", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		ws, resp, err := websocket.Dial(ctx, e.url, &websocket.DialOptions{
			Subprotocols: []string{"mqtt"},
			HTTPHeader:   http.Header{"Origin": {"http://evil.example"}},
		})
		if err == nil {
			ws.CloseNow()
			t.Fatalf("dial with a foreign Origin succeeded")
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("got response %v (err %v), want 403", resp, err)
		}
		h.roundTrip(t)
	})

	t.Run("same Origin is allowed", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		ws, _, err := websocket.Dial(ctx, e.url, &websocket.DialOptions{
			Subprotocols: []string{"mqtt"},
			HTTPHeader:   http.Header{"Origin": {e.srv.URL}},
		})
		if err != nil {
			t.Fatalf("dial with the server's own Origin: %v", err)
		}
		ws.Close(websocket.StatusNormalClosure, "")
	})

	t.Run("missing subprotocol is refused with 400", func(t *testing.T) {
		for _, offered := range [][]string{nil, {"mqttv3.1"}, {"chat", "superchat"}} {
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			ws, resp, err := websocket.Dial(ctx, e.url, &websocket.DialOptions{Subprotocols: offered})
			cancel()
			if err == nil {
				ws.CloseNow()
				t.Fatalf("dial offering %q succeeded", offered)
			}
			if resp == nil || resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("offering %q: got response %v (err %v), want 400", offered, resp, err)
			}
			body, _ := io.ReadAll(resp.Body)
			if !strings.Contains(string(body), `"mqtt"`) {
				t.Errorf("offering %q: body %q does not mention \"mqtt\"", offered, body)
			}
		}
		h.roundTrip(t)
	})

	t.Run("plain HTTP GET is refused with 400", func(t *testing.T) {
		resp, err := http.Get(e.srv.URL + "/mqtt")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("got %s, want 400", resp.Status)
		}
	})

	mqtt5 := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	mqtt5.ProtocolName, mqtt5.ProtocolVersion, mqtt5.CleanSession, mqtt5.ClientIdentifier = "MQTT", 5, true, "v5"

	// A protocol name that makes the reason longer than a close frame can
	// carry, with two-byte characters placed so that the cut at 120 bytes
	// would fall inside one.
	longName := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	longName.ProtocolName, longName.ProtocolVersion, longName.CleanSession = "x"+strings.Repeat("é", 60), 4, true

	tooLarge := mqttframe.AppendHeader(nil, mqttframe.PUBLISH<<4, 65536) // over the limit
	tests := []struct {
		scenario   string
		connect    bool // send a valid CONNECT first and read CONNACK
		msgType    websocket.MessageType
		msgs       [][]byte // nil: send nothing
		wantCode   websocket.StatusCode
		wantPrefix string
		wantText   string
		minTime    time.Duration
	}{
		{"garbage bytes first", false, websocket.MessageBinary,
			[][]byte{{0x00, 0xde, 0xad, 0xbe, 0xef, 0x13, 0x37}},
			websocket.StatusProtocolError, "not MQTT", "reserved", 0},
		{"HTTP request as the first message", false, websocket.MessageBinary,
			[][]byte{[]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")},
			websocket.StatusProtocolError, "not MQTT", "", 0},
		{"PINGREQ before CONNECT", false, websocket.MessageBinary,
			[][]byte{mqtttest.Pingreq.Bytes()},
			websocket.StatusProtocolError, "not MQTT", "CONNECT", 0},
		{"MQTT 5 CONNECT", false, websocket.MessageBinary,
			[][]byte{mqttframe.Encode(mqtt5)},
			websocket.StatusProtocolError, "not MQTT", "level 5", 0},
		{"malformed packet after CONNECT", true, websocket.MessageBinary,
			[][]byte{mqtttest.ReservedType15.Bytes()},
			websocket.StatusProtocolError, "not MQTT", "reserved", 0},
		{"CONNECT with a long non-ASCII protocol name", false, websocket.MessageBinary,
			[][]byte{mqttframe.Encode(longName)},
			websocket.StatusProtocolError, "not MQTT", "CONNECT for protocol", 0},
		{"oversized PUBLISH header after CONNECT", true, websocket.MessageBinary,
			[][]byte{tooLarge},
			websocket.StatusMessageTooBig, "", fmt.Sprintf("limit is %d", maxPacket), 0},
		{"oversized CONNECT", false, websocket.MessageBinary,
			[][]byte{mqttframe.AppendHeader(nil, mqttframe.CONNECT<<4, mqttframe.MaxRemainingLength)},
			websocket.StatusMessageTooBig, "", "limit", 0},
		{"text message first", false, websocket.MessageText,
			[][]byte{[]byte("hello")},
			websocket.StatusUnsupportedData, "", "binary", 0},
		{"text message after CONNECT", true, websocket.MessageText,
			[][]byte{[]byte(`{"publish":"x"}`)},
			websocket.StatusUnsupportedData, "", "binary", 0},
		{"nothing sent", false, websocket.MessageBinary,
			nil,
			websocket.StatusPolicyViolation, "", "CONNECT", 250 * time.Millisecond},
		{"half a CONNECT sent", false, websocket.MessageBinary,
			[][]byte{connectPacket(t, "half")[:5]},
			websocket.StatusPolicyViolation, "", "CONNECT", 250 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			ws := rawDial(t, e.url)
			if tc.connect {
				rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, fmt.Sprintf("refusal-%d", clientSeq.Add(1))))
				if hdr, _ := rawRead(t, ws); hdr.Type != mqttframe.CONNACK {
					t.Fatalf("got %s, want CONNACK", hdr)
				}
			}
			start := time.Now()
			for _, m := range tc.msgs {
				rawWrite(t, ws, tc.msgType, m)
			}
			code, reason := readClose(t, ws)
			elapsed := time.Since(start)
			if code != tc.wantCode {
				t.Errorf("close code: got %d (%q), want %d", code, reason, tc.wantCode)
			}
			if !strings.HasPrefix(reason, tc.wantPrefix) || !strings.Contains(reason, tc.wantText) {
				t.Errorf("close reason %q: want prefix %q and text %q", reason, tc.wantPrefix, tc.wantText)
			}
			if !utf8.ValidString(reason) || len(reason) > 123 {
				t.Errorf("close reason %q (%d bytes): want valid UTF-8 of at most 123 bytes", reason, len(reason))
			}
			if elapsed < tc.minTime {
				t.Errorf("closed after %v, want at least %v", elapsed, tc.minTime)
			}
			if elapsed > 5*time.Second {
				t.Errorf("closed after %v: too slow", elapsed)
			}
			h.roundTrip(t)
		})
	}

	t.Run("broker unreachable closes with 1013", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := l.Addr().String()
		l.Close()
		de := newEnv(t, Config{BrokerAddr: dead, ConnectTimeout: 2 * time.Second})
		ws := rawDial(t, de.url)
		rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, "nobroker"))
		code, reason := readClose(t, ws)
		if code != websocket.StatusTryAgainLater || !strings.Contains(reason, "broker") {
			t.Errorf("close: got %d %q, want %d about the broker", code, reason, websocket.StatusTryAgainLater)
		}
		// The playground client reports it as a failed connect.
		rec := newRecorder()
		c, err := client.New(client.Options{URL: de.url, ClientID: "nobroker-paho", CleanSession: true, Timeout: 3 * time.Second}, rec.on)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Connect(); err == nil {
			c.Disconnect()
			t.Errorf("Connect through a gateway without broker: got no error")
		}
		if got := c.State(); got != client.Disconnected {
			t.Errorf("state: got %q, want disconnected", got)
		}
		h.roundTrip(t)
	})
}

func testSplitAndMerged(t *testing.T, b broker.Broker) {
	e := newEnv(t, Config{BrokerAddr: b.Addr()})
	ws := rawDial(t, e.url)

	// CONNECT in three messages: the first byte alone, then the length
	// and part of the variable header, then the rest.
	connect := connectPacket(t, fmt.Sprintf("split-%d", clientSeq.Add(1)))
	for _, piece := range [][]byte{connect[:1], connect[1:6], connect[6:]} {
		rawWrite(t, ws, websocket.MessageBinary, piece)
	}
	if _, msg := rawRead(t, ws); !bytes.Equal(msg, mqtttest.ConnackAccepted.Bytes()) {
		t.Fatalf("got % x, want CONNACK 20 02 00 00", msg)
	}

	// SUBSCRIBE and PUBLISH in one message.
	name := fmt.Sprintf("split/%d", clientSeq.Add(1))
	sp := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	sp.MessageID, sp.Topics, sp.Qoss = 1, []string{name}, []byte{1}
	pp := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pp.Qos, pp.MessageID, pp.TopicName, pp.Payload = 1, 2, name, []byte("merged")
	rawWrite(t, ws, websocket.MessageBinary, append(mqttframe.Encode(sp), mqttframe.Encode(pp)...))

	if _, msg := rawRead(t, ws); !bytes.Equal(msg, subackPacket(1, 0x01)) {
		t.Fatalf("got % x, want SUBACK 90 03 00 01 01", msg)
	}
	// PUBACK for our PUBLISH and the broker's PUBLISH to us, in either
	// order.
	var gotPuback bool
	var delivered *packets.PublishPacket
	for i := 0; i < 2; i++ {
		hdr, msg := rawRead(t, ws)
		switch hdr.Type {
		case mqttframe.PUBACK:
			if !bytes.Equal(msg, mqttframe.Ack(mqttframe.PUBACK, 2)) {
				t.Errorf("got PUBACK % x, want 40 02 00 02", msg)
			}
			gotPuback = true
		case mqttframe.PUBLISH:
			cp, err := packets.ReadPacket(bytes.NewReader(msg))
			if err != nil {
				t.Fatalf("decoding PUBLISH % x: %v", msg, err)
			}
			delivered = cp.(*packets.PublishPacket)
		default:
			t.Fatalf("got %s % x, want PUBACK or PUBLISH", hdr, msg)
		}
	}
	if !gotPuback || delivered == nil {
		t.Fatalf("got PUBACK %v and PUBLISH %v, want both", gotPuback, delivered)
	}
	if delivered.TopicName != name || string(delivered.Payload) != "merged" || delivered.Qos != 1 {
		t.Errorf("delivered %q %q QoS %d, want %q \"merged\" QoS 1", delivered.TopicName, delivered.Payload, delivered.Qos, name)
	}

	// Acknowledge it, ping in the same message as the PUBACK, and get the
	// PINGRESP.
	ack := packets.NewControlPacket(packets.Puback).(*packets.PubackPacket)
	ack.MessageID = delivered.MessageID
	rawWrite(t, ws, websocket.MessageBinary, append(mqttframe.Encode(ack), mqtttest.Pingreq.Bytes()...))
	if _, msg := rawRead(t, ws); !bytes.Equal(msg, mqtttest.Pingresp.Bytes()) {
		t.Fatalf("got % x, want PINGRESP d0 00", msg)
	}

	// Twenty QoS 0 PUBLISHes in one message come back in order, in whole
	// packets, however the broker's TCP stream happens to be cut and the
	// gateway gathers them into messages.
	var burst []byte
	for i := range 20 {
		p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		p.TopicName, p.Payload = name, []byte(fmt.Sprintf("burst %02d", i))
		burst = append(burst, mqttframe.Encode(p)...)
	}
	rawWrite(t, ws, websocket.MessageBinary, burst)
	for i := range 20 {
		hdr, msg := rawRead(t, ws)
		if hdr.Type != mqttframe.PUBLISH {
			t.Fatalf("burst message %d: got %s, want PUBLISH", i, hdr)
		}
		cp, err := packets.ReadPacket(bytes.NewReader(msg))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(cp.(*packets.PublishPacket).Payload), fmt.Sprintf("burst %02d", i); got != want {
			t.Fatalf("burst message %d: got %q, want %q", i, got, want)
		}
	}

	// DISCONNECT: the broker closes, and so does the gateway, normally.
	rawWrite(t, ws, websocket.MessageBinary, mqtttest.Disconnect.Bytes())
	code, reason := readClose(t, ws)
	if code != websocket.StatusNormalClosure {
		t.Errorf("close after DISCONNECT: got %d %q, want 1000", code, reason)
	}
}

func testClose(t *testing.T, b broker.Broker) {
	e := newEnv(t, Config{BrokerAddr: b.Addr()})
	c, rec := connectClient(t, e.url)
	ws := rawDial(t, e.url)
	rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, fmt.Sprintf("close-%d", clientSeq.Add(1))))
	if hdr, _ := rawRead(t, ws); hdr.Type != mqttframe.CONNACK {
		t.Fatalf("got %s, want CONNACK", hdr)
	}
	// A WebSocket that has not sent CONNECT yet is closed too.
	idle := rawDial(t, e.url)
	if got, want := e.gw.Conns(), 2; got != want {
		// idle may or may not be counted yet; the two MQTT ones must be.
		if got < want {
			t.Errorf("Conns before Close: got %d, want at least %d", got, want)
		}
	}

	// The raw clients read, as a browser does, so that they answer the
	// gateway's close frame at once.
	type closed struct {
		name   string
		code   websocket.StatusCode
		reason string
	}
	closes := make(chan closed, 2)
	for name, conn := range map[string]*websocket.Conn{"MQTT connection": ws, "idle connection": idle} {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			_, _, err := conn.Read(ctx)
			var ce websocket.CloseError
			errors.As(err, &ce)
			closes <- closed{name, websocket.CloseStatus(err), ce.Reason}
		}()
	}

	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	start := time.Now()
	if err := e.gw.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v with every client answering, want well under 2s", d)
	}
	if n := e.gw.Conns(); n != 0 {
		t.Errorf("Conns after Close: got %d, want 0", n)
	}
	for range 2 {
		c := <-closes
		if c.code != websocket.StatusGoingAway || c.reason == "" {
			t.Errorf("%s: close got %d %q, want 1001 with a reason", c.name, c.code, c.reason)
		}
	}
	ev := rec.waitState(t, client.Disconnected)
	if ev.Err == nil {
		t.Errorf("paho client: Disconnected event without an error")
	}
	if got := c.State(); got != client.Disconnected {
		t.Errorf("paho client state: got %q, want disconnected", got)
	}

	// A new connection after Close is refused: closed with 1001 before any
	// MQTT packet is answered.
	ctx2, cancel2 := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel2()
	late, _, err := websocket.Dial(ctx2, e.url, &websocket.DialOptions{Subprotocols: []string{"mqtt"}})
	if err == nil {
		defer late.CloseNow()
		_ = late.Write(ctx2, websocket.MessageBinary, connectPacket(t, "late"))
		if code, reason := readClose(t, late); code != websocket.StatusGoingAway {
			t.Errorf("connection after Close: got %d %q, want 1001", code, reason)
		}
	}
	if n := e.gw.Conns(); n != 0 {
		t.Errorf("Conns after a refused connection: got %d, want 0", n)
	}
	rec2 := newRecorder()
	c2, err := client.New(client.Options{URL: e.url, ClientID: "late-paho", CleanSession: true, Timeout: 3 * time.Second}, rec2.on)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Connect(); err == nil {
		c2.Disconnect()
		t.Errorf("paho Connect after Close: got no error")
	}
	// Every relay of this (only) gateway has ended, even with the test's
	// own clients not cleaned up yet.
	checkNoRelayGoroutines(t)
}

// TestGatewayCloseDeadline: a client that never answers the close frame
// cannot hold Close beyond its context; its relay still ends afterwards.
func TestGatewayCloseDeadline(t *testing.T) {
	e := newEnv(t, Config{BrokerAddr: "127.0.0.1:1"})
	ws := rawDial(t, e.url) // never reads: never answers the close frame
	deadline := time.Now().Add(waitTimeout)
	for e.gw.Conns() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("Conns: got %d, want 1", e.gw.Conns())
		}
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := e.gw.Close(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "1 connections still open") {
		t.Errorf("Close: got %v, want a deadline error naming 1 open connection", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close returned after %v, want about 300ms", d)
	}
	// The relay gives up waiting for the answer on its own (coder/websocket
	// waits 5 s) and the connection is gone.
	ctx2, cancel2 := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel2()
	if err := e.gw.Close(ctx2); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if code, _ := readClose(t, ws); code != websocket.StatusGoingAway {
		t.Errorf("close code: got %d, want 1001", code)
	}
}

// TestGatewayOrigins checks which Origin headers the handshake accepts.
func TestGatewayOrigins(t *testing.T) {
	e := newEnv(t, Config{BrokerAddr: "127.0.0.1:1", OriginPatterns: []string{"*.example.org"}})
	tests := []struct {
		scenario string
		origin   string // "" sends none
		want     int    // HTTP status of the handshake
	}{
		{"no Origin (not a browser)", "", http.StatusSwitchingProtocols},
		{"the server's own origin", e.srv.URL, http.StatusSwitchingProtocols},
		{"an origin matching a pattern", "https://course.example.org", http.StatusSwitchingProtocols},
		{"a foreign origin", "http://evil.example", http.StatusForbidden},
		{"the pattern's parent domain", "https://example.org", http.StatusForbidden},
		{"same host, other port", "http://127.0.0.1:1", http.StatusForbidden},
		{"opaque origin", "null", http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			opts := &websocket.DialOptions{Subprotocols: []string{"mqtt"}, HTTPHeader: http.Header{}}
			if tc.origin != "" {
				opts.HTTPHeader.Set("Origin", tc.origin)
			}
			ws, resp, err := websocket.Dial(ctx, e.url, opts)
			if ws != nil {
				ws.CloseNow()
			}
			if resp == nil {
				t.Fatalf("no HTTP response: %v", err)
			}
			if resp.StatusCode != tc.want {
				t.Errorf("handshake status: got %d (err %v), want %d", resp.StatusCode, err, tc.want)
			}
		})
	}
}
