package wiretap

import (
	"bytes"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
)

// catalogueEntry is a real packet built with paho's encoder, and what Decode
// must make of it.
type catalogueEntry struct {
	scenario string
	build    func() packets.ControlPacket
	want     Packet // Raw left out
	summary  string
}

func connectPacket(f func(c *packets.ConnectPacket)) func() packets.ControlPacket {
	return func() packets.ControlPacket {
		c := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
		c.ProtocolName, c.ProtocolVersion = "MQTT", 4
		f(c)
		return c
	}
}

func publishPacket(qos byte, id uint16, dup, retain bool, topic string, payload []byte) func() packets.ControlPacket {
	return func() packets.ControlPacket {
		p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		p.Qos, p.MessageID, p.Dup, p.Retain, p.TopicName, p.Payload = qos, id, dup, retain, topic, payload
		return p
	}
}

func idPacket(typ byte, id uint16) func() packets.ControlPacket {
	return func() packets.ControlPacket {
		cp := packets.NewControlPacket(typ)
		reflect.ValueOf(cp).Elem().FieldByName("MessageID").SetUint(uint64(id))
		return cp
	}
}

func plainPacket(typ byte) func() packets.ControlPacket {
	return func() packets.ControlPacket { return packets.NewControlPacket(typ) }
}

var bigPayload = bytes.Repeat([]byte("0123456789"), 2000) // 20,000 bytes: a three-byte remaining length

var catalogue = []catalogueEntry{
	{
		scenario: "CONNECT 3.1.1 with will, user name and password",
		build: connectPacket(func(c *packets.ConnectPacket) {
			c.CleanSession, c.Keepalive, c.ClientIdentifier = true, 60, "learner-1"
			c.WillFlag, c.WillQos, c.WillRetain, c.WillTopic, c.WillMessage = true, 1, true, "status/learner-1", []byte("offline")
			c.UsernameFlag, c.Username, c.PasswordFlag, c.Password = true, "alice", true, []byte("secret")
		}),
		want: Packet{Type: "CONNECT", Protocol: "MQTT", Level: 4, ClientID: "learner-1", CleanSession: true, KeepAlive: 60,
			Username: true, Password: true, HasWill: true, WillTopic: "status/learner-1", WillPayload: []byte("offline"),
			WillQoS: 1, WillRetain: true},
		summary: `CONNECT client id "learner-1" clean keepalive 60s will status/learner-1 QoS 1 retain (7 B) user password`,
	},
	{
		scenario: "CONNECT 3.1 (MQIsdp), persistent session",
		build: connectPacket(func(c *packets.ConnectPacket) {
			c.ProtocolName, c.ProtocolVersion = "MQIsdp", 3
			c.Keepalive, c.ClientIdentifier = 10, "old-timer"
		}),
		want:    Packet{Type: "CONNECT", Protocol: "MQIsdp", Level: 3, ClientID: "old-timer", KeepAlive: 10},
		summary: `CONNECT (3.1) client id "old-timer" persistent keepalive 10s`,
	},
	{
		scenario: "CONNECT 3.1.1 with an empty client id and a will at QoS 2",
		build: connectPacket(func(c *packets.ConnectPacket) {
			c.CleanSession = true
			c.WillFlag, c.WillQos, c.WillTopic = true, 2, "w"
		}),
		want:    Packet{Type: "CONNECT", Protocol: "MQTT", Level: 4, CleanSession: true, HasWill: true, WillTopic: "w", WillQoS: 2},
		summary: `CONNECT client id "" clean keepalive 0s will w QoS 2 (0 B)`,
	},
	{
		scenario: "CONNACK session present, accepted",
		build: func() packets.ControlPacket {
			c := packets.NewControlPacket(packets.Connack).(*packets.ConnackPacket)
			c.SessionPresent = true
			return c
		},
		want:    Packet{Type: "CONNACK", SessionPresent: true},
		summary: "CONNACK session present, accepted (0)",
	},
	{
		scenario: "CONNACK refused, not authorised",
		build: func() packets.ControlPacket {
			c := packets.NewControlPacket(packets.Connack).(*packets.ConnackPacket)
			c.ReturnCode = packets.ErrRefusedNotAuthorised
			return c
		},
		want:    Packet{Type: "CONNACK", ReturnCode: 5},
		summary: "CONNACK refused: not authorised (5)",
	},
	{
		scenario: "PUBLISH QoS 0 retained",
		build:    publishPacket(0, 0, false, true, "sensors/x", []byte("21.5")),
		want:     Packet{Type: "PUBLISH", Topic: "sensors/x", Retain: true, Payload: []byte("21.5")},
		summary:  "PUBLISH QoS 0 RETAIN sensors/x (4 B)",
	},
	{
		scenario: "PUBLISH QoS 1 DUP",
		build:    publishPacket(1, 7, true, false, "a/b", []byte("hello")),
		want:     Packet{Type: "PUBLISH", Topic: "a/b", QoS: 1, PacketID: 7, Dup: true, Payload: []byte("hello")},
		summary:  "PUBLISH id=7 QoS 1 DUP a/b (5 B)",
	},
	{
		scenario: "PUBLISH QoS 2 DUP retained, empty payload, largest id",
		build:    publishPacket(2, 65535, true, true, "センサー/温度", nil),
		want:     Packet{Type: "PUBLISH", Topic: "センサー/温度", QoS: 2, PacketID: 65535, Dup: true, Retain: true},
		summary:  "PUBLISH id=65535 QoS 2 DUP RETAIN センサー/温度 (0 B)",
	},
	{
		scenario: "PUBLISH QoS 2, 20 kB payload",
		build:    publishPacket(2, 3, false, false, "big", bigPayload),
		want:     Packet{Type: "PUBLISH", Topic: "big", QoS: 2, PacketID: 3, Payload: bigPayload},
		summary:  "PUBLISH id=3 QoS 2 big (20000 B)",
	},
	{"PUBACK", idPacket(packets.Puback, 1), Packet{Type: "PUBACK", PacketID: 1}, "PUBACK id=1"},
	{"PUBREC", idPacket(packets.Pubrec, 2), Packet{Type: "PUBREC", PacketID: 2}, "PUBREC id=2"},
	{"PUBREL", idPacket(packets.Pubrel, 3), Packet{Type: "PUBREL", PacketID: 3}, "PUBREL id=3"},
	{"PUBCOMP", idPacket(packets.Pubcomp, 4), Packet{Type: "PUBCOMP", PacketID: 4}, "PUBCOMP id=4"},
	{
		scenario: "SUBSCRIBE three filters",
		build: func() packets.ControlPacket {
			s := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
			s.MessageID, s.Topics, s.Qoss = 10, []string{"a/+/c", "sensors/#", "$SYS/broker/uptime"}, []byte{0, 1, 2}
			return s
		},
		want: Packet{Type: "SUBSCRIBE", PacketID: 10, Filters: []string{"a/+/c", "sensors/#", "$SYS/broker/uptime"},
			RequestedQoS: []byte{0, 1, 2}},
		summary: "SUBSCRIBE id=10 a/+/c QoS 0, sensors/# QoS 1, $SYS/broker/uptime QoS 2",
	},
	{
		scenario: "SUBACK with a failure",
		build: func() packets.ControlPacket {
			s := packets.NewControlPacket(packets.Suback).(*packets.SubackPacket)
			s.MessageID, s.ReturnCodes = 10, []byte{0, 1, 2, 0x80}
			return s
		},
		want:    Packet{Type: "SUBACK", PacketID: 10, GrantedQoS: []byte{0, 1, 2, 0x80}},
		summary: "SUBACK id=10 granted [0 1 2 128]",
	},
	{
		scenario: "UNSUBSCRIBE two filters",
		build: func() packets.ControlPacket {
			u := packets.NewControlPacket(packets.Unsubscribe).(*packets.UnsubscribePacket)
			u.MessageID, u.Topics = 11, []string{"a/+/c", "sensors/#"}
			return u
		},
		want:    Packet{Type: "UNSUBSCRIBE", PacketID: 11, Filters: []string{"a/+/c", "sensors/#"}},
		summary: "UNSUBSCRIBE id=11 a/+/c, sensors/#",
	},
	{"UNSUBACK", idPacket(packets.Unsuback, 11), Packet{Type: "UNSUBACK", PacketID: 11}, "UNSUBACK id=11"},
	{"PINGREQ", plainPacket(packets.Pingreq), Packet{Type: "PINGREQ"}, "PINGREQ"},
	{"PINGRESP", plainPacket(packets.Pingresp), Packet{Type: "PINGRESP"}, "PINGRESP"},
	{"DISCONNECT", plainPacket(packets.Disconnect), Packet{Type: "DISCONNECT"}, "DISCONNECT"},
}

// normalize makes empty slices nil, so that paho's empty payloads compare
// equal to a want that leaves them out.
func normalize(p Packet) Packet {
	if len(p.Raw) == 0 {
		p.Raw = nil
	}
	if len(p.WillPayload) == 0 {
		p.WillPayload = nil
	}
	if len(p.Payload) == 0 {
		p.Payload = nil
	}
	if len(p.Filters) == 0 {
		p.Filters = nil
	}
	if len(p.RequestedQoS) == 0 {
		p.RequestedQoS = nil
	}
	if len(p.GrantedQoS) == 0 {
		p.GrantedQoS = nil
	}
	return p
}

func TestDecodeCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range catalogue {
		t.Run(tc.scenario, func(t *testing.T) {
			raw := mqttframe.Encode(tc.build())
			got := Decode(raw)
			seen[got.Type] = true
			if !bytes.Equal(got.Raw, raw) {
				t.Errorf("Raw: got % x, want % x", got.Raw, raw)
			}
			got.Raw = nil
			if g, w := normalize(got), normalize(tc.want); !reflect.DeepEqual(g, w) {
				t.Errorf("Decode:\n got %+v\nwant %+v", g, w)
			}
			if s := got.Summary(); s != tc.summary {
				t.Errorf("Summary:\n got %s\nwant %s", s, tc.summary)
			}
		})
	}
	for typ := byte(packets.Connect); typ <= packets.Disconnect; typ++ {
		if !seen[packets.PacketNames[typ]] {
			t.Errorf("the catalogue has no %s", packets.PacketNames[typ])
		}
	}
}

// TestDecodeSharedCatalogue: every valid packet of the shared catalogue
// decodes with the fields paho reads, and every malformed one is
// Undecodable.
func TestDecodeSharedCatalogue(t *testing.T) {
	for _, p := range mqtttest.Valid {
		got := checkDecoded(t, p.Bytes())
		if got.Type == Undecodable || got.Type != packets.PacketNames[p.Type] {
			t.Errorf("%s: decoded as %s", p.Name, got.Summary())
		}
		d := p.Paho().Details()
		if got.PacketID != d.MessageID || (got.Type == "PUBLISH" && got.QoS != d.Qos) {
			t.Errorf("%s: QoS %d id %d, paho reads %+v", p.Name, got.QoS, got.PacketID, d)
		}
	}
	for _, p := range mqtttest.Malformed {
		if got := Decode(p.Bytes()); got.Type != Undecodable {
			t.Errorf("%s (% x): decoded as %s", p.Name, p.Bytes(), got.Summary())
		}
	}
}

// TestDecodeOddButValid decodes packets that MQTT 3.1.1 allows although no
// usual client or broker writes them.
func TestDecodeOddButValid(t *testing.T) {
	summary := map[string]string{
		"remaining length in more bytes than needed":         "PUBREL id=12345",
		"CONNACK with a reserved return code":                "CONNACK reserved return code (7)",
		"PUBLISH with an empty payload and a one-byte topic": "PUBLISH QoS 0 / (0 B)",
		"SUBSCRIBE to an empty-level filter":                 "SUBSCRIBE id=1 / QoS 2",
	}
	for _, p := range mqtttest.Odd {
		t.Run(p.Name, func(t *testing.T) {
			got := Decode(p.Bytes())
			if got.Err != "" || got.Summary() != summary[p.Name] {
				t.Errorf("Decode(% x): got %q (Err %q), want %q", p.Bytes(), got.Summary(), got.Err, summary[p.Name])
			}
		})
	}
}

// TestDecodeCopies checks that Raw is a copy: changing the input afterwards
// changes nothing in the Packet; and that Payload shares Raw's bytes.
func TestDecodeCopies(t *testing.T) {
	raw := mqttframe.Encode(publishPacket(1, 9, false, false, "t", []byte("abc"))())
	p := Decode(raw)
	for i := range raw {
		raw[i] = 0xFF
	}
	if p.Raw[0] != 0x32 || p.Topic != "t" || string(p.Payload) != "abc" {
		t.Errorf("after overwriting the input: Raw % x, Topic %q, Payload %q; want it unchanged", p.Raw, p.Topic, p.Payload)
	}
	if &p.Payload[0] != &p.Raw[len(p.Raw)-3] {
		t.Error("Payload does not share Raw's bytes: the payload is kept twice")
	}
}

func TestDecodeMalformed(t *testing.T) {
	// What the decoder says of each malformed packet of the catalogue.
	wantErr := map[string]string{
		mqtttest.ReservedType0.Name:               "reserved packet type 0",
		mqtttest.ReservedType15.Name:              "reserved packet type 15",
		"CONNECT with flags":                      "CONNECT flags 0x1",
		"PUBACK with flags":                       "PUBACK flags 0x2",
		mqtttest.PubrelFlags0.Name:                "PUBREL flags 0x0, want 0x2",
		mqtttest.SubscribeFlags0.Name:             "SUBSCRIBE flags 0x0",
		"UNSUBSCRIBE without its flags":           "UNSUBSCRIBE flags",
		mqtttest.PublishQoS3.Name:                 "QoS 3",
		mqtttest.PingreqFlags.Name:                "PINGREQ flags 0x1",
		mqtttest.TruncatedHeader.Name:             "truncated fixed header",
		mqtttest.BadRemainingLength.Name:          "longer than four bytes",
		"four continuation bytes, nothing after":  "longer than four bytes",
		mqtttest.TruncatedBody.Name:               "truncated PUBLISH",
		"largest remaining length, few bytes":     "truncated PUBLISH",
		"trailing garbage after the packet":       "1 byte of trailing garbage",
		"two packets":                             "trailing garbage",
		mqtttest.StringPastEnd.Name:               "PUBLISH: a field runs past the end",
		"QoS 1 PUBLISH without room for its id":   "PUBLISH: a field runs past the end",
		"PUBACK with one byte of id":              "PUBACK: a field runs past the end",
		"PUBACK without an id":                    "PUBACK: a field runs past the end",
		"PUBACK with a byte left over":            "PUBACK: 1 byte left over",
		"PUBCOMP with bytes left over":            "PUBCOMP: 2 bytes left over",
		"UNSUBACK with a byte left over":          "UNSUBACK: 1 byte left over",
		"PINGREQ with a body":                     "PINGREQ: 1 byte left over",
		"DISCONNECT with a body":                  "DISCONNECT: 2 bytes left over",
		"CONNACK with one byte":                   "CONNACK: a field runs past the end",
		"CONNACK with a byte left over":           "CONNACK: 1 byte left over",
		"CONNACK reserved flags":                  "reserved acknowledge flags",
		"CONNACK session present with a refusal":  "session present with return code 5",
		"SUBACK with one byte":                    "SUBACK: a field runs past the end",
		"SUBACK without return codes":             "no return code",
		"SUBACK return code 3":                    "return code 0x03",
		"CONNECT client id runs past the end":     "CONNECT: a field runs past the end",
		"CONNECT protocol name runs past the end": "CONNECT: a field runs past the end",
		"CONNECT with a byte left over":           "CONNECT: 1 byte left over",
		"CONNECT for MQTT 5":                      `protocol "MQTT" level 5`,
		"CONNECT for an unknown protocol":         `protocol "MQTX" level 4`,
		mqtttest.ConnectFlags01.Name:              "reserved connect flag",
		"CONNECT will QoS 3":                      "will QoS 3",
		"CONNECT will retain without a will":      "without the will flag",
		"CONNECT password without user name":      "password flag set without the user name flag",
		"CONNECT client id not UTF-8":             "client identifier is not valid UTF-8",
		"CONNECT will topic with U+0000":          "will topic is not valid UTF-8",
		"CONNECT user name not UTF-8":             "user name is not valid UTF-8",
		"PUBLISH QoS 1 with packet id 0":          "packet id 0 at QoS 1",
		"PUBLISH DUP at QoS 0":                    "DUP set at QoS 0",
		"PUBLISH to a wildcard topic":             "wildcards",
		"PUBLISH to an empty topic":               "must not be empty",
		"PUBLISH topic not UTF-8":                 "not valid UTF-8",
		"SUBSCRIBE without filters":               "no topic filter",
		"SUBSCRIBE filter runs past the end":      "SUBSCRIBE: a field runs past the end",
		"SUBSCRIBE without the QoS byte":          "SUBSCRIBE: a field runs past the end",
		"SUBSCRIBE requested QoS 3":               "requested QoS byte 0x03",
		"SUBSCRIBE reserved bits in the QoS byte": "requested QoS byte 0x41",
		"SUBSCRIBE packet id 0":                   "packet id 0",
		"SUBSCRIBE bad filter":                    "# must be the last level",
		"UNSUBSCRIBE without filters":             "no topic filter",
		"UNSUBSCRIBE empty filter":                "empty topic filter",
		"UNSUBSCRIBE filter runs past the end":    "UNSUBSCRIBE: a field runs past the end",
		"UNSUBSCRIBE with a byte left over":       "UNSUBSCRIBE: 1 byte left over",
	}
	tests := []struct {
		scenario string
		raw      []byte
		err      string // part of the wanted Err
	}{
		{"no bytes", nil, "no bytes"},
	}
	for _, p := range mqtttest.Malformed {
		want, ok := wantErr[p.Name]
		if !ok {
			t.Errorf("%s: no error expected of it here", p.Name)
			continue
		}
		delete(wantErr, p.Name)
		tests = append(tests, struct {
			scenario string
			raw      []byte
			err      string
		}{p.Name, p.Bytes(), want})
	}
	for name := range wantErr {
		t.Errorf("%s: not in the catalogue", name)
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			p := Decode(tc.raw)
			if p.Type != Undecodable || !strings.Contains(p.Err, tc.err) {
				t.Errorf("Decode(% x): got Type %q, Err %q; want %q with Err containing %q", tc.raw, p.Type, p.Err, Undecodable, tc.err)
			}
			if !bytes.Equal(p.Raw, tc.raw) {
				t.Errorf("Raw: got % x, want % x", p.Raw, tc.raw)
			}
			if s := p.Summary(); !strings.HasPrefix(s, Undecodable) || !strings.Contains(s, tc.err) {
				t.Errorf("Summary: got %q, want UNDECODABLE and the reason", s)
			}
		})
	}
}

// TestDecodeEveryPrefix cuts every catalogue packet short at every length:
// each prefix is undecodable, and so is each packet with a byte added.
func TestDecodeEveryPrefix(t *testing.T) {
	for _, tc := range catalogue {
		raw := mqttframe.Encode(tc.build())
		for n := range len(raw) {
			if p := Decode(raw[:n]); p.Type != Undecodable || p.Err == "" || !bytes.Equal(p.Raw, raw[:n]) {
				t.Errorf("%s cut to %d of %d bytes: got Type %q, Err %q, %d raw bytes; want %q with a reason",
					tc.scenario, n, len(raw), p.Type, p.Err, len(p.Raw), Undecodable)
			}
		}
		if p := Decode(append(bytes.Clone(raw), 0)); p.Type != Undecodable || !strings.Contains(p.Err, "trailing garbage") {
			t.Errorf("%s with a byte added: got Type %q, Err %q; want trailing garbage", tc.scenario, p.Type, p.Err)
		}
	}
}

// reencode writes p back with paho's encoder. ok is false for a CONNECT
// with a user name or password, which Decode does not keep.
func reencode(t testing.TB, p Packet) (raw []byte, ok bool) {
	var cp packets.ControlPacket
	switch p.Type {
	case "CONNECT":
		if p.Username || p.Password {
			return nil, false
		}
		cp = connectPacket(func(c *packets.ConnectPacket) {
			c.ProtocolName, c.ProtocolVersion, c.ClientIdentifier = p.Protocol, p.Level, p.ClientID
			c.CleanSession, c.Keepalive = p.CleanSession, p.KeepAlive
			c.WillFlag, c.WillTopic, c.WillMessage, c.WillQos, c.WillRetain = p.HasWill, p.WillTopic, p.WillPayload, p.WillQoS, p.WillRetain
		})()
	case "CONNACK":
		c := packets.NewControlPacket(packets.Connack).(*packets.ConnackPacket)
		c.SessionPresent, c.ReturnCode = p.SessionPresent, p.ReturnCode
		cp = c
	case "PUBLISH":
		cp = publishPacket(p.QoS, p.PacketID, p.Dup, p.Retain, p.Topic, p.Payload)()
	case "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "UNSUBACK":
		typ := map[string]byte{"PUBACK": packets.Puback, "PUBREC": packets.Pubrec, "PUBREL": packets.Pubrel,
			"PUBCOMP": packets.Pubcomp, "UNSUBACK": packets.Unsuback}[p.Type]
		cp = idPacket(typ, p.PacketID)()
	case "SUBSCRIBE":
		s := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
		s.MessageID, s.Topics, s.Qoss = p.PacketID, p.Filters, p.RequestedQoS
		cp = s
	case "SUBACK":
		s := packets.NewControlPacket(packets.Suback).(*packets.SubackPacket)
		s.MessageID, s.ReturnCodes = p.PacketID, p.GrantedQoS
		cp = s
	case "UNSUBSCRIBE":
		u := packets.NewControlPacket(packets.Unsubscribe).(*packets.UnsubscribePacket)
		u.MessageID, u.Topics = p.PacketID, p.Filters
		cp = u
	case "PINGREQ":
		cp = plainPacket(packets.Pingreq)()
	case "PINGRESP":
		cp = plainPacket(packets.Pingresp)()
	case "DISCONNECT":
		cp = plainPacket(packets.Disconnect)()
	default:
		t.Fatalf("reencode: unknown type %q", p.Type)
	}
	return mqttframe.Encode(cp), true
}

// checkDecoded checks what holds for any bytes: Raw is the input, an
// undecodable packet says why, and a decoded one holds every byte of the
// input in its fields (paho's encoder writes the same bytes back).
func checkDecoded(t testing.TB, raw []byte) Packet {
	t.Helper()
	p := Decode(raw)
	if !bytes.Equal(p.Raw, raw) {
		t.Fatalf("Decode(% x): Raw % x, want the input", raw, p.Raw)
	}
	if p.Type == Undecodable {
		if p.Err == "" {
			t.Fatalf("Decode(% x): %s without a reason", raw, Undecodable)
		}
		return p
	}
	if p.Err != "" {
		t.Fatalf("Decode(% x): Type %s with Err %q", raw, p.Type, p.Err)
	}
	// The remaining length may be encoded in more bytes than needed (MQTT
	// 3.1.1, unlike MQTT 5, does not forbid it), so compare the first byte
	// and the body.
	again, ok := reencode(t, p)
	if !ok {
		return p
	}
	h, _, _ := mqttframe.ParseHeader(raw)
	h2, _, _ := mqttframe.ParseHeader(again)
	if again[0] != raw[0] || !bytes.Equal(again[h2.Size-h2.Remaining:], raw[h.Size-h.Remaining:]) {
		t.Fatalf("Decode(% x) = %s, which paho encodes as % x", raw, p.Summary(), again)
	}
	return p
}

// TestDecodeRandom decodes random bytes, some with a plausible fixed
// header: never a panic, and checkDecoded's rules hold.
func TestDecodeRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	decoded := 0
	for i := 0; i < 40_000; i++ {
		raw := make([]byte, rng.Intn(48))
		rng.Read(raw)
		if len(raw) >= 2 && i%2 == 0 {
			// A defined type with its required flags and a matching
			// length, so that the body reaches paho's decoder.
			first := []byte{0x10, 0x20, 0x30, 0x32, 0x34, 0x3B, 0x40, 0x50, 0x62, 0x70, 0x82, 0x90, 0xA2, 0xB0, 0xC0, 0xD0, 0xE0}
			raw[0] = first[rng.Intn(len(first))]
			raw[1] = byte(len(raw) - 2)
			if len(raw) >= 4 && rng.Intn(2) == 0 {
				raw[2], raw[3] = 0, byte(rng.Intn(len(raw))) // plausible string length
			}
		}
		if checkDecoded(t, raw).Type != Undecodable {
			decoded++
		}
	}
	t.Logf("%d random packets decoded", decoded)
	// The test is only worth something if some random packets decode.
	if decoded < 150 {
		t.Errorf("only %d random packets decoded; the generator should reach the decoder more often", decoded)
	}
}

// FuzzDecode checks checkDecoded's rules on any bytes, starting from the
// catalogue. Run it with: go test -run XXX -fuzz FuzzDecode ./app/wiretap/
func FuzzDecode(f *testing.F) {
	for _, tc := range catalogue {
		f.Add(mqttframe.Encode(tc.build()))
	}
	for _, p := range append(mqtttest.Valid, mqtttest.Malformed...) {
		f.Add(p.Bytes())
	}
	f.Add([]byte{0xA2, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 'a'})
	f.Add([]byte{0x62, 0x82, 0x00, 0x30, 0x30}) // remaining length in two bytes
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkDecoded(t, raw)
	})
}
