package intab

import (
	"context"
	"errors"
	"testing"
)

// TestNoBroker: natively, without Use, every call says there is no broker
// instead of dialing anything.
func TestNoBroker(t *testing.T) {
	ctx := context.Background()
	if _, err := Dial(ctx); !errors.Is(err, ErrNoBroker) {
		t.Errorf("Dial: %v, want ErrNoBroker", err)
	}
	if _, err := Status(ctx); !errors.Is(err, ErrNoBroker) {
		t.Errorf("Status: %v, want ErrNoBroker", err)
	}
	for _, u := range []string{URL, "INTAB://tab", "intab://x"} {
		if !IsURL(u) {
			t.Errorf("IsURL(%q) = false", u)
		}
	}
	if IsURL("ws://intab/") {
		t.Error(`IsURL("ws://intab/") = true`)
	}
}
