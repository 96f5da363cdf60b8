package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestReadText: text messages from the server go to OnText, in order with
// the binary ones, whose bytes stay one unbroken stream for paho.
func TestReadText(t *testing.T) {
	u := serve(t, []string{"mqtt"}, func(ws *websocket.Conn) {
		ctx := context.Background()
		ws.Read(ctx) // wait until the client is ready
		ws.Write(ctx, websocket.MessageBinary, []byte("ab"))
		ws.Write(ctx, websocket.MessageText, []byte(`{"n":1}`))
		ws.Write(ctx, websocket.MessageText, []byte(`{"n":2}`))
		ws.Write(ctx, websocket.MessageBinary, []byte("cd"))
		ws.Write(ctx, websocket.MessageText, []byte(`{"n":3}`))
		ws.Write(ctx, websocket.MessageBinary, []byte("ef"))
		ws.Read(ctx) // until the client closes
	})
	conn := dialT(t, u)
	var mu sync.Mutex
	var texts []string
	var readAt []int // bytes read when each text arrived
	read := 0
	conn.OnText(func(msg []byte) {
		mu.Lock()
		texts, readAt = append(texts, string(msg)), append(readAt, read)
		mu.Unlock()
	})
	if _, err := conn.Write([]byte{0xC0, 0x00}); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(waitTimeout))
	var got []byte
	buf := make([]byte, 1) // byte by byte: texts land between bytes exactly
	for len(got) < 6 {
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("Read after %q: %v", got, err)
		}
		got = append(got, buf[:n]...)
		mu.Lock()
		read = len(got)
		mu.Unlock()
	}
	if string(got) != "abcdef" {
		t.Errorf("binary stream: got %q, want \"abcdef\"", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(texts, " ") != `{"n":1} {"n":2} {"n":3}` {
		t.Errorf("texts: got %q, want the three in order", texts)
	}
	if want := []int{2, 2, 4}; len(readAt) != 3 || readAt[0] != want[0] || readAt[1] != want[1] || readAt[2] != want[2] {
		t.Errorf("texts arrived after %v bytes, want %v", readAt, want)
	}
}

// TestReadTextRefused: without OnText a text message ends the connection,
// as websocket.NetConn did, and so does one that is too large.
func TestReadTextRefused(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		onText   bool
		text     string
		wantCode websocket.StatusCode
	}{
		{"no callback", false, "hello", websocket.StatusUnsupportedData},
		{"too large", true, strings.Repeat("x", MaxTextMessage+1), websocket.StatusMessageTooBig},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			closed := make(chan websocket.StatusCode, 1)
			u := serve(t, []string{"mqtt"}, func(ws *websocket.Conn) {
				ctx := context.Background()
				ws.Read(ctx)
				ws.Write(ctx, websocket.MessageText, []byte(tc.text))
				_, _, err := ws.Read(ctx)
				closed <- websocket.CloseStatus(err)
			})
			conn := dialT(t, u)
			called := false
			if tc.onText {
				conn.OnText(func([]byte) { called = true })
			}
			conn.Write([]byte{0xC0, 0x00})
			conn.SetReadDeadline(time.Now().Add(waitTimeout))
			if _, err := conn.Read(make([]byte, 8)); !errors.Is(err, ErrUnexpectedText) {
				t.Errorf("Read: got %v, want ErrUnexpectedText", err)
			}
			if called {
				t.Errorf("OnText called with a refused message")
			}
			select {
			case code := <-closed:
				if code != tc.wantCode {
					t.Errorf("server saw close code %d, want %d", code, tc.wantCode)
				}
			case <-time.After(waitTimeout):
				t.Fatal("the connection was not closed")
			}
		})
	}
}

// TestReadDeadline: the read deadline paho sets around CONNECT works as
// websocket.NetConn's: during a Read it ends the Read (and the
// connection); passed between reads it fails the next Read, until reset.
func TestReadDeadline(t *testing.T) {
	u := serve(t, []string{"mqtt"}, func(ws *websocket.Conn) {
		ctx := context.Background()
		for {
			if _, _, err := ws.Read(ctx); err != nil {
				return
			}
			ws.Write(ctx, websocket.MessageBinary, []byte{0xD0, 0x00})
		}
	})
	t.Run("passed between reads", func(t *testing.T) {
		conn := dialT(t, u)
		conn.SetReadDeadline(time.Now().Add(-time.Second))
		time.Sleep(50 * time.Millisecond) // the timer fires with no Read running
		if _, err := conn.Read(make([]byte, 2)); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Read after the deadline: got %v, want DeadlineExceeded", err)
		}
		conn.SetReadDeadline(time.Time{})
		conn.Write([]byte{0xC0, 0x00})
		if _, err := io.ReadFull(conn, make([]byte, 2)); err != nil {
			t.Errorf("Read after the deadline was removed: %v", err)
		}
	})
	t.Run("during a read", func(t *testing.T) {
		conn := dialT(t, u)
		conn.SetDeadline(time.Now().Add(100 * time.Millisecond))
		done := make(chan error, 1)
		go func() {
			_, err := conn.Read(make([]byte, 2)) // nothing comes
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("Read: got no error, want the deadline's")
			}
		case <-time.After(waitTimeout):
			t.Fatal("Read still blocked long after its deadline")
		}
	})
}

func dialT(t *testing.T, u string) *Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	conn, err := Dial(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn.(*Conn)
}

// TestReadAfterClose: once the client has closed the connection, Read
// hands out no more bytes, not even the rest of a message it had begun,
// as a closed TCP connection does. In the browser coder/websocket's
// Reader is a bytes.Reader over the whole message (ws_js.go), which goes
// on giving its bytes after Close: paho's reader then handed the
// application PUBLISHes read after paho had closed the connection, which
// a wiretap (which stops at Close) never saw. The fault lab's side by side
// run showed more QoS 1 copies to the application than on the wire in
// about one browser run in five.
func TestReadAfterClose(t *testing.T) {
	u := serve(t, []string{"mqtt"}, func(ws *websocket.Conn) {
		ctx := context.Background()
		ws.Write(ctx, websocket.MessageBinary, []byte("abcdef"))
		ws.Read(ctx) // until the client closes
	})
	for _, browser := range []bool{false, true} {
		conn := dialT(t, u)
		conn.SetReadDeadline(time.Now().Add(waitTimeout))
		buf := make([]byte, 1)
		if n, err := conn.Read(buf); n != 1 || err != nil {
			t.Fatalf("first Read: %d, %v", n, err)
		}
		if browser {
			// What the browser's message reader is: the whole message's
			// bytes, whatever becomes of the connection.
			conn.reads.mu.Lock()
			conn.reads.r = bytes.NewReader([]byte("bcdef"))
			conn.reads.mu.Unlock()
		}
		conn.Close()
		n, err := conn.Read(make([]byte, 16))
		if n != 0 || !errors.Is(err, net.ErrClosed) {
			t.Errorf("browser's reader %v: Read after Close: %d bytes, %v; want 0, net.ErrClosed", browser, n, err)
		}
	}
}
