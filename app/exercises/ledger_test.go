package exercises

import (
	"slices"
	"sync"
	"testing"
)

// ledgerOp is one call on a Ledger, for the table tests.
type ledgerOp struct {
	call string // "sent", "delivered", "delivered-dup" or "processed"
	qos  byte   // with "sent"
	id   int64
}

func opsSent(qos byte, ids ...int64) []ledgerOp {
	var ops []ledgerOp
	for _, id := range ids {
		ops = append(ops, ledgerOp{call: "sent", qos: qos, id: id})
	}
	return ops
}

func opsDelivered(ids ...int64) []ledgerOp {
	var ops []ledgerOp
	for _, id := range ids {
		ops = append(ops, ledgerOp{call: "delivered", id: id})
	}
	return ops
}

func opsDeliveredDup(ids ...int64) []ledgerOp {
	var ops []ledgerOp
	for _, id := range ids {
		ops = append(ops, ledgerOp{call: "delivered-dup", id: id})
	}
	return ops
}

func opsProcessed(ids ...int64) []ledgerOp {
	var ops []ledgerOp
	for _, id := range ids {
		ops = append(ops, ledgerOp{call: "processed", id: id})
	}
	return ops
}

// play applies ops to l in order.
func playLedger(t *testing.T, l *Ledger, ops []ledgerOp) {
	t.Helper()
	for _, op := range ops {
		switch op.call {
		case "sent":
			l.Sent(op.qos, op.id)
		case "delivered":
			l.Delivered(op.id, false)
		case "delivered-dup":
			l.Delivered(op.id, true)
		case "processed":
			l.Processed(op.id)
		default:
			t.Fatalf("unknown ledger call %q", op.call)
		}
	}
}

func TestLedger(t *testing.T) {
	tests := []struct {
		scenario    string
		ops         [][]ledgerOp
		wantRows    []LedgerRow
		wantUnknown int
	}{
		{
			scenario: "an empty ledger has no rows",
		},
		{
			scenario: "no loss at any QoS",
			ops: [][]ledgerOp{
				opsSent(0, 1, 2, 3), opsSent(1, 4, 5, 6), opsSent(2, 7, 8, 9),
				opsDelivered(1, 2, 3, 4, 5, 6, 7, 8, 9), opsProcessed(1, 2, 3, 4, 5, 6, 7, 8, 9),
			},
			wantRows: []LedgerRow{
				{QoS: 0, Sent: 3, Received: 3},
				{QoS: 1, Sent: 3, Received: 3},
				{QoS: 2, Sent: 3, Received: 3},
			},
		},
		{
			scenario: "loss at QoS 0 only",
			ops: [][]ledgerOp{
				opsSent(0, 1, 2, 3, 4, 5), opsSent(1, 6, 7),
				opsDelivered(1, 3, 5, 6, 7), opsProcessed(1, 3, 5, 6, 7),
			},
			wantRows: []LedgerRow{
				{QoS: 0, Sent: 5, Received: 3, Lost: 2},
				{QoS: 1, Sent: 2, Received: 2},
			},
		},
		{
			scenario: "a QoS 1 duplicate is seen but processed once",
			ops: [][]ledgerOp{
				opsSent(1, 1, 2), opsDelivered(1), opsProcessed(1), opsDeliveredDup(1), opsDelivered(2), opsProcessed(2),
			},
			wantRows: []LedgerRow{{QoS: 1, Sent: 2, Received: 2, DuplicatesSeen: 1, DupFlagged: 1}},
		},
		{
			scenario: "a duplicate processed twice is counted",
			ops: [][]ledgerOp{
				opsSent(1, 1, 2), opsDelivered(1), opsProcessed(1), opsDeliveredDup(1), opsProcessed(1), opsDelivered(2), opsProcessed(2),
			},
			wantRows: []LedgerRow{{QoS: 1, Sent: 2, Received: 2, DuplicatesSeen: 1, DuplicatesProcessed: 1, DupFlagged: 1}},
		},
		{
			scenario: "a second publish of the same id is a duplicate without the DUP flag",
			ops:      [][]ledgerOp{opsSent(2, 41), opsDelivered(41, 41, 41), opsProcessed(41)},
			wantRows: []LedgerRow{{QoS: 2, Sent: 1, Received: 1, DuplicatesSeen: 2}},
		},
		{
			scenario: "a first delivery with the DUP flag is flagged, not a duplicate",
			ops:      [][]ledgerOp{opsSent(1, 1), opsDeliveredDup(1)},
			wantRows: []LedgerRow{{QoS: 1, Sent: 1, Received: 1, DupFlagged: 1}},
		},
		{
			scenario: "deliveries of ids never sent are unknown, every copy counted",
			ops:      [][]ledgerOp{opsSent(1, 1), opsDelivered(1, 99, 99, 100), opsProcessed(99)},
			wantRows: []LedgerRow{{QoS: 1, Sent: 1, Received: 1}},
			// 99 twice, 100 once
			wantUnknown: 3,
		},
		{
			scenario:    "only unknown deliveries give no rows",
			ops:         [][]ledgerOp{opsDeliveredDup(7), opsDelivered(8)},
			wantUnknown: 2,
		},
		{
			scenario: "a delivery recorded before its Sent counts at the sent QoS",
			ops:      [][]ledgerOp{opsDelivered(1), opsProcessed(1), opsSent(2, 1)},
			wantRows: []LedgerRow{{QoS: 2, Sent: 1, Received: 1}},
		},
		{
			scenario: "an id sent twice counts once, at its first QoS",
			ops:      [][]ledgerOp{opsSent(1, 5), opsSent(2, 5), opsDelivered(5)},
			wantRows: []LedgerRow{{QoS: 1, Sent: 1, Received: 1}},
		},
		{
			scenario: "processed without a delivery does not make it received",
			ops:      [][]ledgerOp{opsSent(0, 1), opsProcessed(1)},
			wantRows: []LedgerRow{{QoS: 0, Sent: 1, Lost: 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			l := NewLedger()
			for _, ops := range tt.ops {
				playLedger(t, l, ops)
			}
			if got := l.Rows(); !slices.Equal(got, tt.wantRows) {
				t.Errorf("Rows =\n  %+v\nwant\n  %+v", got, tt.wantRows)
			}
			if got := l.Unknown(); got != tt.wantUnknown {
				t.Errorf("Unknown = %d, want %d", got, tt.wantUnknown)
			}
		})
	}
}

// TestLedgerConcurrent records from several goroutines while others read,
// as the publisher, the subscriber and the user interface do; run it with
// -race.
func TestLedgerConcurrent(t *testing.T) {
	const (
		workers   = 8
		perWorker = 300
	)
	l := NewLedger()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				id := int64(w*perWorker + i)
				qos := byte(id % 3)
				l.Sent(qos, id)
				if qos == 0 && i%10 == 0 {
					continue // lost: a tenth of the QoS 0 messages
				}
				l.Delivered(id, false)
				l.Processed(id)
				if qos == 1 && i%5 == 0 {
					l.Delivered(id, true) // a redelivery, detected
				}
			}
			l.Delivered(int64(-1-w), false) // an unknown id per worker
		})
	}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					l.Rows()
					l.Unknown()
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()

	// The same loops, counted without the ledger.
	want := make([]LedgerRow, 3)
	for q := range want {
		want[q].QoS = byte(q)
	}
	for w := range workers {
		for i := range perWorker {
			id := int64(w*perWorker + i)
			q := id % 3
			want[q].Sent++
			if q == 0 && i%10 == 0 {
				want[q].Lost++
				continue
			}
			want[q].Received++
			if q == 1 && i%5 == 0 {
				want[q].DuplicatesSeen++
				want[q].DupFlagged++
			}
		}
	}
	if want[0].Lost == 0 || want[1].DuplicatesSeen == 0 {
		t.Fatalf("the expected ledger %+v has no loss or no duplicates: the test proves nothing", want)
	}
	if got := l.Rows(); !slices.Equal(got, want) {
		t.Errorf("Rows =\n  %+v\nwant\n  %+v", got, want)
	}
	if got := l.Unknown(); got != workers {
		t.Errorf("Unknown = %d, want %d", got, workers)
	}
}

// TestLedgerWireApart: copies on the subscriber's wire (the protocol's
// retries) are counted apart from the copies the application got: a QoS 2
// message read three times on the wire and handed over once has two wire
// copies and no duplicate seen.
func TestLedgerWireApart(t *testing.T) {
	l := NewLedger()
	l.Sent(2, 1)
	l.Sent(2, 2)
	l.Wire(1, false)
	l.Wire(1, true)
	l.Wire(1, true)
	l.Delivered(1, false)
	l.Processed(1)
	l.Wire(2, true) // its first copy was lost in a cut: the resend is the first to arrive
	l.Delivered(2, true)
	l.Processed(2)
	rows := l.Rows()
	want := LedgerRow{QoS: 2, Sent: 2, Received: 2, DupFlagged: 1, WireCopies: 2, WireDupFlagged: 3}
	if len(rows) != 1 || rows[0] != want {
		t.Fatalf("rows %+v, want [%+v]", rows, want)
	}
}
