package mqttframe

import (
	"encoding/binary"
	"fmt"
)

// Connect holds the fields of a CONNECT packet that the relay checks and
// logs. It is not a full decoder: the wire tap uses paho's packets package.
type Connect struct {
	Protocol     string // "MQTT" for 3.1.1, "MQIsdp" for 3.1
	Level        byte   // 4 for 3.1.1, 3 for 3.1
	CleanSession bool
	KeepAlive    uint16 // seconds
	ClientID     string
}

// ParseConnect decodes the start of a CONNECT packet (fixed header
// included), up to and including the client identifier, and checks that it
// really is MQTT 3.1 or 3.1.1 (sections 3.1.2.1 to 3.1.3.1).
func ParseConnect(pkt []byte) (Connect, error) {
	var c Connect
	if len(pkt) < 2 || pkt[0] != CONNECT<<4 {
		return c, fmt.Errorf("%w: the first packet must be CONNECT", ErrMalformed)
	}
	h, ok, err := ParseHeader(pkt)
	if err != nil {
		return c, fmt.Errorf("%w: CONNECT remaining length longer than four bytes", ErrMalformed)
	}
	if !ok {
		return c, fmt.Errorf("%w: CONNECT too short", ErrMalformed)
	}
	b := pkt[h.Size-h.Remaining:]
	proto, b, ok := ReadString(b)
	if !ok {
		return c, fmt.Errorf("%w: CONNECT too short for a protocol name", ErrMalformed)
	}
	c.Protocol = string(proto)
	if len(b) < 4 {
		return c, fmt.Errorf("%w: CONNECT too short for level, flags and keepalive", ErrMalformed)
	}
	c.Level, c.CleanSession = b[0], b[1]&ConnectCleanSession != 0
	c.KeepAlive = binary.BigEndian.Uint16(b[2:4])
	switch {
	case c.Protocol == "MQTT" && c.Level == 4, c.Protocol == "MQIsdp" && c.Level == 3:
	default:
		return c, fmt.Errorf("%w: CONNECT for protocol %q level %d, want MQTT 3.1.1 (\"MQTT\", 4) or 3.1 (\"MQIsdp\", 3)",
			ErrMalformed, c.Protocol, c.Level)
	}
	if b[1]&ConnectReserved != 0 {
		return c, fmt.Errorf("%w: CONNECT reserved flag set", ErrMalformed)
	}
	id, _, ok := ReadString(b[4:])
	if !ok {
		return c, fmt.Errorf("%w: CONNECT too short for a client identifier", ErrMalformed)
	}
	c.ClientID = string(id)
	return c, nil
}

// MaskPassword returns a copy of a whole CONNECT packet with the bytes of
// its password replaced by '*', for showing the packet's bytes on screen
// (the sequence diagram's hex view). A packet without a password, or whose
// fields do not add up, comes back as it is, not copied.
func MaskPassword(pkt []byte) []byte {
	h, ok, err := ParseHeader(pkt)
	if !ok || err != nil || h.Type != CONNECT {
		return pkt
	}
	// The variable header: protocol name, level, flags, keepalive.
	_, rest, ok := ReadString(pkt[h.Size-h.Remaining:])
	if !ok || len(rest) < 4 || rest[1]&ConnectPassword == 0 {
		return pkt
	}
	flags := rest[1]
	rest = rest[4:]
	// The payload: client id, [will topic, will message], [user name],
	// password.
	fields := 1
	if flags&ConnectWill != 0 {
		fields += 2
	}
	if flags&ConnectUsername != 0 {
		fields++
	}
	for ; fields > 0; fields-- {
		if _, rest, ok = ReadString(rest); !ok {
			return pkt
		}
	}
	if len(rest) < 2 {
		return pkt
	}
	out := append([]byte(nil), pkt...)
	for j := len(out) - len(rest) + 2; j < len(out); j++ {
		out[j] = '*'
	}
	return out
}
