package seqdiag

import (
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
	"qosplayground/app/netcond"
	"qosplayground/app/wiretap"
)

// qos1 returns a QoS 1 exchange as the tab sees it: its PUBLISH sent at t0
// and its PUBACK received 50 ms later, each with its real bytes.
func qos1(t0 time.Time, payload []byte) []wiretap.Packet {
	pub := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	pub.TopicName, pub.Qos, pub.MessageID, pub.Payload = "a/b", 1, 3, payload
	ack := packets.NewControlPacket(packets.Puback).(*packets.PubackPacket)
	ack.MessageID = 3
	p := wiretap.Decode(mqttframe.Encode(pub))
	p.Seq, p.Dir, p.At = 1, wiretap.Sent, t0
	a := wiretap.Decode(mqttframe.Encode(ack))
	a.Seq, a.Dir, a.At = 2, wiretap.Received, t0.Add(50*time.Millisecond)
	return []wiretap.Packet{p, a}
}

var t0 = time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC)

func TestSlantProportionalToLatency(t *testing.T) {
	pkts := qos1(t0, []byte("x"))
	for _, ms := range []int{300, 600, 2000} {
		d := LayoutOn(pkts, []Period{{From: t0.Add(-time.Second), Conditions: netcond.Conditions{LatencyMS: ms}}})
		want := ms / SlantMS
		pub, ack := d.Arrows[0], d.Arrows[1]
		for _, a := range d.Arrows {
			if a.Y2-a.Y != want || a.Link != time.Duration(ms)*time.Millisecond || a.Capped {
				t.Errorf("latency %d ms: %s slants %d px (link %v, capped %v), want %d px", ms, a.Label, a.Y2-a.Y, a.Link, a.Capped, want)
			}
		}
		// Sent: leaves the client at the row's height, reaches the broker
		// lower. Received: leaves the broker higher, reaches the client
		// (where the tab saw it arrive) lower.
		if pub.X1 != ClientX || pub.X2 != BrokerX || pub.ClientY() != pub.Y {
			t.Errorf("PUBLISH from %d,%d to %d,%d, client end at %d", pub.X1, pub.Y, pub.X2, pub.Y2, pub.ClientY())
		}
		if ack.X1 != BrokerX || ack.X2 != ClientX || ack.ClientY() != ack.Y2 || ack.ClientY() <= ack.Y {
			t.Errorf("PUBACK from %d,%d to %d,%d, client end at %d", ack.X1, ack.Y, ack.X2, ack.Y2, ack.ClientY())
		}
		// The next row starts a row below the lower end of the one before.
		if ack.Y != pub.Y2+RowH || d.Height != ack.Y2+RowH {
			t.Errorf("latency %d ms: PUBACK at %d after PUBLISH ending at %d; height %d", ms, ack.Y, pub.Y2, d.Height)
		}
	}
}

func TestSlantZeroConditionsIsFlat(t *testing.T) {
	pkts := qos1(t0, []byte("hello"))
	flat := Layout(pkts)
	for name, periods := range map[string][]Period{
		"no periods":     nil,
		"a perfect link": {{From: t0.Add(-time.Second)}},
		"set after":      {{From: t0.Add(time.Hour), Conditions: netcond.Conditions{LatencyMS: 300}}},
		"set, then reset": {
			{From: t0.Add(-2 * time.Second), Conditions: netcond.Conditions{LatencyMS: 300, UpKbps: 56}},
			{From: t0.Add(-time.Second)},
		},
	} {
		d := LayoutOn(pkts, periods)
		if d.Slanted() || d.Height != flat.Height {
			t.Errorf("%s: slanted %v, height %d (flat: %d)", name, d.Slanted(), d.Height, flat.Height)
		}
		for i, a := range d.Arrows {
			if a.Y2 != a.Y || a.Y != flat.Arrows[i].Y || a.Link != 0 {
				t.Errorf("%s: %s from y %d to %d (link %v), want flat at %d", name, a.Label, a.Y, a.Y2, a.Link, flat.Arrows[i].Y)
			}
		}
	}
	// A flat arrow's head is where it always was.
	if h := flat.Arrows[0].Head(); h != "530,68 522,63 522,73" {
		t.Errorf("flat PUBLISH head %q", h)
	}
	if h := flat.Arrows[1].Head(); h != "110,96 118,91 118,101" {
		t.Errorf("flat PUBACK head %q", h)
	}
}

func TestSlantBandwidthEachWay(t *testing.T) {
	payload := make([]byte, 2000)
	pkts := qos1(t0, payload)
	// 56 kbit/s up: the PUBLISH's bytes take n*8/56000 s; 2 Mbit/s down:
	// the PUBACK's 4 bytes take 16 µs.
	c := netcond.Conditions{LatencyMS: 100, UpKbps: 56, DownKbps: 2000}
	d := LayoutOn(pkts, []Period{{From: t0, Conditions: c}})
	n := len(pkts[0].Raw)
	wantPub := 100*time.Millisecond + time.Duration(int64(n)*8*int64(time.Second)/56000)
	pub, ack := d.Arrows[0], d.Arrows[1]
	if pub.Link != wantPub || pub.Y2-pub.Y != int((wantPub+5*time.Millisecond)/(10*time.Millisecond)) {
		t.Errorf("PUBLISH of %d bytes at 56 kbit/s: link %v, slant %d; want %v", n, pub.Link, pub.Y2-pub.Y, wantPub)
	}
	if ack.Y2-ack.Y != 10 {
		t.Errorf("PUBACK: slant %d, want 10 (100 ms)", ack.Y2-ack.Y)
	}
	if pub.Y2-pub.Y <= ack.Y2-ack.Y+20 {
		t.Errorf("the 2 kB PUBLISH on a thin uplink slants %d, hardly more than its PUBACK's %d", pub.Y2-pub.Y, ack.Y2-ack.Y)
	}
}

func TestSlantCapped(t *testing.T) {
	pkts := qos1(t0, make([]byte, 100_000)) // 14 s at 56 kbit/s
	d := LayoutOn(pkts, []Period{{From: t0, Conditions: netcond.Conditions{LatencyMS: 2000, UpKbps: 56}}})
	if a := d.Arrows[0]; !a.Capped || a.Y2-a.Y != MaxSlant || a.Link < 14*time.Second {
		t.Errorf("a 100 kB PUBLISH at 56 kbit/s: slant %d, capped %v, link %v", a.Y2-a.Y, a.Capped, a.Link)
	}
	if a := d.Arrows[1]; a.Capped || a.Y2-a.Y != 200 {
		t.Errorf("its PUBACK: slant %d, capped %v; want 200 (2 s)", a.Y2-a.Y, a.Capped)
	}
}

func TestMeanLatency(t *testing.T) {
	for _, tc := range []struct {
		lat, jit int
		want     time.Duration
	}{
		{300, 20, 300 * time.Millisecond},
		{300, 300, 300 * time.Millisecond},
		{0, 0, 0},
		// 100 ± 300 ms, never below 0: (100+300)² / (4·300) ms.
		{100, 300, 133333333}, // 133.3 ms
		{0, 200, 50 * time.Millisecond},
	} {
		if got := MeanLatency(netcond.Conditions{LatencyMS: tc.lat, JitterMS: tc.jit}); got != tc.want {
			t.Errorf("%d ± %d ms: mean %v, want %v", tc.lat, tc.jit, got, tc.want)
		}
	}
}

func TestSlantKeepsGrouping(t *testing.T) {
	// A QoS 0 burst of 300 PUBLISHes, then one QoS 1 exchange, over a
	// satellite link: the burst is grouped, each row slanted by the mean
	// of its packets.
	var pkts []wiretap.Packet
	for i := range 300 {
		pub := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		pub.TopicName, pub.Payload = "a/b", []byte("x")
		pk := wiretap.Decode(mqttframe.Encode(pub))
		pk.Seq, pk.Dir, pk.At = i+1, wiretap.Sent, t0.Add(time.Duration(i)*time.Millisecond)
		pkts = append(pkts, pk)
	}
	sat, _ := netcond.PresetByID("satellite")
	d := LayoutOn(pkts, []Period{{From: t0, Conditions: sat.Conditions}})
	flat := Layout(pkts)
	if len(d.Arrows) != len(flat.Arrows) || d.Grouped != flat.Grouped || d.Grouped == 0 || len(d.Arrows) > MaxArrows {
		t.Fatalf("%d rows, %d grouped; flat: %d rows, %d grouped", len(d.Arrows), d.Grouped, len(flat.Arrows), flat.Grouped)
	}
	want := 300*time.Millisecond + netcond.Transmit(len(pkts[0].Raw), 512)
	for i, a := range d.Arrows {
		if a.Link != want || a.Y2-a.Y != 30 {
			t.Errorf("row %d (%d packets): link %v, slant %d; want %v, 30", i, a.Count, a.Link, a.Y2-a.Y, want)
		}
		if i > 0 && a.Y != d.Arrows[i-1].Y2+RowH {
			t.Errorf("row %d at %d, the one before ends at %d", i, a.Y, d.Arrows[i-1].Y2)
		}
	}
}

func TestSlantHead(t *testing.T) {
	a := Arrow{X1: ClientX, X2: BrokerX, Y: 100, Y2: 100 + 42} // 420 across, 42 down
	// Along (420, 42)/422.1: the tip at the far end, the base 8 back.
	if h := a.Head(); h != "530,142 522.5,136.2 521.5,146.2" {
		t.Errorf("head %q", h)
	}
}

func TestSlantMixedGroupsStayFlat(t *testing.T) {
	// A two-way QoS 1 stream, too long to draw, over a satellite link:
	// the mixed groups (packets both ways in one band) are flat, the
	// newest packets' own arrows slant.
	var pkts []wiretap.Packet
	add := func(typ string, dir wiretap.Direction, id uint16) {
		pkts = append(pkts, wiretap.Packet{Seq: len(pkts) + 1, Type: typ, Dir: dir, QoS: 1, PacketID: id, At: t0.Add(time.Duration(len(pkts)) * time.Millisecond)})
	}
	for i := range uint16(200) {
		add("PUBLISH", wiretap.Sent, i+1)
		add("PUBACK", wiretap.Received, i+1)
		add("PUBLISH", wiretap.Received, i+1)
		add("PUBACK", wiretap.Sent, i+1)
	}
	d := LayoutOn(pkts, []Period{{From: t0, Conditions: netcond.Conditions{LatencyMS: 300}}})
	mixed, slanted := 0, 0
	for _, a := range d.Arrows {
		switch {
		case a.Mixed():
			mixed++
			if a.Y2 != a.Y || a.Link != 0 {
				t.Errorf("mixed row %q slants from %d to %d", a.Label, a.Y, a.Y2)
			}
		case a.Y2-a.Y == 30:
			slanted++
		default:
			t.Errorf("row %q of %d packets slants %d, want 30", a.Label, a.Count, a.Y2-a.Y)
		}
	}
	if mixed == 0 || slanted < Detail || len(d.Arrows) > MaxArrows {
		t.Errorf("%d rows: %d mixed, %d slanted", len(d.Arrows), mixed, slanted)
	}
}
