package client

import (
	"cmp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/eclipse/paho.mqtt.golang/packets"
)

// copyingStore is paho's memory store, except that Get hands out a copy of
// a stored PUBLISH, and that a PUBREC read from the wire replaces the
// stored PUBLISH by its PUBREL (pubrec, in qos2.go).
//
// paho v1.5.1's resume (client.go, after a reconnection) sets DUP on the
// packet Get returns, in place. The MemoryStore returns the very packet
// Publish stored and may at that moment be writing: a publish made while
// the connection came back goes both to the writer and, being in the store,
// through resume — and a resume of an earlier connection can still be
// running when the next connection's writer starts. The race detector
// caught the write of Dup against pack's read of it in the random-blips
// run. With a copy, resume marks its own packet: the stored one, and any
// write of it in progress, are left alone. The payload is shared; nobody
// writes to it.
//
// Put stores a copy too: the writer sets RemainingLength in the packet it
// sends (PublishPacket.Write), which for a new publish is the very packet
// Publish stored, and Get's copy of it read that field at the same time
// (the race detector again, in the same run).
//
// All lists the keys in the order they were first stored. paho's
// MemoryStore lists them in a Go map's order, and resume re-sends what All
// lists in that order: unacknowledged PUBLISHes went out again shuffled,
// against [MQTT-4.6.0-1] (re-send in the order first sent), and the
// fault lab's side-by-side run saw a third to a half of its QoS 1 and 2
// messages reach the subscriber after a later one (package sidebyside,
// TestRunSideBySide).
type copyingStore struct {
	*mqtt.MemoryStore
	mu    *sync.Mutex // orders pubrec's read and replace with Put and Del; guards order
	order *storeOrder
	gate  *resumeGate   // learns what resume re-sends (resume.go)
	conn  *atomic.Int64 // the client's connection number (Client.connSeq)
}

// storeOrder numbers the keys in the order they were first stored, and
// notes the connection that was the client's then.
type storeOrder struct {
	next uint64
	of   map[string]uint64
	conn map[string]int64
}

func newCopyingStore(conn *atomic.Int64) copyingStore {
	return copyingStore{MemoryStore: mqtt.NewMemoryStore(), mu: new(sync.Mutex),
		order: &storeOrder{of: map[string]uint64{}, conn: map[string]int64{}}, gate: newResumeGate(), conn: conn}
}

func (s copyingStore) Put(key string, p packets.ControlPacket) {
	if pub, ok := p.(*packets.PublishPacket); ok {
		c := *pub
		p = &c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.order.of[key]; !ok {
		s.order.next++
		s.order.of[key] = s.order.next
		s.order.conn[key] = s.conn.Load()
	}
	s.MemoryStore.Put(key, p)
}

// staleFirstAttempt reports whether the first attempt (DUP=0) of the
// outbound PUBLISH id, about to be written on connection conn, belongs to
// an earlier connection and is still stored, so that this connection's
// resume re-sends it (with DUP=1, in the order first stored): the writer
// then drops it.
//
// paho v1.5.1's Publish stores the packet, then blocks handing it to the
// writer (client.go, c.obound, unbuffered). When the connection dies at
// that moment the hand-over waits for the next connection's writer, which
// takes it as soon as it starts, before resume has re-sent the older
// messages: the new message went out first, and on Mosquitto, which
// forwards a QoS 2 message on its PUBREL, reached the subscriber before
// them ("…, 18, 21, [19], 20, …" with only the publisher cut,
// TestOrderOfFirstArrivals, about one run in ten on a busy machine). A
// new publish of this connection (stored since it was dialled), and one
// whose store a clean session emptied, go as they are.
func (s copyingStore) staleFirstAttempt(id uint16, conn int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := outboundKey(id)
	first, ok := s.order.conn[key]
	return ok && first < conn && s.MemoryStore.Get(key) != nil
}

func (s copyingStore) Del(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.order.of, key)
	delete(s.order.conn, key)
	s.MemoryStore.Del(key)
	if id, ok := outboundID(key); ok {
		s.gate.done(id)
	}
}

// All lists the stored keys in the order they were first stored.
func (s copyingStore) All() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := s.MemoryStore.All()
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(s.order.of[a], s.order.of[b]) })
	s.gate.listed(keys, func(k string) bool {
		_, ok := s.MemoryStore.Get(k).(*packets.PublishPacket)
		return ok
	})
	return keys
}

// Reset empties the store, its order too.
func (s copyingStore) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.order.of)
	clear(s.order.conn)
	s.MemoryStore.Reset()
	s.gate.listed(nil, nil) // a clean session: nothing to re-send
}

func (s copyingStore) Get(key string) packets.ControlPacket {
	p := s.MemoryStore.Get(key)
	if pub, ok := p.(*packets.PublishPacket); ok {
		c := *pub
		return &c
	}
	return p
}

// outboundKey is paho's store key of an outbound packet (store.go
// outboundKeyFromMID).
func outboundKey(id uint16) string { return "o." + strconv.Itoa(int(id)) }
