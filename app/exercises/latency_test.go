package exercises

import (
	"slices"
	"testing"
	"time"
)

// confirmedMS returns confirmed records at qos with the given latencies, in
// milliseconds, in the order given.
func confirmedMS(qos byte, ms ...int) []PublishRecord {
	out := make([]PublishRecord, len(ms))
	for i, v := range ms {
		out[i] = PublishRecord{MessageID: int64(i + 1), QoS: qos, Status: StatusConfirmed, Latency: time.Duration(v) * time.Millisecond}
	}
	return out
}

// rangeMS returns 1, 2, …, n.
func rangeMS(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func TestLatencies(t *testing.T) {
	ms := time.Millisecond
	shuffled := []int{40, 5, 90, 10, 70, 20, 60, 30, 80, 50} // 5, 10, 20, …, 90 unsorted
	tests := []struct {
		scenario string
		recs     []PublishRecord
		want     []LatencyStats
	}{
		{"no records", nil, nil},
		{
			"n=1: every statistic is the only value",
			confirmedMS(1, 7),
			[]LatencyStats{{QoS: 1, Count: 1, Min: 7 * ms, Median: 7 * ms, P95: 7 * ms, Max: 7 * ms}},
		},
		{
			// median rank ceil(0.5×2) = 1, p95 rank ceil(0.95×2) = 2
			"n=2: the median is the lower value, not the mean",
			confirmedMS(1, 20, 10),
			[]LatencyStats{{QoS: 1, Count: 2, Min: 10 * ms, Median: 10 * ms, P95: 20 * ms, Max: 20 * ms}},
		},
		{
			// median rank ceil(2.5) = 3, p95 rank ceil(4.75) = 5
			"n=5",
			confirmedMS(2, rangeMS(5)...),
			[]LatencyStats{{QoS: 2, Count: 5, Min: 1 * ms, Median: 3 * ms, P95: 5 * ms, Max: 5 * ms}},
		},
		{
			// median rank 10, p95 rank ceil(19) = 19
			"n=20",
			confirmedMS(1, rangeMS(20)...),
			[]LatencyStats{{QoS: 1, Count: 20, Min: 1 * ms, Median: 10 * ms, P95: 19 * ms, Max: 20 * ms}},
		},
		{
			// median rank 50, p95 rank 95
			"n=100",
			confirmedMS(2, rangeMS(100)...),
			[]LatencyStats{{QoS: 2, Count: 100, Min: 1 * ms, Median: 50 * ms, P95: 95 * ms, Max: 100 * ms}},
		},
		{
			// sorted: 5 10 20 30 40 50 60 70 80 90; median rank 5, p95 rank ceil(9.5) = 10
			"n=10 unsorted input",
			confirmedMS(1, shuffled...),
			[]LatencyStats{{QoS: 1, Count: 10, Min: 5 * ms, Median: 40 * ms, P95: 90 * ms, Max: 90 * ms}},
		},
		{
			"both QoS levels, QoS 2 given first, come out ordered by QoS",
			append(confirmedMS(2, 30, 10, 20), confirmedMS(1, 4, 2)...),
			[]LatencyStats{
				{QoS: 1, Count: 2, Min: 2 * ms, Median: 2 * ms, P95: 4 * ms, Max: 4 * ms},
				{QoS: 2, Count: 3, Min: 10 * ms, Median: 20 * ms, P95: 30 * ms, Max: 30 * ms},
			},
		},
		{
			"pending, failed, QoS 0 and out-of-range QoS records are ignored",
			append([]PublishRecord{
				{QoS: 1, Status: StatusPending, Latency: 900 * ms},
				{QoS: 1, Status: StatusFailed, Latency: 800 * ms},
				{QoS: 0, Status: StatusSentQoS0, Latency: 700 * ms},
				{QoS: 0, Status: StatusConfirmed, Latency: 600 * ms}, // cannot happen, still not measured
				{QoS: 3, Status: StatusConfirmed, Latency: 500 * ms},
				{QoS: 2, Status: StatusPending, Latency: 400 * ms},
			}, confirmedMS(1, 3)...),
			[]LatencyStats{{QoS: 1, Count: 1, Min: 3 * ms, Median: 3 * ms, P95: 3 * ms, Max: 3 * ms}},
		},
		{
			"only unconfirmed records give no statistics",
			[]PublishRecord{{QoS: 1, Status: StatusPending}, {QoS: 2, Status: StatusFailed}, {QoS: 0, Status: StatusSentQoS0}},
			nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := Latencies(tt.recs); !slices.Equal(got, tt.want) {
				t.Errorf("Latencies =\n  %+v\nwant\n  %+v", got, tt.want)
			}
		})
	}
}

// TestLatenciesLeavesInputAlone checks that sorting works on a copy: the
// caller's records keep their order.
func TestLatenciesLeavesInputAlone(t *testing.T) {
	recs := confirmedMS(1, 30, 10, 20)
	before := slices.Clone(recs)
	Latencies(recs)
	if !slices.Equal(recs, before) {
		t.Errorf("records after Latencies = %+v, want them unchanged: %+v", recs, before)
	}
}

func TestLatencyNearestRank(t *testing.T) {
	sorted := make([]time.Duration, 7) // 1..7
	for i := range sorted {
		sorted[i] = time.Duration(i + 1)
	}
	tests := []struct {
		scenario string
		p        int
		want     time.Duration
	}{
		{"p=1 is the first value", 1, 1},
		{"p=14 is rank ceil(0.98) = 1", 14, 1},
		{"p=15 is rank ceil(1.05) = 2", 15, 2},
		{"p=50 is rank ceil(3.5) = 4", 50, 4},
		{"p=95 is rank ceil(6.65) = 7", 95, 7},
		{"p=100 is the last value", 100, 7},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := NearestRank(sorted, tt.p); got != tt.want {
				t.Errorf("NearestRank(1..7, %d) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}
