package wiretap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
	"qosplayground/app/topic"
)

// Direction says which way a packet went on the client's connection.
type Direction int

// Directions. The zero value means "not seen on a connection" (a packet
// from Decode).
const (
	Sent     Direction = iota + 1 // client → broker
	Received                      // broker → client
)

// String returns "sent" or "received".
func (d Direction) String() string {
	switch d {
	case Sent:
		return "sent"
	case Received:
		return "received"
	}
	return "unknown"
}

// Arrow returns "→" for Sent (client to broker) and "←" for Received, as a
// sequence diagram with the client on the left draws them.
func (d Direction) Arrow() string {
	switch d {
	case Sent:
		return "→"
	case Received:
		return "←"
	}
	return "?"
}

// Undecodable is the Type of a packet that is not a well-formed MQTT 3.1.1
// control packet; its Err says why.
const Undecodable = "UNDECODABLE"

// Packet is one MQTT control packet seen on the wire, decoded for the
// learner. Only the fields that apply to its Type are set.
type Packet struct {
	Seq  int       // 1, 2, 3… in the order the tap saw packets, both directions sharing the count; 0 from Decode
	Conn int       // 1 for the first connection the tap wrapped, 2 for the next…; 0 from Decode
	At   time.Time // when the tap saw the packet; zero from Decode
	Dir  Direction // zero from Decode
	Type string    // "CONNECT", "CONNACK", "PUBLISH"… or Undecodable
	Raw  []byte    // the packet's exact bytes, fixed header included (a copy): passwords too

	// CONNECT. The user name and password are not decoded, only whether
	// they are present.
	Protocol     string // "MQTT" (3.1.1) or "MQIsdp" (3.1)
	Level        byte   // protocol level: 4 (3.1.1) or 3 (3.1)
	ClientID     string
	CleanSession bool
	KeepAlive    uint16 // seconds
	Username     bool
	Password     bool
	HasWill      bool
	WillTopic    string
	WillPayload  []byte
	WillQoS      byte
	WillRetain   bool

	// CONNACK.
	SessionPresent bool
	ReturnCode     byte // 0 accepted, 1–5 refused (see ReturnCodeText)

	// PUBLISH; PacketID also for PUBACK, PUBREC, PUBREL, PUBCOMP,
	// SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK.
	Topic    string
	QoS      byte
	PacketID uint16 // 0 for a PUBLISH at QoS 0
	Dup      bool
	Retain   bool
	Payload  []byte // shares Raw's bytes

	// SUBSCRIBE (Filters and RequestedQoS, one per filter) and UNSUBSCRIBE
	// (Filters only).
	Filters      []string
	RequestedQoS []byte

	// SUBACK: one per filter of the SUBSCRIBE, 0x80 for a refusal.
	GrantedQoS []byte

	// Err says why the packet could not be decoded; Type is then
	// Undecodable.
	Err string
}

// Decode decodes one whole MQTT 3.1.1 control packet, fixed header included.
// Bytes that are not exactly one well-formed packet, whatever they are, give
// a Packet of Type Undecodable with the reason in Err: Decode never panics.
// Raw is a copy of raw.
func Decode(raw []byte) Packet {
	return decode(bytes.Clone(raw))
}

// decode is Decode without the copy: the Packet keeps raw.
func decode(raw []byte) Packet {
	p := Packet{Raw: raw}
	if err := p.decode(raw); err != nil {
		return Packet{Raw: raw, Type: Undecodable, Err: err.Error()}
	}
	return p
}

// errShort reports a field that runs past the end of its packet.
var errShort = errors.New("a field runs past the end of the packet")

func (p *Packet) decode(raw []byte) error {
	h, ok, err := mqttframe.ParseHeader(raw)
	switch {
	case err != nil:
		return errors.New(strings.TrimPrefix(err.Error(), "mqttframe: "))
	case !ok && len(raw) == 0:
		return errors.New("no bytes")
	case !ok:
		return fmt.Errorf("truncated fixed header (%d bytes)", len(raw))
	case h.Size > len(raw):
		return fmt.Errorf("truncated %s: the fixed header announces %d bytes, %d are there",
			mqttframe.TypeName(h.Type), h.Size, len(raw))
	case h.Size < len(raw):
		return fmt.Errorf("%s of trailing garbage after a %d-byte %s",
			plural(len(raw)-h.Size, "byte"), h.Size, mqttframe.TypeName(h.Type))
	}
	name := mqttframe.TypeName(h.Type)
	// Only now, with the length checked against the bytes at hand, may
	// paho's decoder see them: it allocates whatever the fixed header
	// announces before reading the body.
	cp, left, err := readPaho(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if left != 0 {
		return fmt.Errorf("%s: paho's decoder left %s unread", name, plural(left, "byte"))
	}
	body := raw[h.Size-h.Remaining:]
	p.Type = name
	used, err := p.fill(cp, body)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	// paho's decoder reads fields with a plain Read, so a field that runs
	// past the end comes back padded with zeros, and it does not say
	// whether bytes were left over: count the bytes the fields take.
	switch {
	case used > h.Remaining:
		return fmt.Errorf("%s: %w", name, errShort)
	case used < h.Remaining && p.Type == "UNSUBSCRIBE" && bytes.HasPrefix(body[used:], []byte{0, 0}):
		// paho stops at an empty filter and ignores what follows.
		return fmt.Errorf("%s: empty topic filter [MQTT-4.7.3-1]", name)
	case used < h.Remaining:
		return fmt.Errorf("%s: %s left over after the last field", name, plural(h.Remaining-used, "byte"))
	}
	return p.check(cp, body)
}

// readPaho runs paho's decoder on one packet, turning a panic into an error,
// and returns how many bytes it left unread.
func readPaho(raw []byte) (cp packets.ControlPacket, left int, err error) {
	r := bytes.NewReader(raw)
	defer func() {
		if v := recover(); v != nil {
			cp, err = nil, fmt.Errorf("paho's decoder panicked: %v", v)
		}
	}()
	cp, err = packets.ReadPacket(r)
	// A PUBLISH whose topic runs past the end makes paho compute a
	// negative payload length ("error unpacking publish, payload length <
	// 0"); any other field that does returns EOF.
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		(err != nil && strings.Contains(err.Error(), "payload length < 0")) {
		err = errShort
	}
	if err == nil && cp == nil {
		err = errors.New("paho's decoder returned nothing")
	}
	return cp, r.Len(), err
}

// fill copies the fields of cp into p and returns how many bytes of the
// body those fields take.
func (p *Packet) fill(cp packets.ControlPacket, body []byte) (used int, err error) {
	str := func(s string) int { return 2 + len(s) }
	switch c := cp.(type) {
	case *packets.ConnectPacket:
		p.Protocol, p.Level = c.ProtocolName, c.ProtocolVersion
		p.ClientID, p.CleanSession, p.KeepAlive = c.ClientIdentifier, c.CleanSession, c.Keepalive
		p.Username, p.Password = c.UsernameFlag, c.PasswordFlag
		p.HasWill, p.WillQoS, p.WillRetain = c.WillFlag, c.WillQos, c.WillRetain
		p.WillTopic, p.WillPayload = c.WillTopic, c.WillMessage
		// An unknown protocol is checked first: its fields would not add up.
		if !(c.ProtocolName == "MQTT" && c.ProtocolVersion == 4) && !(c.ProtocolName == "MQIsdp" && c.ProtocolVersion == 3) {
			return 0, fmt.Errorf("protocol %q level %d: only MQTT 3.1.1 (\"MQTT\", 4) and 3.1 (\"MQIsdp\", 3) are decoded",
				c.ProtocolName, c.ProtocolVersion)
		}
		used = str(c.ProtocolName) + 1 + 1 + 2 + str(c.ClientIdentifier)
		if c.WillFlag {
			used += str(c.WillTopic) + 2 + len(c.WillMessage)
		}
		if c.UsernameFlag {
			used += str(c.Username)
		}
		if c.PasswordFlag {
			used += 2 + len(c.Password)
		}
	case *packets.ConnackPacket:
		p.SessionPresent, p.ReturnCode = c.SessionPresent, c.ReturnCode
		used = 2
	case *packets.PublishPacket:
		p.Topic, p.QoS, p.PacketID = c.TopicName, c.Qos, c.MessageID
		p.Dup, p.Retain, p.Payload = c.Dup, c.Retain, c.Payload
		if n := len(c.Payload); n <= len(body) {
			// The payload ends the packet: share Raw's bytes rather
			// than keep paho's copy alive as well.
			p.Payload = body[len(body)-n:]
		}
		used = str(c.TopicName) + len(c.Payload)
		if c.Qos > 0 {
			used += 2
		}
	case *packets.PubackPacket:
		p.PacketID, used = c.MessageID, 2
	case *packets.PubrecPacket:
		p.PacketID, used = c.MessageID, 2
	case *packets.PubrelPacket:
		p.PacketID, used = c.MessageID, 2
	case *packets.PubcompPacket:
		p.PacketID, used = c.MessageID, 2
	case *packets.SubscribePacket:
		p.PacketID, p.Filters, p.RequestedQoS = c.MessageID, c.Topics, c.Qoss
		used = 2
		for _, f := range c.Topics {
			used += str(f) + 1
		}
	case *packets.SubackPacket:
		p.PacketID, p.GrantedQoS = c.MessageID, c.ReturnCodes
		used = 2 + len(c.ReturnCodes)
	case *packets.UnsubscribePacket:
		p.PacketID, p.Filters = c.MessageID, c.Topics
		used = 2
		for _, f := range c.Topics {
			used += str(f)
		}
	case *packets.UnsubackPacket:
		p.PacketID, used = c.MessageID, 2
	case *packets.PingreqPacket, *packets.PingrespPacket, *packets.DisconnectPacket:
		used = 0
	default:
		return 0, fmt.Errorf("paho's decoder returned a %T", cp)
	}
	return used, nil
}

// check applies the rules of MQTT 3.1.1 that make a packet whose fields add
// up malformed all the same. cp is what paho decoded, body the packet after
// the fixed header.
func (p *Packet) check(cp packets.ControlPacket, body []byte) error {
	switch p.Type {
	case "CONNECT":
		c := cp.(*packets.ConnectPacket)
		for _, f := range []struct{ what, s string }{
			{"client identifier", c.ClientIdentifier}, {"will topic", c.WillTopic}, {"user name", c.Username},
		} {
			if !utf8.ValidString(f.s) || strings.ContainsRune(f.s, 0) {
				return fmt.Errorf("%s is not valid UTF-8 or contains U+0000 [MQTT-1.5.3-1]", f.what)
			}
		}
		switch {
		case c.ReservedBit != 0:
			return errors.New("reserved connect flag set [MQTT-3.1.2-3]")
		case p.WillQoS == 3:
			return errors.New("will QoS 3 [MQTT-3.1.2-14]")
		case !p.HasWill && (p.WillQoS != 0 || p.WillRetain):
			return errors.New("will QoS or will retain set without the will flag [MQTT-3.1.2-13, MQTT-3.1.2-15]")
		case p.Password && !p.Username:
			return errors.New("password flag set without the user name flag [MQTT-3.1.2-22]")
		}
	case "CONNACK":
		if body[0]&0xfe != 0 {
			return fmt.Errorf("reserved acknowledge flags set (%#02x) [MQTT-3.2.2-1]", body[0])
		}
		if p.SessionPresent && p.ReturnCode != 0 {
			return fmt.Errorf("session present with return code %d [MQTT-3.2.2-4]", p.ReturnCode)
		}
	case "PUBLISH":
		if p.QoS == 0 && p.Dup {
			return errors.New("DUP set at QoS 0 [MQTT-3.3.1-2]")
		}
		if p.QoS > 0 && p.PacketID == 0 {
			return fmt.Errorf("packet id 0 at QoS %d [MQTT-2.3.1-1]", p.QoS)
		}
		if err := topic.ValidateName(p.Topic); err != nil {
			return fmt.Errorf("topic name %q: %w", p.Topic, err)
		}
	case "SUBSCRIBE", "UNSUBSCRIBE":
		if p.PacketID == 0 {
			return errors.New("packet id 0 [MQTT-2.3.1-1]")
		}
		if len(p.Filters) == 0 {
			return errors.New("no topic filter [MQTT-3.8.3-3, MQTT-3.10.3-2]")
		}
		for i, f := range p.Filters {
			if err := topic.ValidateFilter(f); err != nil {
				return fmt.Errorf("topic filter %q: %w", f, err)
			}
			if p.Type == "SUBSCRIBE" && p.RequestedQoS[i] > 2 {
				return fmt.Errorf("requested QoS byte %#02x for %q: must be 0, 1 or 2 [MQTT-3.8.3-4]", p.RequestedQoS[i], f)
			}
		}
	case "SUBACK":
		if len(p.GrantedQoS) == 0 {
			return errors.New("no return code")
		}
		for _, g := range p.GrantedQoS {
			if g > 2 && g != 0x80 {
				return fmt.Errorf("return code %#02x: must be 0, 1, 2 or 0x80 [MQTT-3.9.3-2]", g)
			}
		}
	}
	return nil
}

// ReturnCodeText describes a CONNACK return code, e.g. "accepted" or
// "refused: not authorised".
func ReturnCodeText(rc byte) string {
	switch rc {
	case 0:
		return "accepted"
	case 1:
		return "refused: unacceptable protocol version"
	case 2:
		return "refused: identifier rejected"
	case 3:
		return "refused: server unavailable"
	case 4:
		return "refused: bad user name or password"
	case 5:
		return "refused: not authorised"
	}
	return "reserved return code"
}

// Summary describes the packet in one line for the learner, e.g.
// "PUBLISH id=3 QoS 2 DUP sensors/x (27 B)" (27 bytes of payload) or
// "SUBACK id=1 granted [2 128]".
func (p Packet) Summary() string {
	var b strings.Builder
	b.WriteString(p.Type)
	switch p.Type {
	case "CONNECT":
		if p.Level == 3 {
			b.WriteString(" (3.1)")
		}
		fmt.Fprintf(&b, " client id %q", p.ClientID)
		if p.CleanSession {
			b.WriteString(" clean")
		} else {
			b.WriteString(" persistent")
		}
		fmt.Fprintf(&b, " keepalive %ds", p.KeepAlive)
		if p.HasWill {
			fmt.Fprintf(&b, " will %s QoS %d", p.WillTopic, p.WillQoS)
			if p.WillRetain {
				b.WriteString(" retain")
			}
			fmt.Fprintf(&b, " (%d B)", len(p.WillPayload))
		}
		if p.Username {
			b.WriteString(" user")
		}
		if p.Password {
			b.WriteString(" password")
		}
	case "CONNACK":
		if p.SessionPresent {
			b.WriteString(" session present,")
		}
		fmt.Fprintf(&b, " %s (%d)", ReturnCodeText(p.ReturnCode), p.ReturnCode)
	case "PUBLISH":
		if p.QoS > 0 {
			fmt.Fprintf(&b, " id=%d", p.PacketID)
		}
		fmt.Fprintf(&b, " QoS %d", p.QoS)
		if p.Dup {
			b.WriteString(" DUP")
		}
		if p.Retain {
			b.WriteString(" RETAIN")
		}
		fmt.Fprintf(&b, " %s (%d B)", p.Topic, len(p.Payload))
	case "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "UNSUBACK":
		fmt.Fprintf(&b, " id=%d", p.PacketID)
	case "SUBSCRIBE":
		fmt.Fprintf(&b, " id=%d", p.PacketID)
		for i, f := range p.Filters {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, " %s", f)
			if i < len(p.RequestedQoS) {
				fmt.Fprintf(&b, " QoS %d", p.RequestedQoS[i])
			}
		}
	case "SUBACK":
		fmt.Fprintf(&b, " id=%d granted %v", p.PacketID, p.GrantedQoS)
	case "UNSUBSCRIBE":
		fmt.Fprintf(&b, " id=%d %s", p.PacketID, strings.Join(p.Filters, ", "))
	case Undecodable:
		fmt.Fprintf(&b, " (%d B): %s", len(p.Raw), p.Err)
	}
	return b.String()
}

// plural returns "1 byte", "2 bytes"…
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// SentQoS finds, among pkts, the newest PUBLISH this client sent with the
// given topic and payload, and returns its QoS: what the publisher asked
// for, to set beside the QoS a delivery arrived at. pkts may be in any
// order; the newest is the one with the highest Seq.
func SentQoS(pkts []Packet, topicName string, payload []byte) (byte, bool) {
	best := -1
	var qos byte
	for _, pk := range pkts {
		if pk.Dir == Sent && pk.Type == "PUBLISH" && pk.Topic == topicName && pk.Seq > best && bytes.Equal(pk.Payload, payload) {
			best, qos = pk.Seq, pk.QoS
		}
	}
	return qos, best >= 0
}
