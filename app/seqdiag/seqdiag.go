// Package seqdiag lays out MQTT packets as a sequence diagram: a client
// lane and a broker lane, time downwards, one arrow per packet. It computes
// geometry only; the user interface draws it (as SVG) and makes arrows
// clickable. It imports neither go-app nor syscall/js.
package seqdiag

import (
	"strconv"

	"qosplayground/app/wiretap"
)

// Geometry of the diagram, in SVG user units.
const (
	Width      = 640 // whole diagram
	ClientX    = 110 // the client's lane
	BrokerX    = 530 // the broker's lane
	HeaderH    = 40  // lane titles
	RowH       = 28  // one arrow
	MaxArrows  = 80  // arrows drawn at most: older ones are summarised
	LabelAbove = 6   // a label's baseline above its arrow
)

// Arrow is one packet.
type Arrow struct {
	Seq         int    // the tap's sequence number
	Y           int    // the arrow's height
	X1, X2      int    // from, to
	LabelX      int    // centre of the label
	Label       string // e.g. "PUBLISH QoS 2 id=3", protocol words only
	Type        string // "PUBLISH", "PUBREC"…
	Sent        bool   // client → broker
	Dup         bool   // a resend: marked so it cannot be missed
	QoS         byte
	PacketID    uint16
	Undecodable bool
}

// Diagram is the laid-out diagram.
type Diagram struct {
	Height  int
	Arrows  []Arrow
	Omitted int // older packets not drawn
}

// Layout lays out pkts, oldest first. When there are more than MaxArrows,
// the oldest are left out and counted in Omitted, so a fast stream costs a
// bounded drawing.
func Layout(pkts []wiretap.Packet) Diagram {
	var d Diagram
	if len(pkts) > MaxArrows {
		d.Omitted = len(pkts) - MaxArrows
		pkts = pkts[d.Omitted:]
	}
	y := HeaderH + RowH
	if d.Omitted > 0 {
		y += RowH // room for the "earlier packets" line
	}
	for _, pk := range pkts {
		a := Arrow{
			Seq: pk.Seq, Y: y, Type: pk.Type, Sent: pk.Dir == wiretap.Sent,
			Dup: pk.Dup, QoS: pk.QoS, PacketID: pk.PacketID,
			Undecodable: pk.Type == wiretap.Undecodable,
			LabelX:      (ClientX + BrokerX) / 2,
			Label:       Label(pk),
		}
		if a.Sent {
			a.X1, a.X2 = ClientX, BrokerX
		} else {
			a.X1, a.X2 = BrokerX, ClientX
		}
		d.Arrows = append(d.Arrows, a)
		y += RowH
	}
	d.Height = y
	return d
}

// Label is the text over a packet's arrow: its type, and the QoS, packet
// id and flags that tell exchanges apart. It uses protocol words only, so it
// reads the same in every language.
func Label(pk wiretap.Packet) string {
	s := pk.Type
	if pk.Type == "PUBLISH" {
		s += " QoS " + strconv.Itoa(int(pk.QoS))
	}
	if pk.PacketID != 0 {
		s += " #" + strconv.Itoa(int(pk.PacketID))
	}
	if pk.Dup {
		s += " DUP"
	}
	if pk.Retain {
		s += " R"
	}
	return s
}

// Hex formats bytes as a hex dump, 16 bytes a line, with an offset.
func Hex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, len(b)*3+len(b)/16*6)
	for i, c := range b {
		if i%16 == 0 {
			if i > 0 {
				out = append(out, '\n')
			}
			off := strconv.FormatInt(int64(i), 16)
			for len(off) < 4 {
				off = "0" + off
			}
			out = append(out, off...)
			out = append(out, ' ', ' ')
		} else {
			out = append(out, ' ')
		}
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// MaskPassword returns the bytes of a CONNECT with its password replaced by
// '*' bytes, for showing on screen; other packets come back unchanged.
func MaskPassword(pk wiretap.Packet) []byte {
	if pk.Type != "CONNECT" || !pk.Password {
		return pk.Raw
	}
	b := pk.Raw
	i := 1 // skip the remaining length
	for i < len(b) && b[i]&0x80 != 0 {
		i++
	}
	i++
	// The variable header: protocol name, level, flags, keepalive.
	skipString := func() bool {
		if i+2 > len(b) {
			return false
		}
		i += 2 + (int(b[i])<<8 | int(b[i+1]))
		return i <= len(b)
	}
	if !skipString() || i+4 > len(b) {
		return pk.Raw
	}
	flags := b[i+1]
	i += 4
	// The payload: client id, [will topic, will message], [user name],
	// password.
	fields := 1
	if flags&0x04 != 0 {
		fields += 2
	}
	if flags&0x80 != 0 {
		fields++
	}
	for ; fields > 0; fields-- {
		if !skipString() {
			return pk.Raw
		}
	}
	if i+2 > len(b) {
		return pk.Raw
	}
	out := append([]byte(nil), b...)
	for j := i + 2; j < len(out); j++ {
		out[j] = '*'
	}
	return out
}
