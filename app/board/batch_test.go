package board

import (
	"sync"
	"testing"
	"time"

	"qosplayground/app/checkpoints"
)

// TestBatch: the first message of a burst says so, later ones do not,
// Take returns the burst in order and starts a new one; concurrent Adds
// lose nothing (run with -race).
func TestBatch(t *testing.T) {
	var b Batch
	if !b.Add(Message{Topic: "progress/a"}) {
		t.Error("the first message of a burst did not say so")
	}
	if b.Add(Message{Topic: "progress/b"}) {
		t.Error("the second message of a burst said it was the first")
	}
	if got := b.Take(); len(got) != 2 || got[0].Topic != "progress/a" || got[1].Topic != "progress/b" {
		t.Errorf("Take = %+v, want a then b", got)
	}
	if !b.Add(Message{Topic: "progress/c"}) {
		t.Error("the first message after a Take did not start a new burst")
	}
	b.Take()
	var wg sync.WaitGroup
	firsts := make(chan bool, 100)
	for range 100 {
		wg.Go(func() { firsts <- b.Add(Message{Topic: "progress/x"}) })
	}
	wg.Wait()
	close(firsts)
	n := 0
	for f := range firsts {
		if f {
			n++
		}
	}
	if got := len(b.Take()); got != 100 || n != 1 {
		t.Errorf("100 concurrent Adds: %d taken, %d said first; want 100 and 1", got, n)
	}
}

// TestApplyAll: reports set and clear rows; the offer follows the last
// message on "offer", an invalid or empty one clearing it.
func TestApplyAll(t *testing.T) {
	o := Offer{Link: "/lab/task1?scenario=smarthome", At: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
	rep := NewReport("Aiko", "/lab/task1", progress(checkpoints.ScenarioRun), "", t0).Encode()
	var b Board
	st := b.ApplyAll([]Message{{"progress/aaaa", rep}, {"offer", o.Encode()}, {"progress/bbbb", rep}}, OfferState{}, pages)
	if b.Len() != 2 || !st.OK || st.Offer.Link != o.Link {
		t.Errorf("after two reports and an offer: %d rows, offer %+v; want 2 and the offer", b.Len(), st)
	}
	st = b.ApplyAll([]Message{{"progress/aaaa", nil}}, st, pages)
	if b.Len() != 1 || !st.OK {
		t.Errorf("a cleared report: %d rows, offer %+v; want 1 and the offer kept", b.Len(), st)
	}
	for _, bad := range [][]byte{nil, []byte(`{"v":1,"link":"/not-a-page"}`)} {
		if got := b.ApplyAll([]Message{{"offer", o.Encode()}, {"offer", bad}}, OfferState{}, pages); got.OK {
			t.Errorf("offer %q after a good one: %+v, want none", bad, got)
		}
	}
}
