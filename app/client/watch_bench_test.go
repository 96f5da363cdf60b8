package client

import (
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
)

// BenchmarkWatchPacket measures the client's watch of each packet read
// (watchedConn.packet), which runs on paho's reading goroutine for every
// packet: a QoS 1 PUBLISH and a PUBACK (go test -bench WatchPacket).
func BenchmarkWatchPacket(b *testing.B) {
	w := &watchedConn{cl: &Client{}, num: 1}
	pub := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pub.Qos, pub.MessageID, pub.TopicName, pub.Payload = 1, 7, "sensors/room1/temp", make([]byte, 200)
	ack := packets.NewControlPacket(packets.Puback).(*packets.PubackPacket)
	ack.MessageID = 9
	for _, cp := range []packets.ControlPacket{pub, ack} {
		pkt := mqttframe.Encode(cp)
		h, _, err := mqttframe.ParseHeader(pkt)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(mqttframe.TypeName(h.Type), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w.packet(h, pkt)
			}
		})
	}
}
