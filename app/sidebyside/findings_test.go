package sidebyside

import (
	"errors"
	"slices"
	"testing"
)

// TestFindings: which statements a run's numbers make, QoS by QoS.
func TestFindings(t *testing.T) {
	type qp struct {
		QoS   byte
		Point Point
	}
	tests := []struct {
		name string
		rows [3]Row
		want []qp
	}{
		{"all held, QoS 0 lost some", [3]Row{
			{QoS: 0, Sent: 10, Received: 8, Lost: 2},
			{QoS: 1, Sent: 10, Received: 10, AppCopies: 3, Order: OrderOf([]int64{1, 2, 3, 2, 3, 4})},
			{QoS: 2, Sent: 10, Received: 10, WireCopies: 4},
		}, []qp{
			{0, LostAllowed}, {0, InOrder},
			{1, NoneLost}, {1, CopiesLate}, {1, FirstInOrder},
			{2, NoneLost}, {2, OnceHeld}, {2, InOrder},
		}},
		{"promises broken", [3]Row{
			{QoS: 0, Sent: 10, Received: 10, Order: OrderOf([]int64{2, 1})},
			{QoS: 1, Sent: 10, Received: 9, Lost: 1, Order: OrderOf([]int64{1, 3, 2, 3})},
			{QoS: 2, Sent: 10, Received: 9, Lost: 1, AppCopies: 1, Order: OrderOf([]int64{1, 2, 2})},
		}, []qp{
			{0, NoneLostQoS0}, {0, FirstLate},
			{1, LostBroken}, {1, FirstLate},
			{2, LostBroken}, {2, OnceBroken}, {2, InOrder},
		}},
		{"late first and late copy", [3]Row{
			{QoS: 0}, {QoS: 1, Order: OrderOf([]int64{5, 1, 6, 5})}, {QoS: 2},
		}, []qp{
			{0, NoneLostQoS0}, {0, InOrder},
			{1, NoneLost}, {1, CopiesLate}, {1, FirstLate},
			{2, NoneLost}, {2, OnceHeld}, {2, InOrder},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []qp
			for _, f := range (Result{Rows: tt.rows}).Findings() {
				if f.Row != tt.rows[f.QoS] {
					t.Errorf("finding %v of QoS %d carries another row", f.Point, f.QoS)
				}
				got = append(got, qp{f.QoS, f.Point})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings\n %v, want\n %v", got, tt.want)
			}
		})
	}
}

// TestFormCheck: the page's fields, right and wrong.
func TestFormCheck(t *testing.T) {
	n, lo, hi, errs := DefaultForm.Check()
	if errs.Any() || n != DefaultMessages || lo != 40 || hi != 100 {
		t.Errorf("DefaultForm: %d [%d, %d] %+v", n, lo, hi, errs)
	}
	if _, lo, hi, errs := (Form{"10", "0", "0"}).Check(); errs.Any() || lo != 0 || hi != 0 {
		t.Errorf("0 and 0 (no cuts): [%d, %d] %+v", lo, hi, errs)
	}
	var rng *RangeError
	if _, _, _, errs := (Form{"0", "1", "2"}).Check(); !errors.As(errs.Messages, &rng) || rng.Min != 1 || rng.Max != MaxMessages {
		t.Errorf("0 messages: %v", errs.Messages)
	}
	if _, _, _, errs := (Form{"x", "1", "2"}).Check(); errs.Messages == nil {
		t.Error("messages x: no error")
	}
	var order *CutOrderError
	if _, _, _, errs := (Form{"10", "50", "40"}).Check(); !errors.As(errs.CutMax, &order) || order.Min != 50 || errs.CutMin != nil {
		t.Errorf("[50, 40]: %+v", errs)
	}
	if _, _, _, errs := (Form{"10", "0", "40"}).Check(); !errors.Is(errs.CutMin, ErrCutFromZero) || errs.CutMax != nil {
		t.Errorf("[0, 40]: %+v", errs)
	}
	if _, _, _, errs := (Form{"10", "1", "10001"}).Check(); !errors.As(errs.CutMax, &rng) || rng.Max != MaxCut {
		t.Errorf("[1, 10001]: %+v", errs)
	}
}
