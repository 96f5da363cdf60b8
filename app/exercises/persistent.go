package exercises

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"qosplayground/app/client"
)

// PersistentTopic is the topic of the persistent-session run.
const PersistentTopic = "important/messages"

// PersistentConfig configures the persistent-session run.
type PersistentConfig struct {
	URL      string // the /mqtt WebSocket URL
	ClientID string // the subscriber's fixed client id
	// CleanSession false is the lesson: the broker keeps the session while
	// the subscriber is away. True is the counter-example: the messages
	// sent while it was away are lost.
	CleanSession bool
	Gap          time.Duration // between steps; the tutorial waits 1-2 s
	Settle       time.Duration // longest wait for deliveries; 0 means 3 s
	Clock        Clock         // nil means RealClock
	// OnStep receives a line per step, for the learner. It is called from
	// the run's goroutine and from the client's; it must not block. Steps
	// can be reported later than they happened (a reconnection is
	// reported once its subscription is back, after the messages it
	// brought): order them by At.
	OnStep func(PersistentStep)
}

// PersistentStep is one step of the persistent-session run.
type PersistentStep struct {
	Step           string // connect, subscribe, publish-online, disconnect, publish-offline, reconnect, received, done
	SessionPresent bool   // with connect and reconnect
	Content        string // with publish-* and received
	// At is when the step happened: CONNACK read off the wire for connect
	// and reconnect, the PUBLISH sent for publish-*, the message handed to
	// the client for received.
	At time.Time
}

// Delivery is a message the persistent subscriber received.
type Delivery struct {
	MessageID int64
	Content   string
	Dup       bool
	Phase     string // "online" (before it disconnected) or "after-reconnect"
}

// PersistentResult is what the persistent-session run shows.
type PersistentResult struct {
	CleanSession            bool
	SessionPresentFirst     bool // CONNACK of the first connection
	SessionPresentReconnect bool // CONNACK after reconnecting: true only with a kept session
	Sent                    []PublishRecord
	Deliveries              []Delivery
	OfflineSent             int // messages published while the subscriber was away
	OfflineReceived         int // of those, how many arrived after it reconnected
	// Redelivered counts messages received before the subscriber left
	// that came again after it reconnected. QoS 1 is "at least once": a
	// broker may send a message again if it did not see the PUBACK. (The
	// embedded mochi-mqtt broker sometimes does so even for acknowledged
	// messages: 2 reconnects in 200 in our tests, with raw packets.)
	Redelivered int
}

// RunPersistentSession is test_persistent_session: a subscriber with a fixed
// client id subscribes to important/messages at QoS 1; p publishes two
// messages while it is connected and two while it is away; it reconnects
// and collects what the broker kept for it.
//
// Before starting, it clears any session the broker still has for the
// client id (a clean-session connection), so the first CONNACK reliably
// says "no session"; at the end it clears the session again, so runs do not
// leave sessions behind on the broker.
func RunPersistentSession(ctx context.Context, p *Publisher, cfg PersistentConfig) (PersistentResult, error) {
	if cfg.Settle <= 0 {
		cfg.Settle = 3 * time.Second
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.OnStep == nil {
		cfg.OnStep = func(PersistentStep) {}
	}
	res := PersistentResult{CleanSession: cfg.CleanSession}
	if err := ClearSession(cfg.URL, cfg.ClientID); err != nil {
		return res, err
	}
	defer ClearSession(cfg.URL, cfg.ClientID)

	var (
		mu         sync.Mutex // guards deliveries and phase
		deliveries []Delivery
		phase      = "online"
		arrived    = make(chan struct{}, 16)
	)
	// connect returns the connected, subscribed client, CONNACK's session
	// present flag and when CONNACK arrived.
	connect := func() (*client.Client, bool, time.Time, error) {
		var cl *client.Client // set before Connect, so before any message
		cl, err := client.New(client.Options{URL: cfg.URL, ClientID: cfg.ClientID, CleanSession: cfg.CleanSession}, func(ev client.Event) {
			if ev.Kind != client.EventMessage || ev.Message.Topic != PersistentTopic {
				return
			}
			var pl Payload
			json.Unmarshal(ev.Message.Payload, &pl)
			mu.Lock()
			deliveries = append(deliveries, Delivery{MessageID: pl.MessageID, Content: pl.Content, Dup: ev.Message.Duplicate, Phase: phase})
			mu.Unlock()
			// A message comes after the CONNACK of its connection, even
			// when a coarse clock (a browser's) gives both the same time.
			at := ev.Message.At
			if c := cl.ConnackAt(); !at.After(c) {
				at = c.Add(time.Nanosecond)
			}
			cfg.OnStep(PersistentStep{Step: "received", Content: pl.Content, At: at})
			select {
			case arrived <- struct{}{}:
			default:
			}
		})
		if err != nil {
			return nil, false, time.Time{}, err
		}
		sp, err := cl.Connect()
		if err != nil {
			return nil, false, time.Time{}, err
		}
		at := cl.ConnackAt()
		if at.IsZero() {
			at = time.Now()
		}
		if _, err := cl.Subscribe(PersistentTopic, 1); err != nil {
			cl.Disconnect()
			return nil, false, time.Time{}, err
		}
		return cl, sp, at, nil
	}
	count := func(ph string) int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, d := range deliveries {
			if d.Phase == ph {
				n++
			}
		}
		return n
	}
	// waitFor waits until n messages of phase ph arrived, or Settle.
	waitFor := func(ph string, n int) {
		deadline := cfg.Clock.After(cfg.Settle)
		for count(ph) < n {
			select {
			case <-arrived:
			case <-deadline:
				return
			case <-ctx.Done():
				return
			}
		}
	}
	pause := func() error {
		if cfg.Gap <= 0 {
			return ctx.Err()
		}
		select {
		case <-cfg.Clock.After(cfg.Gap):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	publish := func(step, content, msgType string) error {
		rec, err := p.Publish(ctx, PersistentTopic, content, 1, msgType)
		res.Sent = append(res.Sent, rec)
		at := rec.SentAt
		if at.IsZero() {
			at = time.Now()
		}
		cfg.OnStep(PersistentStep{Step: step, Content: content, At: at})
		return err
	}

	cl, sp, at, err := connect()
	if err != nil {
		return res, fmt.Errorf("lab: persistent client: %w", err)
	}
	res.SessionPresentFirst = sp
	cfg.OnStep(PersistentStep{Step: "connect", SessionPresent: sp, At: at})
	for i := 1; i <= 2; i++ {
		if err := publish("publish-online", fmt.Sprintf("Important message %d - while connected", i), "persistent_test"); err != nil {
			cl.Disconnect()
			return res, err
		}
		if err := pause(); err != nil {
			cl.Disconnect()
			return res, err
		}
	}
	waitFor("online", 2)

	cl.Disconnect()
	cfg.OnStep(PersistentStep{Step: "disconnect", At: cfg.Clock.Now()})
	mu.Lock()
	phase = "after-reconnect"
	mu.Unlock()
	for i := 3; i <= 4; i++ {
		if err := publish("publish-offline", fmt.Sprintf("Important message %d - while offline", i), "offline_test"); err != nil {
			return res, err
		}
		res.OfflineSent++
		if err := pause(); err != nil {
			return res, err
		}
	}
	// The broker must have the offline messages before the subscriber
	// comes back, or the run would not show what the session kept.
	waitCtx, cancel := context.WithTimeout(ctx, cfg.Settle)
	err = p.Wait(waitCtx)
	cancel()
	if err != nil {
		return res, fmt.Errorf("lab: offline messages not acknowledged: %w", err)
	}

	cl, sp, at, err = connect()
	if err != nil {
		return res, fmt.Errorf("lab: persistent client reconnect: %w", err)
	}
	res.SessionPresentReconnect = sp
	cfg.OnStep(PersistentStep{Step: "reconnect", SessionPresent: sp, At: at})
	waitFor("after-reconnect", res.OfflineSent)
	cl.Disconnect()

	mu.Lock()
	res.Deliveries = append([]Delivery(nil), deliveries...)
	mu.Unlock()
	offline := make(map[int64]bool)
	for _, r := range res.Sent {
		if r.MessageType == "offline_test" {
			offline[r.MessageID] = true
		}
	}
	seen := make(map[int64]bool)
	for _, d := range res.Deliveries {
		if d.Phase != "after-reconnect" || seen[d.MessageID] {
			continue
		}
		seen[d.MessageID] = true
		if offline[d.MessageID] {
			res.OfflineReceived++
		} else {
			res.Redelivered++
		}
	}
	// Refresh the records: the acknowledgements came in since.
	ids := make([]int64, len(res.Sent))
	for i, r := range res.Sent {
		ids[i] = r.MessageID
	}
	res.Sent = p.byID(ids)
	cfg.OnStep(PersistentStep{Step: "done", At: cfg.Clock.Now()})
	return res, nil
}

// ClearSession connects with clean session on and leaves: the broker drops
// whatever session it kept for id.
func ClearSession(url, id string) error {
	cl, err := client.New(client.Options{URL: url, ClientID: id, CleanSession: true}, func(client.Event) {})
	if err != nil {
		return err
	}
	if _, err := cl.Connect(); err != nil {
		return fmt.Errorf("lab: clearing the session of %q: %w", id, err)
	}
	cl.Disconnect()
	return nil
}
