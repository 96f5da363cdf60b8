package broker

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"
)

// externalDialTimeout bounds the one reachability check of an external broker.
const externalDialTimeout = 3 * time.Second

// externalBroker is a broker that somebody else runs. This package only checks
// once, at Start, that it accepts TCP connections.
type externalBroker struct {
	addr string
}

// startExternal checks that addr accepts a TCP connection within
// externalDialTimeout (or before ctx ends).
func startExternal(ctx context.Context, addr string, log *slog.Logger) (*externalBroker, error) {
	d := net.Dialer{Timeout: externalDialTimeout}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("broker: external broker at %s is not reachable: %w", addr, err)
	}
	_ = c.Close()
	log.Info("broker: using external broker", "broker", string(ModeExternal), "addr", addr)
	return &externalBroker{addr: addr}, nil
}

// Mode returns ModeExternal.
func (b *externalBroker) Mode() Mode { return ModeExternal }

// Addr returns the address given in the -broker value.
func (b *externalBroker) Addr() string { return b.addr }

// Restart returns ErrNotSupported: this package does not control the broker.
func (b *externalBroker) Restart(context.Context, RestartOptions) error { return ErrNotSupported }

// Status says that the broker cannot be restarted from here, and why. Its
// persistence is unknown: it is whatever its operator configured.
func (b *externalBroker) Status() Status {
	return Status{
		Mode:   ModeExternal,
		Reason: fmt.Sprintf("The broker at %s is external: somebody else runs it, so this server can neither restart it nor change its persistence.", b.addr),
	}
}

// Close does nothing: the broker belongs to somebody else.
func (b *externalBroker) Close() error { return nil }
