package gateway

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	mqtt "github.com/eclipse/paho.mqtt.golang"

	"qosplayground/app/classroom"
	"qosplayground/server/broker"
)

// teacherCookie is the session a test's Config.Teacher accepts.
const teacherCookie = "qos-teacher=good-session"

func teacherConfig(b broker.Broker) Config {
	return Config{BrokerAddr: b.Addr(), Classroom: true, Teacher: func(r *http.Request) (string, bool) {
		c, err := r.Cookie("qos-teacher")
		return "s1", err == nil && c.Value == "good-session"
	}}
}

// teacherURL is the gateway's URL of a teacher's connection to room.
func teacherURL(base, room string) string {
	return base + "?" + url.Values{classroom.TeacherParam: {"1"}, classroom.RoomParam: {room}}.Encode()
}

// teacherClient is a plain paho client dialling the gateway's WebSocket
// with a cookie, as the board's page does in the browser.
type teacherClient struct {
	c    mqtt.Client
	mu   sync.Mutex
	msgs map[string]string // topic → payload, last seen
	got  chan struct{}
}

func newTeacher(t *testing.T, e *env, room, cookie string) (*teacherClient, error) {
	t.Helper()
	tc := &teacherClient{msgs: make(map[string]string), got: make(chan struct{}, 1)}
	opts := mqtt.NewClientOptions().AddBroker("ws://unused/mqtt").
		SetClientID(fmt.Sprintf("teacher-%d", clientSeq.Add(1))).SetCleanSession(true).
		SetAutoReconnect(false).SetOrderMatters(true).SetConnectTimeout(5 * time.Second).
		SetCustomOpenConnectionFn(func(*url.URL, mqtt.ClientOptions) (net.Conn, error) {
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			h := http.Header{}
			if cookie != "" {
				h.Set("Cookie", cookie)
			}
			ws, _, err := websocket.Dial(ctx, teacherURL(e.url, room), &websocket.DialOptions{Subprotocols: []string{"mqtt"}, HTTPHeader: h})
			if err != nil {
				return nil, err
			}
			return &skipText{Conn: websocket.NetConn(context.Background(), ws, websocket.MessageBinary), ws: ws}, nil
		}).
		SetDefaultPublishHandler(func(_ mqtt.Client, m mqtt.Message) {
			tc.mu.Lock()
			tc.msgs[m.Topic()] = string(m.Payload())
			tc.mu.Unlock()
			select {
			case tc.got <- struct{}{}:
			default:
			}
		})
	tc.c = mqtt.NewClient(opts)
	tok := tc.c.Connect()
	if !tok.WaitTimeout(waitTimeout) {
		t.Fatal("teacher: connect timed out")
	}
	if tok.Error() != nil {
		return nil, tok.Error()
	}
	t.Cleanup(func() { tc.c.Disconnect(100) })
	return tc, nil
}

// skipText is a net.Conn over a WebSocket that reads binary messages and
// leaves out the gateway's text notices (NetConn closes on a text
// message, as the browser's transport does not).
type skipText struct {
	net.Conn // for writes, addresses and deadlines
	ws       *websocket.Conn
	rest     []byte
}

func (s *skipText) Read(p []byte) (int, error) {
	for len(s.rest) == 0 {
		typ, msg, err := s.ws.Read(context.Background())
		if err != nil {
			return 0, err
		}
		if typ == websocket.MessageBinary {
			s.rest = msg
		}
	}
	n := copy(p, s.rest)
	s.rest = s.rest[n:]
	return n, nil
}

func (tc *teacherClient) subscribe(t *testing.T, filter string) byte {
	t.Helper()
	tok := tc.c.Subscribe(filter, 1, nil)
	if !tok.WaitTimeout(waitTimeout) || tok.Error() != nil {
		t.Fatalf("teacher: subscribe %q: %v", filter, tok.Error())
	}
	return tok.(*mqtt.SubscribeToken).Result()[filter]
}

func (tc *teacherClient) publish(t *testing.T, name, payload string, retain bool) {
	t.Helper()
	tok := tc.c.Publish(name, 1, retain, payload)
	if !tok.WaitTimeout(waitTimeout) || tok.Error() != nil {
		t.Fatalf("teacher: publish %q: %v", name, tok.Error())
	}
}

// waitFor waits until the teacher has seen payload on topic.
func (tc *teacherClient) waitFor(t *testing.T, topic, payload string) {
	t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		tc.mu.Lock()
		got, ok := tc.msgs[topic]
		all := fmt.Sprint(tc.msgs)
		tc.mu.Unlock()
		if ok && got == payload {
			return
		}
		select {
		case <-tc.got:
		case <-deadline.C:
			t.Fatalf("teacher: no %q on %q within %v (saw %s)", payload, topic, waitTimeout, all)
		}
	}
}

func (tc *teacherClient) seen() map[string]string {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	out := make(map[string]string, len(tc.msgs))
	for k, v := range tc.msgs {
		out[k] = v
	}
	return out
}

// TestTeacher runs the board's rules through the gateway on both brokers:
// each tab writes only its own progress, no learner reads any progress or
// the teacher's topics, and the teacher's connection needs its session.
func TestTeacher(t *testing.T) {
	for _, spec := range brokers {
		t.Run(spec, func(t *testing.T) {
			b := startBroker(t, spec)
			e := newEnv(t, teacherConfig(b))
			t.Run("progress", func(t *testing.T) { testProgress(t, b, e) })
			t.Run("teacher session", func(t *testing.T) { testTeacherSession(t, e) })
		})
	}
}

func testProgress(t *testing.T, b broker.Broker, e *env) {
	obs := observe(t, b, "classroom/#")
	a := newLearner(t, e.url, "blue-7", "progress", true)
	c := newLearner(t, e.url, "blue-7", "progress", true)
	tabA, tabC := classroom.TabID(a.token), classroom.TabID(c.token)

	// Each learner, in the room, subscribes to all it may: the room's #,
	// and tries the progress topics and a teacher-like filter.
	c.subscribe(t, "#")
	for _, f := range []string{classroom.ProgressTopic, classroom.ProgressTopic + "/#", "$progress/" + tabA, "$teacher/#", "progress/+"} {
		granted, err := c.c.Subscribe(f, 1)
		if strings.HasPrefix(f, "$") {
			if err == nil {
				t.Errorf("learner subscribed to %q (granted %d), want 0x80", f, granted)
			} else {
				c.waitNotice(t)
			}
		} else if err != nil {
			t.Errorf("subscribe %q: %v", f, err)
		}
	}

	// a's progress lands on a's own topic, retained.
	if err := a.c.Publish(classroom.ProgressTopic, []byte(`{"name":"A"}`), 1, true); err != nil {
		t.Fatalf("a: publish progress: %v", err)
	}
	if seen := obs.waitFor(t, `{"name":"A"}`); seen[len(seen)-1] != "classroom/progress/blue-7/"+tabA {
		t.Errorf("a's progress went to %q, want its own progress topic", seen[len(seen)-1])
	}
	// a cannot write c's: every way of naming it is dropped or stays in
	// the room's space.
	for _, name := range []string{"$progress/" + tabC, "$progress/../" + tabC, "../progress/blue-7/" + tabC} {
		if err := a.c.Publish(name, []byte("forged"), 1, true); err != nil {
			t.Fatalf("a: publish %q: %v", name, err)
		}
	}
	a.publish(t, "sync", "sync", 1)
	if seen := strings.Join(obs.waitFor(t, "sync"), " "); strings.Contains(seen, "classroom/progress/blue-7/"+tabC) {
		t.Errorf("a wrote c's progress: the broker saw %q", seen)
	}
	// A too-large progress is dropped, with a notice.
	for len(a.notices) > 0 {
		<-a.notices
	}
	if err := a.c.Publish(classroom.ProgressTopic, []byte(strings.Repeat("x", classroom.MaxProgress+1)), 1, true); err != nil {
		t.Fatalf("a: large progress: %v", err)
	}
	if n := a.waitNotice(t); n.Kind != classroom.KindDropped || n.Reason != classroom.ReasonProgressLarge {
		t.Errorf("large progress: notice %+v, want dropped, %s", n, classroom.ReasonProgressLarge)
	}
	// Outside a shared room there is no progress topic.
	own := newLearner(t, e.url, "", "progress", true)
	if err := own.c.Publish(classroom.ProgressTopic, []byte("alone"), 1, true); err != nil {
		t.Fatalf("own room: publish progress: %v", err)
	}
	if n := own.waitNotice(t); n.Reason != classroom.ReasonNoRoom {
		t.Errorf("own room: notice %+v, want %s", n, classroom.ReasonNoRoom)
	}

	// The teacher reads both rows (retained) and offers an experiment.
	tc, err := newTeacher(t, e, "blue-7", teacherCookie)
	if err != nil {
		t.Fatalf("teacher: %v", err)
	}
	if err := c.c.Publish(classroom.ProgressTopic, []byte(`{"name":"C"}`), 1, true); err != nil {
		t.Fatalf("c: publish progress: %v", err)
	}
	if g := tc.subscribe(t, "progress/+"); g != 1 {
		t.Errorf("teacher: progress/+ granted %d, want 1", g)
	}
	tc.waitFor(t, "progress/"+tabA, `{"name":"A"}`)
	tc.waitFor(t, "progress/"+tabC, `{"name":"C"}`)
	for _, f := range []string{"#", "chat/#", "$SYS/#"} {
		if g := tc.subscribe(t, f); g != 0x80 {
			t.Errorf("teacher: %q granted %d, want 0x80", f, g)
		}
	}

	// The learner's "#" in the room got none of it (what it got is the
	// room's own topics: sync, and a's "../progress/…", a room topic).
	c.publish(t, "sync2", "sync2", 1)
	for {
		m := c.rec.waitMessage(t)
		if strings.HasPrefix(string(m.Payload), `{"name"`) || strings.HasPrefix(m.Topic, "$") || strings.HasPrefix(m.Topic, "classroom/") {
			t.Errorf("learner c read %q %q, a progress message", m.Topic, m.Payload)
		}
		if m.Topic == "sync2" {
			break
		}
	}

	// The offer: learners may read it (as $offer), not write it.
	a.subscribe(t, classroom.OfferTopic)
	tc.publish(t, "offer", "try /lab/task1", true)
	if m := a.rec.waitMessage(t); m.Topic != classroom.OfferTopic || string(m.Payload) != "try /lab/task1" {
		t.Errorf("a got %q %q, want the offer on %s", m.Topic, m.Payload, classroom.OfferTopic)
	}
	if err := a.c.Publish(classroom.OfferTopic, []byte("forged offer"), 1, true); err != nil {
		t.Fatalf("a: publish offer: %v", err)
	}
	a.publish(t, "sync3", "sync3", 1)
	if seen := strings.Join(obs.waitFor(t, "sync3"), " "); strings.Contains(seen, "classroom/offer/") && !strings.Contains(seen, "classroom/offer/blue-7") {
		t.Errorf("the broker saw %q", seen)
	}
	tc.subscribe(t, "offer")
	tc.waitFor(t, "offer", "try /lab/task1")

	// Clearing a row: an empty retained message.
	tc.publish(t, "progress/"+tabA, "", true)
	t2, err := newTeacher(t, e, "blue-7", teacherCookie)
	if err != nil {
		t.Fatalf("second teacher: %v", err)
	}
	t2.subscribe(t, "progress/+")
	t2.waitFor(t, "progress/"+tabC, `{"name":"C"}`)
	if _, ok := t2.seen()["progress/"+tabA]; ok {
		t.Errorf("a's cleared row is still retained")
	}
	// Another room's teacher sees nothing of blue-7.
	t3, err := newTeacher(t, e, "red", teacherCookie)
	if err != nil {
		t.Fatalf("red teacher: %v", err)
	}
	t3.subscribe(t, "progress/+")
	t3.subscribe(t, "offer")
	tc.publish(t, "progress/"+tabC, "", true) // tidy
	t3.subscribe(t, "offer")
	if s := t3.seen(); len(s) > 0 {
		t.Errorf("room red's teacher saw %v", s)
	}
	tc.publish(t, "offer", "", true) // leave no retained offer behind

	// The session ends (a sign-out): its connections close, a learner's
	// stays.
	e.gw.EndTeacherSession("other")
	tc.publish(t, "offer", "", true)
	e.gw.EndTeacherSession("s1")
	deadline := time.Now().Add(waitTimeout)
	for tc.c.IsConnectionOpen() || t2.c.IsConnectionOpen() {
		if time.Now().After(deadline) {
			t.Fatal("the teachers' connections are still open after their session ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.publish(t, "still", "still", 1)
}

// testTeacherSession: without the session a teacher's URL is refused
// (403); a learner's token does not make a teacher; a teacher's client id
// must start with teacher-.
func testTeacherSession(t *testing.T, e *env) {
	for _, cookie := range []string{"", "qos-teacher=guess"} {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		h := http.Header{}
		if cookie != "" {
			h.Set("Cookie", cookie)
		}
		u := teacherURL(e.url, "blue-7") + "&" + classroom.LearnerParam + "=" + classroom.NewToken()
		ws, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{Subprotocols: []string{"mqtt"}, HTTPHeader: h})
		cancel()
		if err == nil {
			ws.CloseNow()
			t.Fatalf("teacher URL with cookie %q: accepted", cookie)
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("teacher URL with cookie %q: got %v (%v), want 403", cookie, resp, err)
		}
	}
	if _, err := newTeacher(t, e, "", teacherCookie); err == nil {
		t.Errorf("a teacher's connection without a room was accepted")
	}
}
