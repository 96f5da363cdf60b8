package transport

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/coder/websocket"
)

// ErrNotUTF8 reports a text message that is not valid UTF-8, which
// WebSocket forbids (RFC 6455 section 5.6).
var ErrNotUTF8 = errors.New("transport: a text message must be valid UTF-8")

// WriteText sends msg as one WebSocket text message on the connection,
// between two of paho's binary messages: the gateway reads both kinds in
// the order they were sent, so a control message acts on the packets
// written after WriteText returns.
//
// It is safe to call while paho writes, and a text message never lands
// inside a binary one. Checked in coder/websocket v1.8.15:
//   - natively, "All methods may be called concurrently except for Reader
//     and Read" (conn.go), and Conn.Write holds the message writer's lock
//     (msgWriter.mu, taken by reset) until the whole message is written as
//     one frame under writeFrameMu (write.go: write, writeFrame); NetConn's
//     Write is that same Conn.Write of a binary message (netconn.go), so
//     text and binary writes take turns whole;
//   - in the browser, Conn.Write hands the whole message to the browser's
//     WebSocket.send at once (ws_js.go: write, SendText/SendBytes), which
//     queues whole messages in call order, and Go in WebAssembly runs one
//     goroutine at a time.
//
// ctx bounds the write natively; in the browser a write never blocks.
func (c *Conn) WriteText(ctx context.Context, msg []byte) error {
	if !utf8.Valid(msg) {
		return ErrNotUTF8
	}
	send := func() error { return c.ws.Write(ctx, websocket.MessageText, msg) }
	var err error
	if c.batch == nil {
		err = send()
	} else {
		err = c.batch.sendFirst(send) // after the packets written before
	}
	if err != nil {
		return fmt.Errorf("transport: text message: %w", err)
	}
	return nil
}
