package teststack

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestStack starts the embedded broker with its gateway in a process of
// its own, reaches the broker's TCP listener and the gateway's HTTP server,
// restarts the broker killed, closes the gateway, and refuses an unknown
// command.
func TestStack(t *testing.T) {
	env := Start(t, Embedded)
	if !strings.HasPrefix(env.URL, "ws://127.0.0.1:") || !strings.HasSuffix(env.URL, "/mqtt") {
		t.Errorf("URL %q, want ws://127.0.0.1:port/mqtt", env.URL)
	}
	gateway := strings.TrimSuffix(strings.TrimPrefix(env.URL, "ws://"), "/mqtt")
	for _, addr := range []string{env.BrokerAddr, gateway} {
		conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			t.Fatalf("dial %s: %v", addr, err)
		}
		conn.Close()
	}
	if err := env.RestartBroker(true); err != nil {
		t.Errorf("RestartBroker(kill): %v", err)
	}
	if conn, err := net.DialTimeout("tcp", env.BrokerAddr, 10*time.Second); err != nil {
		t.Errorf("dial the broker after its restart: %v", err)
	} else {
		conn.Close()
	}
	if err := env.CloseGateway(); err != nil {
		t.Errorf("CloseGateway: %v", err)
	}
	if err := env.do("shout"); err == nil || !strings.Contains(err.Error(), `unknown command "shout"`) {
		t.Errorf("an unknown command: got %v, want it refused", err)
	}
}
