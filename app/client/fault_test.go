package client

import (
	"errors"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"qosplayground/app/fault"
	"qosplayground/internal/teststack"
)

func TestFaultRefusedBeforeSending(t *testing.T) {
	c, _ := newClient(t, Options{URL: "ws://127.0.0.1:1/mqtt", CleanSession: true})
	if err := c.Fault(fault.Command{Op: fault.OpCutNow}); !errors.Is(err, ErrNotConnected) {
		t.Errorf("Fault before Connect: got %v, want ErrNotConnected", err)
	}
	bad := fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: "PINGREQ", When: fault.Before}
	if err := c.Fault(bad); !errors.Is(err, fault.ErrBadCommand) || !strings.Contains(err.Error(), "PINGREQ only goes tab→broker") {
		t.Errorf("Fault(%+v): got %v, want fault.ErrBadCommand saying why", bad, err)
	}
}

// TestFault cuts the client's own connection through the gateway the tests
// share (teststack, faults on, as the server's default), and checks that
// an armed command dies with its connection.
func TestFault(t *testing.T) {
	for _, mode := range teststack.Modes {
		t.Run(string(mode), func(t *testing.T) {
			s := teststack.Start(t, mode)
			topic := uniq("fault")
			// A persistent session: with clean session on, mochi-mqtt may
			// finish tearing down the cut connection after the new one has
			// subscribed, and remove the new subscription with the old
			// (both have the same client id).
			c, rec := connect(t, Options{URL: s.URL, ClientID: uniq("fault"), CleanSession: false}, false)
			if _, err := c.Subscribe(topic, 1); err != nil {
				t.Fatal(err)
			}
			if err := c.Fault(fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBLISH", When: fault.Before}); err != nil {
				t.Fatalf("Fault(cut-at): %v", err)
			}
			if err := c.Fault(fault.Command{Op: fault.OpCutNow}); err != nil {
				t.Fatalf("Fault(cut-now): %v", err)
			}
			ev := rec.waitState(t, Disconnected)
			if code := websocket.CloseStatus(ev.Err); code != fault.CloseCode || !strings.Contains(ev.Err.Error(), "cut now") {
				t.Errorf("lost the connection with %v (code %d), want close code %d \"cut now\"", ev.Err, code, fault.CloseCode)
			}
			if err := c.Fault(fault.Command{Op: fault.OpCutNow}); !errors.Is(err, ErrNotConnected) {
				t.Errorf("Fault after the cut: got %v, want ErrNotConnected", err)
			}

			// The new connection starts with nothing armed: the PUBLISH
			// the old one would have dropped passes.
			if _, err := c.Connect(); err != nil {
				t.Fatalf("reconnect: %v", err)
			}
			if _, err := c.Subscribe(topic, 1); err != nil {
				t.Fatal(err)
			}
			if err := c.Publish(topic, []byte("through"), 1, false); err != nil {
				t.Fatalf("Publish on the new connection: %v", err)
			}
			if m := rec.waitMessage(t); string(m.Payload) != "through" {
				t.Errorf("got %q, want \"through\"", m.Payload)
			}
		})
	}
}
