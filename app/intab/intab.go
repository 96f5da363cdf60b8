// Package intab is the page's side of the in-tab broker: how a client dials
// it, and how the fault lab asks for its status and restarts it.
//
// The broker itself (package inbroker: mochi-mqtt) does not run in the
// page's WebAssembly. It is a WebAssembly of its own, web/broker.wasm (built
// from wasm/broker), which runs in a dedicated Web Worker that the page
// starts the first time it needs the broker. A tab on the server's broker,
// which is nearly every tab, then neither waits for mochi when it opens nor
// compiles or holds it: mochi and its listeners (net/http's server,
// gorilla/websocket, TLS) were 3.5 MB of app.wasm's 19 MB and about a sixth
// of its brotli transfer. The service worker fetches broker.wasm once per
// version, a moment after the app has started (server/pwa.go's
// cacheLaterJS), so that the offline fallback works.
//
// In the browser, Dial opens a MessageChannel to the worker (worker_js.go):
// bytes go both ways as transferred ArrayBuffers, so the connection behaves
// like the in-memory one the broker used when it lived in the page (writes
// never block; see memconn). Natively there is no worker: tests give the
// package a broker with Use.
package intab

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"

	"qosplayground/app/brokerapi"
)

// Scheme is the URL scheme that names the in-tab broker, and URL the URL a
// client dials it with. (paho takes a broker address without "://" for a
// TCP host name, so the URL has an authority.)
const (
	Scheme = "intab"
	URL    = Scheme + "://tab"
)

// ModeInTab is the broker's mode as the broker API names it
// (brokerapi.Status.Mode), beside the server's "mosquitto", "embedded" and
// "external".
const ModeInTab = brokerapi.ModeInTab

// WorkerScript is the in-tab broker's Web Worker script, which loads WASM
// (built from wasm/broker), whose Go code answers the page's requests
// (inbroker.ServeWorker). The server serves both, and its service worker
// caches them for offline use.
const (
	WorkerScript = "/web/broker-worker.js"
	// WorkerCommon is the script both wasm workers import (the broker's and
	// the capture worker's): it starts the Go program and queues requests.
	WorkerCommon = "/web/wasm-worker.js"
	WASM         = "/web/broker.wasm"
)

// IsURL reports whether rawURL names the in-tab broker.
func IsURL(rawURL string) bool {
	return strings.HasPrefix(strings.ToLower(rawURL), Scheme+"://")
}

// Broker is what the page needs of the in-tab broker: package inbroker's
// Broker natively, the Web Worker in the browser.
type Broker interface {
	// Dial connects to the broker, starting it if it is not running.
	Dial(ctx context.Context) (net.Conn, error)
	// APIStatus and APIRestart answer as the server's broker API does
	// (GET /api/broker, POST /api/broker/restart).
	APIStatus(ctx context.Context) (brokerapi.Status, error)
	APIRestart(ctx context.Context, req brokerapi.RestartRequest) (brokerapi.RestartResult, error)
}

// ErrNoBroker reports a use of the in-tab broker where there is none: a
// native program that did not call Use.
var ErrNoBroker = errors.New("intab: no in-tab broker here (natively, call intab.Use)")

// ErrUnavailable reports that the in-tab broker's worker could not start
// (its script or broker.wasm could not be fetched: a server without `make
// build`'s broker.wasm, or offline before the worker had cached it), stopped,
// or does not answer. The error is an *UnavailableError, which says which.
var ErrUnavailable = errors.New("the in-tab broker is not available")

// UnavailableError is ErrUnavailable with its reason.
type UnavailableError struct{ Why string }

func (e *UnavailableError) Error() string { return ErrUnavailable.Error() + ": " + e.Why }

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

var current struct {
	mu sync.Mutex // guards b
	b  Broker
}

// Use makes b the broker that Dial, Status and Restart reach. In the
// browser the Web Worker is used unless Use was called first.
func Use(b Broker) {
	current.mu.Lock()
	current.b = b
	current.mu.Unlock()
}

func broker() (Broker, error) {
	current.mu.Lock()
	defer current.mu.Unlock()
	if current.b == nil {
		current.b = defaultBroker() // the worker in the browser, nil natively
	}
	if current.b == nil {
		return nil, ErrNoBroker
	}
	return current.b, nil
}

// Dial connects to the in-tab broker.
func Dial(ctx context.Context) (net.Conn, error) {
	b, err := broker()
	if err != nil {
		return nil, err
	}
	return b.Dial(ctx)
}

// Status describes the in-tab broker as the server's GET /api/broker
// describes its own.
func Status(ctx context.Context) (brokerapi.Status, error) {
	b, err := broker()
	if err != nil {
		return brokerapi.Status{}, err
	}
	return b.APIStatus(ctx)
}

// Restart restarts the in-tab broker as the server's POST
// /api/broker/restart restarts its own.
func Restart(ctx context.Context, req brokerapi.RestartRequest) (brokerapi.RestartResult, error) {
	b, err := broker()
	if err != nil {
		return brokerapi.RestartResult{}, err
	}
	return b.APIRestart(ctx, req)
}
