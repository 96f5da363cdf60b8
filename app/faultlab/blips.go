package faultlab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"qosplayground/app/client"
	"qosplayground/app/exercises"
	"qosplayground/app/fault"
	"qosplayground/app/netcond"
	"qosplayground/app/wiretap"
)

// BlipConfig configures RunBlips: the tutorial's Task 3 "network blip" as a
// measured run. One publisher and one reliable subscriber, both with a
// persistent session and automatic reconnection, exchange Messages
// messages at QoS while the server's gateway cuts their connections at
// random packet boundaries.
type BlipConfig struct {
	URL      string // the /mqtt endpoint
	IDPrefix string // client ids are IDPrefix+"blip_pub" and IDPrefix+"blip_sub"
	Topic    string // "" means "blip/qos<QoS>"
	QoS      byte
	Messages int           // 0 means 1,000
	Window   int           // the publisher's in-flight window; 0 means DefaultWindow
	Gap      time.Duration // between publishes; 0 means as fast as the window allows
	// Ahead bounds, at QoS 1 and 2, how far the publisher may run ahead
	// of the subscriber: it waits while this many messages it has handed
	// over have not reached the subscriber yet. 0 means DefaultAhead; a
	// negative value means no bound (the broker's queue for the
	// subscriber then grows as fast as the publisher outruns it).
	Ahead int
	// CutMin and CutMax: each connection of a cut client is cut after a
	// random number of packets in [CutMin, CutMax] (both directions
	// counted), and each new connection is armed again. Zero means no
	// cuts.
	CutMin, CutMax int
	// CutPublisher and CutSubscriber choose whose connections are cut.
	CutPublisher, CutSubscriber bool
	// Seed makes the cuts reproducible; each connection draws with Seed
	// plus its number.
	Seed int64
	// Settle bounds the wait, after the publisher is done, for the next
	// message still on its way to the subscriber: the run ends with
	// ErrBlipNotSettled when no new message has arrived for that long; 0
	// means 10 s. (A broker that resends its whole queue at each
	// reconnection, as mochi does, delivers the last messages of a long
	// run slowly, amid thousands of duplicates, but delivers them.) At QoS
	// 0 the run ends as soon as nothing more arrives for a short while:
	// what has not arrived by then never will.
	Settle time.Duration
	// ReconnectMax bounds the clients' wait before reconnecting; 0 means
	// 20 ms.
	ReconnectMax time.Duration
	// OnProgress, if set, is called (from the run's goroutines; it must
	// not block) whenever the counts change.
	OnProgress func(BlipProgress)
	// NoQoS2Fix runs both clients with paho's own QoS 2 (client.Options
	// NoQoS2Fix): only to measure what the fix changes.
	NoQoS2Fix bool
	// Net is the network conditions of both clients' connections
	// (latency, jitter, bandwidth; package netcond), sent before each
	// CONNECT: zero is the server's own network.
	Net netcond.Conditions
	// OnSent, if set, is called for each message the publisher hands to
	// its client, in order, with its number (message_id) and the time
	// it was handed over (the publisher's record).
	OnSent func(messageID int64, at time.Time)
	// OnDelivered, if set, is called for each message the subscriber's
	// client hands to the application, copies too, in the order they
	// come, with its number and the time it came (package sidebyside
	// keeps the order of arrival). It runs on the client's delivery
	// goroutine: it must not block.
	OnDelivered func(messageID int64, at time.Time)
}

// BlipGap is the publisher's pace in the fault lab's random-cut run, the
// page's and the tests' alike: a message a millisecond at QoS 1 and 2 (a
// sensor's pace, bounded further by the window and by DefaultAhead), every
// 2 ms at QoS 0, which has neither to pace it.
func BlipGap(qos byte) time.Duration {
	if qos == 0 {
		return 2 * time.Millisecond
	}
	return time.Millisecond
}

// DefaultAhead is BlipConfig.Ahead's default: the subscriber at most one
// publisher's window (DefaultWindow) behind.
//
// Without it, a publisher faster than the subscriber (in the browser,
// where both clients share one thread and each cut costs a new WebSocket,
// it always is) fills the broker's queue for the subscriber, and Mosquitto
// 2.0.11 then lets its messages in flight to the subscriber grow far past
// max_inflight_messages (20): each PUBACK of its oldest message in flight
// moves up to 20 more from the queue into flight
// (db__message_delete_outgoing counts only the messages in flight before
// the acknowledged one; compare eclipse/mosquitto issue #2301). Every
// reconnection then resends all of them at once (up to 923 at one
// reconnection), the broker's new messages released by the first few
// PUBACKs use up the cut's packet count before the subscriber has
// acknowledged more than a handful, and the backlog comes again at the
// next reconnection: 3,880–6,668 QoS 1 copies per 1,000 messages natively,
// 8,389–11,135 in the browser. With the subscriber at most 20 behind, a
// reconnection resends about 20 (at most 43 seen), and a run makes a few
// hundred copies (TestBlipsQoS1Copies, TestBrowserBlipsExactlyOnce).
const DefaultAhead = exercises.DefaultWindow

// BlipProgress is a run's counts so far.
type BlipProgress struct {
	Published      int // publishes handed to the client
	PublisherCuts  int // connections of the publisher lost
	SubscriberCuts int
	Received       int // deliveries to the reliable subscriber, duplicates included
}

// BlipResult is a finished run: the ledger of its QoS and what each side
// went through.
type BlipResult struct {
	QoS    byte
	Ledger exercises.LedgerRow // judged by message_id: sent, received, lost, duplicates seen and processed
	// NotSent counts messages the publisher could not hand over: a QoS 0
	// publish while its connection was down is refused (paho would drop
	// it and say it was sent). They count as sent and lost in Ledger.
	NotSent int
	// Resent counts PUBLISHes the publisher sent again with DUP=1 after a
	// reconnection (paho resends what the broker had not acknowledged).
	Resent         int
	PublisherCuts  int
	SubscriberCuts int
	Stats          exercises.Stats // the reliable subscriber's
	// SubscriberQoS1 is the subscriber's QoS 1 count: why the broker sent
	// a message again, and how many it resent at once at a reconnection
	// (client.QoS1Stats).
	SubscriberQoS1 client.QoS1Stats
	// SubscriberQoS2 and PublisherQoS2 are the clients' QoS 2 counts: why
	// the broker sent a message to the subscriber again, which copies
	// were withheld from the application, and whether the publisher sent
	// PUBREL, not the PUBLISH, after PUBREC (client.QoS2Stats).
	SubscriberQoS2, PublisherQoS2 client.QoS2Stats
	Took                          time.Duration
	// Net is the network conditions both clients ran under (BlipConfig.Net).
	Net netcond.Conditions
	// WirePackets and WireBytes count every MQTT packet on both clients'
	// connections, either way (CONNECT, acknowledgements, pings and the
	// resends included), and their bytes, fixed headers included.
	WirePackets, WireBytes int
}

// ErrBlipNotSettled reports QoS 1/2 messages the subscriber had not
// received when the settle time ran out: the lesson says none is lost.
var ErrBlipNotSettled = errors.New("lab: messages still missing after the settle time")

// RunBlips runs one blip run and returns its ledger. It ends the
// publisher's and the subscriber's sessions (clean session) before and
// after, so runs do not leak into each other.
func RunBlips(ctx context.Context, cfg BlipConfig) (BlipResult, error) {
	if cfg.Messages <= 0 {
		cfg.Messages = 1000
	}
	if cfg.Topic == "" {
		cfg.Topic = "blip/qos" + strconv.Itoa(int(cfg.QoS))
	}
	if cfg.Settle <= 0 {
		cfg.Settle = 10 * time.Second
	}
	if cfg.QoS > 2 {
		return BlipResult{}, client.ErrBadQoS
	}
	if cfg.CutMin < 0 || cfg.CutMax < cfg.CutMin {
		return BlipResult{}, fmt.Errorf("lab: cut range [%d, %d] is not a range", cfg.CutMin, cfg.CutMax)
	}
	start := time.Now()
	r := &blipRun{cfg: cfg, ledger: exercises.NewLedger()}
	pubID, subID := cfg.IDPrefix+"blip_pub", cfg.IDPrefix+"blip_sub"
	for _, id := range []string{pubID, subID} {
		if err := exercises.ClearSession(cfg.URL, id); err != nil {
			return BlipResult{}, err
		}
	}
	defer func() {
		exercises.ClearSession(cfg.URL, pubID)
		exercises.ClearSession(cfg.URL, subID)
	}()

	sub := exercises.NewReliableSubscriber(exercises.SubscriberConfig{
		Subscriptions: []exercises.Subscription{{Filter: cfg.Topic, QoS: 2}},
		WorkTimes:     map[string]time.Duration{},
		RetryDelay:    -1,
		OnEvent:       r.subscriberEvent,
	})
	defer sub.Close()
	// The subscriber's wire: every PUBLISH that reaches its connection,
	// also the copies its client answers without handing them over.
	subTap := wiretap.New(func(pk wiretap.Packet) {
		r.onWire(pk)
		if pk.Dir == wiretap.Received && pk.Type == "PUBLISH" {
			if id, ok := exercises.MessageIDOf(pk.Payload); ok {
				r.ledger.Wire(id, pk.Dup)
			}
		}
	})
	handle := sub.Handle
	if cfg.OnDelivered != nil {
		handle = func(m client.Message) {
			if id, ok := exercises.MessageIDOf(m.Payload); ok {
				cfg.OnDelivered(id, time.Now())
			}
			sub.Handle(m)
		}
	}
	subCl, err := r.newClient(subID, cfg.CutSubscriber, &r.subCuts, handle, subTap.Wrap)
	if err != nil {
		return BlipResult{}, err
	}
	defer subCl.Disconnect()
	if _, err := subCl.Connect(); err != nil {
		return BlipResult{}, err
	}
	if err := sub.Subscribe(subCl); err != nil {
		return BlipResult{}, err
	}
	r.arm(subCl, cfg.CutSubscriber)

	tap := wiretap.New(func(pk wiretap.Packet) {
		r.onWire(pk)
		if pk.Dir == wiretap.Sent && pk.Type == "PUBLISH" && pk.Dup {
			r.resent.Add(1)
		}
	})
	pubCl, err := r.newClient(pubID, cfg.CutPublisher, &r.pubCuts, nil, tap.Wrap)
	if err != nil {
		return BlipResult{}, err
	}
	defer pubCl.Disconnect()
	if _, err := pubCl.Connect(); err != nil {
		return BlipResult{}, err
	}
	r.arm(pubCl, cfg.CutPublisher)

	pub := exercises.NewPublisher(pubCl, exercises.PublisherConfig{Window: cfg.Window})
	notSent := 0
	for i := 1; i <= cfg.Messages; i++ {
		if err := r.waitAhead(ctx, cfg, i-1); err != nil {
			return BlipResult{}, err
		}
		if i > 1 && cfg.Gap > 0 {
			select {
			case <-time.After(cfg.Gap):
			case <-ctx.Done():
				return BlipResult{}, ctx.Err()
			}
		}
		rec, err := pub.Publish(ctx, cfg.Topic, fmt.Sprintf("blip %d/%d", i, cfg.Messages), cfg.QoS, "blip")
		if ctx.Err() != nil {
			return BlipResult{}, ctx.Err()
		}
		r.ledger.Sent(cfg.QoS, rec.MessageID)
		if cfg.OnSent != nil && rec.MessageID != 0 {
			cfg.OnSent(rec.MessageID, rec.SentAt)
		}
		if err != nil {
			notSent++
		}
		r.published.Add(1)
		r.progress()
	}
	if err := pub.Wait(ctx); err != nil {
		return BlipResult{}, err
	}
	settleErr := r.settle(ctx, cfg, pub.Records())
	// Nothing more may arrive while the counts are read: the ledger and
	// the subscriber's statistics must agree.
	pubCl.Disconnect()
	subCl.Disconnect()
	sub.Close()
	res := BlipResult{
		QoS:            cfg.QoS,
		NotSent:        notSent,
		Resent:         int(r.resent.Load()),
		PublisherCuts:  int(r.pubCuts.Load()),
		SubscriberCuts: int(r.subCuts.Load()),
		Stats:          sub.Stats(),
		SubscriberQoS1: subCl.QoS1Stats(),
		SubscriberQoS2: subCl.QoS2Stats(),
		PublisherQoS2:  pubCl.QoS2Stats(),
		Took:           time.Since(start),
		Net:            cfg.Net,
		WirePackets:    int(r.wirePackets.Load()),
		WireBytes:      int(r.wireBytes.Load()),
	}
	if rows := r.ledger.Rows(); len(rows) == 1 {
		res.Ledger = rows[0]
	}
	return res, settleErr
}

// blipRun is the shared state of one RunBlips.
type blipRun struct {
	cfg              BlipConfig
	ledger           *exercises.Ledger
	published        atomic.Int64
	received         atomic.Int64
	pubCuts, subCuts atomic.Int64
	resent           atomic.Int64
	processed        atomic.Int64 // the reliable subscriber's processings
	conns            atomic.Int64 // connections armed, for the seeds

	mu      sync.Mutex // guards arrived
	arrived chan struct{}

	fresh atomic.Int64 // messages new to the reliable subscriber

	wirePackets, wireBytes atomic.Int64 // on both clients' connections
}

// onWire counts a packet of either client's connection.
func (r *blipRun) onWire(pk wiretap.Packet) {
	r.wirePackets.Add(1)
	r.wireBytes.Add(int64(len(pk.Raw)))
}

// waitAhead waits, at QoS 1 and 2, until fewer than cfg.Ahead of the sent
// messages have not reached the subscriber (DefaultAhead). It gives up
// with ErrBlipNotSettled when none arrives for cfg.Settle.
func (r *blipRun) waitAhead(ctx context.Context, cfg BlipConfig, sent int) error {
	ahead := cfg.Ahead
	if ahead == 0 {
		ahead = DefaultAhead
	}
	if cfg.QoS == 0 || ahead < 0 {
		return nil
	}
	last, since := r.fresh.Load(), time.Now()
	for int64(sent)-r.fresh.Load() >= int64(ahead) {
		if n := r.fresh.Load(); n != last {
			last, since = n, time.Now()
		} else if time.Since(since) > cfg.Settle {
			return fmt.Errorf("%w: the subscriber got none of the last %d messages for %v", ErrBlipNotSettled, ahead, cfg.Settle)
		}
		select {
		case <-time.After(time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (r *blipRun) progress() {
	if r.cfg.OnProgress != nil {
		r.cfg.OnProgress(BlipProgress{
			Published: int(r.published.Load()), Received: int(r.received.Load()),
			PublisherCuts: int(r.pubCuts.Load()), SubscriberCuts: int(r.subCuts.Load()),
		})
	}
}

// newClient makes one of the run's clients: a persistent session that
// reconnects by itself at once, re-armed with a cut after every
// reconnection when cut is set. The subscriber acknowledges after
// processing (ManualAck), so a cut before its PUBACK brings the message
// again.
func (r *blipRun) newClient(id string, cut bool, cuts *atomic.Int64, onMessage func(client.Message), wrap func(net.Conn) net.Conn) (*client.Client, error) {
	var cl *client.Client
	cl, err := client.New(client.Options{
		URL: r.cfg.URL, ClientID: id, CleanSession: false,
		AutoReconnect: true, ReconnectMax: r.cfg.reconnectMax(),
		ManualAck: onMessage != nil,
		WrapConn:  wrap,
		NoQoS2Fix: r.cfg.NoQoS2Fix,
	}, func(ev client.Event) {
		switch {
		case ev.Kind == client.EventMessage && onMessage != nil:
			onMessage(ev.Message)
		case ev.Kind == client.EventState && ev.State == client.Reconnecting:
			cuts.Add(1)
			r.progress()
		case ev.Kind == client.EventState && ev.State == client.Connected:
			// Not on paho's goroutine: Fault writes to the connection.
			go r.arm(cl, cut)
		}
	})
	if err == nil && !r.cfg.Net.IsZero() {
		// Not connected yet: kept, and sent before each CONNECT.
		cl.SetNetwork(netcond.Preset{Conditions: r.cfg.Net})
	}
	return cl, err
}

// arm asks the gateway to cut cl's current connection at a random packet
// boundary. A failure (the connection is already gone again) is left to
// the next reconnection, which arms again.
func (r *blipRun) arm(cl *client.Client, cut bool) {
	if !cut || r.cfg.CutMax == 0 {
		return
	}
	n := r.conns.Add(1)
	cl.Fault(fault.Command{Op: fault.OpRandom, Min: r.cfg.CutMin, Max: r.cfg.CutMax, Seed: r.cfg.Seed + n})
}

// subscriberEvent records the reliable subscriber's deliveries and
// processing in the ledger.
func (r *blipRun) subscriberEvent(ev exercises.SubscriberEvent) {
	r.ledger.Event(ev)
	switch ev.Kind {
	case exercises.EventReceived, exercises.EventDuplicate:
		r.received.Add(1)
		if ev.Kind == exercises.EventReceived {
			r.fresh.Add(1)
		}
	case exercises.EventProcessed:
		r.processed.Add(1)
	default:
		return
	}
	r.mu.Lock()
	if r.arrived != nil {
		select {
		case r.arrived <- struct{}{}:
		default:
		}
	}
	r.mu.Unlock()
	r.progress()
}

// settle waits until every message the publisher handed over has reached
// the subscriber and been processed (QoS 1/2), or nothing has arrived for a
// while (QoS 0), as long as a new message comes within cfg.Settle of the
// last. Processed too: the subscriber reports a message received before it
// processes it, and closing it in between leaves that one unprocessed.
func (r *blipRun) settle(ctx context.Context, cfg BlipConfig, recs []exercises.PublishRecord) error {
	arrived := make(chan struct{}, 1)
	r.mu.Lock()
	r.arrived = arrived
	r.mu.Unlock()
	deadline := time.NewTimer(cfg.Settle)
	defer deadline.Stop()
	const quiet = 500 * time.Millisecond
	progress := -1 // messages received plus processed when last seen
	for {
		rows := r.ledger.Rows()
		if len(rows) == 1 && rows[0].Received == rows[0].Sent && (cfg.QoS == 0 || int(r.processed.Load()) >= rows[0].Received) {
			return nil
		}
		if len(rows) == 1 {
			if p := rows[0].Received + int(r.processed.Load()); p > progress {
				progress = p
				deadline.Reset(cfg.Settle) // a new message: wait for the next one afresh
			}
		}
		select {
		case <-arrived:
		case <-time.After(quiet):
			if cfg.QoS == 0 {
				return nil
			}
		case <-deadline.C:
			if cfg.QoS == 0 {
				return nil
			}
			missing := 0
			if len(rows) == 1 {
				missing = rows[0].Lost
			}
			return fmt.Errorf("%w: %d of %d at QoS %d", ErrBlipNotSettled, missing, len(recs), cfg.QoS)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c BlipConfig) reconnectMax() time.Duration {
	if c.ReconnectMax > 0 {
		return c.ReconnectMax
	}
	return 20 * time.Millisecond
}

// QoS2Outcome says how a QoS 2 run ended for the application, for the
// page to explain.
type QoS2Outcome int

// QoS 2 outcomes.
const (
	// QoS2ExactlyOnce: no copy reached the application; the broker's
	// resends stayed on the wire.
	QoS2ExactlyOnce QoS2Outcome = iota
	// QoS2SessionLost: copies reached the application, and the broker came
	// back without the session at least once (CONNACK session present 0:
	// clean session on, or a broker that lost it), so neither side
	// remembered the packet ids.
	QoS2SessionLost
	// QoS2SessionKept: copies reached the application although the session
	// was kept: a PUBLISH sent again after its exchange was over, or a
	// broker that forgot its half of the handshake.
	QoS2SessionKept
)

// QoS2Outcome returns how the run ended for the application.
func (r BlipResult) QoS2Outcome() QoS2Outcome {
	switch {
	case r.Ledger.DuplicatesSeen == 0:
		return QoS2ExactlyOnce
	case r.SubscriberQoS2.SessionLost > 0 || r.PublisherQoS2.SessionLost > 0:
		return QoS2SessionLost
	}
	return QoS2SessionKept
}
