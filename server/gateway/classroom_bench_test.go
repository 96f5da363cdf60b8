package gateway

import (
	"io"
	"log/slog"
	"net/url"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/classroom"
	"qosplayground/app/mqttframe"
)

// BenchmarkClassroomRewrite measures the classroom mode's rewriting of the
// packets that name a topic, each way: the per-packet cost the relay adds
// in classroom mode (go test -bench ClassroomRewrite -benchmem).
func BenchmarkClassroomRewrite(b *testing.B) {
	token := classroom.NewToken()
	cls, err := newClassroomConn(url.Values{classroom.LearnerParam: {token}}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	g := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rl := &relay{g: g, log: g.log, cls: cls}
	enc := func(cp packets.ControlPacket) (mqttframe.Header, []byte) {
		pkt := mqttframe.Encode(cp)
		h, _, err := mqttframe.ParseHeader(pkt)
		if err != nil {
			b.Fatal(err)
		}
		return h, pkt
	}
	up := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	up.Qos, up.MessageID, up.TopicName, up.Payload = 1, 7, "sensors/room1/temp", make([]byte, 200)
	full, err := cls.space.Name(up.TopicName)
	if err != nil {
		b.Fatal(err)
	}
	down := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	down.Qos, down.MessageID, down.TopicName, down.Payload = 1, 8, full, make([]byte, 200)
	sub := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	sub.MessageID, sub.Topics, sub.Qoss = 9, []string{"sensors/#", "alerts/+"}, []byte{1, 2}
	for _, tc := range []struct {
		name    string
		cp      packets.ControlPacket
		rewrite func(mqttframe.Header, []byte) (mqttframe.Header, []byte, error)
	}{
		{"PUBLISH up", up, rl.classroomUp},
		{"PUBLISH down", down, rl.classroomDown},
		{"SUBSCRIBE up", sub, rl.classroomUp},
	} {
		h, pkt := enc(tc.cp)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, out, err := tc.rewrite(h, pkt); err != nil || out == nil {
					b.Fatalf("rewrite: %v, %d bytes", err, len(out))
				}
			}
		})
	}
}
