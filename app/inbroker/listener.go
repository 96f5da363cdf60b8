package inbroker

import (
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/mochi-mqtt/server/v2/listeners"

	"qosplayground/app/intab"
	"qosplayground/app/memconn"
	"qosplayground/app/mochibroker"
)

// pipeListener is the broker's listener (mochi's listeners.Listener): it
// accepts nothing from a network, and dial hands mochi the broker's end of
// a new pipe.
//
// It is a listener rather than direct calls of mochi's EstablishConnection
// because mochi disconnects a listener's clients when it closes, and only
// a listener's.
type pipeListener struct {
	ready chan struct{}       // closed when Serve has the establish function
	conns mochibroker.ConnSet // the broker's ends handed to mochi

	// mu guards the fields below.
	mu        sync.Mutex
	establish listeners.EstablishFn
	log       *slog.Logger
	closed    bool
}

func newPipeListener() *pipeListener {
	return &pipeListener{ready: make(chan struct{})}
}

func (l *pipeListener) ID() string       { return listenerID }
func (l *pipeListener) Address() string  { return intab.URL }
func (l *pipeListener) Protocol() string { return intab.Scheme }

// Init takes mochi's logger.
func (l *pipeListener) Init(log *slog.Logger) error {
	l.mu.Lock()
	l.log = log
	l.mu.Unlock()
	return nil
}

// Serve records the function that hands mochi a new connection. mochi runs
// it on a goroutine of its own, which may come after the first dial: dial
// waits for it.
func (l *pipeListener) Serve(establish listeners.EstablishFn) {
	l.mu.Lock()
	l.establish = establish
	l.mu.Unlock()
	close(l.ready)
}

// dial makes a pipe, hands mochi its broker end on a goroutine of its own
// (mochi reads a connection until it ends) and returns the client's end.
func (l *pipeListener) dial() (net.Conn, error) {
	select {
	case <-l.ready:
	case <-time.After(firstReadWait):
		return nil, ErrClosed
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, ErrClosed
	}
	client, broker := memconn.Pipe("tab", "in-tab broker")
	sc := l.conns.Track(broker)
	establish, log := l.establish, l.log
	go func() {
		// An error is how every connection ends, the normal ones too.
		if err := establish(listenerID, sc); err != nil && log != nil {
			log.Debug("inbroker: connection ended", "err", err)
		}
	}()
	return client, nil
}

// cutAll closes every open connection at once: a crash, or the end of the
// connections that never sent CONNECT (mochi's Close waits for every
// connection to end but disconnects only those it knows by a client id).
func (l *pipeListener) cutAll() {
	for _, c := range l.conns.Open() {
		_ = c.Close()
	}
}

// Close refuses new dials, has mochi disconnect its clients, closes what is
// left, and waits (firstReadWait at most) until mochi has read every
// connection it was handed at least once (see mochibroker.ConnSet for why).
func (l *pipeListener) Close(closeClients listeners.CloseFn) {
	l.mu.Lock()
	already := l.closed
	l.closed = true
	l.mu.Unlock()
	if already {
		return
	}
	closeClients(listenerID)
	l.cutAll()
	l.conns.WaitFirstReads(firstReadWait)
}
