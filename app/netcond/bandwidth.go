package netcond

import "time"

// Bandwidth sends chunks no faster than a rate: each chunk leaves when the
// link has sent the chunks before it and then its own bytes, as on a
// serial line (toxiproxy's bandwidth toxic, but timed by a schedule so
// that sleeping late never lowers the rate). A chunk leaves whole at the
// time its last byte would.
type Bandwidth struct {
	// Kbps returns the rate in kbit/s (1000 bit/s); 0 means no limit. It is
	// read for each chunk, so a change applies to the next one.
	Kbps  func() int
	Clock Clock

	free time.Time // when the line has sent everything so far
}

// Transmit returns how long n bytes take at kbps kbit/s.
func Transmit(n, kbps int) time.Duration {
	if kbps <= 0 {
		return 0
	}
	// bits / (kbps*1000) seconds, in nanoseconds, without overflow for
	// any packet size we relay.
	return time.Duration(int64(n) * 8 * int64(time.Second) / (int64(kbps) * 1000))
}

// Hold returns when c may leave and records that the line is busy until
// then.
func (b *Bandwidth) Hold(c Chunk) time.Time {
	rate := b.Kbps()
	start := c.At
	if rate > 0 && b.free.After(start) {
		start = b.free // the line is still sending what came before
	}
	at := start.Add(Transmit(len(c.Data), rate))
	b.free = at
	return at
}

// Pipe implements Stage.
func (b *Bandwidth) Pipe(done <-chan struct{}, in <-chan Chunk, out chan<- Chunk) {
	pipe(b.Clock, done, in, out, b.Hold)
}
