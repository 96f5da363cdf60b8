package faultlab

import (
	"context"
	"testing"
	"time"
)

// ctxFor bounds a run to d and cancels it when the test ends.
func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
