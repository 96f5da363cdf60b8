package sidebyside

import (
	"sync"
	"testing"
	"time"
)

// TestOrderOf judges hand-made arrival sequences: a message after a later
// one, copies in and out of order, the spec's own example.
func TestOrderOf(t *testing.T) {
	tests := []struct {
		name string
		ns   []int64
		want Order
	}{
		{"none", nil, Order{}},
		{"in order", []int64{1, 2, 3, 4}, Order{Arrivals: 4, Distinct: 4}},
		{"gaps are not disorder", []int64{1, 3, 4, 7}, Order{Arrivals: 4, Distinct: 4}},
		{"a message after a later one", []int64{1, 3, 2, 4},
			Order{Arrivals: 4, Distinct: 4, OutOfOrder: 1, LateFirst: 1, FirstExample: Example{"1, 3, [2], 4", 2, 3}}},
		{"a copy right after its original is in order", []int64{1, 2, 2, 3},
			Order{Arrivals: 4, Distinct: 3, Copies: 1}},
		// MQTT 3.1.1 section 4.6's non-normative example at QoS 1: the
		// second 2 came after 3; the second 3 did not come after a
		// higher number.
		{"the spec's 1,2,3,2,3,4", []int64{1, 2, 3, 2, 3, 4},
			Order{Arrivals: 6, Distinct: 4, Copies: 2, OutOfOrder: 1, CopyExample: Example{"1, 2, 3, [2], 3, 4", 2, 3}}},
		{"late first and late copy", []int64{5, 1, 6, 5, 7},
			Order{Arrivals: 5, Distinct: 4, Copies: 1, OutOfOrder: 2, LateFirst: 1, FirstExample: Example{"5, [1], 6, 5, …", 1, 5}, CopyExample: Example{"5, 1, 6, [5], 7", 5, 6}}},
		{"a copy of the highest is not out of order", []int64{1, 2, 3, 3},
			Order{Arrivals: 4, Distinct: 3, Copies: 1}},
		{"example cut to its neighbours", []int64{1, 2, 3, 4, 5, 6, 7, 8, 4, 9, 10, 11, 12},
			Order{Arrivals: 13, Distinct: 12, Copies: 1, OutOfOrder: 1, CopyExample: Example{"…, 5, 6, 7, 8, [4], 9, 10, …", 4, 8}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OrderOf(tt.ns)
			if got != tt.want {
				t.Errorf("OrderOf(%v) =\n %+v, want\n %+v", tt.ns, got, tt.want)
			}
			if got.LateCopies() != tt.want.OutOfOrder-tt.want.LateFirst {
				t.Errorf("LateCopies = %d", got.LateCopies())
			}
		})
	}
}

// TestLatencyOf: nearest-rank percentiles of unsorted durations.
func TestLatencyOf(t *testing.T) {
	if got := LatencyOf(nil); got != (Latency{}) {
		t.Errorf("LatencyOf(nil) = %+v", got)
	}
	var ds []time.Duration
	for i := 20; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	want := Latency{N: 20, P50: 10 * time.Millisecond, P95: 19 * time.Millisecond, Max: 20 * time.Millisecond}
	if got := LatencyOf(ds); got != want {
		t.Errorf("LatencyOf(20..1 ms) = %+v, want %+v", got, want)
	}
	if ds[0] != 20*time.Millisecond {
		t.Error("LatencyOf sorted its argument in place")
	}
}

// TestStreamSummary: the record measures each message's first arrival
// from its send, whatever the order the two were recorded in, and
// judges the order of every arrival.
func TestStreamSummary(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	s := NewStream()
	s.Sent(1, at(0))
	s.Sent(2, at(10))
	s.Arrived(1, at(5))
	s.Arrived(3, at(40)) // arrives before its send is recorded
	s.Sent(3, at(20))
	s.Sent(3, at(99)) // only the first send counts
	s.Arrived(2, at(50))
	s.Arrived(1, at(60)) // a copy: not measured again
	s.Arrived(9, at(70)) // never recorded as sent: in the order, not in the latency
	order, lat := s.Summary()
	wantOrder := Order{Arrivals: 5, Distinct: 4, Copies: 1, OutOfOrder: 2, LateFirst: 1, FirstExample: Example{"1, 3, [2], 1, 9", 2, 3}, CopyExample: Example{"1, 3, 2, [1], 9", 1, 3}}
	if order != wantOrder {
		t.Errorf("order %+v, want %+v", order, wantOrder)
	}
	// Latencies 5, 20, 40 ms.
	wantLat := Latency{N: 3, P50: 20 * time.Millisecond, P95: 40 * time.Millisecond, Max: 40 * time.Millisecond}
	if lat != wantLat {
		t.Errorf("latency %+v, want %+v", lat, wantLat)
	}
}

// TestStreamConcurrent records from several goroutines at once (run with
// -race).
func TestStreamConcurrent(t *testing.T) {
	s := NewStream()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				n := int64(g*100 + i + 1)
				s.Sent(n, time.Now())
				s.Arrived(n, time.Now())
				if i%10 == 0 {
					s.Summary()
				}
			}
		}()
	}
	wg.Wait()
	order, lat := s.Summary()
	if order.Arrivals != 400 || order.Distinct != 400 || lat.N != 400 {
		t.Errorf("order %+v, latency %+v: want 400 arrivals, 400 measured", order, lat)
	}
}
