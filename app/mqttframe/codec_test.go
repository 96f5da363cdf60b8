package mqttframe_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
)

// TestBuildCatalogue rebuilds every valid packet of the catalogue from its
// first byte and body: the fixed header Build writes is the catalogue's,
// for one-, two- and three-byte remaining lengths.
func TestBuildCatalogue(t *testing.T) {
	for _, p := range mqtttest.Valid {
		wire := p.Bytes()
		body := wire[len(wire)-p.Remaining:]
		h, got, err := mqttframe.Build(wire[0], body[:len(body)/2], body[len(body)/2:])
		if err != nil || !bytes.Equal(got, wire) {
			t.Errorf("%s: Build = % x, %v; want % x", p.Name, head(got), err, head(wire))
			continue
		}
		want, _, _ := mqttframe.ParseHeader(wire)
		if h != want {
			t.Errorf("%s: Build header %+v, want %+v", p.Name, h, want)
		}
		if got := mqttframe.AppendHeader([]byte("x"), wire[0], p.Remaining); !bytes.Equal(got[1:], wire[:len(wire)-p.Remaining]) {
			t.Errorf("%s: AppendHeader % x, want % x", p.Name, got[1:], wire[:len(wire)-p.Remaining])
		}
	}
	if _, _, err := mqttframe.Build(0x30, make([]byte, mqttframe.MaxRemainingLength+1)); !errors.Is(err, mqttframe.ErrTooLarge) {
		t.Errorf("Build over the largest remaining length: %v, want ErrTooLarge", err)
	}
}

// TestParsePublish splits the catalogue's PUBLISHes, and refuses the one
// whose topic runs past its end.
func TestParsePublish(t *testing.T) {
	for _, tc := range []struct {
		p       mqtttest.Packet
		id      uint16
		payload string
	}{
		{mqtttest.Publish0Retain, 0, "hi"},
		{mqtttest.Publish1, 10, "hi"},
		{mqtttest.Publish1Dup, 10, "hi"},
		{mqtttest.Publish2, 11, "hi"},
		{mqtttest.Publish2DupRetain, 11, ""},
	} {
		wire := tc.p.Bytes()
		h, _, _ := mqttframe.ParseHeader(wire)
		got, ok := mqttframe.ParsePublish(h, wire)
		if !ok || string(got.Topic) != "a/b" || got.PacketID != tc.id || string(got.Payload) != tc.payload {
			t.Errorf("%s: ParsePublish = %q %d %q %t; want \"a/b\" %d %q true",
				tc.p.Name, got.Topic, got.PacketID, got.Payload, ok, tc.id, tc.payload)
		}
		if h.Dup() != (tc.p.Flags&0x08 != 0) || h.QoS() != (tc.p.Flags>>1)&3 {
			t.Errorf("%s: Dup %t QoS %d", tc.p.Name, h.Dup(), h.QoS())
		}
	}
	bad := mqtttest.StringPastEnd.Bytes()
	h, _, _ := mqttframe.ParseHeader(bad)
	if _, ok := mqttframe.ParsePublish(h, bad); ok {
		t.Errorf("%s: ParsePublish ok", mqtttest.StringPastEnd.Name)
	}
	noID := mqtttest.Publish1.Bytes()[:7] // topic, then the packet id cut
	if _, ok := mqttframe.ParsePublish(mqttframe.Header{Type: mqttframe.PUBLISH, Flags: 2, Remaining: 5, Size: 7}, noID); ok {
		t.Error("PUBLISH QoS 1 without its packet id: ParsePublish ok")
	}
}

// TestReadString reads the strings of the catalogue's CONNECT, and refuses
// one cut short.
func TestReadString(t *testing.T) {
	b := mqtttest.Connect311.Bytes()[2:]
	proto, rest, ok := mqttframe.ReadString(b)
	if !ok || string(proto) != "MQTT" || len(rest) != len(b)-6 {
		t.Fatalf("ReadString = %q, %d bytes left, %t", proto, len(rest), ok)
	}
	id, _, ok := mqttframe.ReadString(rest[4:])
	if !ok || string(id) != "cid" {
		t.Errorf("client id %q, %t", id, ok)
	}
	for n := range 6 {
		if _, rest, ok := mqttframe.ReadString(b[:n]); ok || len(rest) != n {
			t.Errorf("%d bytes of \"MQTT\": ok %t, rest %d bytes", n, ok, len(rest))
		}
	}
	if got := mqttframe.AppendString(nil, "MQTT"); !bytes.Equal(got, b[:6]) {
		t.Errorf("AppendString: % x, want % x", got, b[:6])
	}
}

// TestAck writes and reads the catalogue's acknowledgements.
func TestAck(t *testing.T) {
	for _, p := range []mqtttest.Packet{mqtttest.Puback, mqtttest.Pubrec, mqtttest.Pubrel, mqtttest.Pubcomp, mqtttest.Unsuback} {
		id, ok := mqttframe.AckID(p.Bytes())
		if !ok {
			t.Fatalf("%s: AckID not ok", p.Name)
		}
		if got := mqttframe.Ack(p.Type, id); !bytes.Equal(got, p.Bytes()) {
			t.Errorf("Ack(%s, %d) = % x, want % x", p.Name, id, got, p.Bytes())
		}
	}
	if _, ok := mqttframe.AckID(mqtttest.Pingreq.Bytes()); ok {
		t.Error("AckID of a PINGREQ: ok")
	}
}

// TestMaskPassword masks the password of the catalogue's CONNECT, and only
// it; a CONNECT without a password, another packet and a cut CONNECT come
// back as they are.
func TestMaskPassword(t *testing.T) {
	wire := mqtttest.Connect311.Bytes()
	got := mqttframe.MaskPassword(wire)
	want := append(bytes.Clone(wire[:len(wire)-2]), '*', '*') // "pw"
	if !bytes.Equal(got, want) {
		t.Errorf("%s: % x, want % x", mqtttest.Connect311.Name, got, want)
	}
	if !bytes.Equal(wire, mqtttest.Connect311.Bytes()) {
		t.Error("MaskPassword changed its input")
	}
	// User name and password of paho's encoding: only the password goes.
	c := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	c.ProtocolName, c.ProtocolVersion, c.ClientIdentifier = "MQTT", 4, "me"
	c.UsernameFlag, c.Username, c.PasswordFlag, c.Password = true, "user", true, []byte("s3cret")
	raw := mqttframe.Encode(c)
	masked := mqttframe.MaskPassword(raw)
	if bytes.Contains(masked, []byte("s3cret")) || !bytes.HasSuffix(masked, []byte("******")) ||
		!bytes.Contains(masked, []byte("user")) || len(masked) != len(raw) {
		t.Errorf("user and password: masked %q", masked)
	}
	// A will whose message ends like the password: only the password
	// field is masked.
	w := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	w.ProtocolName, w.ProtocolVersion, w.ClientIdentifier = "MQTT", 4, "me"
	w.WillFlag, w.WillTopic, w.WillMessage = true, "last/will", []byte("bye pw")
	w.UsernameFlag, w.Username, w.PasswordFlag, w.Password = true, "u", true, []byte("pw")
	if wm := mqttframe.MaskPassword(mqttframe.Encode(w)); !bytes.Contains(wm, []byte("bye pw")) || !bytes.HasSuffix(wm, []byte{0, 2, '*', '*'}) {
		t.Errorf("masked %q, want the will intact and the password starred", wm)
	}
	for _, pkt := range [][]byte{mqtttest.Connect31.Bytes(), mqtttest.Publish1.Bytes(), wire[:len(wire)-3]} {
		if got := mqttframe.MaskPassword(pkt); &got[0] != &pkt[0] {
			t.Errorf("% x: masked as % x, want it as it is", pkt, got)
		}
	}
}
