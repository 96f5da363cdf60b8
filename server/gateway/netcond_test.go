package gateway

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/client"
	"qosplayground/app/fault"
	"qosplayground/app/mqttframe"
	"qosplayground/app/netcond"
	"qosplayground/internal/testenv"
)

// TestNetConditions measures, end to end through the gateway and a real
// broker, the latency and bandwidth a tab sets on its own connection, and
// that a neighbour's connection is left alone.
func TestNetConditions(t *testing.T) {
	for _, spec := range brokers {
		t.Run(spec, func(t *testing.T) {
			b := startBroker(t, spec)
			e := newEnv(t, Config{BrokerAddr: b.Addr(), Faults: true})
			t.Run("latency each way", func(t *testing.T) { testNetLatency(t, e) })
			t.Run("bandwidth down", func(t *testing.T) { testNetBandwidth(t, e, fault.Down, 200) })
			t.Run("bandwidth up at 56 kbit/s", func(t *testing.T) { testNetBandwidth(t, e, fault.Up, 56) })
			t.Run("jitter keeps order", func(t *testing.T) { testNetJitterOrder(t, e) })
		})
	}
}

// within fails unless got is what the link must take: never less than
// want (less 3 %, the clock's grain), as a link cannot be faster than its
// conditions, and at most tol more (issue 16: latency ±10 %, bandwidth ±15 %); a busy
// machine only makes things later.
func within(t *testing.T, what string, got, want time.Duration, tol float64) {
	t.Helper()
	lo, hi := time.Duration(float64(want)*0.97), time.Duration(float64(want)*(1+tol))
	if got < lo || got > hi {
		t.Errorf("%s: measured %v, want %v, -3 %% +%.0f %% (%v..%v)", what, got, want, tol*100, lo, hi)
	} else {
		t.Logf("%s: measured %v, set %v", what, got, want)
	}
}

// setNet sets the conditions of ws's link and waits until the gateway has
// applied them: the command is fire and forget, and packets the broker
// sends meanwhile would otherwise pass unshaped. A PINGREQ sent after the
// command is read by the same pump after it, so its PINGRESP proves it.
func setNet(t *testing.T, ws *websocket.Conn, c netcond.Conditions) {
	t.Helper()
	rawCommand(t, ws, fault.Command{Op: fault.OpNet, Net: &c})
	rawPing(t, ws)
}

func rawSubscribe(t *testing.T, ws *websocket.Conn, filter string, qos byte) {
	t.Helper()
	p := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	p.MessageID, p.Topics, p.Qoss = 1, []string{filter}, []byte{qos}
	rawWrite(t, ws, websocket.MessageBinary, mqttframe.Encode(p))
	if h, _ := rawRead(t, ws); h.Type != mqttframe.SUBACK {
		t.Fatalf("got %s, want SUBACK", h)
	}
}

func publishPacket(t *testing.T, topic string, payload []byte) []byte {
	p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	p.TopicName, p.Payload = topic, payload
	return mqttframe.Encode(p)
}

// rawPing returns the round trip of a PINGREQ.
func rawPing(t *testing.T, ws *websocket.Conn) time.Duration {
	t.Helper()
	start := time.Now()
	rawWrite(t, ws, websocket.MessageBinary, mqttframe.Encode(packets.NewControlPacket(packets.Pingreq)))
	if h, _ := rawRead(t, ws); h.Type != mqttframe.PINGRESP {
		t.Fatalf("got %s, want PINGRESP", h)
	}
	return time.Since(start)
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func testNetLatency(t *testing.T, e *env) {
	const lat = 250 * time.Millisecond
	shaped, plain := rawConnect(t, e.url), rawConnect(t, e.url)
	up, down := uniqTopic("net-up"), uniqTopic("net-down")
	rawSubscribe(t, plain, up, 0)
	rawSubscribe(t, shaped, down, 0)
	setNet(t, shaped, netcond.Conditions{LatencyMS: int(lat / time.Millisecond)})

	var rtts, ups, downs, neighbour []time.Duration
	for i := range 5 {
		rtts = append(rtts, rawPing(t, shaped))
		neighbour = append(neighbour, rawPing(t, plain))

		start := time.Now()
		rawWrite(t, shaped, websocket.MessageBinary, publishPacket(t, up, fmt.Appendf(nil, "up %d", i)))
		if h, _ := rawRead(t, plain); h.Type != mqttframe.PUBLISH {
			t.Fatalf("got %s, want PUBLISH", h)
		}
		ups = append(ups, time.Since(start))

		start = time.Now()
		rawWrite(t, plain, websocket.MessageBinary, publishPacket(t, down, fmt.Appendf(nil, "down %d", i)))
		if h, _ := rawRead(t, shaped); h.Type != mqttframe.PUBLISH {
			t.Fatalf("got %s, want PUBLISH", h)
		}
		downs = append(downs, time.Since(start))
	}
	within(t, "round trip (PINGREQ → PINGRESP)", median(rtts), 2*lat, 0.10)
	within(t, "one way tab → broker (PUBLISH to a neighbour)", median(ups), lat, 0.10)
	within(t, "one way broker → tab (PUBLISH from a neighbour)", median(downs), lat, 0.10)
	if m := median(neighbour); m > lat/5 {
		t.Errorf("the neighbour's round trip is %v: the conditions of one tab reached another", m)
	}

	// Back to a perfect link: the delay goes.
	setNet(t, shaped, netcond.Conditions{})
	if rtt := rawPing(t, shaped); rtt > lat/5 {
		t.Errorf("round trip after the conditions were cleared: %v", rtt)
	}
}

// testNetBandwidth sends about 1.6 s of data through a link of kbps in
// direction dir and measures how long the last byte takes.
func testNetBandwidth(t *testing.T, e *env, dir fault.Dir, kbps int) {
	shaped, plain := rawConnect(t, e.url), rawConnect(t, e.url)
	topic := uniqTopic("net-bw")
	from, to := shaped, plain
	c := netcond.Conditions{UpKbps: kbps}
	if dir == fault.Down {
		from, to = plain, shaped
		c = netcond.Conditions{DownKbps: kbps}
	}
	rawSubscribe(t, to, topic, 0)
	setNet(t, shaped, c)

	// 1.6 s of payload at kbps, in packets of about 1/8 s each.
	total := kbps * 1000 / 8 * 16 / 10
	n := 8
	var pkts [][]byte
	wire := 0
	for i := range n {
		p := publishPacket(t, topic, fmt.Appendf(make([]byte, 0, total/n), "%0*d", total/n, i))
		pkts = append(pkts, p)
		wire += len(p)
	}
	start := time.Now()
	for _, p := range pkts {
		rawWrite(t, from, websocket.MessageBinary, p)
	}
	got := 0
	for range n {
		h, pkt := rawRead(t, to)
		if h.Type != mqttframe.PUBLISH {
			t.Fatalf("got %s, want PUBLISH", h)
		}
		got += len(pkt)
	}
	took := time.Since(start)
	if got != wire {
		t.Fatalf("%d bytes of PUBLISH arrived, %d sent", got, wire)
	}
	// The bytes on the shaped link are the same PUBLISH packets.
	within(t, fmt.Sprintf("%d bytes at %d kbit/s %s", wire, kbps, dir.Arrow()), took, netcond.Transmit(wire, kbps), 0.15)
	t.Logf("measured rate: %.1f kbit/s", float64(wire)*8/took.Seconds()/1000)
}

// testNetJitterOrder sends a numbered stream through a link with a jitter
// as large as its latency: every message arrives, in order.
func testNetJitterOrder(t *testing.T, e *env) {
	shaped, plain := rawConnect(t, e.url), rawConnect(t, e.url)
	topic := uniqTopic("net-jitter")
	rawSubscribe(t, plain, topic, 0)
	setNet(t, shaped, netcond.Conditions{LatencyMS: 100, JitterMS: 100})
	const n = 50
	for i := range n {
		rawWrite(t, shaped, websocket.MessageBinary, publishPacket(t, topic, fmt.Appendf(nil, "%03d", i)))
		time.Sleep(5 * time.Millisecond) // spread out: each packet draws its own delay
	}
	for i := range n {
		h, pkt := rawRead(t, plain)
		if h.Type != mqttframe.PUBLISH {
			t.Fatalf("got %s, want PUBLISH", h)
		}
		p, err := packets.ReadPacket(bytesReader(pkt))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(p.(*packets.PublishPacket).Payload), fmt.Sprintf("%03d", i); got != want {
			t.Fatalf("message %d: got %q: the jitter reordered the stream", i, got)
		}
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// TestClientSetNetwork: the page's client sets conditions on its live
// connection and sends them again, before CONNECT, on each new one.
func TestClientSetNetwork(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := startBroker(t, "mosquitto")
	e := newEnv(t, Config{BrokerAddr: b.Addr(), Faults: true})
	const lat = 200 * time.Millisecond
	c, rec, _ := faultClient(t, e.url, client.Options{CleanSession: true})
	topic := uniqTopic("net-client")
	publish := func() time.Duration {
		t.Helper()
		start := time.Now()
		if err := c.Publish(topic, []byte("x"), 1, false); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		return time.Since(start)
	}
	if d := publish(); d > lat/4 {
		t.Fatalf("QoS 1 round trip before any conditions: %v", d)
	}
	if err := c.SetNetwork(netcond.Preset{Conditions: netcond.Conditions{LatencyMS: int(lat / time.Millisecond)}}); err != nil {
		t.Fatal(err)
	}
	within(t, "QoS 1 PUBLISH → PUBACK", median([]time.Duration{publish(), publish(), publish()}), 2*lat, 0.10)

	// A new connection carries them from its CONNECT on.
	cut := fault.Command{Op: fault.OpCutNow}
	arm(t, c, cut)
	waitCut(t, c, rec, cut)
	start := time.Now()
	if _, err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	// Connect's time holds the dial and the WebSocket's handshake too,
	// which the conditions do not slow (they start with the connection's
	// first MQTT packet): at least the round trip proves CONNECT and CONNACK
	// were shaped; the link's precision is the next line's.
	if d := time.Since(start); d < 2*lat*97/100 {
		t.Errorf("CONNECT → CONNACK on the next connection: %v, want the set round trip %v at least: the conditions missed CONNECT", d, 2*lat)
	} else {
		t.Logf("CONNECT → CONNACK on the next connection (dial and handshake included): %v, set %v", d, 2*lat)
	}
	within(t, "QoS 1 PUBLISH → PUBACK on the next connection", median([]time.Duration{publish(), publish(), publish()}), 2*lat, 0.10)

	// A perfect link again.
	if err := c.SetNetwork(netcond.Preset{}); err != nil {
		t.Fatal(err)
	}
	if d := publish(); d > lat/4 {
		t.Errorf("QoS 1 round trip after a perfect link was set: %v", d)
	}
}

// TestClientNetworkCuts: a preset that drops the connection (the factory
// floor) arms a random cut on every connection.
func TestClientNetworkCuts(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := startBroker(t, "mosquitto")
	e := newEnv(t, Config{BrokerAddr: b.Addr(), Faults: true})
	c, rec, _ := faultClient(t, e.url, client.Options{CleanSession: true})
	p := netcond.Preset{Conditions: netcond.Conditions{LatencyMS: 5}, CutMin: 4, CutMax: 4}
	if err := c.SetNetwork(p); err != nil {
		t.Fatal(err)
	}
	topic := uniqTopic("net-cuts")
	// Four packets pass, the fifth is dropped and the connection cut: on
	// the first connection two PUBLISH and their PUBACK; on the next ones,
	// armed before CONNECT, CONNECT and CONNACK count too.
	for round, want := range []int{2, 1, 1} {
		ok := 0
		for c.Publish(topic, []byte("x"), 1, false) == nil {
			ok++
			if ok > 10 {
				t.Fatalf("round %d: no cut after %d publishes", round, ok)
			}
		}
		if ok != want {
			t.Errorf("round %d: %d publishes acknowledged before the cut, want %d", round, ok, want)
		}
		ev := rec.waitState(t, client.Disconnected)
		if code := websocket.CloseStatus(ev.Err); code != StatusFaultCut {
			t.Fatalf("round %d: lost with %v, want the random cut", round, ev.Err)
		}
		if _, err := c.Connect(); err != nil {
			t.Fatal(err)
		}
	}
}

// netcondGoroutines counts the goroutines running network condition
// stages or their writers.
func netcondGoroutines() int {
	return len(goroutinesWith("qosplayground/app/netcond.", "gateway.(*relay).startLink"))
}

// TestNetOffCostsNothing: a connection that never sends "net" runs no
// stage and no writer (and TestForwardAllocs: no allocation per packet);
// one that does runs them until it closes.
func TestNetOffCostsNothing(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := startBroker(t, "mosquitto")
	e := newEnv(t, Config{BrokerAddr: b.Addr(), Faults: true})
	plain := rawConnect(t, e.url)
	rawPing(t, plain)
	if n := netcondGoroutines(); n != 0 {
		t.Fatalf("%d network condition goroutines with no conditions set", n)
	}
	shaped := rawConnect(t, e.url)
	setNet(t, shaped, netcond.Conditions{LatencyMS: 1})
	rawPing(t, shaped)
	if n := netcondGoroutines(); n != 6 {
		t.Errorf("%d network condition goroutines for one shaped connection, want 6 (2 stages and a writer each way)", n)
	}
	shaped.Close(websocket.StatusNormalClosure, "")
	deadline := time.Now().Add(waitTimeout)
	for netcondGoroutines() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d network condition goroutines left after the shaped connection closed", netcondGoroutines())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
