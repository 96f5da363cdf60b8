package netcond

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestLatencyDelaysEachChunk(t *testing.T) {
	l := &Latency{Delay: func() (time.Duration, time.Duration) { return 200 * ms, 0 }}
	for i := range 3 {
		at := t0.Add(time.Duration(i) * 10 * ms)
		if got := l.Hold(Chunk{At: at}).Sub(at); got != 200*ms {
			t.Errorf("chunk %d delayed %v, want 200ms", i, got)
		}
	}
}

func TestLatencyJitterSpreadsWithoutReordering(t *testing.T) {
	l := &Latency{
		Delay: func() (time.Duration, time.Duration) { return 100 * ms, 80 * ms },
		Rand:  rand.New(rand.NewPCG(1, 2)),
	}
	var last time.Time
	lo, hi := time.Hour, time.Duration(0)
	held := 0
	for i := range 2000 {
		// Close together at first (a burst: slow ones hold back the
		// rest), then far apart (each delay shows whole).
		at := t0.Add(time.Duration(i) * ms)
		if i >= 1000 {
			at = t0.Add(time.Duration(i) * time.Second)
		}
		out := l.Hold(Chunk{At: at})
		if out.Before(last) {
			t.Fatalf("chunk %d leaves at %v, before the chunk ahead at %v", i, out.Sub(t0), last.Sub(t0))
		}
		d := out.Sub(at)
		if d < 20*ms {
			t.Fatalf("chunk %d delayed %v, less than latency - jitter", i, d)
		}
		if out.Equal(last) {
			held++ // held back by a later chunk ahead
		}
		last = out
		lo, hi = min(lo, d), max(hi, d)
	}
	// The delays spread over most of 20..180 ms.
	if lo > 30*ms || hi < 170*ms {
		t.Errorf("delays spread over %v..%v, want about 20ms..180ms", lo, hi)
	}
	if held == 0 {
		t.Error("no chunk was held back by a slower one ahead: jitter reorders nothing to hold back?")
	}
}

func TestLatencyNeverNegative(t *testing.T) {
	l := &Latency{Delay: func() (time.Duration, time.Duration) { return 10 * ms, 500 * ms }, Rand: rand.New(rand.NewPCG(3, 4))}
	for i := range 1000 {
		at := t0.Add(time.Duration(i) * time.Second)
		if out := l.Hold(Chunk{At: at}); out.Before(at) {
			t.Fatalf("chunk %d leaves %v before it arrived", i, at.Sub(out))
		}
	}
}

func TestChainComposesBandwidthThenLatency(t *testing.T) {
	clk := &fakeClock{now: t0}
	done := make(chan struct{})
	bw := &Bandwidth{Kbps: func() int { return 56 }, Clock: clk}
	lat := &Latency{Delay: func() (time.Duration, time.Duration) { return time.Second, 0 }, Clock: clk}
	in, out := Chain(done, bw, lat)
	in <- Chunk{Data: make([]byte, 7000), At: t0} // one second on the line
	in <- Chunk{Data: make([]byte, 700), At: t0}  // then 100 ms more
	close(in)
	var got []time.Duration
	for c := range out {
		got = append(got, c.At.Sub(t0))
	}
	if len(got) != 2 || got[0] != 2*time.Second || got[1] != 2100*ms {
		t.Errorf("chunks leave at %v, want [2s 2.1s]", got)
	}
}

func TestChainEndsOnDone(t *testing.T) {
	done := make(chan struct{})
	lat := &Latency{Delay: func() (time.Duration, time.Duration) { return time.Hour, 0 }, Clock: RealClock{}}
	in, out := Chain(done, lat)
	in <- Chunk{Data: []byte("x"), At: time.Now()}
	close(done)
	if _, ok := <-out; ok {
		t.Error("a chunk an hour away came out after done")
	}
}
