package seqdiag

import (
	"bytes"
	"strings"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/wiretap"
)

func encode(t *testing.T, cp packets.ControlPacket) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := cp.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLayoutQoS2Exchange(t *testing.T) {
	var pkts []wiretap.Packet
	add := func(dir wiretap.Direction, cp packets.ControlPacket) {
		pk := wiretap.Decode(encode(t, cp))
		pk.Dir, pk.Seq = dir, len(pkts)+1
		pkts = append(pkts, pk)
	}
	pub := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pub.TopicName, pub.Qos, pub.MessageID, pub.Payload = "a/b", 2, 7, []byte("x")
	add(wiretap.Sent, pub)
	rec := packets.NewControlPacket(packets.Pubrec).(*packets.PubrecPacket)
	rec.MessageID = 7
	add(wiretap.Received, rec)
	rel := packets.NewControlPacket(packets.Pubrel).(*packets.PubrelPacket)
	rel.MessageID = 7
	add(wiretap.Sent, rel)
	comp := packets.NewControlPacket(packets.Pubcomp).(*packets.PubcompPacket)
	comp.MessageID = 7
	add(wiretap.Received, comp)
	dup := *pub
	dup.Dup = true
	add(wiretap.Sent, &dup)

	d := Layout(pkts)
	if len(d.Arrows) != 5 || d.Omitted != 0 {
		t.Fatalf("%d arrows, %d omitted; want 5 and 0", len(d.Arrows), d.Omitted)
	}
	wantLabels := []string{"PUBLISH QoS 2 #7", "PUBREC #7", "PUBREL #7", "PUBCOMP #7", "PUBLISH QoS 2 #7 DUP"}
	for i, a := range d.Arrows {
		if a.Label != wantLabels[i] {
			t.Errorf("arrow %d label %q, want %q", i, a.Label, wantLabels[i])
		}
		wantSent := i%2 == 0
		if a.Sent != wantSent || (a.Sent && (a.X1 != ClientX || a.X2 != BrokerX)) || (!a.Sent && (a.X1 != BrokerX || a.X2 != ClientX)) {
			t.Errorf("arrow %d: sent %v from %d to %d", i, a.Sent, a.X1, a.X2)
		}
		if i > 0 && a.Y <= d.Arrows[i-1].Y {
			t.Errorf("arrow %d is not below arrow %d", i, i-1)
		}
	}
	if !d.Arrows[4].Dup || d.Arrows[0].Dup {
		t.Error("the DUP flag is not marked on the resend only")
	}
	if d.Height <= d.Arrows[4].Y {
		t.Errorf("height %d does not hold the last arrow at %d", d.Height, d.Arrows[4].Y)
	}
}

func TestLayoutBoundsAFastStream(t *testing.T) {
	pkts := make([]wiretap.Packet, 1000)
	for i := range pkts {
		pkts[i] = wiretap.Packet{Seq: i + 1, Type: "PUBLISH", Dir: wiretap.Received}
	}
	d := Layout(pkts)
	if len(d.Arrows) != MaxArrows || d.Omitted != 1000-MaxArrows {
		t.Fatalf("%d arrows, %d omitted; want %d and %d", len(d.Arrows), d.Omitted, MaxArrows, 1000-MaxArrows)
	}
	if d.Arrows[0].Seq != 1000-MaxArrows+1 || d.Arrows[MaxArrows-1].Seq != 1000 {
		t.Errorf("drew packets %d to %d, want the newest", d.Arrows[0].Seq, d.Arrows[MaxArrows-1].Seq)
	}
}

func TestHex(t *testing.T) {
	got := Hex(append([]byte{0x30, 0x0a}, []byte("0123456789abcdefXY")...))
	want := "0000  30 0a 30 31 32 33 34 35 36 37 38 39 61 62 63 64\n0010  65 66 58 59"
	if got != want {
		t.Errorf("Hex =\n%s\nwant\n%s", got, want)
	}
	if Hex(nil) != "" {
		t.Error("Hex(nil) not empty")
	}
}

func TestMaskPassword(t *testing.T) {
	c := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	c.ProtocolName, c.ProtocolVersion, c.ClientIdentifier = "MQTT", 4, "me"
	c.UsernameFlag, c.Username, c.PasswordFlag, c.Password = true, "user", true, []byte("s3cret")
	pk := wiretap.Decode(encode(t, c))
	masked := MaskPassword(pk)
	if bytes.Contains(masked, []byte("s3cret")) || !bytes.HasSuffix(masked, []byte("******")) {
		t.Errorf("password not masked: %q", masked)
	}
	if !bytes.Contains(masked, []byte("user")) || len(masked) != len(pk.Raw) {
		t.Errorf("masking changed more than the password: %q", masked)
	}
	if !bytes.Contains(pk.Raw, []byte("s3cret")) {
		t.Error("MaskPassword changed the packet itself")
	}
	// With a will whose message ends like the password: only the password
	// field is masked.
	w := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	w.ProtocolName, w.ProtocolVersion, w.ClientIdentifier = "MQTT", 4, "me"
	w.WillFlag, w.WillTopic, w.WillMessage = true, "last/will", []byte("bye pw")
	w.UsernameFlag, w.Username, w.PasswordFlag, w.Password = true, "u", true, []byte("pw")
	wm := MaskPassword(wiretap.Decode(encode(t, w)))
	if !bytes.Contains(wm, []byte("bye pw")) || !bytes.HasSuffix(wm, []byte{0, 2, '*', '*'}) {
		t.Errorf("masked %q, want the will intact and the password starred", wm)
	}
	noPass := wiretap.Decode(encode(t, packets.NewControlPacket(packets.Pingreq)))
	if got := MaskPassword(noPass); !bytes.Equal(got, noPass.Raw) {
		t.Error("a PINGREQ changed")
	}
	if !strings.Contains(Label(pk), "CONNECT") {
		t.Errorf("label %q", Label(pk))
	}
}
