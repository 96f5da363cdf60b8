package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// MaxTextMessage bounds a text message from the server: notices are short.
const MaxTextMessage = 4096

// reads is the read side of a Conn: the byte stream of the binary
// messages, with the read deadline net.Conn promises paho (which sets one
// around CONNECT).
//
// It is websocket.NetConn's reading (netconn.go in coder/websocket v1.8.15)
// with one change: a text message goes to the Conn's OnText callback
// instead of closing the connection. Its deadline behaves as NetConn's
// does: when it fires during a Read, the read's context is cancelled and
// coder/websocket closes the connection; when it fires between reads, the
// next Read fails at once, until the deadline is set again.
type reads struct {
	ctx     context.Context // bounds every read; cancelled by a deadline during a read, or by Close
	cancel  context.CancelFunc
	timer   *time.Timer // the read deadline
	expired atomic.Bool // the deadline passed between two reads

	// mu is held for the whole of a Read; it guards r and eof. The
	// deadline's timer tries it to tell whether a Read is running.
	mu  sync.Mutex
	r   io.Reader // the current binary message, nil between messages
	eof bool      // the server closed normally: every Read is io.EOF
}

func newConn(nc net.Conn, ws *websocket.Conn) *Conn {
	c := &Conn{Conn: nc, ws: ws, batch: newBatcher(ws)}
	rd := &c.reads
	rd.ctx, rd.cancel = context.WithCancel(context.Background())
	rd.timer = time.AfterFunc(math.MaxInt64, func() {
		if !rd.mu.TryLock() {
			rd.cancel() // a Read is running: end it, and the connection
			return
		}
		rd.expired.Store(true)
		rd.mu.Unlock()
	})
	rd.timer.Stop()
	return c
}

func (rd *reads) stop() {
	rd.timer.Stop()
	rd.cancel()
}

// SetDeadline sets both deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	c.Conn.SetWriteDeadline(t)
	return c.SetReadDeadline(t)
}

// SetReadDeadline sets the read deadline; the zero time removes it.
func (c *Conn) SetReadDeadline(t time.Time) error {
	rd := &c.reads
	rd.expired.Store(false)
	if t.IsZero() {
		rd.timer.Stop()
		return nil
	}
	rd.timer.Reset(max(time.Until(t), 1))
	return nil
}

// OnText sets the callback that receives each text message from the
// server, whole, in order with the bytes of the binary messages around it.
// It runs on the goroutine that reads the connection (paho's reader): it
// must return at once. Set it before the first Read. Without a callback, a
// text message closes the connection with StatusUnsupportedData, as
// websocket.NetConn does.
func (c *Conn) OnText(f func(msg []byte)) { c.onText.Store(&f) }

// Read reads MQTT bytes. Natively, a close by the server with a normal or
// going-away code reads as io.EOF and any other close as the
// websocket.CloseError with the server's code and reason. In the browser,
// where coder/websocket hands neither on (its Reader returns
// net.ErrClosed), every close by the server is ErrClosedByServer.
//
// After Close it reads nothing more (net.ErrClosed), as natively: in the
// browser coder/websocket's message reader is a bytes.Reader that goes on
// giving the rest of its message after Close, and paho, which reads until
// an error, handed the application PUBLISHes of a connection it had
// closed, past any wiretap, which ends at Close.
func (c *Conn) Read(p []byte) (int, error) {
	rd := &c.reads
	rd.mu.Lock()
	defer rd.mu.Unlock()
	for {
		if c.closing.Load() {
			return 0, net.ErrClosed
		}
		n, err := c.read(p)
		if err != nil {
			if errors.Is(err, net.ErrClosed) && !c.closing.Load() {
				err = ErrClosedByServer
			}
			return n, err
		}
		if n > 0 {
			return n, nil
		}
	}
}

// read reads from the current message, or starts the next one; it returns
// 0 bytes and no error after a text message or at the end of a message.
func (c *Conn) read(p []byte) (int, error) {
	rd := &c.reads
	if rd.expired.Load() {
		return 0, fmt.Errorf("transport: read: %w", context.DeadlineExceeded)
	}
	if rd.eof {
		return 0, io.EOF
	}
	if rd.r == nil {
		typ, r, err := c.ws.Reader(rd.ctx)
		if err != nil {
			switch websocket.CloseStatus(err) {
			case websocket.StatusNormalClosure, websocket.StatusGoingAway:
				rd.eof = true
				return 0, io.EOF
			}
			return 0, err
		}
		if typ == websocket.MessageText {
			return 0, c.text(r)
		}
		rd.r = r
	}
	n, err := rd.r.Read(p)
	if err == io.EOF {
		rd.r, err = nil, nil
	}
	return n, err
}

// ErrUnexpectedText reports a text message from a server when no OnText
// callback was set, or one over MaxTextMessage bytes.
var ErrUnexpectedText = errors.New("transport: unexpected text message from the server")

// text hands a text message to the OnText callback.
func (c *Conn) text(r io.Reader) error {
	f := c.onText.Load()
	if f == nil {
		c.ws.Close(websocket.StatusUnsupportedData, "MQTT needs binary WebSocket messages")
		return ErrUnexpectedText
	}
	msg, err := io.ReadAll(io.LimitReader(r, MaxTextMessage+1))
	if err != nil {
		return err
	}
	if len(msg) > MaxTextMessage {
		c.ws.Close(websocket.StatusMessageTooBig, "text message too large")
		return fmt.Errorf("%w: more than %d bytes", ErrUnexpectedText, MaxTextMessage)
	}
	(*f)(msg)
	return nil
}
