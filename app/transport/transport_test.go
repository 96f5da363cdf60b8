package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

const waitTimeout = 10 * time.Second

func TestCheckURL(t *testing.T) {
	tests := []struct {
		scenario string
		url      string
		wantErr  string // "" means valid
	}{
		{"ws", "ws://127.0.0.1:8080/mqtt", ""},
		{"wss", "wss://example.org/mqtt", ""},
		{"http", "http://127.0.0.1/mqtt", "scheme must be ws or wss"},
		{"mqtt", "mqtt://127.0.0.1:1883", "scheme must be ws or wss"},
		{"empty", "", "scheme must be ws or wss"},
		{"no host", "ws:///mqtt", "no host"},
		{"bad URL", "ws://[::1/mqtt", "broker URL"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			err := CheckURL(tc.url)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("CheckURL(%q): got %v, want nil", tc.url, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("CheckURL(%q): got %v, want an error mentioning %q", tc.url, err, tc.wantErr)
			}
		})
	}
}

func TestBrokerURL(t *testing.T) {
	tests := []struct {
		scenario string
		page     string
		want     string
	}{
		{"http page", "http://127.0.0.1:8080/lesson/1?x=y#top", "ws://127.0.0.1:8080/mqtt"},
		{"https page", "https://qos.example.org/", "wss://qos.example.org/mqtt"},
		{"upper-case scheme", "HTTPS://qos.example.org", "wss://qos.example.org/mqtt"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			u, err := url.Parse(tc.page)
			if err != nil {
				t.Fatal(err)
			}
			if got := BrokerURL(u); got != tc.want {
				t.Errorf("BrokerURL(%s): got %q, want %q", tc.page, got, tc.want)
			}
		})
	}
}

// serve runs handle for each WebSocket accepted with the given
// subprotocols, and returns the ws:// URL.
func serve(t *testing.T, subprotocols []string, handle func(*websocket.Conn)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: subprotocols})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		ws.SetReadLimit(1 << 20)
		handle(ws)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt"
}

// echo sends every message back, until the connection fails.
func echo(ws *websocket.Conn) {
	ctx := context.Background()
	for {
		typ, msg, err := ws.Read(ctx)
		if err != nil {
			return
		}
		if err := ws.Write(ctx, typ, msg); err != nil {
			return
		}
	}
}

func TestDialEcho(t *testing.T) {
	u := serve(t, []string{"mqtt"}, echo)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	conn, err := Dial(ctx, u)
	// The dial context ends here: it must bound the handshake only.
	cancel()
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	defer conn.Close()

	for _, size := range []int{2, 32 << 10, 200 << 10} {
		msg := bytes.Repeat([]byte{0x30, 0x01, 0x02}, size/3+1)[:size]
		if _, err := conn.Write(msg); err != nil {
			t.Fatalf("Write %d bytes: %v", size, err)
		}
		conn.SetReadDeadline(time.Now().Add(waitTimeout))
		got := make([]byte, size)
		if _, err := io.ReadFull(conn, got); err != nil {
			t.Fatalf("reading back %d bytes (the 32 KiB default read limit must be lifted): %v", size, err)
		}
		conn.SetReadDeadline(time.Time{})
		if !bytes.Equal(got, msg) {
			t.Errorf("echo of %d bytes differs", size)
		}
	}
}

func TestDialRefused(t *testing.T) {
	t.Run("server selects no subprotocol", func(t *testing.T) {
		u := serve(t, nil, echo)
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		conn, err := Dial(ctx, u)
		if !errors.Is(err, ErrNoSubprotocol) {
			if conn != nil {
				conn.Close()
			}
			t.Errorf("Dial: got %v, want ErrNoSubprotocol", err)
		}
	})
	t.Run("HTTP error", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "nope", http.StatusBadRequest)
		}))
		defer srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		_, err := Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/mqtt")
		if err == nil || !strings.Contains(err.Error(), "HTTP 400") || errors.Is(err, ErrUnreachable) {
			t.Errorf("Dial: got %v, want an error naming HTTP 400", err)
		}
	})
	t.Run("nothing listening", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		if _, err := Dial(ctx, "ws://"+addr+"/mqtt"); !errors.Is(err, ErrUnreachable) {
			t.Errorf("Dial to a closed port: got %v, want ErrUnreachable", err)
		}
	})
}

// TestServerClose: how a close by the server shows up in Read. It must not
// be net.ErrClosed, which paho takes for its own Close and ignores.
func TestServerClose(t *testing.T) {
	tests := []struct {
		scenario string
		code     websocket.StatusCode
		reason   string
		wantEOF  bool
	}{
		{"normal closure", websocket.StatusNormalClosure, "bye", true},
		{"going away", websocket.StatusGoingAway, "server shutting down", true},
		{"message too big", websocket.StatusMessageTooBig, "packet too large: the limit is 10", false},
		{"protocol error", websocket.StatusProtocolError, "not MQTT: reserved packet type 0", false},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			u := serve(t, []string{"mqtt"}, func(ws *websocket.Conn) {
				// Close once the client has said something.
				ws.Read(context.Background())
				ws.Close(tc.code, tc.reason)
			})
			ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
			defer cancel()
			conn, err := Dial(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Write([]byte{0xC0, 0x00}); err != nil {
				t.Fatal(err)
			}
			conn.SetReadDeadline(time.Now().Add(waitTimeout))
			_, err = conn.Read(make([]byte, 16))
			if errors.Is(err, net.ErrClosed) {
				t.Fatalf("Read: got %v, which paho would take for its own Close", err)
			}
			if tc.wantEOF {
				if err != io.EOF {
					t.Errorf("Read: got %v, want io.EOF", err)
				}
				return
			}
			if got := websocket.CloseStatus(err); got != tc.code || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Read: got %v (status %d), want status %d with reason %q", err, got, tc.code, tc.reason)
			}
		})
	}

	t.Run("our own Close does not blame the server", func(t *testing.T) {
		u := serve(t, []string{"mqtt"}, echo)
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		conn, err := Dial(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := conn.Read(make([]byte, 16))
			done <- err
		}()
		if err := conn.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		select {
		case err := <-done:
			if errors.Is(err, ErrClosedByServer) {
				t.Errorf("Read after our Close: got %v, want it not to blame the server", err)
			}
		case <-time.After(waitTimeout):
			t.Fatalf("Read still blocked after Close")
		}
	})
}
