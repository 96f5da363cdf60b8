package mochibroker

import (
	"log/slog"
	"sync"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// Store is a broker's persistence hook as Server uses it: the embedded
// broker's bolt store, the in-tab broker's memory.
type Store interface {
	mqtt.Hook
	// OnQosComplete removes a message whose exchange is complete; the
	// takeover guard calls it for each acknowledgement it takes back.
	OnQosComplete(cl *mqtt.Client, pk packets.Packet)
	// Freeze makes every later write a no-op; it is idempotent.
	Freeze() error
}

// Config is what differs between the playground's two mochi brokers.
type Config struct {
	Name     string       // "embedded broker", "in-tab broker": in the drop logger's lines
	Log      *slog.Logger // the drop logger's
	MochiLog *slog.Logger // mochi's own
	// Store, if not nil, keeps sessions and messages across a restart;
	// StoreConfig is its AddHook configuration.
	Store       Store
	StoreConfig any
	// Listener hands mochi its connections.
	Listener listeners.Listener
}

// Server is a mochi-mqtt server set up as both brokers run it: every client
// and topic allowed (AllowAll), re-sends in order (ResendOrder), the
// takeover guard (TakeoverGuard), dropped
// messages logged (DropLogger) and, with a store, the store told of each
// acknowledgement the guard takes back.
type Server struct {
	srv   *mqtt.Server
	guard *TakeoverGuard
	store Store
}

// Step names a step of Start, for the brokers' own error messages.
type Step string

// Start's steps, in order.
const (
	StepAllowAll    Step = "allow-all hook"
	StepResendOrder Step = "resend order"
	StepGuard       Step = "takeover guard"
	StepDropLogger  Step = "drop logger"
	StepStore       Step = "store"
	StepListener    Step = "listener"
	StepServe       Step = "serve" // mochi reads the store back here
)

// StartError is Start's error: the step that failed, and why.
type StartError struct {
	Step Step
	Err  error
}

func (e *StartError) Error() string { return string(e.Step) + ": " + e.Err.Error() }
func (e *StartError) Unwrap() error { return e.Err }

// Start starts a server as cfg says. On an error (a *StartError) nothing
// is left running: the server, and the listener if mochi had it, are
// closed.
func Start(cfg Config) (*Server, error) {
	srv := mqtt.New(&mqtt.Options{InlineClient: false, Logger: cfg.MochiLog})
	fail := func(step Step, err error) (*Server, error) {
		_ = srv.Close()
		return nil, &StartError{Step: step, Err: err}
	}
	if err := srv.AddHook(new(AllowAll), nil); err != nil {
		return fail(StepAllowAll, err)
	}
	// Before the guard: it lists the re-sends at the CONNACK while the
	// guard still holds routing back.
	if err := srv.AddHook(NewResendOrder(), nil); err != nil {
		return fail(StepResendOrder, err)
	}
	guard := NewTakeoverGuard(srv)
	if err := srv.AddHook(guard, nil); err != nil {
		return fail(StepGuard, err)
	}
	if err := srv.AddHook(&DropLogger{Log: cfg.Log, Broker: cfg.Name}, nil); err != nil {
		return fail(StepDropLogger, err)
	}
	if cfg.Store != nil {
		if err := srv.AddHook(cfg.Store, cfg.StoreConfig); err != nil {
			return fail(StepStore, err)
		}
		guard.Forget = cfg.Store.OnQosComplete
	}
	if err := srv.AddListener(cfg.Listener); err != nil {
		return fail(StepListener, err)
	}
	if err := srv.Serve(); err != nil {
		return fail(StepServe, err)
	}
	return &Server{srv: srv, guard: guard, store: cfg.Store}, nil
}

// AddHook adds a hook to the running server: tests place faults inside
// mochi with it (package mochitest).
func (s *Server) AddHook(h mqtt.Hook) error { return s.srv.AddHook(h, nil) }

// Stop stops the server, cleanly or as a crash.
//
// A crash freezes the store and then calls cut, which must end every
// connection at once, as a dying process's end: mochi's orderly shutdown
// that follows then writes nothing more. A clean stop is mochi's own
// shutdown, which disconnects the clients and then stops the store. Either
// way the guard is opened first (TakeoverGuard.Release), and beforeClose,
// if not nil, runs just before mochi's Close.
//
// It returns the error of freezing the store that tells something: the
// first freeze's in a crash (the later one finds it frozen), the last
// one's otherwise.
func (s *Server) Stop(crash bool, cut, beforeClose func()) error {
	var err error
	if crash {
		if s.store != nil {
			err = s.store.Freeze()
		}
		cut()
	}
	s.guard.Release()
	if beforeClose != nil {
		beforeClose()
	}
	_ = s.srv.Close() // always nil in mochi v2.7.9
	if s.store != nil {
		if e := s.store.Freeze(); !crash {
			err = e
		}
	}
	return err
}

// Freezer is what makes a Store freezable: writes run through Write, and
// once Freeze has run they are dropped, so that nothing mochi does while a
// crashed server is torn down reaches the store. The zero value is ready.
type Freezer struct {
	// mu guards frozen and err; it is held for reading by every write.
	mu     sync.RWMutex
	frozen bool
	err    error
}

// Write runs f unless the store is frozen. Writes may run concurrently.
func (f *Freezer) Write(w func()) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if !f.frozen {
		w()
	}
}

// Freeze freezes the store, calling stop (if not nil) the first time, and
// returns stop's result every time. It waits for the writes under way.
func (f *Freezer) Freeze(stop func() error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.frozen {
		f.frozen = true
		if stop != nil {
			f.err = stop()
		}
	}
	return f.err
}
