package client

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"qosplayground/app/mqttframe/mqtttest"
	"qosplayground/app/topic"
	"qosplayground/internal/eventrec"
	"qosplayground/internal/teststack"
)

// waitTimeout bounds every wait for something that should happen at once.
const waitTimeout = 10 * time.Second

// startStack starts a broker of the given kind (mosquitto or embedded)
// with the real gateway in front of it.
func startStack(t *testing.T, spec string) *teststack.Env {
	t.Helper()
	return teststack.Start(t, teststack.Mode(spec))
}

// recorder collects a client's events; on never blocks. The recording is
// internal/eventrec's (shared with server/gateway's tests); these few
// lines keep the method names the tests call.
type recorder struct {
	*eventrec.Recorder[Event, Message, State]
}

func newRecorder() *recorder {
	return &recorder{eventrec.New(waitTimeout,
		func(ev Event) (Message, bool) { return ev.Message, ev.Kind == EventMessage },
		func(ev Event) State { return ev.State })}
}

func (r *recorder) on(ev Event)                           { r.On(ev) }
func (r *recorder) waitMessage(t *testing.T) Message      { t.Helper(); return r.WaitMessage(t) }
func (r *recorder) waitState(t *testing.T, s State) Event { t.Helper(); return r.WaitState(t, s) }
func (r *recorder) takeStates() []Event                   { return r.TakeStates() }

var seq atomic.Int64

// uniq returns a name no other test of this process uses.
func uniq(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), seq.Add(1))
}

// newClient makes a client and disconnects it at cleanup.
func newClient(t *testing.T, opts Options) (*Client, *recorder) {
	t.Helper()
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	rec := newRecorder()
	c, err := New(opts, rec.on)
	if err != nil {
		t.Fatalf("New(%+v): %v", opts, err)
	}
	t.Cleanup(c.Disconnect)
	return c, rec
}

// connect makes a client, connects it and checks the session present flag.
func connect(t *testing.T, opts Options, wantSessionPresent bool) (*Client, *recorder) {
	t.Helper()
	c, rec := newClient(t, opts)
	sp, err := c.Connect()
	if err != nil {
		t.Fatalf("Connect(%s): %v", opts.ClientID, err)
	}
	if sp != wantSessionPresent {
		t.Errorf("Connect(%s, clean session %v): session present %v, want %v", opts.ClientID, opts.CleanSession, sp, wantSessionPresent)
	}
	return c, rec
}

func TestNew(t *testing.T) {
	tests := []struct {
		scenario string
		opts     Options
		wantErr  string // "" means valid
	}{
		{"http scheme", Options{URL: "http://127.0.0.1:1/mqtt", CleanSession: true}, "scheme must be ws or wss"},
		{"tcp scheme", Options{URL: "tcp://127.0.0.1:1883", CleanSession: true}, "scheme must be ws or wss"},
		{"no scheme", Options{URL: "127.0.0.1:1/mqtt", CleanSession: true}, "broker URL"},
		{"no host", Options{URL: "ws:///mqtt", CleanSession: true}, "no host"},
		{"unparseable", Options{URL: "ws://[::1/mqtt", CleanSession: true}, "broker URL"},
		{"persistent session without client id", Options{URL: "ws://127.0.0.1:1/mqtt"}, "client id"},
		{"client id too long", Options{URL: "ws://127.0.0.1:1/mqtt", ClientID: strings.Repeat("x", 65536)}, "65535"},
		{"clean session without client id", Options{URL: "ws://127.0.0.1:1/mqtt", CleanSession: true}, ""},
		{"will topic with a wildcard", Options{URL: "ws://127.0.0.1:1/mqtt", CleanSession: true, Will: Will{Topic: "a/#"}}, "wildcards"},
		{"will at QoS 3", Options{URL: "ws://127.0.0.1:1/mqtt", CleanSession: true, Will: Will{Topic: "a/b", QoS: 3}}, "QoS"},
		{"a valid will", Options{URL: "ws://127.0.0.1:1/mqtt", CleanSession: true, Will: Will{Topic: "a/b", Payload: []byte("gone"), QoS: 1}}, ""},
		{"persistent session with client id", Options{URL: "wss://example.org/mqtt", ClientID: "me"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			c, err := New(tc.opts, func(Event) {})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("got client %v, error %v; want an error mentioning %q", c != nil, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got := c.State(); got != Disconnected {
				t.Errorf("state: got %q, want %q", got, Disconnected)
			}
			o := c.Options()
			if o.KeepAlive != 30*time.Second || o.Timeout != 10*time.Second {
				t.Errorf("defaults: got keepalive %v, timeout %v; want 30s, 10s", o.KeepAlive, o.Timeout)
			}
		})
	}
}

// countingConn counts the bytes the client sets out to write. It counts
// before writing: the broker's answer may complete the call before a
// count made after the write would be seen.
type countingConn struct {
	net.Conn
	written *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.written.Add(int64(len(p)))
	return c.Conn.Write(p)
}

// TestRefusedBeforeSending: invalid topics and QoS are refused with their
// own errors before anything is written, connected or not, and a client
// that is not connected says so.
func TestRefusedBeforeSending(t *testing.T) {
	s := startStack(t, "embedded")
	var written atomic.Int64
	var wrapped atomic.Int64
	connected, _ := connect(t, Options{
		URL: s.URL, ClientID: uniq("refuse"), CleanSession: true,
		WrapConn: func(c net.Conn) net.Conn {
			wrapped.Add(1)
			return countingConn{c, &written}
		},
	}, false)
	if wrapped.Load() != 1 {
		t.Fatalf("WrapConn called %d times, want 1", wrapped.Load())
	}
	idle, _ := newClient(t, Options{URL: s.URL, CleanSession: true})

	tests := []struct {
		scenario string
		call     func(c *Client) error
		want     error
		whenIdle error // the error of a client that is not connected
	}{
		{"publish to a + wildcard", func(c *Client) error { return c.Publish("a/+/c", []byte("x"), 1, false) }, topic.ErrWildcardInName, topic.ErrWildcardInName},
		{"publish to a # wildcard", func(c *Client) error { return c.Publish("a/#", []byte("x"), 0, false) }, topic.ErrWildcardInName, topic.ErrWildcardInName},
		{"publish to an empty topic", func(c *Client) error { return c.Publish("", nil, 0, false) }, topic.ErrEmpty, topic.ErrEmpty},
		{"publish at QoS 3", func(c *Client) error { return c.Publish("a/b", nil, 3, false) }, ErrBadQoS, ErrBadQoS},
		{"publish over the server's packet limit", func(c *Client) error { return c.Publish("a/b", make([]byte, 256<<10), 1, false) }, ErrTooLarge, ErrTooLarge},
		{"subscribe with # not last", func(c *Client) error { _, err := c.Subscribe("a/#/c", 1); return err }, topic.ErrHashNotLast, topic.ErrHashNotLast},
		{"subscribe with # inside a level", func(c *Client) error { _, err := c.Subscribe("a/b#", 1); return err }, topic.ErrHashNotLast, topic.ErrHashNotLast},
		{"subscribe with + inside a level", func(c *Client) error { _, err := c.Subscribe("a/b+", 1); return err }, topic.ErrPlusNotWhole, topic.ErrPlusNotWhole},
		{"subscribe at QoS 3", func(c *Client) error { _, err := c.Subscribe("a/b", 3); return err }, ErrBadQoS, ErrBadQoS},
		{"unsubscribe with # not last", func(c *Client) error { return c.Unsubscribe("#/a") }, topic.ErrHashNotLast, topic.ErrHashNotLast},
		{"valid publish", func(c *Client) error { return c.Publish("a/b", nil, 1, false) }, nil, ErrNotConnected},
		{"valid subscribe", func(c *Client) error { _, err := c.Subscribe("a/+", 1); return err }, nil, ErrNotConnected},
		{"valid unsubscribe", func(c *Client) error { return c.Unsubscribe("a/+") }, nil, ErrNotConnected},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			if err := tc.call(idle); !errors.Is(err, tc.whenIdle) {
				t.Errorf("not connected: got %v, want %v", err, tc.whenIdle)
			}
			before := written.Load()
			err := tc.call(connected)
			if !errors.Is(err, tc.want) {
				t.Fatalf("connected: got %v, want %v", err, tc.want)
			}
			if tc.want != nil {
				if after := written.Load(); after != before {
					t.Errorf("connected: %d bytes written for a refused call, want 0", after-before)
				}
			} else if written.Load() == before {
				t.Errorf("connected: nothing written for a valid call")
			}
		})
	}
	// Nothing invalid reached the broker: the connection still works.
	if got := connected.State(); got != Connected {
		t.Errorf("state after the refusals: got %q, want connected", got)
	}
	if _, err := connected.Subscribe("refuse/check", 1); err != nil {
		t.Errorf("Subscribe after the refusals: %v", err)
	}
}

func TestPublishSize(t *testing.T) {
	tests := []struct {
		scenario   string
		topic      string
		payloadLen int
		qos        byte
	}{
		{"empty QoS 0", "a", 0, 0},
		{"QoS 1 with a packet id", "a/b", 10, 1},
		{"two-byte remaining length", "sensors/temperature", 200, 2},
		{"three-byte remaining length", "t", 20000, 1},
		{"at the default limit", "a/b", 256<<10 - 14, 1},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			wire := mqtttest.Publish(tt.qos, uint16(tt.qos), tt.topic, make([]byte, tt.payloadLen)) // paho's encoder
			if got := PublishSize(tt.topic, tt.payloadLen, tt.qos); got != len(wire) {
				t.Errorf("PublishSize = %d, paho writes %d bytes", got, len(wire))
			}
		})
	}
}

// TestLastWill checks the will both ways: a connection that ends without
// DISCONNECT (a crash) makes the broker publish the will; a clean
// Disconnect does not.
func TestLastWill(t *testing.T) {
	for _, spec := range []string{"mosquitto", "embedded"} {
		t.Run(spec, func(t *testing.T) {
			s := startStack(t, spec)
			watcher, rec := connect(t, Options{URL: s.URL, ClientID: uniq("watcher"), CleanSession: true}, false)
			willTopic := "will/" + uniq("t")
			if _, err := watcher.Subscribe(willTopic, 1); err != nil {
				t.Fatal(err)
			}
			will := Will{Topic: willTopic, Payload: []byte("offline"), QoS: 1}

			// A clean disconnect: no will.
			cleanWill := will
			cleanWill.Payload = []byte("left cleanly")
			clean, _ := connect(t, Options{URL: s.URL, ClientID: uniq("clean"), CleanSession: true, Will: cleanWill}, false)
			clean.Disconnect()

			// A crash: the connection is cut under the client.
			var conn atomic.Pointer[net.Conn]
			crash, _ := connect(t, Options{URL: s.URL, ClientID: uniq("crash"), CleanSession: true, Will: will,
				WrapConn: func(c net.Conn) net.Conn { conn.Store(&c); return c }}, false)
			(*conn.Load()).Close()
			_ = crash

			m := rec.waitMessage(t)
			if m.Topic != willTopic || string(m.Payload) != "offline" || m.QoS != 1 {
				t.Errorf("got %q %q QoS %d, want the will", m.Topic, m.Payload, m.QoS)
			}
			// Only that will: the clean disconnect's was discarded.
			time.Sleep(300 * time.Millisecond) // time for a wrong will to arrive
			extra := len(rec.Messages())
			if extra > 0 {
				t.Errorf("%d more messages after the will, want none (a clean DISCONNECT discards the will)", extra)
			}
		})
	}
}

// TestEvents checks the state events of a connection's life.
func TestEvents(t *testing.T) {
	s := startStack(t, "embedded")

	t.Run("connect and disconnect", func(t *testing.T) {
		c, rec := newClient(t, Options{URL: s.URL, ClientID: uniq("events"), CleanSession: true})
		if _, err := c.Connect(); err != nil {
			t.Fatal(err)
		}
		if got := c.State(); got != Connected {
			t.Errorf("state: got %q, want connected", got)
		}
		c.Disconnect()
		if got := c.State(); got != Disconnected {
			t.Errorf("state after Disconnect: got %q, want disconnected", got)
		}
		var got []string
		for _, ev := range rec.takeStates() {
			got = append(got, fmt.Sprintf("%s sp=%v err=%v", ev.State, ev.SessionPresent, ev.Err != nil))
		}
		want := []string{"connecting sp=false err=false", "connected sp=false err=false", "disconnected sp=false err=false"}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Errorf("events:\n got %q\nwant %q", got, want)
		}
	})

	t.Run("connect fails", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := "ws://" + l.Addr().String() + "/mqtt"
		l.Close()
		c, rec := newClient(t, Options{URL: dead, ClientID: uniq("fail"), CleanSession: true, Timeout: 2 * time.Second})
		start := time.Now()
		if _, err := c.Connect(); err == nil {
			t.Fatalf("Connect to a closed port: got no error")
		}
		if d := time.Since(start); d > 4*time.Second {
			t.Errorf("Connect failed after %v, want within the 2s timeout", d)
		}
		ev := rec.waitState(t, Disconnected)
		if ev.Err == nil {
			t.Errorf("Disconnected event without the reason")
		}
		if got := c.State(); got != Disconnected {
			t.Errorf("state: got %q, want disconnected", got)
		}
	})

	t.Run("connection lost", func(t *testing.T) {
		own := startStack(t, "embedded")
		c, rec := connect(t, Options{URL: own.URL, ClientID: uniq("lost"), CleanSession: true}, false)
		rec.waitState(t, Connected)
		if err := own.CloseGateway(); err != nil {
			t.Fatalf("gateway Close: %v", err)
		}
		ev := rec.waitState(t, Disconnected)
		if ev.Err == nil {
			t.Errorf("Disconnected event after the server closed: no error, want the reason")
		}
		if got := c.State(); got != Disconnected {
			t.Errorf("state: got %q, want disconnected", got)
		}
		if err := c.Publish("lost/t", nil, 0, false); !errors.Is(err, ErrNotConnected) {
			t.Errorf("Publish after the connection was lost: got %v, want ErrNotConnected", err)
		}
	})

	t.Run("reconnect after the broker restarts", func(t *testing.T) {
		own := startStack(t, "embedded")
		c, rec := connect(t, Options{URL: own.URL, ClientID: uniq("restart"), CleanSession: true}, false)
		if err := own.RestartBroker(true); err != nil {
			t.Fatalf("broker Restart: %v", err)
		}
		if ev := rec.waitState(t, Disconnected); ev.Err == nil {
			t.Errorf("Disconnected event after the broker went away: no error, want the reason")
		}
		if _, err := c.Connect(); err != nil {
			t.Fatalf("Connect again after the connection was lost: %v", err)
		}
		name := uniq("restart")
		if _, err := c.Subscribe(name, 1); err != nil {
			t.Fatal(err)
		}
		if err := c.Publish(name, []byte("back"), 1, false); err != nil {
			t.Fatal(err)
		}
		if m := rec.waitMessage(t); string(m.Payload) != "back" {
			t.Errorf("got %q, want back", m.Payload)
		}
	})

	t.Run("unsubscribe stops delivery", func(t *testing.T) {
		name := uniq("unsub")
		c, rec := connect(t, Options{URL: s.URL, ClientID: uniq("unsub"), CleanSession: true}, false)
		if _, err := c.Subscribe(name+"/#", 1); err != nil {
			t.Fatal(err)
		}
		if err := c.Publish(name+"/a", []byte("1"), 1, false); err != nil {
			t.Fatal(err)
		}
		if m := rec.waitMessage(t); string(m.Payload) != "1" {
			t.Fatalf("got %q, want 1", m.Payload)
		}
		if err := c.Unsubscribe(name + "/#"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Subscribe(name+"/marker", 1); err != nil {
			t.Fatal(err)
		}
		if err := c.Publish(name+"/a", []byte("2"), 1, false); err != nil {
			t.Fatal(err)
		}
		if err := c.Publish(name+"/marker", []byte("marker"), 1, false); err != nil {
			t.Fatal(err)
		}
		if m := rec.waitMessage(t); string(m.Payload) != "marker" {
			t.Errorf("after Unsubscribe got %q on %q, want only the marker", m.Payload, m.Topic)
		}
	})
}

// TestSessions checks persistent sessions (clean session off) against each
// broker, through the gateway.
func TestSessions(t *testing.T) {
	for _, spec := range []string{"embedded", "mosquitto"} {
		t.Run(spec, func(t *testing.T) {
			s := startStack(t, spec)
			pub, _ := connect(t, Options{URL: s.URL, ClientID: uniq("pub"), CleanSession: true}, false)

			t.Run("session present false then true", func(t *testing.T) {
				opts := Options{URL: s.URL, ClientID: uniq("sp")}
				c, rec := connect(t, opts, false)
				if ev := rec.waitState(t, Connected); ev.SessionPresent {
					t.Errorf("first Connected event: session present true, want false")
				}
				c.Disconnect()
				// The same client again, then a new client with the same id.
				sp, err := c.Connect()
				if err != nil || !sp {
					t.Errorf("reconnect of the same client: session present %v, error %v; want true, nil", sp, err)
				}
				if ev := rec.waitState(t, Connected); !ev.SessionPresent {
					t.Errorf("second Connected event: session present false, want true")
				}
				c.Disconnect()
				connect(t, opts, true)
			})

			// offline subscribes with clean session off, then goes away;
			// QoS 1 and 2 messages are published meanwhile.
			offline := func(t *testing.T) (Options, string) {
				opts := Options{URL: s.URL, ClientID: uniq("sub")}
				name := uniq("queued")
				c, _ := connect(t, opts, false)
				if granted, err := c.Subscribe(name+"/#", 2); err != nil || granted != 2 {
					t.Fatalf("Subscribe: granted %d, %v", granted, err)
				}
				c.Disconnect()
				for _, qos := range []byte{1, 2} {
					if err := pub.Publish(fmt.Sprintf("%s/q%d", name, qos), []byte(fmt.Sprintf("while away %d", qos)), qos, false); err != nil {
						t.Fatalf("Publish at QoS %d: %v", qos, err)
					}
				}
				return opts, name
			}

			t.Run("queued messages arrive after reconnect", func(t *testing.T) {
				opts, name := offline(t)
				// A new client: its default handler, set in New, is in place
				// before Connect, when the queued messages arrive.
				_, rec := connect(t, opts, true)
				// Messages on different topics need not keep their order
				// (mochi resends its queue in map order).
				got := map[string]Message{}
				for range 2 {
					m := rec.waitMessage(t)
					got[m.Topic] = m
				}
				for _, qos := range []byte{1, 2} {
					wantTopic, wantPayload := fmt.Sprintf("%s/q%d", name, qos), fmt.Sprintf("while away %d", qos)
					m, ok := got[wantTopic]
					if !ok || string(m.Payload) != wantPayload || m.QoS != qos {
						t.Errorf("on %q got %q QoS %d (received: %v), want %q QoS %d", wantTopic, m.Payload, m.QoS, ok, wantPayload, qos)
					}
				}
			})

			t.Run("with clean session they are lost", func(t *testing.T) {
				opts, name := offline(t)
				opts.CleanSession = true
				c, rec := connect(t, opts, false)
				// A marker published after the reconnect: anything queued
				// would have been delivered before it.
				if _, err := c.Subscribe(name+"/marker", 1); err != nil {
					t.Fatal(err)
				}
				if err := pub.Publish(name+"/marker", []byte("marker"), 1, false); err != nil {
					t.Fatal(err)
				}
				if m := rec.waitMessage(t); m.Topic != name+"/marker" {
					t.Errorf("got %q %q, want only the marker: the clean session should have dropped the queue", m.Topic, m.Payload)
				}
				// And the old session is gone for good.
				c.Disconnect()
				opts.CleanSession = false
				connect(t, opts, false)
			})
		})
	}
}
