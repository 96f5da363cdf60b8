package inbroker_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qosplayground/app/brokerapi"
	"qosplayground/app/client"
	"qosplayground/app/exercises"
	"qosplayground/app/faultlab"
	"qosplayground/app/inbroker"
	"qosplayground/app/intab"
)

// waitTimeout bounds every wait for something that should happen at once.
const waitTimeout = 20 * time.Second

var seq atomic.Int64

func uniq(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), seq.Add(1))
}

// inbox collects the messages a client receives; add never blocks.
type inbox struct {
	mu      sync.Mutex
	msgs    []client.Message
	changed chan struct{}
}

func newInbox() *inbox { return &inbox{changed: make(chan struct{}, 1)} }

func (in *inbox) add(ev client.Event) {
	if ev.Kind != client.EventMessage {
		return
	}
	in.mu.Lock()
	in.msgs = append(in.msgs, ev.Message)
	in.mu.Unlock()
	select {
	case in.changed <- struct{}{}:
	default:
	}
}

// waitFor waits until done is true of the messages received so far, and
// returns them.
func (in *inbox) waitFor(t *testing.T, what string, done func([]client.Message) bool) []client.Message {
	t.Helper()
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	for {
		in.mu.Lock()
		msgs := append([]client.Message(nil), in.msgs...)
		in.mu.Unlock()
		if done(msgs) {
			return msgs
		}
		select {
		case <-in.changed:
		case <-timer.C:
			t.Fatalf("%s: not within %v (%d messages so far)", what, waitTimeout, len(msgs))
		}
	}
}

// connect connects a client to the tab's broker and disconnects it at
// cleanup.
func connect(t *testing.T, id string, clean bool, in *inbox) (*client.Client, bool) {
	t.Helper()
	on := func(client.Event) {}
	if in != nil {
		on = in.add
	}
	c, err := client.New(client.Options{URL: intab.URL, ClientID: id, CleanSession: clean, Timeout: 5 * time.Second}, on)
	if err != nil {
		t.Fatalf("client.New(%s): %v", id, err)
	}
	t.Cleanup(c.Disconnect)
	sp, err := c.Connect()
	if err != nil {
		t.Fatalf("Connect(%s): %v", id, err)
	}
	return c, sp
}

// The clients here reach the tab's broker as the page's do, through
// package intab; natively it is given the broker directly (in the browser
// it is the Web Worker running wasm/broker).
func TestMain(m *testing.M) {
	intab.Use(inbroker.Default())
	os.Exit(m.Run())
}

func TestRoundTrip(t *testing.T) {
	for qos := byte(0); qos <= 2; qos++ {
		t.Run(fmt.Sprintf("QoS %d", qos), func(t *testing.T) {
			in := newInbox()
			sub, _ := connect(t, uniq("sub"), true, in)
			name := uniq("roundtrip/qos")
			granted, err := sub.Subscribe(name, qos)
			if err != nil || granted != qos {
				t.Fatalf("Subscribe(%s, %d) = %d, %v; want %d", name, qos, granted, err, qos)
			}
			pub, _ := connect(t, uniq("pub"), true, nil)
			payload := fmt.Sprintf("hello at QoS %d", qos)
			if err := pub.Publish(name, []byte(payload), qos, false); err != nil {
				t.Fatalf("Publish: %v", err)
			}
			got := in.waitFor(t, "the message", func(m []client.Message) bool { return len(m) > 0 })[0]
			if string(got.Payload) != payload || got.QoS != qos || got.Topic != name {
				t.Errorf("got %q at QoS %d on %q; want %q at QoS %d on %q", got.Payload, got.QoS, got.Topic, payload, qos, name)
			}
			if qos > 0 && got.PacketID == 0 {
				t.Errorf("QoS %d message without a packet id", qos)
			}
		})
	}
}

// messageIDs counts the messages by the message_id of the tutorial's JSON
// payload.
func messageIDs(t *testing.T, msgs []client.Message) map[int64]int {
	t.Helper()
	ids := map[int64]int{}
	for _, m := range msgs {
		var p exercises.Payload
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			t.Fatalf("payload %q: %v", m.Payload, err)
		}
		ids[p.MessageID]++
	}
	return ids
}

// TestWindowToSubscriberInSameTab streams 1,000 messages with 20 in flight
// to a subscriber on the same broker: both directions of both pipes busy at
// once, the case that deadlocks paho and mochi on a synchronous net.Pipe.
func TestWindowToSubscriberInSameTab(t *testing.T) {
	const n = 1000
	for _, qos := range []byte{1, 2} {
		t.Run(fmt.Sprintf("QoS %d", qos), func(t *testing.T) {
			in := newInbox()
			sub, _ := connect(t, uniq("stream-sub"), true, in)
			name := uniq("stream/qos")
			if _, err := sub.Subscribe(name, 2); err != nil {
				t.Fatal(err)
			}
			pubCl, _ := connect(t, uniq("stream-pub"), true, nil)
			pub := exercises.NewPublisher(pubCl, exercises.PublisherConfig{Window: 20})
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			if err := pub.Burst(ctx, name, qos, n); err != nil {
				t.Fatalf("Burst: %v", err)
			}
			if c := pub.Counts()[exercises.StatusConfirmed]; c != n {
				t.Errorf("confirmed %d of %d", c, n)
			}
			msgs := in.waitFor(t, "every message", func(m []client.Message) bool { return len(messageIDs(t, m)) == n })
			if len(msgs) != n {
				t.Errorf("received %d messages for %d distinct ones", len(msgs), n)
			}
		})
	}
}

// TestRestart queues 20 QoS 1 messages for a persistent session that is
// away, restarts the broker, and counts what the session gets when it comes
// back: all 20 with persistence on (clean stop or crash), none with it off.
func TestRestart(t *testing.T) {
	const queued = 20
	b := inbroker.Default()
	t.Cleanup(func() {
		if err := b.Restart(true, false); err != nil {
			t.Error(err)
		}
	})
	tests := []struct {
		scenario    string
		persistence bool
		kill        bool
		want        int
	}{
		{"persistence on, clean stop", true, false, queued},
		{"persistence on, crash", true, true, queued},
		{"persistence off, clean stop", false, false, 0},
		{"persistence off, crash", false, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if err := b.Restart(tt.persistence, false); err != nil {
				t.Fatalf("Restart to set persistence %v: %v", tt.persistence, err)
			}
			subID, name := uniq("away"), uniq("restart/queued")
			in := newInbox()
			sub, _ := connect(t, subID, false, in)
			if _, err := sub.Subscribe(name, 1); err != nil {
				t.Fatal(err)
			}
			sub.Disconnect()
			pub, _ := connect(t, uniq("restart-pub"), true, nil)
			for i := 1; i <= queued; i++ {
				if err := pub.Publish(name, []byte(fmt.Sprintf("queued %d", i)), 1, false); err != nil {
					t.Fatal(err)
				}
			}
			// mochi sends the PUBACK of a QoS 1 message before it queues
			// the message for its subscribers (the caveat in the package
			// documentation): a crash right after the last PUBACK could
			// lose that message. mochi handles a client's packets one after
			// another, so once a later PUBLISH is acknowledged every
			// earlier one has been queued; this one goes to no subscriber.
			if err := pub.Publish(uniq("restart/barrier"), []byte("barrier"), 1, false); err != nil {
				t.Fatal(err)
			}
			before := b.Status().Restarts
			if err := b.Restart(tt.persistence, tt.kill); err != nil {
				t.Fatalf("Restart: %v", err)
			}
			if st := b.Status(); st.Restarts != before+1 || st.Persistence != tt.persistence || !st.Running {
				t.Errorf("Status after Restart = %+v", st)
			}

			sp, err := sub.Connect()
			if err != nil {
				t.Fatalf("reconnect: %v", err)
			}
			if sp != (tt.want > 0) {
				t.Errorf("session present %v after the restart", sp)
			}
			// The queued messages come right after CONNACK, before anything
			// this subscription brings: a marker published now arrives after
			// every one of them.
			if _, err := sub.Subscribe(name, 1); err != nil {
				t.Fatal(err)
			}
			pub2, _ := connect(t, uniq("restart-pub"), true, nil)
			if err := pub2.Publish(name, []byte("marker"), 1, false); err != nil {
				t.Fatal(err)
			}
			msgs := in.waitFor(t, "the marker", func(m []client.Message) bool {
				return len(m) > 0 && string(m[len(m)-1].Payload) == "marker"
			})
			distinct := map[string]bool{}
			for _, m := range msgs[:len(msgs)-1] {
				distinct[string(m.Payload)] = true
			}
			if len(distinct) != tt.want || len(msgs)-1 != tt.want {
				t.Errorf("the session got %d queued messages (%d distinct) after the restart, want %d", len(msgs)-1, len(distinct), tt.want)
			}
		})
	}
}

// TestDialAfterClose checks that a closed broker says so.
func TestDialAfterClose(t *testing.T) {
	b := inbroker.New(false)
	if _, err := b.Dial(context.Background()); err != nil {
		t.Fatalf("Dial: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Dial(context.Background()); err != inbroker.ErrClosed {
		t.Errorf("Dial after Close: %v, want %v", err, inbroker.ErrClosed)
	}
}

// TestRestartLesson runs the fault lab's broker restart lesson (the
// tutorial's Task 3) on the in-tab broker through faultlab.RunRestart, as the
// page does: every queued QoS 1 and 2 message comes back with persistence
// on, none with it off.
func TestRestartLesson(t *testing.T) {
	b := inbroker.Default()
	t.Cleanup(func() { b.Restart(true, false) })
	for _, tt := range []struct {
		persistence string
		kill        bool
		wantEach    int
	}{{"on", false, 5}, {"default", true, 5}, {"off", false, 0}} {
		t.Run(fmt.Sprintf("persistence %s, kill %v", tt.persistence, tt.kill), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			res, err := faultlab.RunRestart(ctx, faultlab.RestartConfig{
				URL: intab.URL, IDPrefix: uniq("lesson") + "-", Persistence: tt.persistence, Kill: tt.kill,
				Messages: 5, Restart: b.APIRestart,
			})
			if err != nil {
				t.Fatalf("RunRestart: %v", err)
			}
			if res.SessionPresent != (tt.wantEach > 0) {
				t.Errorf("session present %v", res.SessionPresent)
			}
			for _, row := range res.Ledger {
				if row.Sent != 5 || row.Received != tt.wantEach {
					t.Errorf("QoS %d: sent %d, received %d; want 5, %d", row.QoS, row.Sent, row.Received, tt.wantEach)
				}
			}
			if len(res.Ledger) != 2 {
				t.Errorf("%d ledger rows, want 2 (QoS 1 and 2)", len(res.Ledger))
			}
		})
	}
	if _, err := b.APIRestart(context.Background(), brokerapi.RestartRequest{Persistence: "sometimes"}); err == nil || !strings.Contains(err.Error(), "want off, on or default") {
		t.Errorf("APIRestart with a bad persistence: %v", err)
	}
}
