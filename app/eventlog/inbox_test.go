package eventlog

import (
	"slices"
	"testing"
)

func TestInbox(t *testing.T) {
	seq := func(from, to int) []int {
		var s []int
		for i := from; i <= to; i++ {
			s = append(s, i)
		}
		return s
	}
	for _, tc := range []struct {
		scenario string
		adds     []int // added before each Take, in turn
		keep     int
		batches  [][]int
		totals   []int
	}{
		{"nothing", []int{0}, 5, [][]int{nil}, []int{0}},
		{"fewer than keep", []int{3}, 5, [][]int{seq(1, 3)}, []int{3}},
		{"more than keep: the newest", []int{8}, 5, [][]int{seq(4, 8)}, []int{8}},
		{"more than twice keep", []int{23}, 5, [][]int{seq(19, 23)}, []int{23}},
		{"two takes: each batch new, the total of all", []int{3, 12}, 5, [][]int{seq(1, 3), seq(11, 15)}, []int{3, 15}},
		{"a take with nothing new", []int{2, 0}, 5, [][]int{seq(1, 2), nil}, []int{2, 2}},
	} {
		var in Inbox[int]
		n := 0
		for i, k := range tc.adds {
			for j := 0; j < k; j++ {
				n++
				in.Add(n, tc.keep)
			}
			batch, total := in.Take(tc.keep)
			if !slices.Equal(batch, tc.batches[i]) || total != tc.totals[i] {
				t.Errorf("%s, take %d: %v, %d; want %v, %d", tc.scenario, i+1, batch, total, tc.batches[i], tc.totals[i])
			}
		}
	}
}
