package seqdiag

import (
	"strconv"
	"strings"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
	"qosplayground/app/wiretap"
)

func TestLayoutQoS2Exchange(t *testing.T) {
	var pkts []wiretap.Packet
	add := func(dir wiretap.Direction, cp packets.ControlPacket) {
		pk := wiretap.Decode(mqttframe.Encode(cp))
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
	for _, a := range d.Arrows {
		if a.NewConn {
			t.Errorf("arrow %q marked as a new connection; all went over one", a.Label)
		}
	}
	if !d.Arrows[4].Dup || d.Arrows[0].Dup {
		t.Error("the DUP flag is not marked on the resend only")
	}
	if d.Height <= d.Arrows[4].Y {
		t.Errorf("height %d does not hold the last arrow at %d", d.Height, d.Arrows[4].Y)
	}
}

func TestLayoutGroupsAFastStream(t *testing.T) {
	// A windowed QoS 1 burst as the tap sees it: runs of PUBLISHes, runs of
	// PUBACKs, and one resend in the middle.
	var pkts []wiretap.Packet
	id := uint16(0)
	add := func(typ string, dir wiretap.Direction, qos byte, pid uint16, dup bool) {
		pkts = append(pkts, wiretap.Packet{Seq: len(pkts) + 1, Type: typ, Dir: dir, QoS: qos, PacketID: pid, Dup: dup})
	}
	for round := 0; round < 50; round++ {
		first := id + 1
		for range 20 {
			id++
			add("PUBLISH", wiretap.Sent, 1, id, false)
		}
		if round == 25 {
			add("PUBLISH", wiretap.Sent, 1, first, true)
		}
		for i := first; i <= id; i++ {
			add("PUBACK", wiretap.Received, 0, i, false)
		}
	}
	d := Layout(pkts)
	if len(d.Arrows) > MaxArrows {
		t.Fatalf("%d rows, more than %d", len(d.Arrows), MaxArrows)
	}
	// 100 runs and a resend do not fit as runs: older runs are mixed.
	if d.Omitted != 0 {
		t.Errorf("%d packets omitted", d.Omitted)
	}
	total, dups := d.Omitted, 0
	prevSeq := 0
	for _, a := range d.Arrows {
		total += a.Count
		if a.FirstSeq <= prevSeq || a.Seq < a.FirstSeq {
			t.Fatalf("row %+v out of order after seq %d", a, prevSeq)
		}
		prevSeq = a.Seq
		if a.Dup {
			dups++
			if a.Count != 1 || a.Label != "PUBLISH QoS 1 #501 DUP" {
				t.Errorf("the resend is grouped or mislabelled: %+v", a)
			}
		}
		if a.Count > 1 && !a.Mixed() && !strings.Contains(a.Label, "×"+strconv.Itoa(a.Count)) {
			t.Errorf("group label %q does not say how many", a.Label)
		}
	}
	if total != len(pkts) || d.Grouped == 0 || dups != 1 {
		t.Errorf("rows stand for %d packets (want %d), %d grouped, %d resends drawn", total, len(pkts), d.Grouped, dups)
	}
	// The newest packets keep their own arrows.
	for i, a := range d.Arrows[len(d.Arrows)-Detail:] {
		if want := len(pkts) - Detail + 1 + i; a.Count != 1 || a.Seq != want {
			t.Errorf("row %+v, want packet %d alone", a, want)
		}
	}
	// The first group of PUBACKs names its id range.
	for _, a := range d.Arrows {
		if a.Type == "PUBACK" && a.Count == 20 {
			if want := "PUBACK ×20 #" + strconv.Itoa(int(a.FirstID)) + "…#" + strconv.Itoa(int(a.PacketID)); a.Label != want || a.PacketID-a.FirstID != 19 {
				t.Errorf("group label %q, want %q", a.Label, want)
			}
			break
		}
	}
}

func TestLayoutMixesATwoWayStream(t *testing.T) {
	// A tab publishing at QoS 1 to its own subscription: PUBLISH out,
	// PUBACK in, PUBLISH in, PUBACK out, for 500 messages, with a resend
	// near the start: no runs at all.
	var pkts []wiretap.Packet
	add := func(typ string, dir wiretap.Direction, qos byte, pid uint16, dup bool) {
		pkts = append(pkts, wiretap.Packet{Seq: len(pkts) + 1, Type: typ, Dir: dir, QoS: qos, PacketID: pid, Dup: dup})
	}
	add("CONNECT", wiretap.Sent, 0, 0, false)
	add("CONNACK", wiretap.Received, 0, 0, false)
	for i := uint16(1); i <= 500; i++ {
		add("PUBLISH", wiretap.Sent, 1, i, false)
		add("PUBACK", wiretap.Received, 0, i, false)
		add("PUBLISH", wiretap.Received, 1, i, i == 10)
		add("PUBACK", wiretap.Sent, 0, i, false)
	}
	d := Layout(pkts)
	if len(d.Arrows) > MaxArrows || d.Omitted != 0 {
		t.Fatalf("%d rows, %d omitted; want at most %d rows and nothing left out", len(d.Arrows), d.Omitted, MaxArrows)
	}
	total, mixed := 0, 0
	for i, a := range d.Arrows {
		total += a.Count
		if (i < 2 || a.Dup) && a.Count != 1 {
			t.Errorf("row %d %q is grouped; CONNECT, CONNACK and the resend stay alone", i, a.Label)
		}
		if !a.Mixed() {
			continue
		}
		mixed++
		sum := 0
		for _, k := range a.Kinds {
			sum += k.Count
		}
		if sum != a.Count || len(a.Kinds) != 4 {
			t.Errorf("mixed row %q: kinds %+v count %d", a.Label, a.Kinds, a.Count)
		}
	}
	if total != len(pkts) || mixed == 0 {
		t.Errorf("rows stand for %d packets (want %d); %d mixed groups", total, len(pkts), mixed)
	}
	if d.Arrows[0].Type != "CONNECT" || d.Arrows[1].Type != "CONNACK" {
		t.Errorf("first rows %q, %q", d.Arrows[0].Label, d.Arrows[1].Label)
	}
	dups := 0
	for _, a := range d.Arrows {
		if a.Dup {
			dups++
		}
	}
	if dups != 1 {
		t.Errorf("%d resends drawn, want 1", dups)
	}
	want := "PUBLISH→ "
	for _, a := range d.Arrows {
		if a.Mixed() && !strings.HasPrefix(a.Label, want) {
			t.Errorf("mixed label %q does not start with %q", a.Label, want)
		}
	}
}

func TestLayoutOmitsWhatCannotBeGrouped(t *testing.T) {
	// Resends are never grouped: only omission bounds them.
	pkts := make([]wiretap.Packet, 1000)
	for i := range pkts {
		pkts[i] = wiretap.Packet{Seq: i + 1, Type: "PUBLISH", QoS: 1, PacketID: 1, Dup: true, Dir: wiretap.Sent}
	}
	d := Layout(pkts)
	if len(d.Arrows) != MaxArrows || d.Omitted != 1000-MaxArrows || d.Grouped != 0 {
		t.Fatalf("%d arrows, %d omitted, %d grouped; want %d, %d, 0", len(d.Arrows), d.Omitted, d.Grouped, MaxArrows, 1000-MaxArrows)
	}
	if d.Arrows[0].Seq != 1000-MaxArrows+1 || d.Arrows[MaxArrows-1].Seq != 1000 {
		t.Errorf("drew packets %d to %d, want the newest", d.Arrows[0].Seq, d.Arrows[MaxArrows-1].Seq)
	}
}

func TestLayoutDoesNotGroupWhatFits(t *testing.T) {
	pkts := make([]wiretap.Packet, MaxArrows)
	for i := range pkts {
		pkts[i] = wiretap.Packet{Seq: i + 1, Type: "PUBLISH", Dir: wiretap.Sent}
	}
	d := Layout(pkts)
	if len(d.Arrows) != MaxArrows || d.Grouped != 0 {
		t.Errorf("%d rows, %d grouped; want one arrow per packet", len(d.Arrows), d.Grouped)
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

func TestLabelConnect(t *testing.T) {
	if pk := wiretap.Decode(mqtttest.Connect311.Bytes()); !strings.Contains(Label(pk), "CONNECT") {
		t.Errorf("label %q", Label(pk))
	}
}

func TestLayoutMarksReconnections(t *testing.T) {
	pkts := []wiretap.Packet{
		{Seq: 1, Conn: 1, Type: "CONNECT", Dir: wiretap.Sent},
		{Seq: 2, Conn: 1, Type: "CONNACK", Dir: wiretap.Received},
		{Seq: 3, Conn: 1, Type: "PUBLISH", QoS: 1, PacketID: 1, Dir: wiretap.Sent},
		{Seq: 4, Conn: 2, Type: "CONNECT", Dir: wiretap.Sent},
		{Seq: 5, Conn: 2, Type: "CONNACK", Dir: wiretap.Received},
		{Seq: 6, Conn: 2, Type: "PUBLISH", QoS: 1, PacketID: 1, Dup: true, Dir: wiretap.Sent},
	}
	d := Layout(pkts)
	for i, a := range d.Arrows {
		if want := i == 3; a.NewConn != want || a.Conn != pkts[i].Conn {
			t.Errorf("arrow %d (%s): new connection %v conn %d", i, a.Label, a.NewConn, a.Conn)
		}
	}
}
