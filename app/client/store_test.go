package client

import (
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// TestCopyingStoreGet: what paho's resume does to a stored PUBLISH (mark it
// DUP) does not reach the packet in the store, which a writer may be
// sending at that moment; other packets come back as they were stored.
func TestCopyingStoreGet(t *testing.T) {
	s := newCopyingStore()
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
	s := newCopyingStore()
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
