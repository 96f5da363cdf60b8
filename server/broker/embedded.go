package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"qosplayground/app/mochibroker"
	"sync"
	"syscall"
	"time"

	"github.com/mochi-mqtt/server/v2/listeners"
)

const (
	// embeddedRebindWait bounds how long Restart keeps trying to bind the old
	// address again if the kernel does not hand it back at once.
	embeddedRebindWait = 2 * time.Second
	// embeddedStoreFile is the store's file name in DataDir/embedded.
	embeddedStoreFile = "mochi.bolt"
	// embeddedStoreLockWait bounds how long opening the store waits for the
	// file lock that another process (a second server on the same data
	// directory) may hold.
	embeddedStoreLockWait = time.Second
)

// embeddedCaveats are what mochi's bolt store does not restore faithfully, as
// read in mochi v2.7.9's server.go and checked by this package's tests where a
// test can reach it.
var embeddedCaveats = []string{
	"A QoS 2 message that the subscriber had already acknowledged with PUBREC is stored as the original PUBLISH, not as the PUBREL the broker sent next: after a restart the broker sends the PUBLISH again (DUP=1), and the subscriber sees it a second time.",
	"The broker acknowledges a PUBLISH (PUBACK or PUBREC) before it queues and stores the message for its subscribers: a crash in between loses a message its publisher saw acknowledged.",
	"When a session resumes, the broker sends every message it had queued for it with DUP=1, even those it never sent before (Mosquitto sends those with DUP=0): in the packet diagram they look like resends.",
}

// embeddedBroker is a mochi-mqtt v2 broker running in this process.
//
// With persistence on (PersistenceOn and PersistenceDefault are the same
// here) mochi's bolt storage hook writes every change (sessions,
// subscriptions, queued and in-flight QoS 1 and 2 messages, retained
// messages) to DataDir/embedded/mochi.bolt as it happens, and a new server
// reads it back at start. The store skips the fsync after each write: a
// crashed process cannot lose what it wrote, only a crashed machine could, and
// a sync per message would slow every QoS 1 and 2 delivery to the disk's pace.
// With PersistenceOff there is no store and every restart forgets everything.
//
// A restart closes the mochi server and starts a new one on the same address
// with the same store. A crash (RestartOptions.Kill) cannot kill a process
// here; it freezes the store first (see freezableStore), then drops the
// listener and resets every connection without a DISCONNECT, and only then
// lets mochi tear down what is left. Unlike Mosquitto's timed autosave,
// nothing that reached the store is lost.
type embeddedBroker struct {
	log       *slog.Logger // this package's messages, attribute broker=embedded
	mlog      *slog.Logger // handed to mochi: Warn and above only
	addr      string       // fixed at Start; Restart binds the same address again
	storePath string       // DataDir/embedded/mochi.bolt
	tempDir   string       // DataDir created by us because Config.DataDir was empty; removed by Close

	// opMu serializes Restart and Close. Lock order: opMu before mu.
	opMu sync.Mutex

	// mu guards the fields below. It is held only briefly, so that Status
	// answers while a restart is under way.
	mu          sync.Mutex
	srv         *mochibroker.Server // with a freezableStore unless PersistenceOff
	ln          *trackingListener
	persistence Persistence
	closed      bool
}

// embeddedFirstReadWait bounds how long closing a mochi server waits for the
// connections it accepted to reach their first read (see beforeClose).
const embeddedFirstReadWait = 2 * time.Second

// trackingListener hands mochi its accepted connections through a
// mochibroker.ConnSet: the open ones, so that a crash can reset them all at
// once, and the ones not read yet, so that beforeClose can wait for them.
type trackingListener struct {
	net.Listener
	conns mochibroker.ConnSet

	mu      sync.Mutex // orders Accept's hand-over with shut
	closing bool       // shut has run: no connection is handed over any more
}

func newTrackingListener(ln net.Listener) *trackingListener {
	return &trackingListener{Listener: ln}
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closing {
		// Accepted by the kernel before the listener closed, handed
		// over after closeUnanswered or abort looked at the open
		// connections: nobody would ever close it (a silent TCP
		// connection outlived a restart, TestSilentConnectionDoesNotHoldUpRestart
		// on a busy machine).
		_ = c.Close()
		return nil, net.ErrClosed
	}
	return l.conns.Track(c), nil
}

// shut closes the listener, and makes Accept close what it still gets
// instead of handing it over: after shut, the open connections are all
// that mochi will ever have.
func (l *trackingListener) shut() {
	l.mu.Lock()
	l.closing = true
	l.mu.Unlock()
	_ = l.Listener.Close()
}

// abort closes the listener and resets every open connection (RST, no
// DISCONNECT, no FIN), as the kernel does for a process that dies.
func (l *trackingListener) abort() {
	l.shut()
	for _, c := range l.conns.TakeOpen() {
		if tc, ok := c.Conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		_ = c.Conn.Close()
	}
}

// waitFirstReads closes the listener and waits, at most
// embeddedFirstReadWait, until every connection it accepted has been read
// at least once.
func (l *trackingListener) waitFirstReads() {
	l.shut()
	l.conns.WaitFirstReads(embeddedFirstReadWait)
}

// closeUnanswered closes every open connection that mochi has never written
// to: one that has not sent CONNECT yet, or not had its CONNACK. mochi's Close
// disconnects the clients it knows, which excludes these, and then waits for
// every connection to end: one that never sends anything would hold it up for
// ever. Closing them loses nothing, since they have no session yet.
func (l *trackingListener) closeUnanswered() {
	for _, c := range l.conns.Open() {
		if !c.Answered() {
			_ = c.Close()
		}
	}
}

// beforeClose runs, once the takeover guard is open, just before mochi's
// Close (mochibroker.Server.Stop).
//
// mochi counts each connection in a WaitGroup (Add in the connection's own
// goroutine, before its first read) that its Close waits on. A connection
// accepted just before Close (a health check's TCP dial, say) can have made
// that Add with nothing ordering it before the Wait, and the race detector
// rightly reports it. So the listener is closed first, and Close waits until
// every accepted connection has been read once: its Add happened before that
// read, and the read before Close. The guard is opened first (see
// mochibroker.TakeoverGuard.Release): the clients that reconnect while the
// server stops must not wait for each other.
func (l *trackingListener) beforeClose() {
	l.waitFirstReads()
	l.closeUnanswered()
}

// startEmbedded starts mochi on a port that the kernel picks on 127.0.0.1,
// with its store under cfg.DataDir.
func startEmbedded(cfg Config, log *slog.Logger) (*embeddedBroker, error) {
	log = log.With("broker", string(ModeEmbedded))
	b := &embeddedBroker{
		log:         log,
		mlog:        slog.New(minLevelHandler{min: slog.LevelWarn, h: log.Handler()}),
		persistence: cfg.Persistence.orDefault(),
	}
	dir, temp, err := brokerDir(cfg.DataDir, "embedded")
	if err != nil {
		return nil, err
	}
	b.tempDir = temp
	if err := os.MkdirAll(dir, 0o700); err != nil {
		_ = removeTempDir(b.tempDir)
		return nil, fmt.Errorf("broker: create the embedded broker's data directory: %w", err)
	}
	b.storePath = filepath.Join(dir, embeddedStoreFile)
	// The listener is bound before mochi gets it, so asking for port 0
	// needs no racy port probing.
	addr, err := b.serve("127.0.0.1:0", b.persistence)
	if err != nil {
		_ = removeTempDir(b.tempDir)
		return nil, fmt.Errorf("broker: start embedded broker: %w", err)
	}
	b.addr = addr
	log.Info("broker: embedded broker running", "addr", b.addr, "persistence", string(b.persistence), "store", b.storePath)
	return b, nil
}

// serve binds a TCP listener to addr and starts a mochi server on it that
// allows every client and topic, with a store unless p is PersistenceOff (in
// which case the store file is deleted). It records the server, its store,
// its listener and p, and returns the bound address. The caller holds opMu, or
// is Start.
func (b *embeddedBroker) serve(addr string, p Persistence) (string, error) {
	if p == PersistenceOff {
		if err := os.Remove(b.storePath); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("delete the store for persistence off: %w", err)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	tl := newTrackingListener(ln)
	l := listeners.NewNet("tcp", tl)
	cfg := mochibroker.Config{Name: "embedded broker", Log: b.log, MochiLog: b.mlog, Listener: l}
	if p != PersistenceOff {
		cfg.Store, cfg.StoreConfig = newFreezableStore(), storeOptions(b.storePath)
	}
	srv, err := mochibroker.Start(cfg)
	if err != nil {
		// mochi closes the listener once AddListener has it; before that it
		// is ours to close.
		_ = ln.Close()
		var se *mochibroker.StartError
		if !errors.As(err, &se) {
			return "", err
		}
		switch se.Step {
		case mochibroker.StepAllowAll:
			return "", fmt.Errorf("add allow-all hook: %w", se.Err)
		case mochibroker.StepGuard:
			return "", fmt.Errorf("add the takeover guard: %w", se.Err)
		case mochibroker.StepDropLogger:
			return "", fmt.Errorf("add the drop logger: %w", se.Err)
		case mochibroker.StepStore:
			return "", fmt.Errorf("open the store %s (another server using the same -data directory? If the file is damaged, delete it): %w", b.storePath, se.Err)
		case mochibroker.StepListener:
			return "", fmt.Errorf("listen on %s: %w", addr, se.Err)
		default:
			return "", fmt.Errorf("serve (reading the store %s): %w", b.storePath, se.Err)
		}
	}
	b.mu.Lock()
	b.srv, b.ln, b.persistence = srv, tl, p
	b.mu.Unlock()
	return l.Address(), nil
}

// Mode returns ModeEmbedded.
func (b *embeddedBroker) Mode() Mode { return ModeEmbedded }

// Addr returns the address the broker listens on.
func (b *embeddedBroker) Addr() string { return b.addr }

// Restart stops the mochi server, cleanly or as a crash (see embeddedBroker),
// and starts a new one on the same address with the persistence opts asks
// for. With persistence on, the new server reads back everything the store
// held when the old one stopped; a crash makes no difference to that, since
// every change was written as it happened.
func (b *embeddedBroker) Restart(ctx context.Context, opts RestartOptions) error {
	if err := opts.Persistence.check(); err != nil {
		return err
	}
	b.opMu.Lock()
	defer b.opMu.Unlock()
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return ErrClosed
	}
	srv, ln, p := b.srv, b.ln, b.persistence
	b.srv, b.ln = nil, nil
	b.mu.Unlock()
	if opts.Persistence != "" {
		p = opts.Persistence
	}

	b.stopServer(srv, ln, opts.Kill)
	deadline := time.Now().Add(embeddedRebindWait)
	for {
		_, err := b.serve(b.addr, p)
		if err == nil {
			b.log.Info("broker: embedded broker restarted", "addr", b.addr, "kill", opts.Kill, "persistence", string(p))
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

// stopServer stops srv (see mochibroker.Server.Stop): a crash freezes the
// store and resets every connection before mochi's own shutdown; a clean
// stop is mochi's own shutdown, which disconnects the clients and then
// closes the store.
func (b *embeddedBroker) stopServer(srv *mochibroker.Server, ln *trackingListener, crash bool) {
	if srv == nil {
		return
	}
	if err := srv.Stop(crash, ln.abort, ln.beforeClose); err != nil {
		b.log.Warn("broker: closing the embedded broker's store", "err", err)
	}
}

// Status reports the persistence the embedded broker runs with and what it
// means.
func (b *embeddedBroker) Status() Status {
	b.mu.Lock()
	p := b.persistence
	b.mu.Unlock()
	st := Status{Mode: ModeEmbedded, Persistence: p, RestartSupported: true}
	if p == PersistenceOff {
		st.Saving = "The embedded broker keeps sessions and queued messages in memory only: every restart, clean or crash, forgets them."
		return st
	}
	st.Saving = "The embedded broker writes every change to its store as it happens (\"on\" and \"default\" are the same here): a crash loses nothing that was stored, unlike Mosquitto, which saves on a timer."
	st.Caveats = embeddedCaveats
	return st
}

// Close stops the mochi server, disconnects its clients and closes the store.
// It is idempotent.
func (b *embeddedBroker) Close() error {
	b.opMu.Lock()
	defer b.opMu.Unlock()
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	srv, ln := b.srv, b.ln
	b.srv, b.ln = nil, nil
	b.mu.Unlock()
	b.stopServer(srv, ln, false)
	b.log.Info("broker: embedded broker stopped", "addr", b.addr)
	return removeTempDir(b.tempDir)
}
