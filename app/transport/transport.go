// Package transport carries MQTT over WebSocket for paho.mqtt.golang, the
// same way in the browser (GOOS=js) and natively in tests.
//
// paho dials through SetCustomOpenConnectionFn, which calls Dial: a
// github.com/coder/websocket connection (the maintained home of
// nhooyr.io/websocket) offering the "mqtt" subprotocol, wrapped by
// websocket.NetConn as a stream of binary messages. coder/websocket picks its
// browser or native implementation by build tag, so this package has no
// build-tagged twin of its own.
package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Subprotocol is the WebSocket subprotocol of MQTT (MQTT 3.1.1 section 6).
const Subprotocol = "mqtt"

// ErrNoSubprotocol reports a server that accepted the WebSocket without
// selecting the "mqtt" subprotocol.
var ErrNoSubprotocol = errors.New(`transport: server did not select the "mqtt" subprotocol`)

// DefaultDialTimeout bounds the WebSocket handshake when the caller's context
// has no deadline.
const DefaultDialTimeout = 10 * time.Second

// Dial opens an MQTT-over-WebSocket connection to rawURL (ws:// or wss://).
// The connection is a *Conn.
//
// ctx bounds only the handshake: the returned connection lives until it is
// closed. (websocket.NetConn's context bounds the connection's whole life, so
// it must not be a dial-timeout context.)
func Dial(ctx context.Context, rawURL string) (net.Conn, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultDialTimeout)
		defer cancel()
	}
	c, resp, err := websocket.Dial(ctx, rawURL, &websocket.DialOptions{
		Subprotocols: []string{Subprotocol},
	})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("transport: dial %s: HTTP %s: %w", rawURL, resp.Status, err)
		}
		if ctx.Err() == nil || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w: dial %s: %w", ErrUnreachable, rawURL, err)
		}
		return nil, fmt.Errorf("transport: dial %s: %w", rawURL, err)
	}
	if c.Subprotocol() != Subprotocol {
		c.Close(websocket.StatusPolicyViolation, "mqtt subprotocol required")
		return nil, ErrNoSubprotocol
	}
	// NetConn lifts the read limit (32 KiB by default), so large packets pass;
	// the server enforces the size limit.
	return newConn(websocket.NetConn(context.Background(), c, websocket.MessageBinary), c), nil
}

// ErrUnreachable reports a server that did not answer the WebSocket
// handshake at all: the network is off, or the server is down. (A server
// that answers with an HTTP error is reported with its status instead.)
var ErrUnreachable = errors.New("transport: the server cannot be reached")

// ErrClosedByServer reports that the server closed the WebSocket.
var ErrClosedByServer = errors.New("transport: the server closed the connection")

// Conn is a connection made by Dial: a net.Conn of binary WebSocket
// messages for paho, that can also send a text message on the same
// WebSocket (WriteText), which the server's gateway reads as a control
// message (a fault command, package qosplayground/app/fault), and hand the
// text messages the gateway sends (classroom notices, package
// qosplayground/app/classroom) to a callback (OnText). See text.go.
//
// Conn also keeps a close by the server from looking like a close by us.
// In the browser, coder/websocket reports a connection the server closed as
// net.ErrClosed ("use of closed network connection"), and paho ignores read
// errors with that text, taking them for its own Close: it would never call
// its connection-lost handler, and the learner would see "connected" on a
// dead connection.
//
// Writes, Close's handshake and the write deadline are websocket.NetConn's.
// Reads are Conn's own (read.go): NetConn closes the connection on a text
// message, and the gateway may send one.
type Conn struct {
	net.Conn // websocket.NetConn: writes, addresses, write deadline
	ws       *websocket.Conn
	closing  atomic.Bool // set by Close: from then on net.ErrClosed is ours

	onText atomic.Pointer[func(msg []byte)] // OnText's callback, nil before

	batch *batcher // gathers writes into messages (batch.go); nil natively

	reads reads // the read side (read.go)
}

// Write writes MQTT bytes: in the browser into the batch of this turn of
// the event loop (batch.go), natively straight to the WebSocket.
func (c *Conn) Write(p []byte) (int, error) {
	if c.batch == nil {
		return c.Conn.Write(p)
	}
	return c.batch.Write(p)
}

// Close sends what is batched, then closes the WebSocket with a normal
// closure.
func (c *Conn) Close() error {
	c.closing.Store(true)
	c.reads.stop()
	if c.batch == nil {
		return c.Conn.Close()
	}
	return c.batch.close(c.Conn.Close)
}

// BrokerURL returns the WebSocket URL of the /mqtt endpoint on the same
// origin as the page at pageURL: ws:// for http pages, wss:// for https.
func BrokerURL(pageURL *url.URL) string {
	scheme := "ws"
	if strings.EqualFold(pageURL.Scheme, "https") {
		scheme = "wss"
	}
	return (&url.URL{Scheme: scheme, Host: pageURL.Host, Path: "/mqtt"}).String()
}

// ErrBadURL reports a broker URL that cannot be dialled.
var ErrBadURL = errors.New("transport: bad broker URL")

// CheckURL reports whether rawURL can be dialled: a ws:// or wss:// URL with
// a host.
func CheckURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return fmt.Errorf("%w %q: scheme must be ws or wss", ErrBadURL, rawURL)
	}
	if u.Host == "" {
		return fmt.Errorf("%w %q: it has no host", ErrBadURL, rawURL)
	}
	return nil
}
