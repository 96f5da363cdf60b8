// Package client is the playground's MQTT client: paho.mqtt.golang over the
// WebSocket transport, with every paho option set on purpose and every
// outcome reported as an Event for the user interface to show.
//
// It imports neither go-app nor syscall/js, so the exact code the browser runs
// is tested natively against real brokers.
//
// # Handlers
//
// paho delivers messages in order (OrderMatters true) on one goroutine; a
// handler that blocks stalls the whole client. The OnEvent callback given to
// New must therefore return at once: the user interface hands each event to
// its own goroutine (go-app's ctx.Dispatch) and returns.
package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"qosplayground/app/intab"
	"qosplayground/app/mqttframe"
	"qosplayground/app/netcond"
	"qosplayground/app/topic"
	"qosplayground/app/transport"
)

// State is the connection state shown to the learner.
type State string

// Connection states.
const (
	Disconnected State = "disconnected"
	Connecting   State = "connecting"
	Connected    State = "connected"
	// Reconnecting: the connection was lost and AutoReconnect is on.
	Reconnecting State = "reconnecting"
)

// Options configures a Client. The zero value of each field is not always
// paho's default: every choice is written out in New.
type Options struct {
	URL          string        // ws:// or wss:// URL of the /mqtt endpoint, or intab.URL
	ClientID     string        // MQTT client identifier
	CleanSession bool          // false asks the broker to keep the session
	KeepAlive    time.Duration // 0 means 30 s
	Timeout      time.Duration // dial, CONNECT and ack wait; 0 means 10 s
	Username     string
	Password     string
	// Will, when its Topic is set, is the last will: the message the broker
	// publishes for this client if the connection ends without DISCONNECT.
	Will Will
	// ManualAck, when set, sends the PUBACK (QoS 1) or PUBREC (QoS 2) of a
	// received message only when its Ack method is called: "acknowledge
	// after processing". Every QoS 1/2 message must then be acknowledged,
	// or the broker stops sending once its in-flight window is full.
	ManualAck bool
	// MaxPacket is the largest packet the server relays (its -max-packet
	// flag); a larger PUBLISH is refused before it is sent, instead of
	// costing the connection. 0 means 256 KiB, the server's default.
	MaxPacket int
	// WrapConn, when set, wraps the connection after it is dialled, e.g. to
	// observe the packets on the wire.
	WrapConn func(net.Conn) net.Conn
	// AutoReconnect, when set, makes a lost connection reconnect by
	// itself: at once, then waiting twice as long after each failure, up
	// to ReconnectMax. QoS 1 and 2 messages published meanwhile wait for
	// the new connection, and paho sends again (DUP=1) those the broker
	// had not acknowledged. (Off, a lost connection stays lost until
	// Connect is called again.)
	AutoReconnect bool
	// ReconnectMax bounds the wait between reconnection attempts; 0 means
	// 10 s.
	ReconnectMax time.Duration
	// NoQoS2Fix leaves paho v1.5.1's QoS 2 as it is: every copy of a
	// message the broker sends again goes to the application (paho issues
	// #768, #791), and after PUBREC a reconnection sends the PUBLISH again
	// instead of the PUBREL (#788). Only for measuring what the fix
	// (qos2.go) changes; QoS2Stats counts either way.
	NoQoS2Fix bool
}

// Will is a last will message.
type Will struct {
	Topic   string
	Payload []byte
	QoS     byte
	Retain  bool
}

// Message is a received PUBLISH as the application sees it.
type Message struct {
	Topic     string
	Payload   []byte
	QoS       byte
	Retained  bool
	Duplicate bool   // DUP flag of the PUBLISH as delivered by the broker
	PacketID  uint16 // 0 at QoS 0
	At        time.Time
	ack       func()
}

// Ack acknowledges the message when the client was made with ManualAck; it
// does nothing otherwise, or at QoS 0.
func (m Message) Ack() {
	if m.ack != nil {
		m.ack()
	}
}

// EventKind says what an Event reports.
type EventKind int

// Event kinds.
const (
	EventState   EventKind = iota // State (and SessionPresent, Err) changed
	EventMessage                  // a PUBLISH arrived: Message
	// EventNotice: the server's gateway said something about this
	// connection (a text message: Notice), such as a classroom notice
	// that a PUBLISH was dropped (package qosplayground/app/classroom).
	EventNotice
)

// Event is something the learner should see.
type Event struct {
	Kind           EventKind
	State          State
	SessionPresent bool  // with EventState Connected: CONNACK's session present flag
	Err            error // with EventState Disconnected: why, if not asked for
	Message        Message
	Notice         string // with EventNotice: the text message, as sent
}

// Errors returned before anything is sent.
var (
	ErrNotConnected = errors.New("client: not connected")
	ErrBadQoS       = errors.New("client: QoS must be 0, 1 or 2")
	ErrTimeout      = errors.New("client: no answer from the broker in time")
	ErrTooLarge     = errors.New("client: message too large")
	// ErrPersistentNoID reports a persistent session asked for without a
	// client id ([MQTT-3.1.3-7]).
	ErrPersistentNoID = errors.New("client: a persistent session (clean session off) needs a client id")
	// ErrRefused reports a subscription the broker refused (SUBACK 0x80).
	ErrRefused = errors.New("client: refused by the broker")
)

// Client is one MQTT connection of the playground. Its methods block until
// the broker answers, so the user interface calls them off its own goroutine.
type Client struct {
	opts    Options
	onEvent func(Event)
	c       mqtt.Client

	// mu guards state, wire, network and link.
	mu    sync.Mutex
	state State
	wire  *transport.Conn // the latest connection dialled, for Fault (fault.go)
	// network is what SetNetwork set, sent again on each new connection
	// (netcond.go); nil: none.
	network *netcond.Preset
	// link is the latest in-tab connection if it was shaped (netcond.go).
	link *netcond.Conn

	// reconnecting is set when a connection is lost with AutoReconnect on,
	// and cleared by the connection that follows; sessionPresent is the
	// latest CONNACK's flag (paho reports it only for the first connect).
	reconnecting   atomic.Bool
	sessionPresent atomic.Bool
	connackAt      atomic.Pointer[time.Time] // when the latest CONNACK was read off the wire (acks.go)
	reconnectMu    sync.Mutex                // orders the events of automatic reconnection (reconnect.go)
	acks           acks                      // publishes awaiting their acknowledgement on the wire (acks.go)
	acksOut        atomic.Int64              // acknowledgements handed to paho, not yet written (acks.go)
	store          copyingStore              // paho's store (store.go)
	in             inbound                   // QoS 2 exactly once (qos2.go)
	q1             qos1State                 // why QoS 1 messages came again (qos1.go)
	connSeq        atomic.Int64              // connections dialled, numbering them from 1
	liveConn       atomic.Int64              // the number of the connection not yet seen to fail; 0 when none

	dialing     chan struct{} // closed by the first dial or the first Connect's end (Dialing)
	dialingOnce sync.Once
}

// New checks opts and returns a disconnected client. onEvent receives every
// event; it must not block (see the package documentation).
func New(opts Options, onEvent func(Event)) (*Client, error) {
	// The in-tab broker (package intab) is dialled in memory; any
	// other URL must be a WebSocket one.
	if !intab.IsURL(opts.URL) {
		if err := transport.CheckURL(opts.URL); err != nil {
			return nil, err
		}
	}
	if opts.ClientID == "" && !opts.CleanSession {
		return nil, ErrPersistentNoID
	}
	if len(opts.ClientID) > 65535 {
		return nil, errors.New("client: client id longer than 65535 bytes")
	}
	if opts.Will.Topic != "" {
		if err := topic.ValidateName(opts.Will.Topic); err != nil {
			return nil, err
		}
		if opts.Will.QoS > 2 {
			return nil, ErrBadQoS
		}
	}
	if opts.KeepAlive == 0 {
		opts.KeepAlive = 30 * time.Second
	}
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.MaxPacket == 0 {
		opts.MaxPacket = 256 << 10
	}
	if opts.ReconnectMax <= 0 {
		opts.ReconnectMax = 10 * time.Second
	}
	cl := &Client{opts: opts, onEvent: onEvent, state: Disconnected, dialing: make(chan struct{})}
	cl.store = newCopyingStore(&cl.connSeq)

	o := mqtt.NewClientOptions().
		AddBroker(opts.URL).
		SetClientID(opts.ClientID).
		SetUsername(opts.Username).
		SetPassword(opts.Password).
		SetCleanSession(opts.CleanSession).
		SetKeepAlive(opts.KeepAlive).
		SetPingTimeout(opts.Timeout).
		SetConnectTimeout(opts.Timeout).
		SetWriteTimeout(opts.Timeout).
		// Reconnecting is a lesson of its own: off by default, the
		// learner sees every disconnect and reconnects by hand. paho
		// starts its backoff at 1 s unless the maximum is smaller.
		SetAutoReconnect(opts.AutoReconnect).
		SetMaxReconnectInterval(opts.ReconnectMax).
		SetConnectRetry(false).
		// A persistent session keeps its subscriptions at the broker.
		SetResumeSubs(false).
		SetOrderMatters(true).
		SetStore(cl.store).
		// The client acknowledges by itself, in handleMessage (see there).
		SetAutoAckDisabled(true).
		// Registered before Connect: with clean session off, queued
		// messages arrive right after CONNACK and would otherwise never
		// be acknowledged.
		SetDefaultPublishHandler(cl.handleMessage).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) {
			if opts.AutoReconnect {
				cl.lostReconnecting(err)
				return
			}
			cl.setState(Event{Kind: EventState, State: Disconnected, Err: err})
		}).
		// The first connection is reported by Connect; this reports the
		// automatic ones.
		SetOnConnectHandler(func(mqtt.Client) { cl.reconnected() }).
		SetCustomOpenConnectionFn(func(uri *url.URL, o mqtt.ClientOptions) (net.Conn, error) {
			ctx, cancel := context.WithTimeout(context.Background(), o.ConnectTimeout)
			defer cancel()
			dial := transport.Dial
			if uri.Scheme == intab.Scheme {
				dial = func(ctx context.Context, _ string) (net.Conn, error) { return cl.dialInTab(ctx) }
			}
			// Dialing's waiter becomes runnable here; in the browser it
			// runs once this goroutine waits for the handshake.
			cl.dialBegun()
			conn, err := dial(ctx, uri.String())
			if err != nil {
				return nil, err
			}
			cl.setWire(conn)
			if tc, ok := conn.(*transport.Conn); ok {
				tc.OnText(cl.notice)
				if err := cl.renewNetwork(ctx, tc); err != nil {
					conn.Close()
					return nil, err
				}
			}
			// The watch is outermost: a packet it holds back
			// (sendPublish2) never reaches WrapConn's observer.
			if opts.WrapConn != nil {
				conn = opts.WrapConn(conn)
			}
			return cl.watch(conn), nil
		})
	if opts.Will.Topic != "" {
		o.SetBinaryWill(opts.Will.Topic, opts.Will.Payload, opts.Will.QoS, opts.Will.Retain)
	}
	cl.c = mqtt.NewClient(o)
	return cl, nil
}

// Options returns the options the client was made with.
func (cl *Client) Options() Options { return cl.opts }

// State returns the current connection state.
func (cl *Client) State() State {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.state
}

func (cl *Client) setState(ev Event) {
	cl.mu.Lock()
	cl.state = ev.State
	cl.mu.Unlock()
	cl.onEvent(ev)
}

// handleMessage reports a received PUBLISH. Without ManualAck it hands the
// acknowledgement to paho's writer first: whoever sees the message may
// disconnect at once, and the PUBACK must not be lost behind the
// DISCONNECT, or the broker would send the message again to a persistent
// session. (paho's own automatic acknowledgement comes only after the
// handler returns.)
//
// A QoS 2 message goes through the receiver's state first (qos2.go): a
// copy of a message the application already has is answered there and not
// handed over again.
func (cl *Client) handleMessage(_ mqtt.Client, m mqtt.Message) {
	ack := func() { cl.acking(m) }
	if m.Qos() == 2 {
		var deliver bool
		if deliver, ack = cl.receivedQoS2(m); !deliver {
			return
		}
	}
	if !cl.opts.ManualAck {
		ack()
		ack = nil
	}
	cl.onEvent(Event{Kind: EventMessage, Message: Message{
		Topic:     m.Topic(),
		Payload:   m.Payload(),
		QoS:       m.Qos(),
		Retained:  m.Retained(),
		Duplicate: m.Duplicate(),
		PacketID:  m.MessageID(),
		At:        time.Now(),
		ack:       ack,
	}})
}

// wait waits for t to complete, at most the client's timeout.
func (cl *Client) wait(t mqtt.Token) error {
	if !t.WaitTimeout(cl.opts.Timeout + time.Second) {
		return ErrTimeout
	}
	return t.Error()
}

// Connect opens the connection and waits for CONNACK. It reports whether the
// broker had a session for this client id (CONNACK's session present flag).
func (cl *Client) Connect() (sessionPresent bool, err error) {
	defer cl.dialBegun() // in case it ends before dialling
	cl.setState(Event{Kind: EventState, State: Connecting})
	t := cl.c.Connect()
	if err := cl.wait(t); err != nil {
		err = fmt.Errorf("client: connect: %w", err)
		cl.setState(Event{Kind: EventState, State: Disconnected, Err: err})
		return false, err
	}
	sp := t.(*mqtt.ConnectToken).SessionPresent()
	cl.setState(Event{Kind: EventState, State: Connected, SessionPresent: sp})
	return sp, nil
}

// Dialing returns a channel closed once the client's first connection is
// being dialled (its WebSocket's handshake goes on while the caller does
// other work), or when the first Connect returns without dialling.
//
// A caller that runs Connect in a goroutine of its own can wait on it
// before doing more work on its own goroutine, so that the handshake,
// which takes the browser tens of milliseconds, overlaps that work instead
// of waiting for it: in the browser every goroutine shares one thread, and
// the user interface's goroutine would otherwise redraw the whole page
// before Connect's goroutine even ran.
func (cl *Client) Dialing() <-chan struct{} { return cl.dialing }

// dialBegun closes the Dialing channel, once.
func (cl *Client) dialBegun() { cl.dialingOnce.Do(func() { close(cl.dialing) }) }

// ConnackAt returns when the latest CONNACK was read off the wire, before
// paho saw it and so before any message the connection brought; zero
// before the first.
func (cl *Client) ConnackAt() time.Time {
	if at := cl.connackAt.Load(); at != nil {
		return *at
	}
	return time.Time{}
}

// Subscribe subscribes to filter at qos and waits for SUBACK. It returns the
// QoS the broker granted, or an error if the broker refused (0x80).
func (cl *Client) Subscribe(filter string, qos byte) (granted byte, err error) {
	if err := topic.ValidateFilter(filter); err != nil {
		return 0, err
	}
	if qos > 2 {
		return 0, ErrBadQoS
	}
	if !cl.c.IsConnectionOpen() {
		return 0, ErrNotConnected
	}
	t := cl.c.Subscribe(filter, qos, nil)
	if err := cl.wait(t); err != nil {
		return 0, fmt.Errorf("client: subscribe %q: %w", filter, err)
	}
	granted, ok := t.(*mqtt.SubscribeToken).Result()[filter]
	if !ok || granted == 0x80 {
		return 0x80, fmt.Errorf("client: subscribe %q: %w", filter, ErrRefused)
	}
	return granted, nil
}

// Unsubscribe removes a subscription and waits for UNSUBACK.
func (cl *Client) Unsubscribe(filter string) error {
	if err := topic.ValidateFilter(filter); err != nil {
		return err
	}
	if !cl.c.IsConnectionOpen() {
		return ErrNotConnected
	}
	if err := cl.wait(cl.c.Unsubscribe(filter)); err != nil {
		return fmt.Errorf("client: unsubscribe %q: %w", filter, err)
	}
	return nil
}

// Publish sends a PUBLISH and waits until the exchange its QoS calls for is
// done: written (QoS 0), PUBACK (QoS 1) or PUBCOMP (QoS 2).
func (cl *Client) Publish(name string, payload []byte, qos byte, retain bool) error {
	p, err := cl.PublishAsync(name, payload, qos, retain)
	if err != nil {
		return err
	}
	select {
	case <-p.Done():
	case <-time.After(cl.opts.Timeout + time.Second):
		return fmt.Errorf("client: publish to %q: %w", name, ErrTimeout)
	}
	if err := p.Err(); err != nil {
		return fmt.Errorf("client: publish to %q: %w", name, err)
	}
	return nil
}

// PublishAsync sends a PUBLISH and returns without waiting for its
// acknowledgement.
func (cl *Client) PublishAsync(name string, payload []byte, qos byte, retain bool) (*Pending, error) {
	if err := topic.ValidateName(name); err != nil {
		return nil, err
	}
	if qos > 2 {
		return nil, ErrBadQoS
	}
	if size := PublishSize(name, len(payload), qos); size > cl.opts.MaxPacket {
		return nil, &TooLargeError{Size: size, Limit: cl.opts.MaxPacket}
	}
	// While reconnecting (paho's IsConnected), paho keeps a QoS 1/2
	// message for the next connection, but reports a QoS 0 message done
	// and drops it: refuse it instead, so the caller knows it was never
	// sent.
	if !cl.c.IsConnectionOpen() && (qos == 0 || !cl.opts.AutoReconnect || !cl.c.IsConnected()) {
		return nil, ErrNotConnected
	}
	if qos > 0 {
		// After a reconnection, the re-sends of the unacknowledged
		// messages go first (resume.go).
		cl.store.gate.wait(cl.c.IsConnectionOpen)
	}
	return cl.acks.publish(cl.c, cl.opts.CleanSession, name, qos, retain, payload), nil
}

// TooLargeError reports a PUBLISH over the server's packet limit; it is
// ErrTooLarge.
type TooLargeError struct {
	Size, Limit int // bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%v: the PUBLISH would be %d bytes, the server's limit is %d", ErrTooLarge, e.Size, e.Limit)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// PublishSize returns the size in bytes of a PUBLISH packet, fixed header
// included.
func PublishSize(topicName string, payloadLen int, qos byte) int {
	remaining := 2 + len(topicName) + payloadLen
	if qos > 0 {
		remaining += 2 // packet id
	}
	return mqttframe.HeaderSize(remaining) + remaining
}

// Disconnect sends DISCONNECT and closes the connection. The broker then
// discards the last will.
func (cl *Client) Disconnect() {
	cl.flushAcks()
	// IsConnected is also true while reconnecting: Disconnect stops that.
	if cl.c.IsConnected() {
		cl.c.Disconnect(250)
	}
	cl.reconnecting.Store(false)
	cl.acks.failAll(ErrNotConnected)
	cl.setState(Event{Kind: EventState, State: Disconnected})
}

// notice reports a text message from the gateway. It runs on paho's reading
// goroutine, in order with the packets around it.
func (cl *Client) notice(msg []byte) {
	cl.onEvent(Event{Kind: EventNotice, Notice: string(msg)})
}
