package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/coder/websocket"
)

// TestWriteTextConcurrent writes text messages while paho-sized binary
// writes go through the net.Conn at the same time: the server must read
// every message whole, each of its own type, text ones in the order sent.
func TestWriteTextConcurrent(t *testing.T) {
	const nBinary, nText, size = 100, 100, 40 << 10
	type result struct {
		binary int
		texts  []string
		err    error
	}
	results := make(chan result, 1)
	u := serve(t, []string{"mqtt"}, func(ws *websocket.Conn) {
		var r result
		for r.binary+len(r.texts) < nBinary+nText {
			typ, msg, err := ws.Read(context.Background())
			if err != nil {
				r.err = err
				break
			}
			if typ == websocket.MessageText {
				r.texts = append(r.texts, string(msg))
				continue
			}
			// A binary message is size bytes of one value: a text
			// message inside it would show.
			if len(msg) != size || !bytes.Equal(msg, bytes.Repeat(msg[:1], size)) {
				r.err = fmt.Errorf("binary message %d: %d bytes, not %d of one value", r.binary, len(msg), size)
				break
			}
			r.binary++
		}
		results <- r
	})
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	nc, err := Dial(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	conn, ok := nc.(*Conn)
	if !ok {
		t.Fatalf("Dial returned a %T, want *Conn", nc)
	}

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range nBinary {
			if _, err := conn.Write(bytes.Repeat([]byte{byte(i)}, size)); err != nil {
				t.Errorf("binary Write %d: %v", i, err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := range nText {
			if err := conn.WriteText(ctx, []byte(fmt.Sprintf(`{"op":"clear","n":%d}`, i))); err != nil {
				t.Errorf("WriteText %d: %v", i, err)
				return
			}
		}
	}()
	wg.Wait()

	var r result
	select {
	case r = <-results:
	case <-ctx.Done():
		t.Fatalf("the server did not read every message within %v", waitTimeout)
	}
	if r.err != nil {
		t.Fatalf("server: %v", r.err)
	}
	if r.binary != nBinary || len(r.texts) != nText {
		t.Fatalf("server read %d binary and %d text messages, want %d and %d", r.binary, len(r.texts), nBinary, nText)
	}
	for i, s := range r.texts {
		if want := fmt.Sprintf(`{"op":"clear","n":%d}`, i); s != want {
			t.Fatalf("text message %d: got %q, want %q", i, s, want)
		}
	}
}

func TestWriteTextNotUTF8(t *testing.T) {
	u := serve(t, []string{"mqtt"}, echo)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	nc, err := Dial(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.(*Conn).WriteText(ctx, []byte{'{', 0xff, '}'}); !errors.Is(err, ErrNotUTF8) {
		t.Errorf("WriteText of invalid UTF-8: got %v, want ErrNotUTF8", err)
	}
}
