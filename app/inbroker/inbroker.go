// Package inbroker is the playground's in-tab broker: a mochi-mqtt v2
// broker running inside the page's WebAssembly, so that every lesson that
// does not need the real network works with no server at all (offline, or
// from static hosting).
//
// The broker has no network listener. A client dials it with Dial: Dial
// makes an in-memory connection, hands one end to the broker and returns the
// other. The connection is a buffered pipe, not net.Pipe, whose synchronous
// writes deadlock paho and mochi at QoS 2 (see memconn.Pipe).
//
// In the browser the broker runs in a Web Worker of its own (wasm/broker,
// ServeWorker), not in the page's WebAssembly: the page reaches it through
// package intab, which is also what paho dials for the URL scheme "intab"
// (intab.URL). Apart from ServeWorker it imports neither go-app nor
// syscall/js, so it is tested natively with the same client the page runs,
// given to intab with intab.Use.
//
// # Restart
//
// Restart stops the broker and starts a new one, as the fault lab's broker
// restart lesson does with the server's broker: every connection ends
// without a DISCONNECT and the clients see a lost connection. With
// persistence on, the sessions, their subscriptions, their queued QoS 1 and
// 2 messages and the retained messages are kept in the tab's memory as they
// change, and the new broker starts with them; off, it starts empty. A
// crash (kill) cuts the connections before mochi's orderly shutdown and
// lets that shutdown write nothing, but it loses nothing either: there is
// no disk and no autosave timer, every change was kept when it happened. A
// reload of the page forgets everything.
//
// # Caveats
//
// The broker is the same mochi as the server's embedded broker, with the
// same behaviour after a restart (server/broker's embeddedCaveats): a QoS 2
// message the subscriber had acknowledged with PUBREC comes back as the
// PUBLISH, and a resumed session gets its queued messages with DUP=1. It
// also acknowledges a PUBLISH before it queues the message for the
// subscribers, so a crash in between loses a QoS 1 message its publisher
// saw acknowledged (a QoS 2 message is queued before its PUBCOMP).
// It is set up by mochibroker.Start, as the server's embedded broker is,
// so it runs the same repairs: mochibroker.TakeoverGuard, which
// keeps mochi from losing a message routed while a session is taken over,
// or one whose acknowledgement could not be written (a crash that cuts the
// connection at that instant).
package inbroker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"qosplayground/app/mochibroker"
)

// listenerID is the name of the broker's only listener, in mochi's client
// records.
const listenerID = "intab"

// ErrClosed reports a dial to a broker that was closed for good.
var ErrClosed = errors.New("inbroker: the in-tab broker is closed")

// firstReadWait bounds how long stopping a broker waits for the connections
// it accepted to reach their first read (see pipeListener.Close).
const firstReadWait = 2 * time.Second

// Broker is an in-tab broker: one mochi server at a time, started when the
// first client dials, and the memory that persistence keeps across
// restarts. Its methods are safe for concurrent use.
type Broker struct {
	log *slog.Logger
	mem *memory

	// mu guards the fields below. Restart holds it throughout, so a client
	// that dials while the broker restarts waits for the new one.
	mu          sync.Mutex
	srv         *mochibroker.Server
	ln          *pipeListener
	persistence bool
	restarts    int
	closed      bool
}

// New returns a broker that starts at its first Dial. persistence says
// whether sessions and queued messages survive a restart (see Restart).
func New(persistence bool) *Broker {
	return &Broker{
		log:         slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		mem:         newMemory(),
		persistence: persistence,
	}
}

var (
	defaultOnce   sync.Once
	defaultBroker *Broker
)

// Default is the tab's broker, the one intab.URL names, with persistence on
// (a lesson turns it off through Restart). It starts at its first Dial.
func Default() *Broker {
	defaultOnce.Do(func() { defaultBroker = New(true) })
	return defaultBroker
}

// Dial connects to the broker, starting it first if it is not running, and
// returns the client's end of the connection. It does not wait for
// anything but a restart under way, so ctx is only checked once: the
// connection is made at once, or the broker cannot start.
func (b *Broker) Dial(ctx context.Context) (net.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	if b.srv == nil {
		if err := b.start(); err != nil {
			return nil, err
		}
	}
	return b.ln.dial()
}

// start starts a mochi server; the caller holds mu.
func (b *Broker) start() error {
	var hook *storeHook
	if b.persistence {
		hook = &storeHook{m: b.mem}
	} else {
		b.mem.clear()
	}
	cfg := mochibroker.Config{Name: "in-tab broker", Log: b.log, MochiLog: b.log, Listener: newPipeListener()}
	if hook != nil {
		cfg.Store = hook
	}
	srv, err := mochibroker.Start(cfg)
	if err != nil {
		var se *mochibroker.StartError
		if errors.As(err, &se) {
			what := map[mochibroker.Step]string{
				mochibroker.StepStore: "memory store",
				mochibroker.StepServe: "reading the memory store",
			}[se.Step]
			if what == "" {
				what = string(se.Step)
			}
			return fmt.Errorf("inbroker: start the in-tab broker: %s: %w", what, se.Err)
		}
		return fmt.Errorf("inbroker: start the in-tab broker: %w", err)
	}
	b.srv, b.ln = srv, cfg.Listener.(*pipeListener)
	return nil
}

// stop stops the running server, if any; the caller holds mu. A crash
// freezes the store and cuts every connection before mochi's own shutdown;
// a clean stop is mochi's own shutdown (which, for MQTT 3.1.1 clients,
// also just closes their connections).
func (b *Broker) stop(crash bool) {
	if b.srv == nil {
		return
	}
	_ = b.srv.Stop(crash, b.ln.cutAll, nil) // the memory store never fails
	b.srv, b.ln = nil, nil
}

// Restart stops the broker, cleanly or as a crash (kill), and starts a new
// one with the given persistence: on, the new broker has the sessions,
// subscriptions and messages the old one had kept (a crash loses none: see
// the package documentation); off, it starts empty, and what the memory
// held is forgotten. Every client's connection ends; a client that dials
// meanwhile waits and reaches the new broker.
func (b *Broker) Restart(persistence, kill bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	b.stop(kill)
	if b.persistence && !persistence {
		b.mem.clear()
	}
	b.persistence = persistence
	b.restarts++
	return b.start()
}

// Status says how the broker keeps its state, for the page.
type Status struct {
	Running     bool // a server is up (false before the first Dial)
	Persistence bool
	Restarts    int // since the tab opened
}

// Status returns the broker's current state.
func (b *Broker) Status() Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	return Status{Running: b.srv != nil, Persistence: b.persistence, Restarts: b.restarts}
}

// Close stops the broker for good; its clients see a lost connection. It is
// idempotent.
func (b *Broker) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.stop(false)
		b.closed = true
	}
	return nil
}
