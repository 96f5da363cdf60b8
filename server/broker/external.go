package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
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

// externalCluster is several brokers of one cluster that somebody else
// runs, e.g. NATS Server nodes. Start checks that at least one accepts TCP
// connections; the gateway dials any live one.
type externalCluster struct {
	addrs []string
}

// startExternalCluster checks that at least one of addrs accepts a TCP
// connection, and logs those that do not.
func startExternalCluster(ctx context.Context, addrs []string, log *slog.Logger) (*externalCluster, error) {
	var live int
	var errs []error
	for _, a := range addrs {
		d := net.Dialer{Timeout: externalDialTimeout}
		c, err := d.DialContext(ctx, "tcp", a)
		if err != nil {
			log.Warn("broker: a node of the cluster is not reachable now", "addr", a, "err", err)
			errs = append(errs, err)
			continue
		}
		_ = c.Close()
		live++
	}
	if live == 0 {
		return nil, fmt.Errorf("broker: no broker of the cluster is reachable: %w", errors.Join(errs...))
	}
	log.Info("broker: using an external cluster", "broker", string(ModeCluster), "addrs", strings.Join(addrs, ","), "reachable", live)
	return &externalCluster{addrs: addrs}, nil
}

// Mode returns ModeCluster.
func (b *externalCluster) Mode() Mode { return ModeCluster }

// Addr returns the first address of the list; Addrs has them all.
func (b *externalCluster) Addr() string { return b.addrs[0] }

// Addrs returns the addresses given in the -broker value.
func (b *externalCluster) Addrs() []string { return slices.Clone(b.addrs) }

// Restart returns ErrNotSupported: this package does not control the brokers.
func (b *externalCluster) Restart(context.Context, RestartOptions) error { return ErrNotSupported }

// Status says that the cluster cannot be restarted from here, and what a
// NATS cluster does differently (the only clustered MQTT engine this
// project is tested with).
func (b *externalCluster) Status() Status {
	return natsStatus(ModeCluster, fmt.Sprintf("The broker is a cluster of %d nodes that somebody else runs: this server can neither restart it nor change its persistence. A tab whose node dies reconnects to another.", len(b.addrs)))
}

// Close does nothing: the brokers belong to somebody else.
func (b *externalCluster) Close() error { return nil }
