// Package failovertest runs learners with persistent sessions through
// the gateway while parts of the system are killed, and checks what they
// see: the failover tests of a NATS cluster (server/gateway) and of server
// replicas behind HAProxy (server).
package failovertest

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"qosplayground/app/client"
)

// failoverClient is one persistent-session client of the failover test and
// what it saw.
type failoverClient struct {
	name string
	cl   *client.Client

	mu          sync.Mutex
	reconnects  int            // Reconnecting events
	resumed     []bool         // SessionPresent of each Connected after a Reconnecting
	got         map[string]int // payload -> copies handed to the application
	gotQoS      map[string]byte
	copies      map[string][]string // payload -> "packet id/DUP" of each copy handed over
	lastConnErr error
}

func (f *failoverClient) event(ev client.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case ev.Kind == client.EventState && ev.State == client.Reconnecting:
		f.reconnects++
		f.lastConnErr = ev.Err
	case ev.Kind == client.EventState && ev.State == client.Connected && f.reconnects > len(f.resumed):
		f.resumed = append(f.resumed, ev.SessionPresent)
	case ev.Kind == client.EventMessage:
		p := string(ev.Message.Payload)
		f.got[p]++
		f.gotQoS[p] = ev.Message.QoS
		f.copies[p] = append(f.copies[p], fmt.Sprintf("id %d dup %v at %s", ev.Message.PacketID, ev.Message.Duplicate, ev.Message.At.Format("15:04:05.000")))
	}
}

// Run is one failover run: learners with persistent sessions publish and
// receive QoS 1 and QoS 2 through URL while Kills, spread over the run,
// kill what they kill (a NATS node, a server replica). Every client that
// lost its connection reconnects with its session present, no QoS 1
// message is lost, and every QoS 2 message reaches the application once
// (NATS Server with the fix in third_party/nats-server; see Do).
type Run struct {
	URL      string // ws://host:port/mqtt
	Pairs    int    // publishers, and twice as many subscribers
	Messages int    // per publisher, QoS 1 and 2 in turn
	Every    time.Duration
	// Kills are called in turn, the first a third of the way into the
	// publishing, the others spread over the rest.
	Kills []func()
	// LogLines, when set, returns the broker's log lines containing a
	// string: a lost QoS 2 message is reported with NATS's own account
	// of it.
	LogLines func(string) []string
}

// Do runs r.
func (r Run) Do(t *testing.T) {
	pairs, messages, every := r.Pairs, r.Messages, r.Every
	c := struct {
		URL      string
		LogLines func(string) []string
	}{r.URL, r.LogLines}
	if c.LogLines == nil {
		c.LogLines = func(string) []string { return nil }
	}

	newClient := func(name string) *failoverClient {
		f := &failoverClient{name: name, got: map[string]int{}, gotQoS: map[string]byte{}, copies: map[string][]string{}}
		cl, err := client.New(client.Options{
			URL: c.URL, ClientID: name, CleanSession: false,
			KeepAlive: 5 * time.Second, Timeout: 10 * time.Second,
			AutoReconnect: true, ReconnectMax: time.Second,
		}, f.event)
		if err != nil {
			t.Fatal(err)
		}
		f.cl = cl
		if sp, err := cl.Connect(); err != nil || sp {
			t.Fatalf("%s: connect: session present %v, %v (want a new session)", name, sp, err)
		}
		t.Cleanup(cl.Disconnect)
		return f
	}
	subs := make([]*failoverClient, pairs)
	pubs := make([]*failoverClient, pairs)
	wits := make([]*failoverClient, pairs)
	// Each kind connects in a run of its own, so that the gateway's
	// rotation spreads every kind over the three nodes.
	for i := range pairs {
		subs[i] = newClient(fmt.Sprintf("fo-sub-%d", i))
	}
	for i := range pairs {
		wits[i] = newClient(fmt.Sprintf("fo-wit-%d", i))
	}
	for i := range pairs {
		pubs[i] = newClient(fmt.Sprintf("fo-pub-%d", i))
	}
	for i := range pairs {
		for _, f := range []*failoverClient{subs[i], wits[i]} {
			if g, err := f.cl.Subscribe(fmt.Sprintf("fo/%d/+", i), 2); err != nil || g != 2 {
				t.Fatalf("%s: subscribe: granted %d, %v", f.name, g, err)
			}
		}
	}

	var wg sync.WaitGroup
	pending := make([][]*client.Pending, pairs)
	errs := make(chan error, pairs)
	for i := range pairs {
		wg.Go(func() {
			for n := range messages {
				qos := byte(1 + n%2)
				p, err := pubs[i].cl.PublishAsync(fmt.Sprintf("fo/%d/q%d", i, qos), fmt.Appendf(nil, "%d:%d:%d", i, n, qos), qos, false)
				if err != nil {
					errs <- fmt.Errorf("publisher %d message %d: %w", i, n, err)
					return
				}
				pending[i] = append(pending[i], p)
				time.Sleep(every)
			}
		})
	}
	gap := time.Duration(messages) * every / time.Duration(len(r.Kills)+2)
	time.Sleep(time.Duration(messages) * every / 3)
	for k, kill := range r.Kills {
		if k > 0 {
			time.Sleep(gap)
		}
		kill()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Every publish completes: PUBACK or PUBCOMP, after a resend if its
	// connection died.
	deadline := time.After(60 * time.Second)
	for i, ps := range pending {
		for n, p := range ps {
			select {
			case <-p.Done():
				if err := p.Err(); err != nil {
					t.Errorf("publisher %d message %d: %v", i, n, err)
				}
			case <-deadline:
				t.Fatalf("publisher %d message %d (packet id %d) never acknowledged", i, n, p.PacketID())
			}
		}
	}
	// Every message arrives, at each of the two subscribers of its topic:
	// QoS 1 at least once, QoS 2 exactly once.
	//
	// NATS Server v2.15.3 as released does not keep QoS 2 whole across a
	// node's death (docs/nats-qos2-report.md): QoS 2 messages whose
	// exchange straddled the failover were acknowledged to their publisher
	// (PUBCOMP) and never delivered, or delivered twice under a new packet
	// id. The nodes run the patched copy in third_party/nats-server, and
	// any such loss or copy fails the test.
	receivers := append(append([]*failoverClient{}, subs...), wits...)
	topicOf := func(f *failoverClient) int {
		n, _ := strconv.Atoi(f.name[strings.LastIndexByte(f.name, '-')+1:])
		return n
	}
	missing := func(qos int) (out []string) {
		for _, f := range receivers {
			i := topicOf(f)
			f.mu.Lock()
			for m := range messages {
				if 1+m%2 != qos {
					continue
				}
				if p := fmt.Sprintf("%d:%d:%d", i, m, qos); f.got[p] == 0 {
					why := ""
					if len(c.LogLines(fmt.Sprintf("%q - JetStream failed a pipelined QoS1/2 operation (pi=%d)", pubs[i].name, pending[i][m].PacketID()))) > 0 {
						why = ", NATS logged a failed store for it"
					}
					out = append(out, fmt.Sprintf("%s to %s (packet id %d%s)", p, f.name, pending[i][m].PacketID(), why))
				}
			}
			f.mu.Unlock()
		}
		return out
	}
	// QoS 1 waits out ack_wait (10 s): a message in flight to a subscriber
	// whose node died comes again after it. QoS 2 gets as long.
	//
	// A client that reconnected late may hand over its queued messages
	// before its Connected event (paho runs OnConnect in a goroutine of
	// its own): wait for that event too, or the check below races it.
	reconnecting := func() (n int) {
		for _, f := range append(append([]*failoverClient{}, pubs...), receivers...) {
			f.mu.Lock()
			if f.reconnects > len(f.resumed) {
				n++
			}
			f.mu.Unlock()
		}
		return n
	}
	until := time.Now().Add(30 * time.Second)
	for len(missing(1))+len(missing(2))+reconnecting() > 0 && time.Now().Before(until) {
		time.Sleep(100 * time.Millisecond)
	}
	if lost := missing(1); len(lost) > 0 {
		t.Errorf("%d QoS 1 messages (publisher:number:QoS) acknowledged to their publisher but never received: %s", len(lost), strings.Join(lost, "; "))
	}
	var qos2Problems []string
	lostQoS2 := missing(2)
	if len(lostQoS2) > 0 {
		qos2Problems = append(qos2Problems, fmt.Sprintf("%d QoS 2 deliveries lost after PUBCOMP: %s", len(lostQoS2), strings.Join(lostQoS2, "; ")))
	}
	dupQoS2 := 0

	var movedPubs, movedSubs, dupQoS1 int
	for _, f := range append(append([]*failoverClient{}, pubs...), receivers...) {
		f.mu.Lock()
		if f.reconnects > 0 {
			if strings.HasPrefix(f.name, "fo-pub") {
				movedPubs++
			} else {
				movedSubs++
			}
			if len(f.resumed) != f.reconnects {
				t.Errorf("%s: %d reconnections, %d connections after them (last error %v)", f.name, f.reconnects, len(f.resumed), f.lastConnErr)
			}
			for k, sp := range f.resumed {
				if !sp {
					t.Errorf("%s: reconnection %d without its session (session present 0)", f.name, k+1)
				}
			}
		}
		for p, copies := range f.got {
			qos, _ := strconv.Atoi(p[strings.LastIndexByte(p, ':')+1:])
			switch {
			case qos == 2 && copies != 1:
				dupQoS2 += copies - 1
				qos2Problems = append(qos2Problems, fmt.Sprintf("%s: QoS 2 message %s handed to the application %d times: %s; %+v", f.name, p, copies, strings.Join(f.copies[p], ", "), f.cl.QoS2Stats()))
			case qos == 1 && copies > 1:
				dupQoS1 += copies - 1
			}
			if f.gotQoS[p] != byte(qos) {
				t.Errorf("%s: message %s delivered at QoS %d", f.name, p, f.gotQoS[p])
			}
		}
		f.mu.Unlock()
	}
	t.Logf("%d publishers and %d subscribers moved to a live node with their sessions; %d QoS 1 duplicates (allowed)", movedPubs, movedSubs, dupQoS1)
	if movedPubs == 0 || movedSubs == 0 {
		t.Errorf("the killed node carried %d publishers and %d subscribers: the test needs both", movedPubs, movedSubs)
	}
	for _, p := range qos2Problems {
		t.Error(p)
	}
	t.Logf("QoS 2 across the failover: %d of %d deliveries lost, %d duplicated", len(lostQoS2), len(receivers)*messages/2, dupQoS2)
}
