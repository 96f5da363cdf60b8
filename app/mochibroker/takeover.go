package mochibroker

import (
	"bytes"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// TakeoverGuard keeps mochi-mqtt (v2.7.9) from losing QoS 1 and 2 messages
// published while a persistent session is taken over by a new connection.
//
// mochi takes the old connection's in-flight messages over by copying them
// (inheritClientSession clones the old client's queue) and only then puts
// the new client in its client table. A PUBLISH routed in between is queued
// on the old client, which is discarded: the message is lost, although the
// publisher got its PUBACK. The fault lab reconnects clients dozens of times
// a second while messages flow, and lost hundreds of QoS 1 messages in 1,000
// that way; with messages published only before the reconnections, none.
//
// The guard makes routing and session establishment exclude each other: a
// PUBLISH holds a read lock from the OnPublish hook (before mochi routes it)
// to OnPacketProcessed (after), and a connection establishing its session
// holds the write lock from OnSessionEstablish (before the copy) until its
// CONNACK is encoded (after the table is updated), whether the CONNACK can
// then be written or not. mochi skips the hooks that would release the write
// lock when the connection fails half-way, so its disconnection releases it
// too, and a timer at the latest. Releasing only once the CONNACK was sent
// held the lock for the whole timeout whenever that write failed: a
// connection cut at that instant stopped all routing for 2 s, and a broker
// closing while clients reconnected queued them up 2 s each (Close and
// Restart took a minute or more with six clients reconnecting in a loop).
// When the broker stops, Release opens the guard for good: call it before
// mochi's Close.
//
// The guard also undoes the acknowledgement of a PUBLISH that mochi never
// routed. processPublish (server.go, v2.7.9) records its PUBACK or PUBREC in
// the publisher's in-flight map, writes it, and returns the write's error
// before publishToSubscribers: on a connection cut just after the PUBLISH
// arrived, the message goes nowhere, yet the session says it was taken. At
// QoS 2 the publisher's resend then finds that PUBREC and is answered "packet
// identifier in use" without being routed; at QoS 1 the session resent on
// reconnection carries the PUBACK, which may reach the publisher before it
// resends. Either way the message is lost: 1 to 15 in 1,000 under the fault
// lab's random cuts. The guard sees it in OnPacketProcessed (an error, and
// no OnPublished since OnPublish) and removes that acknowledgement, so the
// publisher's resend, which it must make since it never got one, is routed
// like a new message. It does so before releasing the read lock, so no
// takeover can copy the session in between.
type TakeoverGuard struct {
	mqtt.HookBase
	routing sync.RWMutex
	srv     *mqtt.Server

	// Forget, if set, is told of each acknowledgement the guard removes, so
	// that the broker's store drops it too (a store hook's OnQosComplete).
	// Set before the server starts.
	Forget func(cl *mqtt.Client, ack packets.Packet)

	mu           sync.Mutex
	publishing   map[*mqtt.Client]*inboundPublish // holds the read lock for its PUBLISH
	establishing map[*mqtt.Client]*sync.Once      // holds the write lock; the Once releases it
	stopped      bool                             // the broker is stopping: establishments no longer lock
}

// inboundPublish is a PUBLISH between OnPublish and OnPacketProcessed.
type inboundPublish struct {
	routed bool // OnPublished was called: mochi handed it to the subscribers
}

// EstablishTimeout bounds how long a session establishment may hold up
// routing when mochi never calls a hook that releases it. A variable for
// tests, which make it long to show that the hooks release the lock.
var EstablishTimeout = 2 * time.Second

// NewTakeoverGuard returns the guard of srv, to be added to it as a hook.
func NewTakeoverGuard(srv *mqtt.Server) *TakeoverGuard {
	return &TakeoverGuard{srv: srv, publishing: map[*mqtt.Client]*inboundPublish{}, establishing: map[*mqtt.Client]*sync.Once{}}
}

// ID names the hook in mochi's logs.
func (g *TakeoverGuard) ID() string { return "takeover-guard" }

// Provides says which hooks the guard uses.
func (g *TakeoverGuard) Provides(b byte) bool {
	return bytes.Contains([]byte{
		mqtt.OnSessionEstablish, mqtt.OnSessionEstablished, mqtt.OnPacketEncode, mqtt.OnDisconnect,
		mqtt.OnPublish, mqtt.OnPublished, mqtt.OnPacketProcessed,
	}, []byte{b})
}

// OnSessionEstablish takes the write lock before mochi copies the old
// session.
func (g *TakeoverGuard) OnSessionEstablish(cl *mqtt.Client, _ packets.Packet) {
	g.routing.Lock()
	g.mu.Lock()
	if g.stopped {
		g.mu.Unlock()
		g.routing.Unlock()
		return
	}
	g.establishing[cl] = new(sync.Once)
	g.mu.Unlock()
	time.AfterFunc(EstablishTimeout, func() { g.established(cl) })
}

// Release releases every write lock held and makes later establishments take
// none: mochi's Close disconnects the clients it knows, and one that joins
// its table at that moment may never get to its CONNACK (a closed client's
// writes stop before OnPacketEncode), holding the others up for the
// timeout. Routing while the broker stops is not worth holding Close up
// for.
func (g *TakeoverGuard) Release() {
	g.mu.Lock()
	g.stopped = true
	held := g.establishing
	g.establishing = map[*mqtt.Client]*sync.Once{}
	g.mu.Unlock()
	for _, once := range held {
		once.Do(g.routing.Unlock)
	}
}

// established releases the write lock of cl's establishment, once.
func (g *TakeoverGuard) established(cl *mqtt.Client) {
	g.mu.Lock()
	once := g.establishing[cl]
	delete(g.establishing, cl)
	g.mu.Unlock()
	if once != nil {
		once.Do(g.routing.Unlock)
	}
}

// OnPacketEncode releases the write lock when the CONNACK is about to be
// written: the new client is in mochi's table by then, and the write may
// fail (mochi calls no hook after a failed write).
func (g *TakeoverGuard) OnPacketEncode(cl *mqtt.Client, pk packets.Packet) packets.Packet {
	if pk.FixedHeader.Type == packets.Connack {
		g.established(cl)
	}
	return pk
}

// OnSessionEstablished releases the write lock if it is still held.
func (g *TakeoverGuard) OnSessionEstablished(cl *mqtt.Client, _ packets.Packet) { g.established(cl) }

// OnDisconnect releases the write lock of a connection that failed while
// establishing its session.
func (g *TakeoverGuard) OnDisconnect(cl *mqtt.Client, _ error, _ bool) { g.established(cl) }

// OnPublish takes the read lock before mochi routes the message.
func (g *TakeoverGuard) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	g.routing.RLock()
	g.mu.Lock()
	g.publishing[cl] = new(inboundPublish)
	g.mu.Unlock()
	return pk, nil
}

// OnPublished notes that mochi has routed the client's PUBLISH.
func (g *TakeoverGuard) OnPublished(cl *mqtt.Client, _ packets.Packet) {
	g.mu.Lock()
	if p := g.publishing[cl]; p != nil {
		p.routed = true
	}
	g.mu.Unlock()
}

// OnPacketProcessed releases the read lock once the PUBLISH is routed
// (mochi calls it after every packet, whichever way processing ended),
// after undoing the acknowledgement of a QoS 1 or 2 PUBLISH that failed
// before it was routed.
func (g *TakeoverGuard) OnPacketProcessed(cl *mqtt.Client, pk packets.Packet, err error) {
	if pk.FixedHeader.Type != packets.Publish {
		return
	}
	g.mu.Lock()
	p := g.publishing[cl]
	delete(g.publishing, cl)
	g.mu.Unlock()
	if p == nil {
		return
	}
	if err != nil && !p.routed && pk.FixedHeader.Qos > 0 {
		g.forgetAck(cl, pk.PacketID)
	}
	g.routing.RUnlock()
}

// forgetAck removes the PUBACK or PUBREC that mochi recorded for the
// client's PUBLISH with this packet id but never routed (see TakeoverGuard),
// and gives back the receive quota that PUBLISH took.
func (g *TakeoverGuard) forgetAck(cl *mqtt.Client, id uint16) {
	ack, ok := cl.State.Inflight.Get(id)
	if !ok || (ack.FixedHeader.Type != packets.Puback && ack.FixedHeader.Type != packets.Pubrec) {
		return
	}
	if cl.State.Inflight.Delete(id) {
		cl.State.Inflight.IncreaseReceiveQuota()
		// What mochi itself does when an acknowledgement completes: the
		// server's in-flight count and the store forget it.
		atomic.AddInt64(&g.srv.Info.Inflight, -1)
		if g.Forget != nil {
			g.Forget(cl, ack)
		}
		g.srv.Log.Debug("broker: took back the acknowledgement of a PUBLISH mochi could not route; the publisher's resend will be routed",
			"client", cl.ID, "packet_id", ack.PacketID)
	}
}

// DropLogger logs every message mochi drops, at Warn: a QoS 1/2 message
// dropped is a broken promise an operator must be able to see. Broker names
// the broker in the messages ("embedded broker", "in-tab broker").
type DropLogger struct {
	mqtt.HookBase
	Log    *slog.Logger
	Broker string
}

// ID names the hook in mochi's logs.
func (d *DropLogger) ID() string { return "drop-logger" }

// Provides says which hooks it uses.
func (d *DropLogger) Provides(b byte) bool {
	return b == mqtt.OnQosDropped || b == mqtt.OnPublishDropped
}

// OnQosDropped logs a QoS 1/2 message removed from a client's queue
// unacknowledged.
func (d *DropLogger) OnQosDropped(cl *mqtt.Client, pk packets.Packet) {
	if cl.IsTakenOver() {
		return // the old connection's copy, cleared once the new one has it
	}
	d.Log.Warn("broker: "+d.Broker+" dropped a queued message", "client", cl.ID, "packet_id", pk.PacketID, "topic", pk.TopicName)
}

// OnPublishDropped logs a message not delivered because the client's
// outgoing buffer was full.
func (d *DropLogger) OnPublishDropped(cl *mqtt.Client, pk packets.Packet) {
	d.Log.Warn("broker: "+d.Broker+" dropped a message: the client's outgoing buffer is full", "client", cl.ID, "topic", pk.TopicName, "qos", pk.FixedHeader.Qos)
}
