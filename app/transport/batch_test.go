package transport

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"

	"github.com/coder/websocket"
)

// message is what the test server received: a WebSocket message, or the
// close.
type message struct {
	typ   websocket.MessageType
	data  []byte
	close bool
}

// recordingServer records every message until the connection ends.
func recordingServer(t *testing.T) (string, <-chan message) {
	got := make(chan message, 100)
	u := serve(t, []string{"mqtt"}, func(ws *websocket.Conn) {
		for {
			typ, data, err := ws.Read(context.Background())
			if err != nil {
				got <- message{close: true}
				return
			}
			got <- message{typ: typ, data: data}
		}
	})
	return u, got
}

func next(t *testing.T, got <-chan message) message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	select {
	case m := <-got:
		return m
	case <-ctx.Done():
		t.Fatal("the server received nothing")
		return message{}
	}
}

// batchedDial dials with a batcher whose flushes the test runs by hand
// (in the browser, a task of their own runs them).
func batchedDial(t *testing.T, u string) (*Conn, *[]func()) {
	t.Helper()
	nc, err := Dial(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	c := nc.(*Conn)
	var flushes []func()
	c.batch = &batcher{ws: c.ws, schedule: func(f func()) { flushes = append(flushes, f) }}
	return c, &flushes
}

// TestBatcher: packets written in one turn go out as one message when the
// scheduled flush runs; a text message and the close send the batch first,
// so the server reads everything in the order it was written.
func TestBatcher(t *testing.T) {
	u, got := recordingServer(t)
	c, flushes := batchedDial(t, u)

	a, b, d := []byte{0x30, 0x02, 'a', 'a'}, []byte{0x40, 0x02, 0x00, 0x01}, []byte{0xc0, 0x00}
	for _, p := range [][]byte{a, b, d} {
		if n, err := c.Write(p); n != len(p) || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	if len(*flushes) != 1 {
		t.Fatalf("%d flushes scheduled for three writes in one turn, want 1", len(*flushes))
	}
	(*flushes)[0]()
	if m := next(t, got); m.typ != websocket.MessageBinary || !bytes.Equal(m.data, bytes.Join([][]byte{a, b, d}, nil)) {
		t.Fatalf("got %+v, want the three packets in one binary message", m)
	}

	// A fault command acts on the packets written after it: the ones
	// before are sent first, without waiting for the flush.
	c.Write(a)
	if err := c.WriteText(context.Background(), []byte(`{"cut":"now"}`)); err != nil {
		t.Fatal(err)
	}
	c.Write(b)
	if m := next(t, got); m.typ != websocket.MessageBinary || !bytes.Equal(m.data, a) {
		t.Fatalf("got %+v, want the packet written before the text message", m)
	}
	if m := next(t, got); m.typ != websocket.MessageText || string(m.data) != `{"cut":"now"}` {
		t.Fatalf("got %+v, want the text message", m)
	}
	(*flushes)[len(*flushes)-1]()
	if m := next(t, got); !bytes.Equal(m.data, b) {
		t.Fatalf("got %+v, want the packet written after the text message", m)
	}

	// A batch reaching maxBatch goes at once.
	big := bytes.Repeat([]byte{0x30}, maxBatch)
	scheduled := len(*flushes)
	c.Write(big)
	if m := next(t, got); len(m.data) != maxBatch {
		t.Fatalf("got %d bytes, want the %d-byte batch sent by the write", len(m.data), maxBatch)
	}
	if len(*flushes) != scheduled {
		t.Error("a batch sent by its write also scheduled a flush")
	}

	// DISCONNECT goes out before the close.
	c.Write([]byte{0xe0, 0x00})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if m := next(t, got); !bytes.Equal(m.data, []byte{0xe0, 0x00}) {
		t.Fatalf("got %+v, want DISCONNECT before the close", m)
	}
	if m := next(t, got); !m.close {
		t.Fatalf("got %+v, want the close", m)
	}
	if _, err := c.Write(a); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close: %v, want net.ErrClosed", err)
	}
}

// TestBatcherSendFails: a send that fails (the connection is gone) fails
// the writes after it, so that paho learns of it.
func TestBatcherSendFails(t *testing.T) {
	u, _ := recordingServer(t)
	c, flushes := batchedDial(t, u)
	c.ws.CloseNow()
	if _, err := c.Write([]byte{0xc0, 0x00}); err != nil {
		t.Fatalf("the write before the flush: %v; it only queues", err)
	}
	(*flushes)[0]()
	if _, err := c.Write([]byte{0xc0, 0x00}); err == nil {
		t.Error("a write after a failed send succeeded")
	}
}

// TestBatcherClosingSocket: once the socket no longer takes messages (in
// the browser: CLOSING after the server's close frame, before the close
// event), neither a flush, nor a text message, nor the close sends
// anything, and the writes fail as on a closed connection. The browser
// logs every send on a CLOSING socket as an error (issue 13, item 8).
func TestBatcherClosingSocket(t *testing.T) {
	u, got := recordingServer(t)
	c, flushes := batchedDial(t, u)
	open := true
	c.batch.open = func() bool { return open }

	c.Write([]byte{0xc0, 0x00})
	(*flushes)[0]()
	if m := next(t, got); !bytes.Equal(m.data, []byte{0xc0, 0x00}) {
		t.Fatalf("got %+v, want the PINGREQ sent while open", m)
	}

	open = false
	if _, err := c.Write([]byte{0x40, 0x02, 0x00, 0x01}); err != nil {
		t.Fatalf("the write before the flush: %v; it only queues", err)
	}
	(*flushes)[len(*flushes)-1]()
	if _, err := c.Write([]byte{0xc0, 0x00}); !errors.Is(err, net.ErrClosed) {
		t.Errorf("a write after the socket began closing: %v, want net.ErrClosed", err)
	}
	if err := c.WriteText(context.Background(), []byte(`{"op":"cut-now"}`)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("a text message after the socket began closing: %v, want net.ErrClosed", err)
	}
	c.Close()
	if m := next(t, got); !m.close {
		t.Fatalf("the server received %+v on a closing socket, want nothing before the close", m)
	}
}

// TestBatcherFirstWriteAtOnce: on a new connection in the browser (now
// set, as newBatcher does) the first write, paho's CONNECT, goes out at
// once instead of waiting for a flush behind the page's other tasks; the
// writes after it are batched again, in order.
func TestBatcherFirstWriteAtOnce(t *testing.T) {
	u, got := recordingServer(t)
	c, flushes := batchedDial(t, u)
	c.batch.now = true

	connect := []byte{0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x1e, 0x00, 0x00}
	if n, err := c.Write(connect); n != len(connect) || err != nil {
		t.Fatalf("Write: %d, %v", n, err)
	}
	if m := next(t, got); m.typ != websocket.MessageBinary || !bytes.Equal(m.data, connect) {
		t.Fatalf("got %+v, want CONNECT sent by its write", m)
	}
	if len(*flushes) != 0 {
		t.Fatalf("the first write scheduled %d flushes, want none", len(*flushes))
	}

	a, b := []byte{0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x01}, []byte{0xc0, 0x00}
	c.Write(a)
	c.Write(b)
	if len(*flushes) != 1 {
		t.Fatalf("%d flushes scheduled for the two writes after the first, want 1", len(*flushes))
	}
	(*flushes)[0]()
	if m := next(t, got); !bytes.Equal(m.data, append(a, b...)) {
		t.Fatalf("got %+v, want the two later packets in one message", m)
	}
}
