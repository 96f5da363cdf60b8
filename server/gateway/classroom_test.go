package gateway

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/classroom"
	"qosplayground/app/client"
	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
	"qosplayground/app/topic"
	"qosplayground/server/broker"
)

// observer is a plain paho client on the broker's TCP port, behind no
// gateway: it sees the topics as the broker has them.
type observer struct {
	mu   sync.Mutex
	msgs []mqtt.Message
	got  chan struct{}
}

func observe(t *testing.T, b broker.Broker, filters ...string) *observer {
	t.Helper()
	o := &observer{got: make(chan struct{}, 1)}
	opts := mqtt.NewClientOptions().AddBroker("tcp://" + b.Addr()).
		SetClientID(fmt.Sprintf("observer-%d", clientSeq.Add(1))).SetCleanSession(true).
		SetAutoReconnect(false).SetOrderMatters(true)
	c := mqtt.NewClient(opts)
	if tok := c.Connect(); !tok.WaitTimeout(waitTimeout) || tok.Error() != nil {
		t.Fatalf("observer: connect to %s: %v", b.Addr(), tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	for _, f := range filters {
		tok := c.Subscribe(f, 1, func(_ mqtt.Client, m mqtt.Message) {
			o.mu.Lock()
			o.msgs = append(o.msgs, m)
			o.mu.Unlock()
			select {
			case o.got <- struct{}{}:
			default:
			}
		})
		if !tok.WaitTimeout(waitTimeout) || tok.Error() != nil {
			t.Fatalf("observer: subscribe %q: %v", f, tok.Error())
		}
	}
	return o
}

// waitFor waits until the observer has seen a message with payload, and
// returns every topic it saw up to and including that one.
func (o *observer) waitFor(t *testing.T, payload string) []string {
	t.Helper()
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	for {
		o.mu.Lock()
		var topics []string
		for i, m := range o.msgs {
			topics = append(topics, m.Topic())
			if string(m.Payload()) == payload {
				o.msgs = o.msgs[i+1:]
				o.mu.Unlock()
				return topics
			}
		}
		o.mu.Unlock()
		select {
		case <-o.got:
		case <-timer.C:
			t.Fatalf("observer: no message %q within %v (saw %q)", payload, waitTimeout, topics)
		}
	}
}

// learner is one tab in classroom mode: its token and a playground client.
type learner struct {
	token   string
	c       *client.Client
	rec     *recorder
	notices chan classroom.Notice
}

// classroomURL is the gateway's URL with a learner token and a room.
func classroomURL(base, token, room string) string {
	q := url.Values{classroom.LearnerParam: {token}}
	if room != "" {
		q.Set(classroom.RoomParam, room)
	}
	return base + "?" + q.Encode()
}

// newLearner connects a playground client for a new tab with client id
// IDPrefix(token)+suffix.
func newLearner(t *testing.T, base, room, suffix string, clean bool) *learner {
	t.Helper()
	l := &learner{token: classroom.NewToken(), rec: newRecorder(), notices: make(chan classroom.Notice, 16)}
	c, err := client.New(client.Options{
		URL:          classroomURL(base, l.token, room),
		ClientID:     classroom.IDPrefix(l.token) + suffix,
		CleanSession: clean,
		Timeout:      5 * time.Second,
	}, func(ev client.Event) {
		if ev.Kind == client.EventNotice {
			n, err := classroom.ParseNotice([]byte(ev.Notice))
			if err != nil {
				t.Errorf("notice %q: %v", ev.Notice, err)
			}
			l.notices <- n
			return
		}
		l.rec.on(ev)
	})
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	if _, err := c.Connect(); err != nil {
		t.Fatalf("learner Connect: %v", err)
	}
	t.Cleanup(c.Disconnect)
	l.c = c
	return l
}

func (l *learner) subscribe(t *testing.T, filter string) {
	t.Helper()
	if _, err := l.c.Subscribe(filter, 1); err != nil {
		t.Fatalf("Subscribe %q: %v", filter, err)
	}
}

func (l *learner) publish(t *testing.T, name, payload string, qos byte) {
	t.Helper()
	if err := l.c.Publish(name, []byte(payload), qos, false); err != nil {
		t.Fatalf("Publish %q at QoS %d: %v", name, qos, err)
	}
}

// waitNotice returns the next notice from the gateway.
func (l *learner) waitNotice(t *testing.T) classroom.Notice {
	t.Helper()
	select {
	case n := <-l.notices:
		return n
	case <-time.After(waitTimeout):
		t.Fatalf("no classroom notice within %v", waitTimeout)
	}
	return classroom.Notice{}
}

// noMessage checks that nothing arrived: it is called after a message sent
// later by the same path has arrived, so anything earlier is there already.
func (l *learner) noMessage(t *testing.T, who string) {
	t.Helper()
	for _, m := range l.rec.Messages() {
		t.Errorf("%s got %q %q, which was not for it", who, m.Topic, m.Payload)
	}
}

func TestClassroom(t *testing.T) {
	for _, spec := range brokers {
		t.Run(spec, func(t *testing.T) {
			b := startBroker(t, spec)
			e := newEnv(t, Config{BrokerAddr: b.Addr(), Classroom: true})
			t.Run("learners apart", func(t *testing.T) { testLearnersApart(t, b, e) })
			t.Run("same room", func(t *testing.T) { testSameRoom(t, b, e) })
			t.Run("foreign client id", func(t *testing.T) { testForeignID(t, e) })
			t.Run("forbidden filters", func(t *testing.T) { testForbiddenFilters(t, b, e) })
			t.Run("forbidden publish", func(t *testing.T) { testForbiddenPublish(t, b, e) })
			t.Run("will", func(t *testing.T) { testClassroomWill(t, b, e) })
			t.Run("broker publish outside the room", func(t *testing.T) { testOutsideRoom(t, b, e) })
			t.Run("no token", func(t *testing.T) { testNoToken(t, e) })
			t.Run("without classroom mode", func(t *testing.T) { testBareTopics(t, b) })
		})
	}
}

// testLearnersApart: two tabs using the same client id and topic, each
// with a persistent session, neither sees the other nor takes its session;
// the broker has both under their prefixes.
func testLearnersApart(t *testing.T, b broker.Broker, e *env) {
	obs := observe(t, b, "#")
	a := newLearner(t, e.url, "", "qos_publisher", false)
	c := newLearner(t, e.url, "", "qos_publisher", false)
	a.subscribe(t, "sensor/temp")
	c.subscribe(t, "sensor/temp")
	a.publish(t, "sensor/temp", "from a", 1)
	c.publish(t, "sensor/temp", "from c", 1)
	if m := a.rec.waitMessage(t); m.Topic != "sensor/temp" || string(m.Payload) != "from a" {
		t.Errorf("a got %q %q, want sensor/temp \"from a\"", m.Topic, m.Payload)
	}
	if m := c.rec.waitMessage(t); m.Topic != "sensor/temp" || string(m.Payload) != "from c" {
		t.Errorf("c got %q %q, want sensor/temp \"from c\"", m.Topic, m.Payload)
	}
	// Each learner's own message came back after the other's was
	// published; a QoS 1 round trip more makes sure nothing else is on
	// its way.
	a.publish(t, "sensor/temp", "a again", 1)
	c.publish(t, "sensor/temp", "c again", 1)
	a.rec.waitMessage(t)
	c.rec.waitMessage(t)
	a.noMessage(t, "learner a")
	c.noMessage(t, "learner c")

	// The broker has the topics under each tab's private room.
	wantA := "classroom/tab/" + classroom.TabID(a.token) + "/sensor/temp"
	wantC := "classroom/tab/" + classroom.TabID(c.token) + "/sensor/temp"
	seen := strings.Join(obs.waitFor(t, "c again"), " ")
	if !strings.Contains(seen, wantA) || !strings.Contains(seen, wantC) || strings.Contains(seen, " sensor/temp") || strings.HasPrefix(seen, "sensor/temp") {
		t.Errorf("the broker saw topics %q, want %q and %q and no bare sensor/temp", seen, wantA, wantC)
	}

	// Both are still connected: the second did not take the first's
	// session, the ids differ at the broker.
	if a.c.State() != client.Connected || c.c.State() != client.Connected {
		t.Fatalf("states: a %q, c %q; want both connected", a.c.State(), c.c.State())
	}
	// The broker knows a by its prefixed id: a client dialling the broker
	// directly (no gateway, no rules) with that id takes a's session.
	direct := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("tcp://" + b.Addr()).
		SetClientID(classroom.IDPrefix(a.token) + "qos_publisher").SetCleanSession(false).SetAutoReconnect(false))
	if tok := direct.Connect(); !tok.WaitTimeout(waitTimeout) || tok.Error() != nil {
		t.Fatalf("direct connect: %v", tok.Error())
	} else if !tok.(*mqtt.ConnectToken).SessionPresent() {
		t.Errorf("direct connect with a's prefixed id: no session present, want a's session")
	}
	defer direct.Disconnect(100)
	if ev := a.rec.waitState(t, client.Disconnected); ev.Err == nil {
		t.Errorf("a: Disconnected without an error after its id was taken at the broker")
	}
	if c.c.State() != client.Connected {
		t.Errorf("c: state %q, want connected: only a's id was taken", c.c.State())
	}
}

// testSameRoom: learners given the same room code see each other's
// messages; a learner in another room does not.
func testSameRoom(t *testing.T, b broker.Broker, e *env) {
	obs := observe(t, b, "classroom/room/#")
	a := newLearner(t, e.url, "Blue-7", "playground", true)
	c := newLearner(t, e.url, "blue-7", "playground", true)
	other := newLearner(t, e.url, "red", "playground", true)
	for _, l := range []*learner{a, c, other} {
		l.subscribe(t, "chat/#")
	}
	a.publish(t, "chat/hello", "hi from a", 2)
	for name, l := range map[string]*learner{"a": a, "c": c} {
		if m := l.rec.waitMessage(t); m.Topic != "chat/hello" || string(m.Payload) != "hi from a" {
			t.Errorf("%s got %q %q, want chat/hello \"hi from a\"", name, m.Topic, m.Payload)
		}
	}
	if seen := obs.waitFor(t, "hi from a"); seen[len(seen)-1] != "classroom/room/blue-7/chat/hello" {
		t.Errorf("the broker saw %q, want the blue-7 room's topic", seen)
	}
	other.publish(t, "chat/hello", "red only", 1)
	if m := other.rec.waitMessage(t); string(m.Payload) != "red only" {
		t.Errorf("other got %q, want its own message", m.Payload)
	}
	if seen := obs.waitFor(t, "red only"); seen[len(seen)-1] != "classroom/room/red/chat/hello" {
		t.Errorf("the broker saw %q, want the red room's topic", seen)
	}
	// The broker had other's message (the observer saw it) before a
	// published this one: had it crossed rooms, it would reach a and c
	// before this one does.
	a.publish(t, "chat/hello", "sync", 1)
	a.rec.waitMessage(t)
	c.rec.waitMessage(t)
	a.noMessage(t, "learner a in blue-7")
	c.noMessage(t, "learner c in blue-7")
	other.noMessage(t, "learner in red")
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// dialLearner opens a raw WebSocket for a learner token.
func dialLearner(t *testing.T, base, token, room string) *websocket.Conn {
	t.Helper()
	return rawDial(t, classroomURL(base, token, room))
}

// readAny reads one message of either type.
func readAny(t *testing.T, ws *websocket.Conn) (websocket.MessageType, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	typ, msg, err := ws.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return typ, msg
}

// readNotice reads a text message and decodes the notice.
func readNotice(t *testing.T, ws *websocket.Conn) classroom.Notice {
	t.Helper()
	typ, msg := readAny(t, ws)
	if typ != websocket.MessageText {
		t.Fatalf("got binary % x, want a text notice", msg)
	}
	n, err := classroom.ParseNotice(msg)
	if err != nil {
		t.Fatalf("notice %s: %v", msg, err)
	}
	return n
}

// testForeignID: a client id without the tab's prefix is refused by the
// gateway with CONNACK 2, and so is another tab's prefix.
func testForeignID(t *testing.T, e *env) {
	owner := newLearner(t, e.url, "", "reliable_subscriber", false)
	thief := classroom.NewToken()
	for _, id := range []string{"reliable_subscriber", classroom.IDPrefix(owner.token) + "reliable_subscriber", ""} {
		t.Run(fmt.Sprintf("id %q", id), func(t *testing.T) {
			ws := dialLearner(t, e.url, thief, "")
			rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, id))
			n := readNotice(t, ws)
			if n.Kind != classroom.KindRefusedConnect || n.Reason != classroom.ReasonClientID || n.Topic != id {
				t.Errorf("notice: got %+v, want refused-connect, client-id, %q", n, id)
			}
			if _, msg := rawRead(t, ws); !bytes.Equal(msg, mqtttest.ConnackIdentifierRejected.Bytes()) {
				t.Errorf("got % x, want CONNACK 20 02 00 02 (identifier rejected)", msg)
			}
			if code, reason := readClose(t, ws); code != websocket.StatusPolicyViolation || !strings.Contains(reason, "client id") {
				t.Errorf("close: got %d %q, want 1008 about the client id", code, reason)
			}
		})
	}
	if owner.c.State() != client.Connected {
		t.Errorf("the owner's state: got %q, want connected (its session untouched)", owner.c.State())
	}
	// The playground client reports the refusal as a failed connect.
	c, err := client.New(client.Options{URL: classroomURL(e.url, thief, ""), ClientID: "no-prefix", CleanSession: true, Timeout: 3 * time.Second}, func(client.Event) {})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Connect(); err == nil || !strings.Contains(err.Error(), "dentifier") {
		c.Disconnect()
		t.Errorf("Connect with a foreign id: got %v, want identifier rejected", err)
	}
}

// testForbiddenFilters: in one SUBSCRIBE, $SYS/# and an invalid filter get
// 0x80 while the valid filter between them is granted and works.
func testForbiddenFilters(t *testing.T, b broker.Broker, e *env) {
	token := classroom.NewToken()
	ws := dialLearner(t, e.url, token, "")
	rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, classroom.IDPrefix(token)+"raw"))
	if h, _ := rawRead(t, ws); h.Type != mqttframe.CONNACK {
		t.Fatalf("got %s, want CONNACK", h)
	}
	sp := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	sp.MessageID, sp.Topics, sp.Qoss = 7, []string{"$SYS/#", "ok/+", "a/#/b"}, []byte{0, 1, 2}
	rawWrite(t, ws, websocket.MessageBinary, mqttframe.Encode(sp))
	var notices []classroom.Notice
	var suback []byte
	for suback == nil {
		typ, msg := readAny(t, ws)
		if typ == websocket.MessageText {
			n, err := classroom.ParseNotice(msg)
			if err != nil {
				t.Fatal(err)
			}
			notices = append(notices, n)
			continue
		}
		suback = msg
	}
	if want := subackPacket(7, 0x80, 0x01, 0x80); !bytes.Equal(suback, want) {
		t.Errorf("SUBACK: got % x, want % x", suback, want)
	}
	if len(notices) != 2 || notices[0].Topic != "$SYS/#" || notices[0].Reason != classroom.ReasonDollar ||
		notices[1].Topic != "a/#/b" || notices[1].Reason != classroom.ReasonInvalid || notices[0].Kind != classroom.KindRefusedFilter {
		t.Errorf("notices: got %+v, want $SYS/# (dollar) and a/#/b (invalid), refused-filter", notices)
	}

	// The granted filter works, inside the tab's room: a message
	// published straight to the broker under the room arrives bare.
	pub := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("tcp://" + b.Addr()).SetClientID(fmt.Sprintf("teacher-%d", clientSeq.Add(1))))
	if tok := pub.Connect(); !tok.WaitTimeout(waitTimeout) || tok.Error() != nil {
		t.Fatalf("teacher connect: %v", tok.Error())
	}
	defer pub.Disconnect(100)
	full := "classroom/tab/" + classroom.TabID(token) + "/ok/1"
	if tok := pub.Publish(full, 0, false, "to the room"); !tok.WaitTimeout(waitTimeout) || tok.Error() != nil {
		t.Fatalf("teacher publish: %v", tok.Error())
	}
	h, msg := rawRead(t, ws)
	cp, err := packets.ReadPacket(bytes.NewReader(msg))
	if err != nil || h.Type != mqttframe.PUBLISH {
		t.Fatalf("got %s % x (%v), want PUBLISH", h, msg, err)
	}
	if p := cp.(*packets.PublishPacket); p.TopicName != "ok/1" || string(p.Payload) != "to the room" {
		t.Errorf("delivered %q %q, want ok/1 \"to the room\"", p.TopicName, p.Payload)
	}

	// A SUBSCRIBE of forbidden filters only is answered by the gateway;
	// an UNSUBSCRIBE of them too.
	sp2 := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	sp2.MessageID, sp2.Topics, sp2.Qoss = 8, []string{"$SYS/broker/uptime"}, []byte{1}
	rawWrite(t, ws, websocket.MessageBinary, mqttframe.Encode(sp2))
	if n := readNotice(t, ws); n.Topic != "$SYS/broker/uptime" {
		t.Errorf("notice: got %+v", n)
	}
	if _, msg := rawRead(t, ws); !bytes.Equal(msg, subackPacket(8, 0x80)) {
		t.Errorf("SUBACK: got % x, want 90 03 00 08 80", msg)
	}
	up := packets.NewControlPacket(packets.Unsubscribe).(*packets.UnsubscribePacket)
	up.MessageID, up.Topics = 9, []string{"$SYS/#"}
	rawWrite(t, ws, websocket.MessageBinary, mqttframe.Encode(up))
	readNotice(t, ws)
	if _, msg := rawRead(t, ws); !bytes.Equal(msg, mqttframe.Ack(mqttframe.UNSUBACK, 9)) {
		t.Errorf("UNSUBACK: got % x, want b0 02 00 09", msg)
	}
	// An UNSUBSCRIBE of the granted filter reaches the broker.
	up.MessageID, up.Topics = 10, []string{"$SYS/#", "ok/+"}
	rawWrite(t, ws, websocket.MessageBinary, mqttframe.Encode(up))
	readNotice(t, ws)
	if _, msg := rawRead(t, ws); !bytes.Equal(msg, mqttframe.Ack(mqttframe.UNSUBACK, 10)) {
		t.Errorf("UNSUBACK: got % x, want b0 02 00 0a", msg)
	}
}

// testForbiddenPublish: a forbidden PUBLISH never reaches the broker; the
// tab is told why, and its QoS 1 and 2 publishes complete (the gateway
// acknowledges them), so that the next ones still go through.
func testForbiddenPublish(t *testing.T, b broker.Broker, e *env) {
	obs := observe(t, b, "#", "$SYS/x")
	l := newLearner(t, e.url, "", "qos_publisher", true)
	l.subscribe(t, "#")
	long := strings.Repeat("x", topic.MaxLength-10) // valid bare, too long in the room
	cases := []struct {
		name   string
		reason string
	}{
		{"$SYS/x", classroom.ReasonDollar},
		{long, classroom.ReasonTooLong},
	}
	for _, tc := range cases {
		for qos := byte(0); qos <= 2; qos++ {
			if err := l.c.Publish(tc.name, []byte("forbidden"), qos, false); err != nil {
				t.Fatalf("Publish %.20q at QoS %d: got %v, want it acknowledged by the gateway", tc.name, qos, err)
			}
			n := l.waitNotice(t)
			if n.Kind != classroom.KindDropped || !strings.HasPrefix(tc.name, strings.TrimSuffix(n.Topic, "…")) || n.Reason != tc.reason || n.Detail == "" {
				t.Errorf("QoS %d notice: got %.120q, want dropped %.20q because %q", qos, fmt.Sprintf("%+v", n), tc.name, tc.reason)
			}
		}
	}
	// Twenty QoS 2 drops in a row: more than a broker's in-flight window,
	// so an answer missing for any would stop the last ones.
	for i := range 20 {
		if err := l.c.Publish("$SYS/x", []byte("again"), 2, false); err != nil {
			t.Fatalf("drop %d: %v", i, err)
		}
		l.waitNotice(t)
	}
	l.publish(t, "after", "after", 2)
	if m := l.rec.waitMessage(t); m.Topic != "after" || string(m.Payload) != "after" {
		t.Errorf("got %q %q, want after \"after\"", m.Topic, m.Payload)
	}
	l.noMessage(t, "the learner")
	// The broker saw the message after, and nothing before it.
	if seen := obs.waitFor(t, "after"); len(seen) != 1 || seen[0] != "classroom/tab/"+classroom.TabID(l.token)+"/after" {
		t.Errorf("the broker saw %.200q, want only the room's after", seen)
	}
}

// testClassroomWill: the will topic goes into the room; a will outside it
// is refused with CONNACK 5 before the broker sees the CONNECT.
func testClassroomWill(t *testing.T, b broker.Broker, e *env) {
	obs := observe(t, b, "classroom/#")
	token := classroom.NewToken()
	cp := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	cp.ProtocolName, cp.ProtocolVersion, cp.CleanSession, cp.Keepalive = "MQTT", 4, true, 30
	cp.ClientIdentifier = classroom.IDPrefix(token) + "will_client"
	cp.WillFlag, cp.WillQos, cp.WillTopic, cp.WillMessage = true, 1, "clients/status", []byte("gone")
	cp.UsernameFlag, cp.Username = true, "user"
	ws := dialLearner(t, e.url, token, "")
	rawWrite(t, ws, websocket.MessageBinary, mqttframe.Encode(cp))
	if _, msg := rawRead(t, ws); !bytes.Equal(msg, mqtttest.ConnackAccepted.Bytes()) {
		t.Fatalf("got % x, want CONNACK accepted", msg)
	}
	ws.CloseNow() // no DISCONNECT: the broker publishes the will
	if seen := obs.waitFor(t, "gone"); seen[len(seen)-1] != "classroom/tab/"+classroom.TabID(token)+"/clients/status" {
		t.Errorf("the will went to %q, want the tab's room", seen[len(seen)-1])
	}

	cp.WillTopic = "$SYS/status"
	ws2 := dialLearner(t, e.url, token, "")
	rawWrite(t, ws2, websocket.MessageBinary, mqttframe.Encode(cp))
	if n := readNotice(t, ws2); n.Kind != classroom.KindRefusedConnect || n.Reason != classroom.ReasonDollar || n.Topic != "$SYS/status" {
		t.Errorf("notice: got %+v, want refused-connect for the will $SYS/status", n)
	}
	if _, msg := rawRead(t, ws2); !bytes.Equal(msg, mqtttest.ConnackNotAuthorized.Bytes()) {
		t.Errorf("got % x, want CONNACK 5 (not authorized)", msg)
	}
}

// testNoToken: without a well-formed learner token or with a bad room code,
// the WebSocket is refused with 400 and a reason.
func testNoToken(t *testing.T, e *env) {
	for _, u := range []string{e.url, e.url + "?learner=short", classroomURL(e.url, classroom.NewToken(), "a/b")} {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		ws, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{Subprotocols: []string{"mqtt"}})
		cancel()
		if err == nil {
			ws.CloseNow()
			t.Fatalf("dial %s: accepted", u)
		}
		if resp == nil || resp.StatusCode != 400 {
			t.Errorf("dial %s: got %v (%v), want 400", u, resp, err)
		}
	}
}

// testBareTopics: without classroom mode the broker sees the tab's topics
// as they are, and a learner token in the URL changes nothing.
func testBareTopics(t *testing.T, b broker.Broker) {
	plain := newEnv(t, Config{BrokerAddr: b.Addr()})
	obs := observe(t, b, "bare/#")
	name := fmt.Sprintf("bare/%d", clientSeq.Add(1))
	c, rec := connectClient(t, classroomURL(plain.url, classroom.NewToken(), "blue"))
	if _, err := c.Subscribe(name, 1); err != nil {
		t.Fatal(err)
	}
	if err := c.Publish(name, []byte("bare"), 1, false); err != nil {
		t.Fatal(err)
	}
	if m := rec.waitMessage(t); m.Topic != name {
		t.Errorf("got %q, want %q", m.Topic, name)
	}
	if seen := obs.waitFor(t, "bare"); !slicesEqual(seen, []string{name}) {
		t.Errorf("the broker saw %q, want %q", seen, name)
	}
}

// testOutsideRoom: a subscription to # in the room is PREFIX/# at the
// broker, which also matches the prefix itself, where only a client outside
// the gateway can publish. The gateway does not deliver such a message
// (the tab could not name its topic) and acknowledges it to the broker: 25
// of them at QoS 2, more than Mosquitto's in-flight window of 20, do not
// hold up the message that follows.
func testOutsideRoom(t *testing.T, b broker.Broker, e *env) {
	l := newLearner(t, e.url, "", "sub", true)
	if _, err := l.c.Subscribe("#", 2); err != nil {
		t.Fatal(err)
	}
	outside := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("tcp://" + b.Addr()).SetClientID(fmt.Sprintf("outside-%d", clientSeq.Add(1))))
	if tok := outside.Connect(); !tok.WaitTimeout(waitTimeout) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	defer outside.Disconnect(100)
	root := strings.TrimSuffix(classroom.NewSpace(l.token, "").Prefix(), "/")
	publish := func(topic string, qos byte, payload string) {
		t.Helper()
		if tok := outside.Publish(topic, qos, false, payload); !tok.WaitTimeout(waitTimeout) || tok.Error() != nil {
			t.Fatalf("publish to %q: %v", topic, tok.Error())
		}
	}
	for i := range 25 {
		publish(root, 2, fmt.Sprintf("root %d", i))
		publish(root, 1, fmt.Sprintf("root %d", i))
	}
	publish(root+"/inside", 2, "inside")
	if m := l.rec.waitMessage(t); m.Topic != "inside" || string(m.Payload) != "inside" {
		t.Errorf("got %q %q, want inside \"inside\"", m.Topic, m.Payload)
	}
	l.noMessage(t, "the learner")
}
