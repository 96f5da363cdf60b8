package broker

import (
	"bytes"
	"log/slog"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// takeoverGuard keeps mochi-mqtt (v2.7.9) from losing QoS 1 and 2 messages
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
// CONNACK is written (after the table is updated). mochi skips the hooks
// that would release the write lock when the connection fails half-way, so
// its disconnection releases it too, and a timer at the latest.
type takeoverGuard struct {
	mqtt.HookBase
	routing sync.RWMutex

	mu           sync.Mutex
	publishing   map[*mqtt.Client]bool       // holds the read lock for its PUBLISH
	establishing map[*mqtt.Client]*sync.Once // holds the write lock; the Once releases it
}

// establishTimeout bounds how long a session establishment may hold up
// routing when mochi never calls a hook that releases it.
const establishTimeout = 2 * time.Second

func newTakeoverGuard() *takeoverGuard {
	return &takeoverGuard{publishing: map[*mqtt.Client]bool{}, establishing: map[*mqtt.Client]*sync.Once{}}
}

// ID names the hook in mochi's logs.
func (g *takeoverGuard) ID() string { return "takeover-guard" }

// Provides says which hooks the guard uses.
func (g *takeoverGuard) Provides(b byte) bool {
	return bytes.Contains([]byte{
		mqtt.OnSessionEstablish, mqtt.OnSessionEstablished, mqtt.OnPacketSent, mqtt.OnDisconnect,
		mqtt.OnPublish, mqtt.OnPacketProcessed,
	}, []byte{b})
}

// OnSessionEstablish takes the write lock before mochi copies the old
// session.
func (g *takeoverGuard) OnSessionEstablish(cl *mqtt.Client, _ packets.Packet) {
	g.routing.Lock()
	once := new(sync.Once)
	g.mu.Lock()
	g.establishing[cl] = once
	g.mu.Unlock()
	time.AfterFunc(establishTimeout, func() { g.established(cl) })
}

// established releases the write lock of cl's establishment, once.
func (g *takeoverGuard) established(cl *mqtt.Client) {
	g.mu.Lock()
	once := g.establishing[cl]
	delete(g.establishing, cl)
	g.mu.Unlock()
	if once != nil {
		once.Do(g.routing.Unlock)
	}
}

// OnPacketSent releases the write lock when the CONNACK is written: the new
// client is in mochi's table by then.
func (g *takeoverGuard) OnPacketSent(cl *mqtt.Client, pk packets.Packet, _ []byte) {
	if pk.FixedHeader.Type == packets.Connack {
		g.established(cl)
	}
}

// OnSessionEstablished releases the write lock if it is still held.
func (g *takeoverGuard) OnSessionEstablished(cl *mqtt.Client, _ packets.Packet) { g.established(cl) }

// OnDisconnect releases the write lock of a connection that failed while
// establishing its session.
func (g *takeoverGuard) OnDisconnect(cl *mqtt.Client, _ error, _ bool) { g.established(cl) }

// OnPublish takes the read lock before mochi routes the message.
func (g *takeoverGuard) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	g.routing.RLock()
	g.mu.Lock()
	g.publishing[cl] = true
	g.mu.Unlock()
	return pk, nil
}

// OnPacketProcessed releases the read lock once the PUBLISH is routed
// (mochi calls it after every packet, whichever way processing ended).
func (g *takeoverGuard) OnPacketProcessed(cl *mqtt.Client, pk packets.Packet, _ error) {
	if pk.FixedHeader.Type != packets.Publish {
		return
	}
	g.mu.Lock()
	held := g.publishing[cl]
	delete(g.publishing, cl)
	g.mu.Unlock()
	if held {
		g.routing.RUnlock()
	}
}

// dropLogger logs every message mochi drops, at Warn: a QoS 1/2 message
// dropped is a broken promise an operator must be able to see.
type dropLogger struct {
	mqtt.HookBase
	log *slog.Logger
}

// ID names the hook in mochi's logs.
func (d *dropLogger) ID() string { return "drop-logger" }

// Provides says which hooks it uses.
func (d *dropLogger) Provides(b byte) bool {
	return b == mqtt.OnQosDropped || b == mqtt.OnPublishDropped
}

// OnQosDropped logs a QoS 1/2 message removed from a client's queue
// unacknowledged.
func (d *dropLogger) OnQosDropped(cl *mqtt.Client, pk packets.Packet) {
	if cl.IsTakenOver() {
		return // the old connection's copy, cleared once the new one has it
	}
	d.log.Warn("broker: embedded broker dropped a queued message", "client", cl.ID, "packet_id", pk.PacketID, "topic", pk.TopicName)
}

// OnPublishDropped logs a message not delivered because the client's
// outgoing buffer was full.
func (d *dropLogger) OnPublishDropped(cl *mqtt.Client, pk packets.Packet) {
	d.log.Warn("broker: embedded broker dropped a message: the client's outgoing buffer is full", "client", cl.ID, "topic", pk.TopicName, "qos", pk.FixedHeader.Qos)
}
