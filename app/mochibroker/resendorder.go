package mochibroker

import (
	"bytes"
	"sort"
	"sync"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// ResendOrder makes mochi-mqtt (v2.7.9) re-send a resumed session's
// messages in the order it first sent them, as MQTT 3.1.1 section 4.6
// requires ([MQTT-4.6.0-1]).
//
// On a session resumed by a new connection, mochi's
// ResendInflightMessages (clients.go) writes the in-flight messages in the
// order of Inflight.GetAll (inflight.go): a map's order, sorted by
// uint16(Created), the second each message came in, with an unstable
// sort. Messages of the same second go out shuffled: with only a
// subscriber's connection cut, 35 to 96 of 200 messages at QoS 1 first
// reached the application after a later one in the fault lab's side by
// side run.
//
// The hook numbers each message as mochi puts it in a client's session
// (OnQosPublish of a PUBLISH not yet sent), takes the list of messages
// in flight when the resumed session's CONNACK is encoded, before mochi's
// re-sends, and puts it in that order (messages it did not number, such
// as those a restarted broker read back from its store, first, by second
// and packet id). Then, as mochi writes its re-sends one by one, it
// encodes in place of each the next one of that list (OnPacketEncode):
// the same packets, each written once, in the original order. Only the
// messages the broker sends are reordered (PUBLISH, and PUBREL at QoS 2);
// the acknowledgements of the client's own messages pass as mochi writes
// them.
type ResendOrder struct {
	mqtt.HookBase

	mu      sync.Mutex
	next    uint64                       // the number of the next message put in a session
	numbers map[string]map[uint16]uint64 // client id → packet id → number
	resends map[*mqtt.Client]*resend     // a resumed connection's re-sends not written yet
}

// resend is the list of a resumed connection's re-sends, in order.
type resend struct {
	ids   map[uint16]bool  // the packet ids in the list
	queue []packets.Packet // the re-sends not written yet, in order
}

// NewResendOrder returns the hook, to be added to a server.
func NewResendOrder() *ResendOrder {
	return &ResendOrder{numbers: map[string]map[uint16]uint64{}, resends: map[*mqtt.Client]*resend{}}
}

// ID names the hook in mochi's logs.
func (h *ResendOrder) ID() string { return "resend-order" }

// Provides says which hooks it uses.
func (h *ResendOrder) Provides(b byte) bool {
	return bytes.Contains([]byte{
		mqtt.OnQosPublish, mqtt.OnQosComplete, mqtt.OnQosDropped,
		mqtt.OnPacketEncode, mqtt.OnSessionEstablished, mqtt.OnDisconnect,
	}, []byte{b})
}

// outbound reports whether pk is a message the broker sends in a session:
// a PUBLISH, or the PUBREL that takes its place at QoS 2.
func outbound(pk packets.Packet) bool {
	return pk.FixedHeader.Type == packets.Publish || pk.FixedHeader.Type == packets.Pubrel
}

// OnQosPublish numbers a message as mochi puts it in the client's session
// (mochi also calls it for each re-send, with DUP set).
func (h *ResendOrder) OnQosPublish(cl *mqtt.Client, pk packets.Packet, _ int64, _ int) {
	if pk.FixedHeader.Type != packets.Publish || pk.FixedHeader.Dup {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.numbers[cl.ID]
	if m == nil {
		m = map[uint16]uint64{}
		h.numbers[cl.ID] = m
	}
	m[pk.PacketID] = h.next
	h.next++
}

// forget drops the number of a message no longer in the client's session.
func (h *ResendOrder) forget(cl *mqtt.Client, id uint16) {
	if cl.IsTakenOver() {
		return // the old connection's copy; the session lives on
	}
	if pk, ok := cl.State.Inflight.Get(id); ok && outbound(pk) {
		return // still in flight
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := h.numbers[cl.ID]; m != nil {
		delete(m, id)
		if len(m) == 0 {
			delete(h.numbers, cl.ID)
		}
	}
}

// OnQosComplete forgets a message whose exchange is complete.
func (h *ResendOrder) OnQosComplete(cl *mqtt.Client, pk packets.Packet) { h.forget(cl, pk.PacketID) }

// OnQosDropped forgets a message dropped from the session.
func (h *ResendOrder) OnQosDropped(cl *mqtt.Client, pk packets.Packet) { h.forget(cl, pk.PacketID) }

// OnPacketEncode takes the list of re-sends at a resumed session's
// CONNACK, and writes each re-send in its turn.
func (h *ResendOrder) OnPacketEncode(cl *mqtt.Client, pk packets.Packet) packets.Packet {
	switch {
	case pk.FixedHeader.Type == packets.Connack && pk.SessionPresent:
		h.listResends(cl)
	case outbound(pk):
		if pk.FixedHeader.Type == packets.Publish && !pk.FixedHeader.Dup {
			return pk // a first send, not a re-send
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		r := h.resends[cl]
		if r == nil || !r.ids[pk.PacketID] || len(r.queue) == 0 {
			return pk
		}
		next := r.queue[0]
		r.queue = r.queue[1:]
		if len(r.queue) == 0 {
			delete(h.resends, cl)
		}
		// What WritePacket and ResendInflightMessages set on the packet
		// they write, set on the one written instead.
		if next.FixedHeader.Type == packets.Publish {
			next.FixedHeader.Dup = true // [MQTT-3.3.1-1]
		}
		next.ProtocolVersion, next.Mods = pk.ProtocolVersion, pk.Mods
		if next.Expiry > 0 {
			next.Properties.MessageExpiryInterval = pk.Properties.MessageExpiryInterval
		}
		return next
	}
	return pk
}

// listResends lists, in order, the messages mochi is about to re-send on
// cl's resumed session.
func (h *ResendOrder) listResends(cl *mqtt.Client) {
	var list []packets.Packet
	for _, pk := range cl.State.Inflight.GetAll(false) {
		if outbound(pk) {
			list = append(list, pk)
		}
	}
	if len(list) < 2 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	numbers := h.numbers[cl.ID]
	sort.Slice(list, func(i, j int) bool {
		a, aok := numbers[list[i].PacketID]
		b, bok := numbers[list[j].PacketID]
		switch {
		case aok && bok:
			return a < b
		case aok != bok:
			return bok // unnumbered first: they came before this broker started
		case list[i].Created != list[j].Created:
			return list[i].Created < list[j].Created
		}
		return list[i].PacketID < list[j].PacketID
	})
	r := &resend{ids: map[uint16]bool{}, queue: list}
	for _, pk := range list {
		r.ids[pk.PacketID] = true
	}
	h.resends[cl] = r
}

// OnSessionEstablished ends the connection's re-sends: mochi has written
// them all.
func (h *ResendOrder) OnSessionEstablished(cl *mqtt.Client, _ packets.Packet) { h.done(cl) }

// OnDisconnect ends the re-sends of a connection that failed during them.
func (h *ResendOrder) OnDisconnect(cl *mqtt.Client, _ error, _ bool) { h.done(cl) }

func (h *ResendOrder) done(cl *mqtt.Client) {
	h.mu.Lock()
	delete(h.resends, cl)
	h.mu.Unlock()
}
