package intab

import (
	"context"
	"errors"
	"fmt"
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

// TestUnavailableError: the reason travels with the error through wrapping,
// and the error is ErrUnavailable.
func TestUnavailableError(t *testing.T) {
	err := fmt.Errorf("connect: %w", &UnavailableError{Why: "/web/broker.wasm: 404 Not Found"})
	var u *UnavailableError
	if !errors.Is(err, ErrUnavailable) || !errors.As(err, &u) || u.Why != "/web/broker.wasm: 404 Not Found" {
		t.Errorf("%v: Is ErrUnavailable %v, As %v", err, errors.Is(err, ErrUnavailable), u)
	}
	if got := err.Error(); got != "connect: the in-tab broker is not available: /web/broker.wasm: 404 Not Found" {
		t.Errorf("Error() = %q", got)
	}
}
