package capture

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"qosplayground/app/wiretap"
)

// TestWritePcapngReadsBack reads a capture back with gopacket: a
// handshake per connection, then the MQTT bytes in order, with continuous
// sequence numbers, timestamps as seen, and a packet larger than a segment
// split and whole again.
func TestWritePcapngReadsBack(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	big := append([]byte{0x30, 0x8d, 0x19, 0x00, 0x01, 'a'}, bytes.Repeat([]byte{'x'}, 3200)...) // QoS 0 PUBLISH, 3206 bytes
	pkts := []wiretap.Packet{
		{Conn: 1, Dir: wiretap.Sent, At: t0, Raw: []byte{0xc0, 0x00}},                                         // PINGREQ
		{Conn: 1, Dir: wiretap.Received, At: t0.Add(5 * time.Millisecond), Raw: []byte{0xd0, 0x00}},           // PINGRESP
		{Conn: 2, Dir: wiretap.Sent, At: t0.Add(time.Second), Raw: big},                                       // the next connection
		{Conn: 2, Dir: wiretap.Received, At: t0.Add(time.Second + time.Millisecond), Raw: []byte{0xd0, 0x00}}, //
	}
	var buf bytes.Buffer
	if err := WritePcapng(&buf, pkts); err != nil {
		t.Fatal(err)
	}
	r, err := pcapgo.NewNgReader(&buf, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	type seg struct {
		src, dst uint16
		syn      bool
		seq      uint32
		payload  int
		at       time.Duration
	}
	var segs []seg
	streams := map[[2]uint16][]byte{}
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if tcp == nil {
			t.Fatalf("not TCP: %v", p)
		}
		if errL := p.ErrorLayer(); errL != nil {
			t.Fatalf("decode: %v", errL.Error())
		}
		segs = append(segs, seg{uint16(tcp.SrcPort), uint16(tcp.DstPort), tcp.SYN, tcp.Seq, len(tcp.Payload), ci.Timestamp.Sub(t0)})
		k := [2]uint16{uint16(tcp.SrcPort), uint16(tcp.DstPort)}
		streams[k] = append(streams[k], tcp.Payload...)
	}
	// 2 connections × 3 handshake segments, 2 + 4 packets' segments (the
	// big one in three).
	if len(segs) != 6+1+1+3+1 {
		t.Fatalf("%d segments: %+v", len(segs), segs)
	}
	if !segs[0].syn || segs[0].src != tabPort || segs[0].dst != BrokerPort || !segs[5].syn || segs[5].src != tabPort+1 {
		t.Errorf("handshakes and ports: %+v", segs)
	}
	if got := streams[[2]uint16{tabPort + 1, BrokerPort}]; !bytes.Equal(got, big) {
		t.Errorf("the big PUBLISH came back as %d bytes, want %d", len(got), len(big))
	}
	// Sequence numbers continue from segment to segment of a direction.
	next := map[[2]uint16]uint32{}
	for _, s := range segs {
		k := [2]uint16{s.src, s.dst}
		if n, ok := next[k]; ok && n != s.seq {
			t.Errorf("segment %+v: seq %d, want %d", s, s.seq, n)
		}
		adv := uint32(s.payload)
		if s.syn {
			adv++
		}
		next[k] = s.seq + adv
	}
	if at := segs[len(segs)-1].at; at != time.Second+time.Millisecond {
		t.Errorf("last segment at %v, want 1.001s", at)
	}
}
