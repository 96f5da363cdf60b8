package client

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestDialing: Dialing is closed once Connect has begun dialling, while the
// WebSocket's handshake is still under way, so that the user interface can
// go on with its own work (redrawing the page) while the handshake runs,
// and not before Connect is called.
func TestDialing(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release // the handshake is held here
		http.Error(w, "not today", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	cl, _ := newClient(t, Options{URL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt", ClientID: uniq("dialing"), CleanSession: true})
	select {
	case <-cl.Dialing():
		t.Fatal("Dialing is closed before Connect was called")
	default:
	}
	done := make(chan error, 1)
	go func() { _, err := cl.Connect(); done <- err }()
	select {
	case <-cl.Dialing():
	case <-time.After(waitTimeout):
		t.Fatal("Dialing was not closed after Connect began")
	}
	select {
	case <-entered:
	case <-time.After(waitTimeout):
		t.Fatal("the server never saw the handshake")
	}
	select {
	case err := <-done:
		t.Fatalf("Connect returned (%v) while the handshake was held", err)
	default:
	}
	close(release)
	if err := <-done; err == nil {
		t.Fatal("Connect succeeded against a server that refused the WebSocket")
	}
}
