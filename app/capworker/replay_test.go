package capworker

import (
	"bytes"
	"testing"
	"time"

	"qosplayground/app/mqttframe/mqtttest"
	"qosplayground/app/wiretap"
)

// TestReplayTiming: a capture is replayed with its own timing, each packet
// shown after the same pause as in the file, and a pause longer than
// MaxReplayPause shortened to it.
func TestReplayTiming(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	at := []time.Duration{0, 30 * time.Millisecond, 30 * time.Millisecond, 1500 * time.Millisecond, time.Hour}
	var pkts []wiretap.Packet
	for i, d := range at {
		pkts = append(pkts, wiretap.Packet{Seq: i + 1, Conn: 1 + i/3, At: t0.Add(d)})
	}
	r := NewReplay(pkts)
	want := []time.Duration{0, 30 * time.Millisecond, 30 * time.Millisecond, 1500 * time.Millisecond, 1500*time.Millisecond + MaxReplayPause}
	for i := range want {
		if r.Offsets[i] != want[i] {
			t.Errorf("packet %d shown at +%v, want +%v", i+1, r.Offsets[i], want[i])
		}
	}
	if r.Conns != 2 || r.Span != time.Hour {
		t.Errorf("%d connections over %v, want 2 over 1h", r.Conns, r.Span)
	}
	if got := r.NewestFirst(3, 100); len(got) != 3 || got[0].Seq != 3 || got[2].Seq != 1 {
		t.Errorf("the first three, newest first: %+v", got)
	}
	if got := r.NewestFirst(5, 2); len(got) != 2 || got[0].Seq != 5 || got[1].Seq != 4 {
		t.Errorf("the newest two of five: %+v", got)
	}
	for _, c := range []struct {
		elapsed time.Duration
		shown   int
		next    time.Duration
		more    bool
	}{
		{0, 1, 30 * time.Millisecond, true},
		{30 * time.Millisecond, 3, 1470 * time.Millisecond, true},
		{1600 * time.Millisecond, 4, 1900 * time.Millisecond, true},
		{time.Hour, 5, 0, false},
	} {
		shown, next, more := r.Due(c.elapsed)
		if shown != c.shown || next != c.next || more != c.more {
			t.Errorf("Due(%v) = %d, %v, %v; want %d, %v, %v", c.elapsed, shown, next, more, c.shown, c.next, c.more)
		}
	}
}

// TestForExport: oldest first, and a CONNECT's password masked in the copy
// only.
func TestForExport(t *testing.T) {
	connect := mqtttest.Connect311.Bytes()
	pkts := []wiretap.Packet{{Seq: 2, Raw: []byte{0xc0, 0}}, {Seq: 1, Raw: connect}}
	out := ForExport(pkts)
	if out[0].Seq != 1 || out[1].Seq != 2 {
		t.Fatalf("order %d, %d; want 1, 2", out[0].Seq, out[1].Seq)
	}
	if bytes.Equal(out[0].Raw, connect) {
		t.Error("the CONNECT's password left the page unmasked")
	}
	if !bytes.Equal(pkts[1].Raw, connect) {
		t.Error("the page's own packet was changed")
	}
}

func TestParsePort(t *testing.T) {
	for _, c := range []struct {
		in   string
		port int
		ok   bool
	}{{"", DefaultPort, true}, {" 8883 ", 8883, true}, {"1", 1, true}, {"65535", 65535, true},
		{"0", 0, false}, {"65536", 65536, false}, {"-1", -1, false}, {"mqtt", 0, false}, {"18 83", 0, false}} {
		port, ok := ParsePort(c.in)
		if ok != c.ok || (ok && port != c.port) {
			t.Errorf("ParsePort(%q) = %d, %v; want %d, %v", c.in, port, ok, c.port, c.ok)
		}
	}
}

func TestWording(t *testing.T) {
	for _, c := range []struct {
		e    Error
		want Kind
	}{{Error{Kind: NoMQTT}, NoTCP}, {Error{Kind: NoMQTT, Ports: []int{8080}}, NoMQTT}, {Error{Kind: Damaged}, Damaged}} {
		if got := c.e.Wording(); got != c.want {
			t.Errorf("%+v: Wording() = %q, want %q", c.e, got, c.want)
		}
	}
}
