package mqttframe

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// CONNECT flags (section 3.1.2.3).
const (
	ConnectReserved     byte = 0x01
	ConnectCleanSession byte = 0x02
	ConnectWill         byte = 0x04
	ConnectWillQoS      byte = 0x18 // two bits
	ConnectWillRetain   byte = 0x20
	ConnectPassword     byte = 0x40
	ConnectUsername     byte = 0x80
)

// SubackFailure is the return code of a refused subscription (section
// 3.9.3).
const SubackFailure byte = 0x80

// QoS returns the QoS of a PUBLISH header (bits 1 and 2 of its flags).
func (h Header) QoS() byte { return (h.Flags >> 1) & 3 }

// Dup reports the DUP flag of a PUBLISH header.
func (h Header) Dup() bool { return h.Flags&0x08 != 0 }

// Body returns the bytes of pkt after its fixed header (variable header and
// payload), h being pkt's header.
func (h Header) Body(pkt []byte) []byte { return pkt[h.Size-h.Remaining:] }

// AppendRemainingLength appends n in the variable length encoding of the
// fixed header (section 2.2.3): seven bits a byte, least significant first.
func AppendRemainingLength(b []byte, n int) []byte {
	for {
		d := byte(n % 128)
		n /= 128
		if n > 0 {
			d |= 0x80
		}
		b = append(b, d)
		if n == 0 {
			return b
		}
	}
}

// HeaderSize returns the size of a fixed header whose remaining length is
// remaining: the first byte and one to four length bytes.
func HeaderSize(remaining int) int {
	n := 2
	for ; remaining > 127; remaining /= 128 {
		n++
	}
	return n
}

// AppendHeader appends a fixed header: the first byte (type and flags) and
// the remaining length.
func AppendHeader(b []byte, first byte, remaining int) []byte {
	return AppendRemainingLength(append(b, first), remaining)
}

// AppendString appends s as an MQTT UTF-8 string: a two-byte length, then
// the bytes (section 1.5.3). s must be at most 65,535 bytes.
func AppendString(b []byte, s string) []byte {
	return append(binary.BigEndian.AppendUint16(b, uint16(len(s))), s...)
}

// ReadString reads a two-byte length-prefixed string (or binary field) at
// the start of b and returns its bytes, without copying, and what follows.
// ok is false when b ends before the field does.
func ReadString(b []byte) (s, rest []byte, ok bool) {
	if len(b) < 2 {
		return nil, b, false
	}
	n := 2 + int(binary.BigEndian.Uint16(b))
	if len(b) < n {
		return nil, b, false
	}
	return b[2:n], b[n:], true
}

// Build makes a packet from its first byte and its body given in parts,
// with the remaining length of the new body, in one allocation. It refuses
// a body longer than MaxRemainingLength with ErrTooLarge.
func Build(first byte, parts ...[]byte) (Header, []byte, error) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if n > MaxRemainingLength {
		return Header{}, nil, fmt.Errorf("%w: packet too long once rewritten", ErrTooLarge)
	}
	pkt := AppendHeader(make([]byte, 0, 5+n), first, n)
	for _, p := range parts {
		pkt = append(pkt, p...)
	}
	return Header{Type: first >> 4, Flags: first & 0x0f, Remaining: n, Size: len(pkt)}, pkt, nil
}

// Ack returns an acknowledgement of packet id id, four bytes: a PUBACK,
// PUBREC, PUBREL (with its required flags 0x2), PUBCOMP or UNSUBACK.
func Ack(typ byte, id uint16) []byte {
	first := typ << 4
	if typ == PUBREL {
		first |= 0x2
	}
	return []byte{first, 2, byte(id >> 8), byte(id)}
}

// AckID returns the packet id of a whole acknowledgement (PUBACK, PUBREC,
// PUBREL, PUBCOMP, UNSUBACK: two bytes of fixed header, two of packet id);
// ok is false for bytes of another length.
func AckID(pkt []byte) (id uint16, ok bool) {
	if len(pkt) != 4 {
		return 0, false
	}
	return binary.BigEndian.Uint16(pkt[2:]), true
}

// Publish is a PUBLISH split into its fields, each a part of the packet's
// bytes (no copy).
type Publish struct {
	Topic    []byte
	PacketID uint16 // 0 at QoS 0
	Payload  []byte
}

// ParsePublish splits a whole PUBLISH, fixed header included (h its
// header), into topic, packet id and payload. ok is false when the topic or
// the packet id runs past the end of pkt.
func ParsePublish(h Header, pkt []byte) (p Publish, ok bool) {
	topic, rest, ok := ReadString(h.Body(pkt))
	if !ok {
		return Publish{}, false
	}
	p.Topic = topic
	if h.QoS() > 0 {
		if len(rest) < 2 {
			return Publish{}, false
		}
		p.PacketID, rest = binary.BigEndian.Uint16(rest), rest[2:]
	}
	p.Payload = rest
	return p, true
}

// Encode returns the bytes of a packet built with paho's packets package
// (packets.NewControlPacket and its fields), by paho's own encoder.
func Encode(cp packets.ControlPacket) []byte {
	var b bytes.Buffer
	cp.Write(&b) // a bytes.Buffer never fails a write
	return b.Bytes()
}
