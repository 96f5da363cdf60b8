// Package gatewaytest starts a real broker with the /mqtt gateway in front
// of it, for tests anywhere in the module that need the path a browser tab
// takes: paho, WebSocket, gateway, TCP, broker.
package gatewaytest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"qosplayground/server/broker"
	"qosplayground/server/gateway"
	"qosplayground/server/testenv"
)

// Env is a running broker and gateway.
type Env struct {
	Mode    broker.Mode
	Broker  broker.Broker
	Gateway *gateway.Gateway
	URL     string // ws://127.0.0.1:port/mqtt
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
	log := testenv.Logger(t)
	// Persistence off: the brokers keep sessions in memory, which every
	// test here needs, without writing each message to disk (the embedded
	// broker's store triples a burst's time; server/broker tests the stores).
	b, err := broker.Start(ctx, broker.Config{Spec: string(mode), DataDir: t.TempDir(), Logger: log, Persistence: broker.PersistenceOff})
	if err != nil {
		t.Fatalf("start %s broker: %v", mode, err)
	}
	// Faults on, as the server's -faults flag defaults to: tests of the
	// fault lab cut their own connections through this gateway.
	gw := gateway.New(gateway.Config{BrokerAddr: b.Addr(), Logger: log, Faults: true})
	url := serve(t, gw, func() { b.Close() })
	return &Env{Mode: mode, Broker: b, Gateway: gw, URL: url}
}

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
	log := slog.New(tp)
	b, err := broker.Start(ctx, broker.Config{Spec: string(broker.ModeNATSCluster), DataDir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatalf("start the NATS cluster: %v", err)
	}
	nc, ok := b.(broker.NATSCluster)
	if !ok {
		b.Close()
		t.Fatalf("broker %T is not a NATSCluster", b)
	}
	gw := gateway.New(gateway.Config{BrokerAddrs: broker.Addrs(b), Logger: log, Faults: true})
	url := serve(t, gw, func() {
		if err := b.Close(); err != nil {
			t.Errorf("NATS cluster Close: %v", err)
		}
	})
	return &Cluster{
		Env:  Env{Mode: broker.ModeNATSCluster, Broker: b, Gateway: gw, URL: url},
		NATS: nc,
		log:  tp,
	}
}

// serve serves gw's /mqtt on a test HTTP server and returns its ws:// URL.
// At the test's end it closes the gateway, then the server, then calls
// closeBroker.
func serve(t testing.TB, gw *gateway.Gateway, closeBroker func()) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/mqtt", gw)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := gw.Close(ctx); err != nil {
			t.Errorf("gateway Close: %v", err)
		}
		srv.Close()
		closeBroker()
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt"
}
