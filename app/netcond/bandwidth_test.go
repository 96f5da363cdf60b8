package netcond

import (
	"testing"
	"time"
)

func TestTransmit(t *testing.T) {
	for _, c := range []struct {
		n, kbps int
		want    time.Duration
	}{
		{7000, 56, time.Second},                        // 56,000 bit at 56 kbit/s
		{125, 1000, time.Millisecond},                  // 1,000 bit at 1 Mbit/s
		{256 << 10, 56, 37449142857 * time.Nanosecond}, // the largest packet on the slowest link
		{1000, 0, 0}, // no limit
	} {
		if got := Transmit(c.n, c.kbps); got != c.want {
			t.Errorf("Transmit(%d, %d) = %v, want %v", c.n, c.kbps, got, c.want)
		}
	}
}

func TestBandwidthQueuesBehindTheLine(t *testing.T) {
	b := &Bandwidth{Kbps: func() int { return 56 }}
	// Three chunks of 700 bytes (100 ms each at 56 kbit/s) sent at once:
	// each waits for the one before.
	for i, want := range []time.Duration{100 * ms, 200 * ms, 300 * ms} {
		if got := b.Hold(Chunk{Data: make([]byte, 700), At: t0}).Sub(t0); got != want {
			t.Errorf("chunk %d leaves after %v, want %v", i, got, want)
		}
	}
	// A chunk that arrives after the line went idle starts at once.
	if got := b.Hold(Chunk{Data: make([]byte, 700), At: t0.Add(time.Second)}).Sub(t0); got != 1100*ms {
		t.Errorf("chunk after idle leaves at %v, want 1.1s", got)
	}
}

func TestBandwidthUnlimitedPassesAtOnce(t *testing.T) {
	b := &Bandwidth{Kbps: func() int { return 0 }}
	for range 3 {
		if got := b.Hold(Chunk{Data: make([]byte, 1<<20), At: t0}); !got.Equal(t0) {
			t.Fatalf("unlimited chunk leaves at %v, want at once", got.Sub(t0))
		}
	}
}

func TestBandwidthPipeKeepsBytesAndOrder(t *testing.T) {
	clk := &fakeClock{now: t0}
	b := &Bandwidth{Kbps: func() int { return 80 }, Clock: clk} // 10 bytes per ms
	done := make(chan struct{})
	in, out := Chain(done, b)
	var sent []byte
	for i := range 50 {
		d := make([]byte, 100) // 10 ms each
		for j := range d {
			d[j] = byte(i)
		}
		sent = append(sent, d...)
		in <- Chunk{Data: d, At: t0}
	}
	close(in)
	var got []byte
	var last time.Time
	for c := range out {
		got = append(got, c.Data...)
		last = c.At
	}
	if string(got) != string(sent) {
		t.Fatal("bytes changed or reordered by the bandwidth stage")
	}
	if d := last.Sub(t0); d != 500*ms {
		t.Errorf("5,000 bytes at 80 kbit/s took %v, want 500ms", d)
	}
}
