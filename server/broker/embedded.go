package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// allowAllHook lets every client connect and use every topic, like mochi's
// auth.AllowHook. It is written out here because importing mochi's hooks/auth
// package also pulls in gopkg.in/yaml.v3 (for its ledger), a module this
// project does not otherwise need.
type allowAllHook struct {
	mqtt.HookBase
}

// ID names the hook in mochi's logs.
func (h *allowAllHook) ID() string { return "allow-all-auth" }

// Provides says the hook answers authentication and ACL checks.
func (h *allowAllHook) Provides(b byte) bool {
	return b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}

// OnConnectAuthenticate allows every client.
func (h *allowAllHook) OnConnectAuthenticate(*mqtt.Client, packets.Packet) bool { return true }

// OnACLCheck allows every topic, for reading and writing.
func (h *allowAllHook) OnACLCheck(*mqtt.Client, string, bool) bool { return true }

// embeddedRebindWait bounds how long Restart keeps trying to bind the old
// address again if the kernel does not hand it back at once.
const embeddedRebindWait = 2 * time.Second

// embeddedBroker is a mochi-mqtt v2 broker running in this process.
//
// Its sessions, subscriptions, queued and retained messages live in memory only:
// Restart (clean or kill alike) and Close lose them. Persistence for the
// embedded broker is a later piece of work.
type embeddedBroker struct {
	log  *slog.Logger // this package's messages, attribute broker=embedded
	mlog *slog.Logger // handed to mochi: Warn and above only
	addr string       // fixed at Start; Restart binds the same address again

	// mu guards srv and closed, and serializes Restart and Close.
	mu     sync.Mutex
	srv    *mqtt.Server
	closed bool

	// reads is read-locked around every read of a client connection and
	// locked before mochi's Close. mochi counts connections with a
	// WaitGroup that its Close waits on; a connection that never sends
	// CONNECT (a health check's TCP dial) touches nothing else that Close
	// synchronises with, so the race detector sees its Add racing that
	// Wait. This lock gives the two the order they have in fact.
	reads sync.RWMutex
}

// syncListener wraps the accepted connections of a listener in syncConn.
type syncListener struct {
	net.Listener
	reads *sync.RWMutex
}

func (l syncListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return syncConn{Conn: c, reads: l.reads}, nil
}

// syncConn read-locks reads around each Read.
type syncConn struct {
	net.Conn
	reads *sync.RWMutex
}

func (c syncConn) Read(p []byte) (int, error) {
	c.reads.RLock()
	c.reads.RUnlock()
	return c.Conn.Read(p)
}

// closeServer closes a mochi server, ordered after every read so far.
func (b *embeddedBroker) closeServer(srv *mqtt.Server) {
	b.reads.Lock()
	b.reads.Unlock()
	_ = srv.Close() // always returns nil in mochi v2.7.9
}

// startEmbedded starts mochi on a port that the kernel picks on 127.0.0.1.
func startEmbedded(log *slog.Logger) (*embeddedBroker, error) {
	log = log.With("broker", string(ModeEmbedded))
	b := &embeddedBroker{
		log:  log,
		mlog: slog.New(minLevelHandler{min: slog.LevelWarn, h: log.Handler()}),
	}
	// The listener is bound before mochi gets it, so asking for port 0
	// needs no racy port probing.
	srv, addr, err := b.newServer("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("broker: start embedded broker: %w", err)
	}
	b.srv, b.addr = srv, addr
	log.Info("broker: embedded broker running", "addr", addr)
	return b, nil
}

// newServer builds a mochi server that allows every client and topic, binds a
// TCP listener to addr and starts serving. It returns the bound address.
func (b *embeddedBroker) newServer(addr string) (*mqtt.Server, string, error) {
	srv := mqtt.New(&mqtt.Options{InlineClient: false, Logger: b.mlog})
	if err := srv.AddHook(new(allowAllHook), nil); err != nil {
		_ = srv.Close()
		return nil, "", fmt.Errorf("add allow-all hook: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_ = srv.Close()
		return nil, "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	l := listeners.NewNet("tcp", syncListener{Listener: ln, reads: &b.reads})
	if err := srv.AddListener(l); err != nil {
		ln.Close()
		_ = srv.Close()
		return nil, "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	if err := srv.Serve(); err != nil {
		_ = srv.Close()
		return nil, "", fmt.Errorf("serve: %w", err)
	}
	return srv, l.Address(), nil
}

// Mode returns ModeEmbedded.
func (b *embeddedBroker) Mode() Mode { return ModeEmbedded }

// Addr returns the address the broker listens on.
func (b *embeddedBroker) Addr() string { return b.addr }

// Restart closes the mochi server and starts a new one on the same address.
// kill makes no difference: either way every in-memory session, subscription
// and queued message is lost, as after a crash of a broker without persistence.
func (b *embeddedBroker) Restart(ctx context.Context, kill bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	if b.srv != nil {
		b.closeServer(b.srv)
		b.srv = nil
	}
	deadline := time.Now().Add(embeddedRebindWait)
	for {
		srv, _, err := b.newServer(b.addr)
		if err == nil {
			b.srv = srv
			b.log.Info("broker: embedded broker restarted; in-memory state was lost", "addr", b.addr, "kill", kill)
			return nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
			return fmt.Errorf("broker: restart embedded broker on %s: %w", b.addr, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("broker: restart embedded broker on %s: %w", b.addr, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Close stops the mochi server and disconnects its clients. It is idempotent.
func (b *embeddedBroker) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	if b.srv != nil {
		b.closeServer(b.srv)
		b.srv = nil
	}
	b.log.Info("broker: embedded broker stopped", "addr", b.addr)
	return nil
}
