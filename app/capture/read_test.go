package capture

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"qosplayground/app/capworker"
	"qosplayground/app/wiretap"
)

// Real MQTT 3.1.1 packets, as paho and Mosquitto write them.
var (
	connectPkt = []byte{0x10, 0x12, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 30, 0, 6, 'c', 'l', 'i', 'e', 'n', 't'}
	connackPkt = []byte{0x20, 0x02, 0x00, 0x00}
	publishQ1  = []byte{0x32, 0x0a, 0, 3, 'a', '/', 'b', 0, 7, 'h', 'e', 'y'} // QoS 1, id 7, "hey"
	pubackPkt  = []byte{0x40, 0x02, 0, 7}
	pingreq    = []byte{0xc0, 0x00}
	pingresp   = []byte{0xd0, 0x00}
)

// pcapBuilder writes TCP segments between a client and a broker as a
// classic pcap file on Ethernet, as tcpdump does.
type pcapBuilder struct {
	t          *testing.T
	buf        bytes.Buffer
	w          *pcapgo.Writer
	at         time.Time
	port       uint16
	cport      uint16
	cseq, bseq uint32
}

func newPcap(t *testing.T, port uint16) *pcapBuilder {
	b := &pcapBuilder{t: t, at: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC), port: port, cport: 40000, cseq: 100, bseq: 9000}
	b.w = pcapgo.NewWriter(&b.buf)
	if err := b.w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	return b
}

// seg writes one segment at seq (relative to the sender's stream start)
// and moves the clock on by a millisecond.
func (b *pcapBuilder) seg(fromClient bool, syn bool, seq uint32, payload []byte) {
	b.t.Helper()
	cip, bip := net.IPv4(10, 0, 0, 2).To4(), net.IPv4(10, 0, 0, 1).To4()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: cip, DstIP: bip}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(b.cport), DstPort: layers.TCPPort(b.port), Seq: b.cseq + seq, SYN: syn, ACK: !syn, PSH: len(payload) > 0, Window: 65535}
	if !fromClient {
		ip.SrcIP, ip.DstIP = bip, cip
		tcp.SrcPort, tcp.DstPort, tcp.Seq = layers.TCPPort(b.port), layers.TCPPort(b.cport), b.bseq+seq
	}
	tcp.SetNetworkLayerForChecksum(ip)
	sb := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(sb, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		b.t.Fatal(err)
	}
	data := sb.Bytes()
	b.at = b.at.Add(time.Millisecond)
	if err := b.w.WritePacket(gopacket.CaptureInfo{Timestamp: b.at, CaptureLength: len(data), Length: len(data)}, data); err != nil {
		b.t.Fatal(err)
	}
}

// handshake opens the connection: both streams' bytes start at 1.
func (b *pcapBuilder) handshake() {
	b.seg(true, true, 0, nil)
	b.seg(false, true, 0, nil)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func summary(pkts []wiretap.Packet) string {
	var s []string
	for _, p := range pkts {
		s = append(s, fmt.Sprintf("%d %s%s %s id=%d", p.Conn, p.Dir.Arrow(), map[bool]string{true: " DUP", false: ""}[p.Dup], p.Type, p.PacketID))
	}
	return strings.Join(s, "\n")
}

// TestReadReassembles: packets split across segments, several in one
// segment, a segment that comes early, a retransmission and an overlap
// all give the packets in order, each once, with the time of the segment
// that completed it.
func TestReadReassembles(t *testing.T) {
	b := newPcap(t, 1883)
	b.handshake()
	// CONNECT in three segments.
	b.seg(true, false, 1, connectPkt[:3])
	b.seg(true, false, 4, connectPkt[3:10])
	b.seg(true, false, 11, connectPkt[10:])
	b.seg(false, false, 1, connackPkt)
	c := uint32(1 + len(connectPkt))
	// PUBLISH and PINGREQ in one segment, then the same segment again (a
	// retransmission).
	two := cat(publishQ1, pingreq)
	b.seg(true, false, c, two)
	b.seg(true, false, c, two)
	c += uint32(len(two))
	// The broker's PUBACK+PINGRESP: the second half comes first, then the
	// first half overlapping it by a byte.
	resp := cat(pubackPkt, pingresp)
	bs := uint32(1 + len(connackPkt))
	b.seg(false, false, bs+3, resp[3:])
	b.seg(false, false, bs, resp[:4])
	// The client's DUP resend, its first byte alone.
	dup := append([]byte{}, publishQ1...)
	dup[0] |= 0x08
	b.seg(true, false, c, dup[:1])
	b.seg(true, false, c+1, dup[1:])

	pkts, more, err := Read(&b.buf, 1883, 0)
	if err != nil || more {
		t.Fatalf("Read: %v (more %v)", err, more)
	}
	want := strings.Join([]string{
		"1 → CONNECT id=0", "1 ← CONNACK id=0", "1 → PUBLISH id=7", "1 → PINGREQ id=0",
		"1 ← PUBACK id=7", "1 ← PINGRESP id=0", "1 → DUP PUBLISH id=7",
	}, "\n")
	if got := summary(pkts); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for i, p := range pkts {
		if p.Seq != i+1 {
			t.Errorf("packet %d numbered %d", i, p.Seq)
		}
	}
	if pkts[2].Topic != "a/b" || string(pkts[2].Payload) != "hey" || pkts[2].QoS != 1 {
		t.Errorf("PUBLISH decoded as %+v", pkts[2])
	}
	// CONNECT completed by the 5th frame (1 ms apart from 09:00:00.001);
	// PUBACK by the 10th, the overlapping half.
	t0 := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	if got := pkts[0].At.Sub(t0); got != 5*time.Millisecond {
		t.Errorf("CONNECT at +%v, want +5ms", got)
	}
	if got := pkts[4].At.Sub(t0); got != 10*time.Millisecond {
		t.Errorf("PUBACK at +%v, want +10ms (the segment that completed it)", got)
	}
}

// TestReadRoundTrip reads back what WritePcapng wrote (pcapng, gopacket's
// NgWriter): the same packets, connections, directions and times.
func TestReadRoundTrip(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 123456789, time.UTC)
	big := append([]byte{0x30, 0x83, 0x19, 0x00, 0x01, 'a'}, bytes.Repeat([]byte{'x'}, 3200)...) // 3206 bytes: three segments
	in := []wiretap.Packet{
		{Conn: 1, Dir: wiretap.Sent, At: t0, Raw: connectPkt},
		{Conn: 1, Dir: wiretap.Received, At: t0.Add(time.Millisecond), Raw: connackPkt},
		{Conn: 1, Dir: wiretap.Sent, At: t0.Add(2 * time.Millisecond), Raw: publishQ1},
		{Conn: 2, Dir: wiretap.Sent, At: t0.Add(time.Second), Raw: connectPkt},
		{Conn: 2, Dir: wiretap.Sent, At: t0.Add(time.Second + time.Millisecond), Raw: big},
		{Conn: 2, Dir: wiretap.Received, At: t0.Add(time.Second + 2*time.Millisecond), Raw: pubackPkt},
	}
	var buf bytes.Buffer
	if err := WritePcapng(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, _, err := Read(&buf, BrokerPort, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d packets back, want %d:\n%s", len(out), len(in), summary(out))
	}
	for i := range in {
		if out[i].Conn != in[i].Conn || out[i].Dir != in[i].Dir || !out[i].At.Equal(in[i].At) || !bytes.Equal(out[i].Raw, in[i].Raw) {
			t.Errorf("packet %d: got conn %d %v at %v (%d bytes), want conn %d %v at %v (%d bytes)", i,
				out[i].Conn, out[i].Dir, out[i].At, len(out[i].Raw), in[i].Conn, in[i].Dir, in[i].At, len(in[i].Raw))
		}
	}
}

// TestReadPort: the learner's port decides which TCP is MQTT; a capture
// without TCP on that port names the ports it has.
func TestReadPort(t *testing.T) {
	b := newPcap(t, 8883)
	b.handshake()
	b.seg(true, false, 1, connectPkt)
	b.seg(false, false, 1, connackPkt)
	file := b.buf.Bytes()
	pkts, _, err := Read(bytes.NewReader(file), 8883, 0)
	if err != nil || len(pkts) != 2 {
		t.Fatalf("port 8883: %v, %d packets", err, len(pkts))
	}
	_, _, err = Read(bytes.NewReader(file), 1883, 0)
	var e *capworker.Error
	if !errors.As(err, &e) || e.Kind != capworker.NoMQTT || e.Port != 1883 || len(e.Ports) == 0 || e.Ports[0] != 8883 {
		t.Fatalf("port 1883: %#v, want NoMQTT naming 8883 first", err)
	}
}

// TestReadMidStream: a capture started after the handshake still reads,
// from the first segment with bytes.
func TestReadMidStream(t *testing.T) {
	b := newPcap(t, 1883)
	b.seg(true, false, 500, pingreq)
	b.seg(false, false, 700, pingresp)
	pkts, _, err := Read(&b.buf, 1883, 0)
	if err != nil || summary(pkts) != "1 → PINGREQ id=0\n1 ← PINGRESP id=0" {
		t.Fatalf("%v:\n%s", err, summary(pkts))
	}
}

// TestReadNewConnection: a SYN after data on the same addresses is the
// next connection, as a reconnection from the same port would be.
func TestReadNewConnection(t *testing.T) {
	b := newPcap(t, 1883)
	b.handshake()
	b.seg(true, false, 1, connectPkt)
	b.cseq = 50_000
	b.handshake()
	b.seg(true, false, 1, connectPkt)
	pkts, _, err := Read(&b.buf, 1883, 0)
	if err != nil || summary(pkts) != "1 → CONNECT id=0\n2 → CONNECT id=0" {
		t.Fatalf("%v:\n%s", err, summary(pkts))
	}
}

// TestReadErrors: each kind of file that cannot be shown says why.
func TestReadErrors(t *testing.T) {
	http := newPcap(t, 1883)
	http.handshake()
	http.seg(true, false, 1, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))

	good := newPcap(t, 1883)
	good.handshake()
	good.seg(true, false, 1, connectPkt)
	good.seg(false, false, 1, connackPkt)
	whole := good.buf.Bytes()

	for _, tt := range []struct {
		name    string
		file    []byte
		kind    capworker.Kind
		packets int
	}{
		{"empty", nil, capworker.NotCapture, 0},
		{"text", []byte("hello, this is not a capture\n"), capworker.NotCapture, 0},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), capworker.NotCapture, 0},
		{"header cut", whole[:10], capworker.Truncated, 0},
		{"last packet cut", whole[:len(whole)-3], capworker.Truncated, 1},
		{"HTTP on 1883", http.buf.Bytes(), capworker.NotMQTT, 1},
		{"pcapng block garbage", append([]byte{0x0a, 0x0d, 0x0d, 0x0a}, bytes.Repeat([]byte{0xff}, 40)...), capworker.Damaged, 0},
	} {
		pkts, _, err := Read(bytes.NewReader(tt.file), 1883, 0)
		var e *capworker.Error
		if !errors.As(err, &e) || e.Kind != tt.kind {
			t.Errorf("%s: %v, want kind %s", tt.name, err, tt.kind)
			continue
		}
		if len(pkts) != tt.packets {
			t.Errorf("%s: %d packets, want %d:\n%s", tt.name, len(pkts), tt.packets, summary(pkts))
		}
	}
}

// TestReadLimit stops at the most packets asked for, and says so.
func TestReadLimit(t *testing.T) {
	b := newPcap(t, 1883)
	b.handshake()
	for i := range 10 {
		b.seg(true, false, 1+uint32(i*2), pingreq)
	}
	pkts, more, err := Read(&b.buf, 1883, 4)
	if err != nil || len(pkts) != 4 || !more {
		t.Fatalf("%v, %d packets, more %v", err, len(pkts), more)
	}
}

// TestImportExportJSON: the worker's two answers through their JSON, as
// they travel.
func TestImportExportJSON(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	list := capworker.FromWire([]wiretap.Packet{
		wiretap.Packet{Conn: 1, Dir: wiretap.Sent, At: t0, Raw: publishQ1},
		wiretap.Packet{Conn: 1, Dir: wiretap.Received, At: t0.Add(time.Millisecond), Raw: pubackPkt},
	})
	js, err := jsonMarshal(list)
	if err != nil {
		t.Fatal(err)
	}
	file, err := Export(js)
	if err != nil {
		t.Fatal(err)
	}
	res := Import(file, 0)
	if res.Err != nil || len(res.Packets) != 2 || res.Packets[0].Type != "PUBLISH" || res.Packets[1].Dir != "received" || !res.Packets[1].At.Equal(t0.Add(time.Millisecond)) {
		t.Fatalf("%+v", res)
	}
	if res := Import([]byte("garbage"), 1883); res.Err == nil || res.Err.Kind != capworker.NotCapture {
		t.Fatalf("garbage: %+v", res)
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
