package faultlab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"qosplayground/app/client"
	"qosplayground/app/exercises"
	"qosplayground/app/fault"
	"qosplayground/app/wiretap"
)

// The fault lab's one-click lessons: one message, one cut at the packet
// boundary that teaches, and what each side saw.
//
//   - QoS 1, cut before the PUBACK reaches the publisher: the broker has the
//     message (the subscriber gets it), the publisher does not know;
//     reconnecting with its session it sends the PUBLISH again with DUP=1,
//     the broker takes it for a new message and the subscriber gets a
//     duplicate, which the reliable subscriber detects and does not
//     process again.
//   - QoS 2, cut before the PUBREC reaches the publisher: the publisher
//     resends with DUP=1 too, but the broker knows the packet id from its
//     QoS 2 state and delivers nothing twice.
//   - QoS 0, cut before the PUBLISH reaches the broker: the message is
//     gone, and no one will ever know but the ledger.

// LessonCut is the cut that teaches the lesson at qos.
func LessonCut(qos byte) fault.Command {
	switch qos {
	case 1:
		return fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: "PUBACK", When: fault.Before}
	case 2:
		return fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: "PUBREC", When: fault.Before}
	}
	return fault.Command{Op: fault.OpCutAt, Dir: fault.Up, Packet: "PUBLISH", When: fault.Before}
}

// ErrNoAckAfterCut reports a lesson whose publisher never got its
// acknowledgement after the cut, not even by resending: the broker lost
// the message or the reconnection failed.
var ErrNoAckAfterCut = errors.New("lab: the publisher never got its acknowledgement after the cut")

// LessonConfig configures RunLesson.
type LessonConfig struct {
	URL      string
	IDPrefix string // client ids are IDPrefix+"lesson_pub" and IDPrefix+"lesson_sub"
	QoS      byte
	// WrapPublisher, if set, wraps the publisher's connections: the page
	// draws their packets, the resend with DUP=1 among them.
	WrapPublisher func(net.Conn) net.Conn
	// Settle bounds the waits for the resend and the deliveries; 0 means
	// 10 s.
	Settle time.Duration
}

// LessonResult is what one lesson showed.
type LessonResult struct {
	QoS       byte
	Cut       fault.Command
	Ledger    exercises.LedgerRow // of the one message: received, duplicates seen and processed
	Resent    bool                // the publisher sent the PUBLISH again with DUP=1
	Confirmed bool                // the publisher got its PUBACK/PUBCOMP in the end (QoS 1/2)
	Stats     exercises.Stats     // the reliable subscriber's
}

// RunLesson publishes one message with the lesson's cut armed on the
// publisher's connection, lets the publisher reconnect with its session,
// and reports what arrived.
func RunLesson(ctx context.Context, cfg LessonConfig) (LessonResult, error) {
	if cfg.QoS > 2 {
		return LessonResult{}, client.ErrBadQoS
	}
	if cfg.Settle <= 0 {
		cfg.Settle = 10 * time.Second
	}
	res := LessonResult{QoS: cfg.QoS, Cut: LessonCut(cfg.QoS)}
	ledger := exercises.NewLedger()
	topicName := "lesson/qos" + strconv.Itoa(int(cfg.QoS))
	pubID, subID := cfg.IDPrefix+"lesson_pub", cfg.IDPrefix+"lesson_sub"
	for _, id := range []string{pubID, subID} {
		if err := exercises.ClearSession(cfg.URL, id); err != nil {
			return res, err
		}
	}
	defer func() {
		exercises.ClearSession(cfg.URL, pubID)
		exercises.ClearSession(cfg.URL, subID)
	}()

	arrived := make(chan struct{}, 16)
	sub := exercises.NewReliableSubscriber(exercises.SubscriberConfig{
		Subscriptions: []exercises.Subscription{{Filter: topicName, QoS: 2}},
		WorkTimes:     map[string]time.Duration{},
		RetryDelay:    -1,
		OnEvent: func(ev exercises.SubscriberEvent) {
			ledger.Event(ev)
			if ev.Kind == exercises.EventReceived || ev.Kind == exercises.EventDuplicate {
				select {
				case arrived <- struct{}{}:
				default:
				}
			}
		},
	})
	defer sub.Close()
	subCl, err := client.New(client.Options{URL: cfg.URL, ClientID: subID, CleanSession: false, ManualAck: true},
		func(ev client.Event) {
			if ev.Kind == client.EventMessage {
				sub.Handle(ev.Message)
			}
		})
	if err != nil {
		return res, err
	}
	defer subCl.Disconnect()
	if _, err := subCl.Connect(); err != nil {
		return res, err
	}
	if err := sub.Subscribe(subCl); err != nil {
		return res, err
	}

	resent := make(chan struct{}, 1)
	spy := wiretap.New(func(pk wiretap.Packet) {
		if pk.Dir == wiretap.Sent && pk.Type == "PUBLISH" && pk.Dup {
			select {
			case resent <- struct{}{}:
			default:
			}
		}
	})
	wrap := func(c net.Conn) net.Conn {
		c = spy.Wrap(c)
		if cfg.WrapPublisher != nil {
			c = cfg.WrapPublisher(c)
		}
		return c
	}
	pubCl, err := client.New(client.Options{URL: cfg.URL, ClientID: pubID, CleanSession: false,
		AutoReconnect: true, ReconnectMax: 50 * time.Millisecond, WrapConn: wrap}, func(client.Event) {})
	if err != nil {
		return res, err
	}
	defer pubCl.Disconnect()
	if _, err := pubCl.Connect(); err != nil {
		return res, err
	}
	if err := pubCl.Fault(res.Cut); err != nil {
		return res, err
	}
	pub := exercises.NewPublisher(pubCl, exercises.PublisherConfig{Window: 1})
	rec, err := pub.Publish(ctx, topicName, "one message, one cut", cfg.QoS, "lesson")
	if err != nil {
		return res, err
	}
	ledger.Sent(cfg.QoS, rec.MessageID)

	settle := time.NewTimer(cfg.Settle)
	defer settle.Stop()
	if cfg.QoS > 0 {
		wctx, cancel := context.WithTimeout(ctx, cfg.Settle)
		err := pub.Wait(wctx)
		cancel()
		if err != nil {
			return res, fmt.Errorf("%w: %w", ErrNoAckAfterCut, err)
		}
		res.Confirmed = true
		// The acknowledgement can come before the resend: a broker that
		// kept its half of the exchange may send its PUBREC again on
		// reconnection (mochi does), and paho resends the stored PUBLISH
		// all the same.
		select {
		case <-resent:
			res.Resent = true
		case <-time.After(time.Second):
		}
	}
	// Deliveries: QoS 1 expects two (the original and the resend), QoS 2
	// one, QoS 0 none; wait for them, then a little more for any surprise.
	want := map[byte]int{0: 0, 1: 2, 2: 1}[cfg.QoS]
	for seen := 0; ; {
		quiet := time.After(300 * time.Millisecond)
		if seen < want {
			quiet = settle.C
		}
		select {
		case <-arrived:
			seen++
			continue
		case <-quiet:
		case <-ctx.Done():
			return res, ctx.Err()
		}
		break
	}
	if rows := ledger.Rows(); len(rows) == 1 {
		res.Ledger = rows[0]
	}
	res.Stats = sub.Stats()
	return res, nil
}

// Delivered is how many times the lesson's message reached the
// subscriber: once, plus every duplicate.
func (r LessonResult) Delivered() int { return r.Ledger.Received + r.Ledger.DuplicatesSeen }

// LessonPoint names one point a lesson's result makes, for the page's
// explanation.
type LessonPoint string

// The points a lesson makes.
const (
	LessonAtMostOnce  LessonPoint = "qos0"           // QoS 0: the PUBLISH went down with the connection
	LessonAtLeastOnce LessonPoint = "qos1"           // QoS 1: resent with DUP=1, possibly twice
	LessonExactlyOnce LessonPoint = "qos2"           // QoS 2: resent, the broker recognised the packet id
	LessonBrokerFirst LessonPoint = "qos2-pubrec"    // QoS 2 not resent: the broker sent its PUBREC again first
	LessonQoS2Dup     LessonPoint = "qos2-delivered" // QoS 2 delivered twice all the same
)

// Points says what the result shows, in the order the page explains it:
// the promise of its QoS first, then what this run did differently.
func (r LessonResult) Points() []LessonPoint {
	out := []LessonPoint{[...]LessonPoint{LessonAtMostOnce, LessonAtLeastOnce, LessonExactlyOnce}[r.QoS%3]}
	if r.QoS == 2 && !r.Resent {
		out = append(out, LessonBrokerFirst)
	}
	if r.QoS == 2 && r.Ledger.DuplicatesSeen > 0 {
		out = append(out, LessonQoS2Dup)
	}
	return out
}

// FirstResend returns the Seq of the packet a lesson is about among its
// packets, kept newest first as a page keeps them: the first PUBLISH sent
// again with DUP=1 (the oldest of them). ok is false when there is none
// (QoS 0, or a QoS 2 lesson whose broker moved first).
func FirstResend(newestFirst []wiretap.Packet) (seq int, ok bool) {
	for i := len(newestFirst) - 1; i >= 0; i-- {
		if pk := newestFirst[i]; pk.Type == "PUBLISH" && pk.Dup {
			return pk.Seq, true
		}
	}
	return 0, false
}
