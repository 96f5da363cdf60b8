package ui

import (
	"testing"
	"time"

	"qosplayground/app/wiretap"
)

// TestReplayTiming: a capture is replayed with its own timing, each packet
// shown after the same pause as in the file, and a pause longer than
// maxReplayPause shortened to it.
func TestReplayTiming(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	at := []time.Duration{0, 30 * time.Millisecond, 30 * time.Millisecond, 1500 * time.Millisecond, time.Hour}
	var pkts []wiretap.Packet
	for i, d := range at {
		pkts = append(pkts, wiretap.Packet{Seq: i + 1, Conn: 1 + i/3, At: t0.Add(d)})
	}
	r := newReplay("x.pcapng", pkts, false, 0)
	want := []time.Duration{0, 30 * time.Millisecond, 30 * time.Millisecond, 1500 * time.Millisecond, 1500*time.Millisecond + maxReplayPause}
	for i := range want {
		if r.offsets[i] != want[i] {
			t.Errorf("packet %d shown at +%v, want +%v", i+1, r.offsets[i], want[i])
		}
	}
	if r.conns != 2 || r.span != time.Hour {
		t.Errorf("%d connections over %v, want 2 over 1h", r.conns, r.span)
	}
	r.shown = 3
	if got := r.newestFirst(); len(got) != 3 || got[0].Seq != 3 || got[2].Seq != 1 {
		t.Errorf("the first three, newest first: %+v", got)
	}
}
