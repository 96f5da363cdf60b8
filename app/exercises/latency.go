package exercises

import (
	"slices"
	"time"
)

// LatencyStats summarises the confirmed latencies of one QoS level: how long
// the acknowledgement (PUBACK for QoS 1, PUBCOMP for QoS 2) took to arrive
// after the publish was handed to the client.
//
// The percentiles use the nearest-rank method: with the n latencies sorted
// in ascending order and numbered from 1, the p-th percentile is the value
// at rank ceil(p/100 × n). The median is the 50th percentile by the same
// rule, so it is always one of the measured values (with n = 2 it is the
// smaller one, not their mean). For example, with the 20 latencies
// 1 ms … 20 ms, the median is 10 ms (rank 10) and P95 is 19 ms (rank 19).
type LatencyStats struct {
	QoS    byte          // 1 or 2
	Count  int           // confirmed records measured
	Min    time.Duration // fastest confirmation
	Median time.Duration // 50th percentile, nearest rank
	P95    time.Duration // 95th percentile, nearest rank
	Max    time.Duration // slowest confirmation
}

// Latencies returns one LatencyStats per QoS level that has at least one
// confirmed record, ordered by QoS. Only QoS 1 and 2 are measured: QoS 0 has
// no acknowledgement, so it has no latency to show. Records that are
// pending, failed or sent at QoS 0 are ignored, and so is any record whose
// status is not StatusConfirmed. It returns nil when nothing is confirmed.
func Latencies(recs []PublishRecord) []LatencyStats {
	var byQoS [3][]time.Duration
	for _, r := range recs {
		if r.Status != StatusConfirmed || (r.QoS != 1 && r.QoS != 2) {
			continue
		}
		byQoS[r.QoS] = append(byQoS[r.QoS], r.Latency)
	}
	var out []LatencyStats
	for qos := 1; qos <= 2; qos++ {
		lat := byQoS[qos]
		if len(lat) == 0 {
			continue
		}
		slices.Sort(lat)
		out = append(out, LatencyStats{
			QoS:    byte(qos),
			Count:  len(lat),
			Min:    lat[0],
			Median: NearestRank(lat, 50),
			P95:    NearestRank(lat, 95),
			Max:    lat[len(lat)-1],
		})
	}
	return out
}

// NearestRank returns the p-th percentile (0 < p ≤ 100) of sorted, which
// must be sorted and not empty: the value at the 1-based rank
// ceil(p/100 × n). The rank is computed in integers, (p×n + 99) / 100, so
// no rounding error can move it. LatencyStats and package sidebyside use
// it.
func NearestRank(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100
	rank = max(rank, 1)
	return sorted[rank-1]
}
