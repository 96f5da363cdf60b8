package client

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// TestCopyingStoreGet: what paho's resume does to a stored PUBLISH (mark it
// DUP) does not reach the packet in the store, which a writer may be
// sending at that moment; other packets come back as they were stored.
func TestCopyingStoreGet(t *testing.T) {
	s := newCopyingStore(new(atomic.Int64))
	s.Open()
	defer s.Close()

	pub := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pub.Qos, pub.MessageID, pub.TopicName, pub.Payload = 1, 7, "t", []byte("x")
	s.Put("o.7", pub)
	got := s.Get("o.7").(*packets.PublishPacket)
	if got == pub {
		t.Fatal("Get returned the stored PUBLISH itself")
	}
	if got.MessageID != 7 || got.Qos != 1 || got.TopicName != "t" || string(got.Payload) != "x" {
		t.Fatalf("Get returned %v, want a copy of %v", got, pub)
	}
	got.Dup = true // what resume does
	if pub.Dup || s.Get("o.7").(*packets.PublishPacket).Dup {
		t.Error("marking the copy DUP changed the stored packet")
	}

	rel := packets.NewControlPacket(packets.Pubrel).(*packets.PubrelPacket)
	rel.MessageID = 8
	s.Put("o.8", rel)
	if s.Get("o.8") != rel {
		t.Error("a stored PUBREL did not come back as stored")
	}
	if s.Get("o.9") != nil {
		t.Error("Get of an unknown key returned a packet")
	}
}

// TestCopyingStorePut: the writer's changes to the PUBLISH that Publish
// stored and then sends (Write sets RemainingLength) do not reach the stored
// copy, which resume may be copying at that moment.
func TestCopyingStorePut(t *testing.T) {
	s := newCopyingStore(new(atomic.Int64))
	s.Open()
	defer s.Close()

	pub := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pub.Qos, pub.MessageID, pub.TopicName, pub.Payload = 1, 7, "t", []byte("x")
	s.Put("o.7", pub)
	pub.RemainingLength = 99 // what PublishPacket.Write does to the packet it sends
	got := s.Get("o.7").(*packets.PublishPacket)
	if got.RemainingLength == 99 {
		t.Error("a change to the sent PUBLISH reached the stored one")
	}
	if got.MessageID != 7 || got.TopicName != "t" || string(got.Payload) != "x" {
		t.Errorf("Get returned %v, want a copy of what was stored", got)
	}
}

// TestCopyingStoreAllInOrder: All lists the stored packets in the order
// they were first stored, so that paho's resume re-sends unacknowledged
// PUBLISHes in the order they were first sent ([MQTT-4.6.0-1]); paho's
// MemoryStore lists them in a map's order. A PUBREL that replaces its
// PUBLISH keeps the PUBLISH's place, and a deleted key's place goes.
func TestCopyingStoreAllInOrder(t *testing.T) {
	s := newCopyingStore(new(atomic.Int64))
	s.Open()
	defer s.Close()
	var want []string
	for i := 1; i <= 40; i++ {
		id := uint16(i*7%64 + 1) // packet ids come in no order of their own
		pub := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		pub.Qos, pub.MessageID, pub.TopicName = 2, id, "t"
		s.Put(outboundKey(id), pub)
		want = append(want, outboundKey(id))
	}
	s.pubrec(uint16(3*7%64 + 1)) // the third: replaced by its PUBREL in place
	s.Del(want[0])
	want = want[1:]
	s.Put(want[0], packets.NewControlPacket(packets.Pubrel)) // stored again: keeps its place
	got := s.All()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("All() =\n %v, want the order stored\n %v", got, want)
	}
	s.Reset()
	if got := s.All(); len(got) != 0 {
		t.Errorf("after Reset, All() = %v", got)
	}
	s.Put("o.5", packets.NewControlPacket(packets.Pubrel))
	s.Put("o.4", packets.NewControlPacket(packets.Pubrel))
	if got := strings.Join(s.All(), " "); got != "o.5 o.4" {
		t.Errorf("after Reset and two Puts, All() = %v, want o.5 o.4", got)
	}
}

// TestStaleFirstAttempt: a first attempt of a PUBLISH stored while an
// earlier connection was the client's, written on a later one while still
// stored, is stale (resume re-sends it in its place); one stored on the
// same connection, one already acknowledged (deleted), and one a clean
// session emptied are not.
func TestStaleFirstAttempt(t *testing.T) {
	var conn atomic.Int64
	s := newCopyingStore(&conn)
	s.Open()
	defer s.Close()
	put := func(id uint16) {
		pub := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		pub.Qos, pub.MessageID, pub.TopicName = 1, id, "t"
		s.Put(outboundKey(id), pub)
	}
	conn.Store(1)
	put(19)
	put(20)
	put(21)
	if s.staleFirstAttempt(21, 1) {
		t.Error("a publish of connection 1 written on connection 1: stale")
	}
	conn.Store(2) // the connection died; the next one is dialled
	if !s.staleFirstAttempt(21, 2) {
		t.Error("a publish of connection 1 written first on connection 2, before resume's resend: not stale")
	}
	put(22)
	if s.staleFirstAttempt(22, 2) {
		t.Error("a publish of connection 2: stale")
	}
	s.Del(outboundKey(20))
	if s.staleFirstAttempt(20, 2) {
		t.Error("an acknowledged publish: stale")
	}
	put(20) // the id used again, by a new message of connection 2
	if s.staleFirstAttempt(20, 2) {
		t.Error("a new message reusing an id: stale")
	}
	s.Reset() // a clean session
	if s.staleFirstAttempt(19, 3) {
		t.Error("a publish a clean session emptied from the store: stale (it would be lost)")
	}
}
