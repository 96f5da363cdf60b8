package netcond

import (
	"math/rand/v2"
	"time"
)

// Latency delays each chunk by a latency spread by a jitter: each chunk's
// delay is drawn uniformly from latency ± jitter (never below zero), and
// a chunk never leaves before the one ahead of it, so the bytes of the
// stream stay in order: a late chunk holds back those behind it, as TCP's
// in-order delivery does (toxiproxy's latency toxic, without reordering).
type Latency struct {
	// Delay returns the latency and jitter, read for each chunk.
	Delay func() (latency, jitter time.Duration)
	Clock Clock
	// Rand draws the jitter; nil means a generator seeded at random.
	Rand *rand.Rand

	last time.Time // when the chunk ahead leaves
}

// Hold returns when c may leave.
func (l *Latency) Hold(c Chunk) time.Time {
	lat, jit := l.Delay()
	d := lat
	if jit > 0 {
		if l.Rand == nil {
			l.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
		}
		d += time.Duration(l.Rand.Int64N(int64(2*jit)+1)) - jit
		if d < 0 {
			d = 0
		}
	}
	at := c.At.Add(d)
	if at.Before(l.last) {
		at = l.last // never overtake the chunk ahead
	}
	l.last = at
	return at
}

// Pipe implements Stage.
func (l *Latency) Pipe(done <-chan struct{}, in <-chan Chunk, out chan<- Chunk) {
	pipe(l.Clock, done, in, out, l.Hold)
}
