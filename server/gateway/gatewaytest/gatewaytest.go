// Package gatewaytest starts a real broker with the /mqtt gateway in front
// of it, for the server's tests that need the path a browser tab takes:
// paho, WebSocket, gateway, TCP, broker. The tests of app/, which may not
// import server/, get the same stack in a process of their own
// (internal/teststack, which runs Run through server/internal/cmd/teststack).
package gatewaytest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"qosplayground/internal/testenv"
	"qosplayground/server/broker"
	"qosplayground/server/gateway"
)

// Env is a running broker and gateway.
type Env struct {
	Mode    broker.Mode
	Broker  broker.Broker
	Gateway *gateway.Gateway
	URL     string // ws://127.0.0.1:port/mqtt

	stop func() error
}

// Modes are the broker modes every broker test runs against.
var Modes = []broker.Mode{broker.ModeMosquitto, broker.ModeEmbedded}

// Start starts a broker of the given mode and a gateway in front of it, and
// stops both when the test ends. Without Mosquitto installed, a Mosquitto
// test is skipped, loudly, and fails instead when CI is set.
func Start(t testing.TB, mode broker.Mode) *Env {
	t.Helper()
	if mode == broker.ModeMosquitto {
		testenv.NeedMosquitto(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	env, err := Run(ctx, mode, t.TempDir(), testenv.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Close(); err != nil {
			t.Error(err)
		}
	})
	return env
}

// Run starts a broker of the given mode, its data under dataDir, and a
// gateway in front of it on a loopback port; Close stops them. It is
// Start without a test: server/internal/cmd/teststack runs it in a process
// of its own for the tests of app/, which may not import server/.
func Run(ctx context.Context, mode broker.Mode, dataDir string, log *slog.Logger) (*Env, error) {
	cfg := broker.Config{Spec: string(mode), DataDir: dataDir, Logger: log}
	if mode != broker.ModeNATSCluster {
		// Persistence off: the brokers keep sessions in memory, which every
		// test here needs, without writing each message to disk (the embedded
		// broker's store triples a burst's time; server/broker tests the stores).
		cfg.Persistence = broker.PersistenceOff
	}
	b, err := broker.Start(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("start %s broker: %w", mode, err)
	}
	// Faults on, as the server's -faults flag defaults to: tests of the
	// fault lab cut their own connections through this gateway.
	gcfg := gateway.Config{BrokerAddr: b.Addr(), Logger: log, Faults: true}
	if mode == broker.ModeNATSCluster {
		gcfg = gateway.Config{BrokerAddrs: broker.Addrs(b), Logger: log, Faults: true}
	}
	gw := gateway.New(gcfg)
	env := &Env{Mode: mode, Broker: b, Gateway: gw}
	env.URL, env.stop = serve(gw, b)
	return env, nil
}

// Close closes the gateway, then its HTTP server, then the broker.
func (e *Env) Close() error { return e.stop() }

// Cluster is a managed three-node NATS cluster with a gateway in front.
type Cluster struct {
	Env
	NATS broker.NATSCluster
	log  *tap
}

// LogLines returns the log lines so far (the nodes' own output included)
// whose message contains substr.
func (c *Cluster) LogLines(substr string) []string {
	c.log.mu.Lock()
	defer c.log.mu.Unlock()
	var out []string
	for _, m := range *c.log.msgs {
		if strings.Contains(m, substr) {
			out = append(out, m)
		}
	}
	return out
}

// tap is a slog handler that keeps every message at Info and above and
// passes each record on.
type tap struct {
	slog.Handler
	mu   *sync.Mutex
	msgs *[]string
}

func (h tap) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelInfo {
		h.mu.Lock()
		*h.msgs = append(*h.msgs, r.Message)
		h.mu.Unlock()
	}
	return h.Handler.Handle(ctx, r)
}

func (h tap) WithAttrs(a []slog.Attr) slog.Handler {
	return tap{Handler: h.Handler.WithAttrs(a), mu: h.mu, msgs: h.msgs}
}

func (h tap) WithGroup(name string) slog.Handler {
	return tap{Handler: h.Handler.WithGroup(name), mu: h.mu, msgs: h.msgs}
}

// StartCluster starts a managed NATS cluster (three real node processes,
// MQTT on loopback, sessions replicated on all three) and a gateway that
// dials any live node, and stops both when the test ends. The nodes are
// the test binary itself, started again: the package's TestMain must call
// natsnode.MaybeRun first (a test binary that does not exits at once on
// the node's -c flag, and the start fails saying so).
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	tp := &tap{Handler: testenv.Logger(t).Handler(), mu: new(sync.Mutex), msgs: new([]string)}
	env, err := Run(ctx, broker.ModeNATSCluster, t.TempDir(), slog.New(tp))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Close(); err != nil {
			t.Error(err)
		}
	})
	nc, ok := env.Broker.(broker.NATSCluster)
	if !ok {
		t.Fatalf("broker %T is not a NATSCluster", env.Broker)
	}
	return &Cluster{Env: *env, NATS: nc, log: tp}
}

// serve serves gw's /mqtt on a loopback HTTP server and returns its ws://
// URL and a function that closes the gateway, then the server, then b.
func serve(gw *gateway.Gateway, b broker.Broker) (string, func() error) {
	mux := http.NewServeMux()
	mux.Handle("/mqtt", gw)
	srv := httptest.NewServer(mux)
	var once sync.Once
	var err error
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt", func() error {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if e := gw.Close(ctx); e != nil {
				err = fmt.Errorf("gateway Close: %w", e)
			}
			srv.Close()
			// A single broker's Close error is not reported: a test may
			// have killed it (Restart with Kill); a cluster's is.
			if e := b.Close(); e != nil && b.Mode() == broker.ModeNATSCluster {
				err = errors.Join(err, fmt.Errorf("NATS cluster Close: %w", e))
			}
		})
		return err
	}
}
