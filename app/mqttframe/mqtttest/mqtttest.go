// Package mqtttest is the catalogue of raw MQTT 3.1.1 packets that the
// tests of every package use, each with a name that says what it is:
//
//   - Valid: each packet type, each QoS, DUP and retain, and the remaining
//     lengths where the encoding grows a byte (127/128, 16383/16384);
//   - Odd: packets the specification allows though no usual client writes
//     them (a remaining length in more bytes than needed…);
//   - Malformed: a bad remaining length, a truncated packet, a string longer
//     than its packet, reserved types and flags, and each rule of the
//     fields the wire tap's decoder checks.
//
// The bytes of each valid packet are written out by hand from the
// specification, and TestCatalogueMatchesPaho checks every one against
// paho's encoder and decoder, so the catalogue does not depend on the codec
// it tests. Tests take packets from here rather than write bytes by hand;
// a packet with other fields is built with paho (Publish, PublishRemaining,
// mqttframe.Encode), or with Connect for what paho cannot write.
//
// It imports nothing of server/, so tests under app/ and server/ alike
// use it.
package mqtttest

import (
	"bytes"
	"strconv"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
)

// Packet is one named packet of the catalogue.
type Packet struct {
	Name  string // what it is, e.g. "PUBLISH QoS 1 DUP"
	Type  byte   // packet type of the first byte (mqttframe.CONNECT…)
	Flags byte   // low four bits of the first byte
	// Remaining is the remaining length of a valid packet: its size less
	// the fixed header.
	Remaining int
	wire      []byte

	// Paho builds the same packet with paho's packets package; nil for a
	// malformed packet.
	Paho func() packets.ControlPacket
}

// Bytes returns a copy of the packet's bytes, fixed header included: the
// caller may change it.
func (p Packet) Bytes() []byte { return bytes.Clone(p.wire) }

// Len returns the packet's size in bytes.
func (p Packet) Len() int { return len(p.wire) }

// With returns a copy of the packet's bytes with byte i set to b: the way
// to make a malformed variant of a valid packet.
func (p Packet) With(i int, b byte) []byte {
	c := p.Bytes()
	c[i] = b
	return c
}

func valid(name string, first byte, paho func() packets.ControlPacket, wire ...byte) Packet {
	return Packet{Name: name, Type: first >> 4, Flags: first & 0x0f, Remaining: int(wire[0]), wire: append([]byte{first}, wire...), Paho: paho}
}

func raw(name string, wire ...byte) Packet {
	return Packet{Name: name, Type: wire[0] >> 4, Flags: wire[0] & 0x0f, wire: wire}
}

func pahoPacket[T packets.ControlPacket](typ byte, set func(T)) func() packets.ControlPacket {
	return func() packets.ControlPacket {
		p := packets.NewControlPacket(typ).(T)
		set(p)
		return p
	}
}

func publishPaho(qos byte, dup, retain bool, topic string, id uint16, payload string) func() packets.ControlPacket {
	return pahoPacket(packets.Publish, func(p *packets.PublishPacket) {
		p.Qos, p.Dup, p.Retain, p.TopicName, p.MessageID = qos, dup, retain, topic, id
		if payload != "" {
			p.Payload = []byte(payload)
		}
	})
}

func ackPaho(typ byte, id uint16) func() packets.ControlPacket {
	return func() packets.ControlPacket {
		p := packets.NewControlPacket(typ)
		switch a := p.(type) {
		case *packets.PubackPacket:
			a.MessageID = id
		case *packets.PubrecPacket:
			a.MessageID = id
		case *packets.PubrelPacket:
			a.MessageID = id
		case *packets.PubcompPacket:
			a.MessageID = id
		case *packets.UnsubackPacket:
			a.MessageID = id
		}
		return p
	}
}

func bare(typ byte) func() packets.ControlPacket {
	return func() packets.ControlPacket { return packets.NewControlPacket(typ) }
}

// The valid packets.
var (
	Connect311 = valid("CONNECT 3.1.1 with will, username and password", 0x10,
		pahoPacket(packets.Connect, func(p *packets.ConnectPacket) {
			p.ProtocolName, p.ProtocolVersion = "MQTT", 4
			p.CleanSession, p.Keepalive, p.ClientIdentifier = true, 60, "cid"
			p.WillFlag, p.WillQos, p.WillRetain, p.WillTopic, p.WillMessage = true, 1, true, "will", []byte("bye")
			p.UsernameFlag, p.Username, p.PasswordFlag, p.Password = true, "user", true, []byte("pw")
		}),
		36,                             // remaining length
		0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name
		0x04,       // level 4 (3.1.1)
		0xEE,       // username, password, will retain, will QoS 1, will, clean session
		0x00, 0x3C, // keepalive 60 s
		0x00, 0x03, 'c', 'i', 'd', // client id
		0x00, 0x04, 'w', 'i', 'l', 'l', // will topic
		0x00, 0x03, 'b', 'y', 'e', // will message
		0x00, 0x04, 'u', 's', 'e', 'r', // username
		0x00, 0x02, 'p', 'w', // password
	)
	Connect31 = valid("CONNECT 3.1 (MQIsdp), persistent session", 0x10,
		pahoPacket(packets.Connect, func(p *packets.ConnectPacket) {
			p.ProtocolName, p.ProtocolVersion = "MQIsdp", 3
			p.Keepalive, p.ClientIdentifier = 10, "old"
		}),
		17,
		0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p',
		0x03,       // level 3 (3.1)
		0x00,       // no flags: clean session off
		0x00, 0x0A, // keepalive 10 s
		0x00, 0x03, 'o', 'l', 'd',
	)
	ConnectClean = valid("CONNECT 3.1.1 clean session, nothing else", 0x10,
		pahoPacket(packets.Connect, func(p *packets.ConnectPacket) {
			p.ProtocolName, p.ProtocolVersion = "MQTT", 4
			p.CleanSession, p.Keepalive, p.ClientIdentifier = true, 30, "c"
		}),
		13,
		0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x1E,
		0x00, 0x01, 'c',
	)
	ConnackAccepted = valid("CONNACK accepted, no session", 0x20,
		pahoPacket(packets.Connack, func(p *packets.ConnackPacket) {}),
		0x02, 0x00, 0x00)
	ConnackSessionPresent = valid("CONNACK session present, accepted", 0x20,
		pahoPacket(packets.Connack, func(p *packets.ConnackPacket) { p.SessionPresent = true }),
		0x02, 0x01, 0x00)
	ConnackIdentifierRejected = valid("CONNACK refused: identifier rejected", 0x20,
		pahoPacket(packets.Connack, func(p *packets.ConnackPacket) { p.ReturnCode = 2 }),
		0x02, 0x00, 0x02)
	ConnackNotAuthorized = valid("CONNACK refused: not authorised", 0x20,
		pahoPacket(packets.Connack, func(p *packets.ConnackPacket) { p.ReturnCode = 5 }),
		0x02, 0x00, 0x05)
	Publish0Retain = valid("PUBLISH QoS 0 retained", 0x31,
		publishPaho(0, false, true, "a/b", 0, "hi"),
		0x07, 0x00, 0x03, 'a', '/', 'b', 'h', 'i')
	Publish1 = valid("PUBLISH QoS 1", 0x32,
		publishPaho(1, false, false, "a/b", 10, "hi"),
		0x09, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0A, 'h', 'i')
	Publish1Dup = valid("PUBLISH QoS 1 DUP", 0x3A,
		publishPaho(1, true, false, "a/b", 10, "hi"),
		0x09, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0A, 'h', 'i')
	Publish2 = valid("PUBLISH QoS 2", 0x34,
		publishPaho(2, false, false, "a/b", 11, "hi"),
		0x09, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0B, 'h', 'i')
	Publish2DupRetain = valid("PUBLISH QoS 2 DUP retained, empty payload", 0x3D,
		publishPaho(2, true, true, "a/b", 11, ""),
		0x07, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x0B)
	Puback    = valid("PUBACK", 0x40, ackPaho(packets.Puback, 10), 0x02, 0x00, 0x0A)
	Pubrec    = valid("PUBREC", 0x50, ackPaho(packets.Pubrec, 11), 0x02, 0x00, 0x0B)
	Pubrel    = valid("PUBREL", 0x62, ackPaho(packets.Pubrel, 11), 0x02, 0x00, 0x0B)
	Pubcomp   = valid("PUBCOMP", 0x70, ackPaho(packets.Pubcomp, 11), 0x02, 0x00, 0x0B)
	Subscribe = valid("SUBSCRIBE two filters", 0x82,
		pahoPacket(packets.Subscribe, func(p *packets.SubscribePacket) {
			p.MessageID, p.Topics, p.Qoss = 1, []string{"a/#", "+"}, []byte{2, 0}
		}),
		0x0C,
		0x00, 0x01, // packet id
		0x00, 0x03, 'a', '/', '#', 0x02,
		0x00, 0x01, '+', 0x00,
	)
	Suback = valid("SUBACK granted QoS 2 and failure", 0x90,
		pahoPacket(packets.Suback, func(p *packets.SubackPacket) { p.MessageID, p.ReturnCodes = 1, []byte{2, 0x80} }),
		0x04, 0x00, 0x01, 0x02, 0x80)
	Unsubscribe = valid("UNSUBSCRIBE", 0xA2,
		pahoPacket(packets.Unsubscribe, func(p *packets.UnsubscribePacket) { p.MessageID, p.Topics = 2, []string{"a/#"} }),
		0x07, 0x00, 0x02, 0x00, 0x03, 'a', '/', '#')
	Unsuback   = valid("UNSUBACK", 0xB0, ackPaho(packets.Unsuback, 2), 0x02, 0x00, 0x02)
	Pingreq    = valid("PINGREQ", 0xC0, bare(packets.Pingreq), 0x00)
	Pingresp   = valid("PINGRESP", 0xD0, bare(packets.Pingresp), 0x00)
	Disconnect = valid("DISCONNECT", 0xE0, bare(packets.Disconnect), 0x00)

	// QoS 0 PUBLISHes to topic "t" whose remaining lengths are the edges of
	// the variable length encoding (section 2.2.3): the largest one-byte
	// and two-byte lengths, and the smallest two-byte and three-byte ones.
	PublishRemaining127   = edge(127, 0x7F)
	PublishRemaining128   = edge(128, 0x80, 0x01)
	PublishRemaining16383 = edge(16383, 0xFF, 0x7F)
	PublishRemaining16384 = edge(16384, 0x80, 0x80, 0x01)
)

// edge builds a QoS 0 PUBLISH to "t" of remaining length n, whose length
// bytes are written out by hand; its payload is 0, 1, 2… (mod 256).
func edge(n int, lenBytes ...byte) Packet {
	wire := append(append([]byte{0x30}, lenBytes...), 0x00, 0x01, 't')
	for i := range n - 3 {
		wire = append(wire, byte(i))
	}
	p := valid("PUBLISH remaining length "+strconv.Itoa(n), 0x30, nil, wire[1:]...)
	p.Remaining = n
	p.Paho = publishPaho(0, false, false, "t", 0, string(wire[len(wire)-(n-3):]))
	return p
}

// The malformed packets. Each is malformed in the way its name says and in
// no other.
var (
	BadRemainingLength = raw("five-byte remaining length",
		0x30, 0x80, 0x80, 0x80, 0x80, 0x01)
	TruncatedHeader = raw("fixed header cut inside its remaining length",
		0x30, 0x80)
	TruncatedBody = raw("PUBLISH cut before the end its remaining length announces",
		0x32, 0x09, 0x00, 0x03, 'a', '/', 'b', 0x00)
	StringPastEnd = raw("PUBLISH whose topic length runs past the end of the packet",
		0x30, 0x05, 0x00, 0x0A, 'a', 'b', 'c')
	ReservedType0  = raw("reserved packet type 0", 0x00, 0x00)
	ReservedType15 = raw("reserved packet type 15", 0xF0, 0x00)
	PublishQoS3    = raw("PUBLISH QoS 3",
		0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01)
	SubscribeFlags0 = raw("SUBSCRIBE without its reserved flags 0x2",
		0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00)
	PubrelFlags0   = raw("PUBREL without its reserved flags 0x2", 0x60, 0x02, 0x00, 0x01)
	PingreqFlags   = raw("PINGREQ with flags", 0xC1, 0x00)
	ConnectFlags01 = raw("CONNECT with the reserved connect flag set",
		Connect311.With(9, 0xEF)...)
)

// Valid lists every valid packet of the catalogue: at least one of each
// type.
var Valid = []Packet{
	Connect311, Connect31, ConnectClean, ConnackAccepted, ConnackSessionPresent, ConnackIdentifierRejected, ConnackNotAuthorized,
	Publish0Retain, Publish1, Publish1Dup, Publish2, Publish2DupRetain,
	Puback, Pubrec, Pubrel, Pubcomp, Subscribe, Suback, Unsubscribe, Unsuback,
	Pingreq, Pingresp, Disconnect,
	PublishRemaining127, PublishRemaining128, PublishRemaining16383, PublishRemaining16384,
}

// Malformed lists every malformed packet of the catalogue: those named
// above and more, each breaking one rule of MQTT 3.1.1, of the fixed header
// (refused by mqttframe's Reader and Splitter) or of the fields (refused by
// the wire tap's decoder).
var Malformed = append([]Packet{
	BadRemainingLength, TruncatedHeader, TruncatedBody, StringPastEnd,
	ReservedType0, ReservedType15, PublishQoS3, SubscribeFlags0, PubrelFlags0, PingreqFlags,
	ConnectFlags01,
}, moreMalformed...)

// More malformed packets: each breaks one rule of MQTT 3.1.1 (of the fixed
// header, or of the fields, which only the wire tap's decoder checks).
var moreMalformed = []Packet{
	raw("CONNECT with flags", 0x11, 0x00),
	raw("PUBACK with flags", 0x42, 0x02, 0x00, 0x01),
	raw("UNSUBSCRIBE without its flags", 0xA0, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),
	raw("four continuation bytes, nothing after", 0xC0, 0x80, 0x80, 0x80, 0x80),
	raw("largest remaining length, few bytes", 0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01, 'a'),
	raw("trailing garbage after the packet", 0xC0, 0x00, 0xFF),
	raw("two packets", 0xC0, 0x00, 0xD0, 0x00),
	raw("QoS 1 PUBLISH without room for its id", 0x32, 0x03, 0x00, 0x01, 'a'),
	raw("PUBACK with one byte of id", 0x40, 0x01, 0x07),
	raw("PUBACK without an id", 0x40, 0x00),
	raw("PUBACK with a byte left over", 0x40, 0x03, 0x00, 0x07, 0x09),
	raw("PUBCOMP with bytes left over", 0x70, 0x04, 0x00, 0x07, 0x09, 0x09),
	raw("UNSUBACK with a byte left over", 0xB0, 0x03, 0x00, 0x07, 0x09),
	raw("PINGREQ with a body", 0xC0, 0x01, 0x00),
	raw("DISCONNECT with a body", 0xE0, 0x02, 0x00, 0x00),
	raw("CONNACK with one byte", 0x20, 0x01, 0x00),
	raw("CONNACK with a byte left over", 0x20, 0x03, 0x00, 0x00, 0x00),
	raw("CONNACK reserved flags", 0x20, 0x02, 0x02, 0x00),
	raw("CONNACK session present with a refusal", 0x20, 0x02, 0x01, 0x05),
	raw("SUBACK with one byte", 0x90, 0x01, 0x00),
	raw("SUBACK without return codes", 0x90, 0x02, 0x00, 0x01),
	raw("SUBACK return code 3", 0x90, 0x03, 0x00, 0x01, 0x03),
	raw("CONNECT client id runs past the end", 0x10, 0x0E, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 9, 'a', 'b'),
	raw("CONNECT protocol name runs past the end", 0x10, 0x04, 0, 9, 'M', 'Q'),
	raw("CONNECT with a byte left over", 0x10, 0x0E, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 1, 'a', 'x'),
	raw("CONNECT for MQTT 5", 0x10, 0x0F, 0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 60, 0, 0, 0, 1, 'a'),
	raw("CONNECT for an unknown protocol", 0x10, 0x0D, 0, 4, 'M', 'Q', 'T', 'X', 4, 2, 0, 60, 0, 1, 'a'),
	raw("CONNECT will QoS 3", 0x10, 0x13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x1E, 0, 60, 0, 1, 'a', 0, 1, 'w', 0, 1, 'x'),
	raw("CONNECT will retain without a will", 0x10, 0x0D, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x22, 0, 60, 0, 1, 'a'),
	raw("CONNECT password without user name", 0x10, 0x10, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x42, 0, 60, 0, 1, 'a', 0, 1, 'p'),
	raw("CONNECT client id not UTF-8", 0x10, 0x0D, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 1, 0xFF),
	raw("CONNECT will topic with U+0000", 0x10, 0x12, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x06, 0, 60, 0, 1, 'a', 0, 1, 0, 0, 0),
	raw("CONNECT user name not UTF-8", 0x10, 0x10, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x82, 0, 60, 0, 1, 'a', 0, 1, 0xFF),
	raw("PUBLISH QoS 1 with packet id 0", 0x32, 0x05, 0x00, 0x01, 'a', 0x00, 0x00),
	raw("PUBLISH DUP at QoS 0", 0x38, 0x03, 0x00, 0x01, 'a'),
	raw("PUBLISH to a wildcard topic", 0x30, 0x03, 0x00, 0x01, '#'),
	raw("PUBLISH to an empty topic", 0x30, 0x03, 0x00, 0x00, 'x'),
	raw("PUBLISH topic not UTF-8", 0x30, 0x03, 0x00, 0x01, 0xC3),
	raw("SUBSCRIBE without filters", 0x82, 0x02, 0x00, 0x01),
	raw("SUBSCRIBE filter runs past the end", 0x82, 0x06, 0x00, 0x01, 0x00, 0x09, 'a', 0x00),
	raw("SUBSCRIBE without the QoS byte", 0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),
	raw("SUBSCRIBE requested QoS 3", 0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x03),
	raw("SUBSCRIBE reserved bits in the QoS byte", 0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x41),
	raw("SUBSCRIBE packet id 0", 0x82, 0x06, 0x00, 0x00, 0x00, 0x01, 'a', 0x01),
	raw("SUBSCRIBE bad filter", 0x82, 0x0A, 0x00, 0x01, 0x00, 0x05, 'a', '/', '#', '/', 'b', 0x01),
	raw("UNSUBSCRIBE without filters", 0xA2, 0x02, 0x00, 0x01),
	raw("UNSUBSCRIBE empty filter", 0xA2, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 'a'),
	raw("UNSUBSCRIBE filter runs past the end", 0xA2, 0x05, 0x00, 0x01, 0x00, 0x04, 'a'),
	raw("UNSUBSCRIBE with a byte left over", 0xA2, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00),
}

// Odd lists packets that MQTT 3.1.1 allows although no usual client or
// broker writes them (paho encodes the same fields otherwise).
var Odd = []Packet{
	raw("remaining length in more bytes than needed", 0x62, 0x82, 0x00, 0x30, 0x39),
	raw("CONNACK with a reserved return code", 0x20, 0x02, 0x00, 0x07),
	raw("PUBLISH with an empty payload and a one-byte topic", 0x30, 0x03, 0x00, 0x01, '/'),
	raw("SUBSCRIBE to an empty-level filter", 0x82, 0x06, 0x00, 0x01, 0x00, 0x01, '/', 0x02),
}

// Publish returns a PUBLISH built by paho's encoder.
func Publish(qos byte, id uint16, topic string, payload []byte) []byte {
	p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	p.Qos, p.MessageID, p.TopicName, p.Payload = qos, id, topic, payload
	return mqttframe.Encode(p)
}

// PublishRemaining returns a QoS 0 PUBLISH to "t" whose remaining length is
// exactly n (n >= 3), built by paho's encoder; its payload is 0, 1, 2…
func PublishRemaining(n int) []byte {
	payload := make([]byte, n-3)
	for i := range payload {
		payload[i] = byte(i)
	}
	return Publish(0, 0, "t", payload)
}

// Connect returns a CONNECT with the given protocol name, level, connect
// flags and client id, keepalive 30 s and nothing else (no will, user name
// or password, whatever the flags say): the way to make a CONNECT of
// another protocol or with reserved flags, which paho does not encode.
func Connect(proto string, level, flags byte, clientID string) []byte {
	var body []byte
	body = mqttframe.AppendString(body, proto)
	body = append(body, level, flags, 0x00, 0x1E)
	body = mqttframe.AppendString(body, clientID)
	return append(mqttframe.AppendHeader(nil, mqttframe.CONNECT<<4, len(body)), body...)
}
