package sidebyside

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"qosplayground/app/exercises"
)

// Stream is the ordered record of one QoS stream: when each numbered
// message was handed to the publisher's client, and every arrival at the
// subscriber's application (copies too) in the order it came. It is safe
// for concurrent use: the publisher's and the subscriber's goroutines
// record into it.
type Stream struct {
	mu       sync.Mutex
	sent     map[int64]time.Time
	arrivals []Arrival
}

// Arrival is one message handed to the application: its number (the
// message_id, 1, 2, 3… in the order sent) and when it came.
type Arrival struct {
	N  int64
	At time.Time
}

// NewStream returns an empty record.
func NewStream() *Stream { return &Stream{sent: map[int64]time.Time{}} }

// Sent records that message n was handed to the publisher's client at at;
// the first call for n counts.
func (s *Stream) Sent(n int64, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sent[n]; !ok {
		s.sent[n] = at
	}
}

// Arrived records that message n reached the application at at, after
// every arrival recorded before.
func (s *Stream) Arrived(n int64, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.arrivals = append(s.arrivals, Arrival{n, at})
}

// Order is what the order of arrival says about a stream.
//
// An arrival is out of order when its number is lower than the highest
// number that arrived before it: a message arriving after a later one.
// Copies count too (the second 2 in 1, 2, 3, 2 is out of order), since
// what MQTT 3.1.1 section 4.6 says about order is about them: a resent
// QoS 1 message may come after later ones. LateFirst counts the out of
// order arrivals that were a message's first: a message that reached the
// application for the first time after a later one, which 4.6 rules out
// for one publisher on one topic at one QoS.
type Order struct {
	Arrivals   int // every arrival, copies included
	Distinct   int // messages that arrived at least once
	Copies     int // arrivals of a number that had arrived before
	OutOfOrder int // arrivals after a higher number, copies included
	LateFirst  int // of OutOfOrder: first arrivals of their number
	// FirstExample and CopyExample show the first late first arrival and
	// the first late copy; zero when there is none.
	FirstExample, CopyExample Example
}

// Example shows one out-of-order arrival among its neighbours.
type Example struct {
	// Text is the arrivals around it (up to four before and two after),
	// it in brackets, e.g. "…, 17, 18, 19, [16], 20, …".
	Text string
	// N is its number, After the highest number that had arrived before.
	N, After int64
}

// LateCopies is OutOfOrder's copies: arrivals, after a higher number, of a
// message that had arrived before.
func (o Order) LateCopies() int { return o.OutOfOrder - o.LateFirst }

// OrderOf judges a sequence of arrival numbers (Order's rules).
func OrderOf(ns []int64) Order {
	var o Order
	seen := map[int64]bool{}
	var highest int64
	for i, n := range ns {
		o.Arrivals++
		again := seen[n]
		if again {
			o.Copies++
		} else {
			seen[n] = true
			o.Distinct++
		}
		if n < highest {
			o.OutOfOrder++
			ex := &o.CopyExample
			if !again {
				o.LateFirst++
				ex = &o.FirstExample
			}
			if ex.Text == "" {
				*ex = Example{example(ns, i), n, highest}
			}
		}
		highest = max(highest, n)
	}
	return o
}

// example writes the arrivals around ns[at], that one in brackets.
func example(ns []int64, at int) string {
	from, to := max(at-4, 0), min(at+3, len(ns))
	var parts []string
	if from > 0 {
		parts = append(parts, "…")
	}
	for i := from; i < to; i++ {
		s := strconv.FormatInt(ns[i], 10)
		if i == at {
			s = "[" + s + "]"
		}
		parts = append(parts, s)
	}
	if to < len(ns) {
		parts = append(parts, "…")
	}
	return strings.Join(parts, ", ")
}

// Latency is the time from send to arrival at the application of the
// messages that arrived (each message's first arrival), by the
// nearest-rank method (exercises.NearestRank).
type Latency struct {
	N             int // messages measured
	P50, P95, Max time.Duration
}

// LatencyOf summarises durations (in any order); the zero Latency when
// there are none.
func LatencyOf(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return Latency{N: len(ds), P50: exercises.NearestRank(ds, 50), P95: exercises.NearestRank(ds, 95), Max: ds[len(ds)-1]}
}

// Summary returns the stream's order and its latencies: for each message's
// first arrival whose send was recorded, the arrival's time minus the
// send's (never below zero: the two clocks are one, but a message may be
// recorded as sent just after it arrived).
func (s *Stream) Summary() (Order, Latency) {
	s.mu.Lock()
	arrivals := slices.Clone(s.arrivals)
	sent := make(map[int64]time.Time, len(s.sent))
	for n, at := range s.sent {
		sent[n] = at
	}
	s.mu.Unlock()
	ns := make([]int64, len(arrivals))
	var lat []time.Duration
	seen := map[int64]bool{}
	for i, a := range arrivals {
		ns[i] = a.N
		if seen[a.N] {
			continue
		}
		seen[a.N] = true
		if at, ok := sent[a.N]; ok {
			lat = append(lat, max(a.At.Sub(at), 0))
		}
	}
	return OrderOf(ns), LatencyOf(lat)
}
