package netcond

import "time"

// Chunk is a piece of a stream going through the stages: the bytes, in
// the order sent, and the time the chunk entered the stage that reads it
// (the time the stage before let it go).
type Chunk struct {
	Data []byte
	At   time.Time
}

// Stage holds chunks back, never reordering them: Pipe reads chunks from
// in and writes each to out once it may go, until in is closed or done is,
// and then closes out.
type Stage interface {
	Pipe(done <-chan struct{}, in <-chan Chunk, out chan<- Chunk)
}

// Clock is the time a stage waits on; tests give a fake one.
type Clock interface {
	Now() time.Time
	// Until waits until t or until done is closed; it returns false when
	// done was closed first.
	Until(t time.Time, done <-chan struct{}) bool
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// Until waits until t.
func (RealClock) Until(t time.Time, done <-chan struct{}) bool {
	d := time.Until(t)
	if d <= 0 {
		select {
		case <-done:
			return false
		default:
			return true
		}
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-done:
		return false
	}
}

// QueueLen is how many chunks wait between two stages before the one
// sending blocks: a link that is full slows its sender down, as a real one
// does (TCP's window).
const QueueLen = 1024

// Chain joins stages, one goroutine each, and returns the channel to send
// chunks into and the channel they leave from. Closing in (or done) ends
// every stage in turn and closes out.
func Chain(done <-chan struct{}, stages ...Stage) (in chan<- Chunk, out <-chan Chunk) {
	first := make(chan Chunk, QueueLen)
	var prev <-chan Chunk = first
	for _, s := range stages {
		next := make(chan Chunk, QueueLen)
		go s.Pipe(done, prev, next)
		prev = next
	}
	return first, prev
}

// pipe is the loop every stage shares: hold returns when a chunk may go
// (from its arrival time), and the chunk leaves at that time.
func pipe(clock Clock, done <-chan struct{}, in <-chan Chunk, out chan<- Chunk, hold func(Chunk) time.Time) {
	defer close(out)
	for {
		var c Chunk
		var ok bool
		select {
		case c, ok = <-in:
			if !ok {
				return
			}
		case <-done:
			return
		}
		at := hold(c)
		if !clock.Until(at, done) {
			return
		}
		// The scheduled time, not the time the wait ended: the timer's
		// lateness does not add up along a long stream.
		c.At = at
		select {
		case out <- c:
		case <-done:
			return
		}
	}
}
