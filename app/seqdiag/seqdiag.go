// Package seqdiag lays out MQTT packets as a sequence diagram: a client
// lane and a broker lane, time downwards, one arrow per packet. It computes
// geometry only; the user interface draws it (as SVG) and makes arrows
// clickable. It imports neither go-app nor syscall/js.
//
// # Fast streams
//
// A burst of 1,000 messages a second is 2,000 to 4,000 packets a second; a
// row for each would freeze the tab and tell the learner nothing. The
// diagram draws at most MaxArrows rows: when there are more packets, runs of
// consecutive packets of the same kind (same type, direction and QoS) become
// one group row, "PUBACK ×37 #5…#41", oldest runs first, so the newest
// Detail packets keep their own arrows. A resend (DUP) and an undecodable packet
// are never grouped: they are what the learner must not miss. Only when even
// the groups do not fit are the oldest rows left out, and counted.
package seqdiag

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"qosplayground/app/wiretap"
)

// Geometry of the diagram, in SVG user units.
const (
	Width      = 640 // whole diagram
	ClientX    = 110 // the client's lane
	BrokerX    = 530 // the broker's lane
	HeaderH    = 40  // lane titles
	RowH       = 28  // one arrow
	MaxArrows  = 80  // rows drawn at most: older packets are grouped, then left out
	Detail     = 24  // the newest packets always keep an arrow of their own
	LabelAbove = 6   // a label's baseline above its arrow
)

// Arrow is one packet.
type Arrow struct {
	Seq         int    // the tap's sequence number
	Y           int    // the arrow's height where it leaves (X1)
	Y2          int    // its height where it arrives (X2): Y plus its slant (slant.go)
	X1, X2      int    // from, to
	LabelX      int    // centre of the label
	Label       string // e.g. "PUBLISH QoS 2 id=3", protocol words only
	Type        string // "PUBLISH", "PUBREC"…
	Sent        bool   // client → broker
	Dup         bool   // a resend: marked so it cannot be missed
	QoS         byte
	PacketID    uint16
	Undecodable bool
	// Conn is the tap's number of the connection the packet went over;
	// NewConn marks the first row of a connection after another (a
	// reconnection: the diagram draws the break).
	Conn    int
	NewConn bool
	// Count is the number of packets the row stands for: 1 for a single
	// packet, more for a group of consecutive packets of the same kind, of
	// which Seq and PacketID are the last's and FirstSeq and FirstID the
	// first's.
	Count    int
	FirstSeq int
	FirstID  uint16
	// Link is the time the packet takes on the link as set (slant.go),
	// for a group the mean of its packets'; 0 on a perfect link and for a
	// mixed group. Capped reports that the slant is drawn shorter than it.
	Link   time.Duration
	Capped bool
	// Kinds, for a mixed group (packets of several kinds, in both
	// directions, as a two-way stream interleaves them), counts each kind;
	// Type is then "" and Sent has no meaning.
	Kinds []Kind
}

// Kind is one kind of packet in a mixed group, and how many of it.
type Kind struct {
	Type  string
	Sent  bool
	QoS   byte // of a PUBLISH
	Count int
}

// Mixed reports whether the row is a mixed group.
func (a Arrow) Mixed() bool { return len(a.Kinds) > 0 }

// Diagram is the laid-out diagram.
type Diagram struct {
	Height  int
	Arrows  []Arrow
	Omitted int // older packets not drawn
	Grouped int // packets drawn in group rows rather than arrows of their own
}

// Layout lays out pkts, oldest first, in at most MaxArrows rows: runs of
// packets of the same kind are grouped, oldest first, until the rows fit,
// and only then are the oldest rows left out (counted in Omitted). A fast
// stream therefore costs a bounded drawing and still shows its shape.
// Every arrow is flat: see LayoutOn for a link with conditions.
func Layout(pkts []wiretap.Packet) Diagram { return LayoutOn(pkts, nil) }

// LayoutOn is Layout on a link whose conditions were periods (in order of
// From): each arrow slants by the time its packet takes on the link as set
// (slant.go), and the next row starts below its lower end. With no periods,
// or a perfect link, it is Layout.
func LayoutOn(pkts []wiretap.Packet, periods []Period) Diagram {
	var d Diagram
	rows := group(pkts, periods)
	if len(rows) > MaxArrows {
		rows = mix(rows)
	}
	if len(rows) > MaxArrows {
		for _, r := range rows[:len(rows)-MaxArrows] {
			d.Omitted += r.Count
		}
		rows = rows[len(rows)-MaxArrows:]
	}
	y := HeaderH + RowH
	if d.Omitted > 0 {
		y += RowH // room for the "earlier packets" line
	}
	for i, a := range rows {
		a.NewConn = i > 0 && a.Conn != rows[i-1].Conn
		if a.Mixed() {
			a.Link = 0 // both ways at once: a flat band
		} else if a.Count > 1 {
			a.Link /= time.Duration(a.Count) // the sum of the group's, so far
		}
		slant, capped := SlantOf(a.Link)
		a.Y, a.Y2, a.Capped = y, y+slant, capped
		y += slant
		a.LabelX = (ClientX + BrokerX) / 2
		if a.Sent {
			a.X1, a.X2 = ClientX, BrokerX
		} else {
			a.X1, a.X2 = BrokerX, ClientX
		}
		if a.Count > 1 {
			d.Grouped += a.Count
		}
		d.Arrows = append(d.Arrows, a)
		y += RowH
	}
	d.Height = y
	return d
}

// group turns pkts into rows: one per packet while they fit in MaxArrows,
// else with runs of the same kind merged, oldest first, until they fit; the
// newest Detail packets are never merged.
func group(pkts []wiretap.Packet, periods []Period) []Arrow {
	rows := make([]Arrow, 0, min(len(pkts), 4*MaxArrows))
	excess := len(pkts) - MaxArrows // rows still to save by grouping
	for i, pk := range pkts {
		if excess > 0 && len(rows) > 0 && i < len(pkts)-Detail {
			if last := &rows[len(rows)-1]; sameKind(last, pk) {
				last.Count++
				last.Seq, last.PacketID = pk.Seq, pk.PacketID
				last.Link += linkOf(periods, pk)
				last.Label = groupLabel(*last)
				excess--
				continue
			}
		}
		rows = append(rows, Arrow{
			Seq: pk.Seq, Type: pk.Type, Sent: pk.Dir == wiretap.Sent,
			Dup: pk.Dup, QoS: pk.QoS, PacketID: pk.PacketID,
			Undecodable: pk.Type == wiretap.Undecodable,
			Label:       Label(pk),
			Conn:        pk.Conn,
			Link:        linkOf(periods, pk),
			Count:       1, FirstSeq: pk.Seq, FirstID: pk.PacketID,
		})
	}
	return rows
}

// sameKind reports whether pk may join the group row a.
func sameKind(a *Arrow, pk wiretap.Packet) bool {
	return groupable(*a) && !pk.Dup && !landmark(pk.Type) &&
		a.Type == pk.Type && a.Sent == (pk.Dir == wiretap.Sent) && a.QoS == pk.QoS
}

// landmark reports packet types that always keep an arrow of their own:
// they mark what the learner looks for (a connection starting or ending, a
// packet that is not MQTT).
func landmark(typ string) bool {
	return typ == wiretap.Undecodable || typ == "CONNECT" || typ == "CONNACK" || typ == "DISCONNECT"
}

// groupable reports whether row a may be merged into a group.
func groupable(a Arrow) bool { return a.Mixed() || (!a.Dup && !landmark(a.Type)) }

// mix merges the rows older than the newest Detail into mixed groups of
// about equal numbers of packets, so that all rows fit in MaxArrows: a
// two-way stream (PUBLISH out, PUBACK in, PUBLISH in, PUBACK out…) has no
// runs to group. Resends and landmarks stay rows of their own and end the
// group before them. What still does not fit is left out by Layout.
func mix(rows []Arrow) []Arrow {
	old := max(0, len(rows)-Detail)
	packets, keep := 0, 0
	for _, r := range rows[:old] {
		if groupable(r) {
			packets += r.Count
		} else {
			keep++
		}
	}
	groups := MaxArrows - (len(rows) - old) - keep
	if groups < 1 || packets == 0 {
		return rows
	}
	chunk := (packets + groups - 1) / groups
	out := make([]Arrow, 0, MaxArrows+keep)
	var cur *Arrow
	for _, r := range rows[:old] {
		if !groupable(r) {
			out, cur = append(out, r), nil
			continue
		}
		if cur == nil || cur.Count >= chunk {
			out = append(out, Arrow{FirstSeq: r.FirstSeq, FirstID: r.FirstID, Conn: r.Conn})
			cur = &out[len(out)-1]
		}
		cur.Seq, cur.PacketID = r.Seq, r.PacketID
		cur.Count += r.Count
		cur.Kinds = addKinds(cur.Kinds, r)
	}
	for i := range out {
		if out[i].Mixed() {
			slices.SortFunc(out[i].Kinds, func(a, b Kind) int {
				if c := cmp.Compare(typeOrder[a.Type], typeOrder[b.Type]); c != 0 {
					return c
				}
				if a.Sent != b.Sent {
					if a.Sent {
						return -1
					}
					return 1
				}
				return cmp.Compare(a.QoS, b.QoS)
			})
			out[i].Label = mixedLabel(out[i].Kinds)
		}
	}
	return append(out, rows[old:]...)
}

// typeOrder orders the kinds of a mixed group as a QoS exchange runs.
var typeOrder = map[string]int{
	"PUBLISH": 1, "PUBACK": 2, "PUBREC": 3, "PUBREL": 4, "PUBCOMP": 5,
	"SUBSCRIBE": 6, "SUBACK": 7, "UNSUBSCRIBE": 8, "UNSUBACK": 9, "PINGREQ": 10, "PINGRESP": 11,
}

// addKinds adds row r's packets to kinds.
func addKinds(kinds []Kind, r Arrow) []Kind {
	if r.Mixed() {
		for _, k := range r.Kinds {
			kinds = addKind(kinds, k)
		}
		return kinds
	}
	return addKind(kinds, Kind{Type: r.Type, Sent: r.Sent, QoS: r.QoS, Count: r.Count})
}

func addKind(kinds []Kind, k Kind) []Kind {
	for i := range kinds {
		if kinds[i].Type == k.Type && kinds[i].Sent == k.Sent && kinds[i].QoS == k.QoS {
			kinds[i].Count += k.Count
			return kinds
		}
	}
	return append(kinds, k)
}

// mixedLabel names each kind of a mixed group with its direction and its
// count: "PUBLISH→ 9 · ←PUBACK 9 · ←PUBLISH 9 · PUBACK→ 9". The QoS of the
// PUBLISHes is named only when the group mixes several.
func mixedLabel(kinds []Kind) string {
	qos := map[byte]bool{}
	for _, k := range kinds {
		if k.Type == "PUBLISH" {
			qos[k.QoS] = true
		}
	}
	s := ""
	for i, k := range kinds {
		if i > 0 {
			s += " · "
		}
		name := k.Type
		if k.Type == "PUBLISH" && len(qos) > 1 {
			name += "(QoS " + strconv.Itoa(int(k.QoS)) + ")"
		}
		if k.Sent {
			s += name + "→ " + strconv.Itoa(k.Count)
		} else {
			s += "←" + name + " " + strconv.Itoa(k.Count)
		}
	}
	return s
}

// groupLabel is the text over a group row of one kind: the kind, how
// many, and the range of packet ids when they have ids.
func groupLabel(a Arrow) string {
	s := a.Type
	if a.Type == "PUBLISH" {
		s += " QoS " + strconv.Itoa(int(a.QoS))
	}
	s += " ×" + strconv.Itoa(a.Count)
	if a.FirstID != 0 || a.PacketID != 0 {
		s += " #" + strconv.Itoa(int(a.FirstID)) + "…#" + strconv.Itoa(int(a.PacketID))
	}
	return s
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
