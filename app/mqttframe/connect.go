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
	// Skip the fixed header's remaining length.
	i := 1
	for i < len(pkt) && i < 5 && pkt[i]&0x80 != 0 {
		i++
	}
	if i == 5 {
		return c, fmt.Errorf("%w: CONNECT remaining length longer than four bytes", ErrMalformed)
	}
	if i+1 > len(pkt) {
		return c, fmt.Errorf("%w: CONNECT too short", ErrMalformed)
	}
	b := pkt[i+1:]
	proto, b, ok := readString(b)
	if !ok {
		return c, fmt.Errorf("%w: CONNECT too short for a protocol name", ErrMalformed)
	}
	c.Protocol = proto
	if len(b) < 4 {
		return c, fmt.Errorf("%w: CONNECT too short for level, flags and keepalive", ErrMalformed)
	}
	c.Level, c.CleanSession = b[0], b[1]&0x02 != 0
	c.KeepAlive = binary.BigEndian.Uint16(b[2:4])
	switch {
	case proto == "MQTT" && c.Level == 4, proto == "MQIsdp" && c.Level == 3:
	default:
		return c, fmt.Errorf("%w: CONNECT for protocol %q level %d, want MQTT 3.1.1 (\"MQTT\", 4) or 3.1 (\"MQIsdp\", 3)",
			ErrMalformed, proto, c.Level)
	}
	if b[1]&0x01 != 0 {
		return c, fmt.Errorf("%w: CONNECT reserved flag set", ErrMalformed)
	}
	id, _, ok := readString(b[4:])
	if !ok {
		return c, fmt.Errorf("%w: CONNECT too short for a client identifier", ErrMalformed)
	}
	c.ClientID = id
	return c, nil
}

// readString reads a two-byte length-prefixed UTF-8 string.
func readString(b []byte) (string, []byte, bool) {
	if len(b) < 2 {
		return "", b, false
	}
	n := int(binary.BigEndian.Uint16(b))
	if len(b) < 2+n {
		return "", b, false
	}
	return string(b[2 : 2+n]), b[2+n:], true
}
