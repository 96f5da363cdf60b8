package inbroker_test

import (
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"qosplayground/app/client"
	"qosplayground/app/intab"
	"qosplayground/app/netcond"
)

// TestNetConditionsInTab: the in-tab broker's in-memory link carries the
// same conditions as the server's gateway (the client shapes its end):
// QoS 1 and QoS 2 round trips take their latency, and a change applies at
// once on a shaped link.
func TestNetConditionsInTab(t *testing.T) {
	const lat = 250 * time.Millisecond
	c, err := client.New(client.Options{URL: intab.URL, ClientID: uniq("net"), CleanSession: true, Timeout: 5 * time.Second}, func(client.Event) {})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Disconnect)
	// Set before connecting: kept, and the link is shaped from CONNECT on.
	if err := c.SetNetwork(netcond.Preset{Conditions: netcond.Conditions{LatencyMS: int(lat / time.Millisecond)}}); !errors.Is(err, client.ErrNotConnected) {
		t.Fatalf("SetNetwork before Connect: %v, want ErrNotConnected", err)
	}
	start := time.Now()
	if _, err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want time.Duration) {
		t.Helper()
		if got < want*9/10 || got > want*11/10 {
			t.Errorf("%s: %v, want %v ± 10 %%", what, got, want)
		} else {
			t.Logf("%s: %v (set %v)", what, got, want)
		}
	}
	check("CONNECT → CONNACK", time.Since(start), 2*lat)
	name := uniq("net/qos")
	timed := func(qos byte) time.Duration {
		t.Helper()
		start := time.Now()
		if err := c.Publish(name, []byte("x"), qos, false); err != nil {
			t.Fatalf("Publish QoS %d: %v", qos, err)
		}
		return time.Since(start)
	}
	check("QoS 1 PUBLISH → PUBACK", timed(1), 2*lat)
	check("QoS 2 PUBLISH → PUBCOMP", timed(2), 4*lat)
	// A change applies at once to the shaped link (the call still says
	// there is no gateway connection).
	c.SetNetwork(netcond.Preset{Conditions: netcond.Conditions{LatencyMS: 150}})
	timed(1) // what was on its way under the old numbers
	check("QoS 1 after the change", timed(1), 300*time.Millisecond)
}

// TestNetCutInTab: a cut rate set on the in-tab broker's link cuts the
// connection as the server's gateway does (a fresh draw on each
// connection), the client reconnects, and QoS 1 loses nothing.
func TestNetCutInTab(t *testing.T) {
	in := newInbox()
	var lost atomic.Int32
	on := func(ev client.Event) {
		in.add(ev)
		if ev.Kind == client.EventState && ev.State == client.Reconnecting {
			lost.Add(1)
		}
	}
	c, err := client.New(client.Options{URL: intab.URL, ClientID: uniq("cut"), AutoReconnect: true, ReconnectMax: 50 * time.Millisecond, Timeout: 5 * time.Second}, on)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Disconnect)
	c.SetNetwork(netcond.Preset{CutMin: 8, CutMax: 12}) // CONNECT, CONNACK, SUBSCRIBE and SUBACK pass
	if _, err := c.Connect(); err != nil {
		t.Fatal(err)
	}
	name := uniq("cut/qos1")
	if _, err := c.Subscribe(name, 1); err != nil {
		t.Fatal(err)
	}
	const n = 20 // 4 packets each: several cuts
	for i := range n {
		if err := c.Publish(name, []byte(strconv.Itoa(i)), 1, false); err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
	}
	in.waitFor(t, "every message", func(msgs []client.Message) bool {
		seen := map[string]bool{}
		for _, m := range msgs {
			seen[string(m.Payload)] = true
		}
		return len(seen) == n
	})
	if lost.Load() == 0 {
		t.Errorf("%d messages over a link cut every 8 to 12 packets, and the connection was never lost", n)
	}
	t.Logf("%d connections lost to the cut", lost.Load())
}
