package mochibroker

import (
	"errors"
	"testing"
)

// TestFreezer: writes run until Freeze, none after; the store's stop runs
// once, and every Freeze returns its result.
func TestFreezer(t *testing.T) {
	var f Freezer
	writes, stops := 0, 0
	f.Write(func() { writes++ })
	stop := func() error { stops++; return errors.New("closing: disk gone") }
	if err := f.Freeze(stop); err == nil || stops != 1 {
		t.Fatalf("first Freeze: %v after %d stops, want stop's error after 1", err, stops)
	}
	f.Write(func() { writes++ })
	if err := f.Freeze(stop); err == nil || stops != 1 {
		t.Errorf("second Freeze: %v after %d stops, want stop's error, stop not run again", err, stops)
	}
	if writes != 1 {
		t.Errorf("%d writes ran, want 1 (the one before Freeze)", writes)
	}
}
