package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qosplayground/app/brokerapi"
	"qosplayground/internal/testenv"
	"qosplayground/server/broker"
)

// countingBroker counts the restarts that reach the broker, so a test can
// prove that a refused request never got that far. hold, when set, makes
// Restart wait for it to be closed first.
type countingBroker struct {
	broker.Broker
	restarts atomic.Int32
	entered  chan struct{} // receives once per Restart that began, when hold is set
	hold     chan struct{}
	fail     error // returned instead of restarting, when set
}

func (c *countingBroker) Restart(ctx context.Context, opts broker.RestartOptions) error {
	c.restarts.Add(1)
	if c.hold != nil {
		c.entered <- struct{}{}
		<-c.hold
	}
	if c.fail != nil {
		return c.fail
	}
	return c.Broker.Restart(ctx, opts)
}

// startAPIBroker starts a real broker of mode and closes it after the test.
func startAPIBroker(t *testing.T, spec string) broker.Broker {
	t.Helper()
	if spec == string(broker.ModeMosquitto) {
		testenv.NeedMosquitto(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.Config{Spec: spec, DataDir: t.TempDir(), Logger: testenv.Logger(t)})
	if err != nil {
		t.Fatalf("start broker %q: %v", spec, err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// serveAPI serves the broker API for b under policy on 127.0.0.1.
func serveAPI(t *testing.T, b broker.Broker, policy restartPolicy) string {
	t.Helper()
	mux := http.NewServeMux()
	newBrokerAPI(b, policy).register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// loopbackPolicy is what -broker-restart auto gives a server on 127.0.0.1.
var loopbackPolicy = restartPolicy{flag: brokerRestartAuto, loopback: true, addr: "127.0.0.1:8080"}

// apiCall sends a request and decodes the JSON answer into out (if not nil).
// It returns the status code and the raw body.
func apiCall(t *testing.T, method, url, contentType, body string, header map[string]string, out any) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read the answer of %s %s: %v", method, url, err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json", method, url, ct)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: answer %q is not the JSON expected: %v", method, url, raw, err)
		}
	}
	return resp.StatusCode, string(raw)
}

// getStatus reads GET /api/broker.
func getStatus(t *testing.T, base string, header map[string]string) brokerStatus {
	t.Helper()
	var st brokerStatus
	if code, raw := apiCall(t, http.MethodGet, base+"/api/broker", "", "", header, &st); code != http.StatusOK {
		t.Fatalf("GET /api/broker: status %d (%s), want 200", code, raw)
	}
	return st
}

// postRestart calls POST /api/broker/restart with a JSON body.
func postRestart(t *testing.T, base, body string, header map[string]string) (int, restartResult, brokerError) {
	t.Helper()
	var ok restartResult
	var bad brokerError
	code, raw := apiCall(t, http.MethodPost, base+"/api/broker/restart", "application/json", body, header, nil)
	if code == http.StatusOK {
		if err := json.Unmarshal([]byte(raw), &ok); err != nil {
			t.Fatalf("restart answer %q: %v", raw, err)
		}
	} else if err := json.Unmarshal([]byte(raw), &bad); err != nil || bad.Error == "" || bad.OK {
		t.Fatalf("restart error answer %q: want {\"ok\": false, \"error\": \"...\"} (%v)", raw, err)
	}
	return code, ok, bad
}

// brokerDropsConn connects an MQTT client to the broker (CONNECT, then
// its CONNACK: the broker has taken the connection, not merely the kernel
// queued it for a listener that may outlive the restart) and returns a
// function that reports whether the broker has closed it since: a restart
// must.
func brokerDropsConn(t *testing.T, addr string) func() bool {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		t.Fatalf("dial the broker: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	id := fmt.Sprintf("drop-%d", time.Now().UnixNano())
	connect := append([]byte{0x10, byte(12 + len(id)), 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, byte(len(id))}, id...)
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(connect); err != nil {
		t.Fatalf("CONNECT: %v", err)
	}
	connack := make([]byte, 4)
	if _, err := io.ReadFull(c, connack); err != nil || connack[0] != 0x20 || connack[3] != 0 {
		t.Fatalf("CONNACK: % x, %v", connack, err)
	}
	return func() bool {
		// Whatever the broker says first (mochi may send DISCONNECT), the
		// connection must end.
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, err := io.Copy(io.Discard, c)
		var ne net.Error
		return !(errors.As(err, &ne) && ne.Timeout())
	}
}

func TestBrokerAPIRestarts(t *testing.T) {
	for _, mode := range []string{"mosquitto", "embedded"} {
		t.Run(mode, func(t *testing.T) {
			b := startAPIBroker(t, mode)
			base := serveAPI(t, b, loopbackPolicy)

			st := getStatus(t, base, nil)
			if st.Mode != mode || st.Persistence != string(broker.PersistenceDefault) || !st.RestartAllowed || st.ReasonIfNot != "" || st.Saving == "" || st.Restarting {
				t.Errorf("GET /api/broker: got %+v, want mode %s, persistence default, restart allowed, no reason, a saving text, not restarting", st, mode)
			}

			for _, step := range []struct {
				body string
				want broker.Persistence
				kill bool
			}{
				{`{"kill": false, "persistence": "off"}`, broker.PersistenceOff, false},
				{`{"kill": true, "persistence": "on"}`, broker.PersistenceOn, true},
				{`{"kill": false}`, broker.PersistenceOn, false}, // no persistence: keep it
				{`{"persistence": "default"}`, broker.PersistenceDefault, false},
			} {
				dropped := brokerDropsConn(t, b.Addr())
				code, res, bad := postRestart(t, base, step.body, nil)
				if code != http.StatusOK || !res.OK || res.Persistence != string(step.want) || res.Kill != step.kill || res.TookMS < 0 {
					t.Fatalf("POST %s: got %d %+v %q, want 200 ok with persistence %q and kill %v", step.body, code, res, bad.Error, step.want, step.kill)
				}
				if !dropped() {
					t.Errorf("POST %s: a connection to the broker survived the restart; want it dropped", step.body)
				}
				if got := getStatus(t, base, nil).Persistence; got != string(step.want) {
					t.Errorf("GET after POST %s: persistence %q, want %q", step.body, got, step.want)
				}
			}
		})
	}
}

func TestBrokerAPIRefusesBadRequests(t *testing.T) {
	cb := &countingBroker{Broker: startAPIBroker(t, "embedded")}
	base := serveAPI(t, cb, loopbackPolicy)
	tests := []struct {
		scenario, method, path, contentType, body string
		header                                    map[string]string
		want                                      int
		mention                                   string
	}{
		{"GET restart", http.MethodGet, "/api/broker/restart", "", "", nil, http.StatusMethodNotAllowed, "POST"},
		{"POST status", http.MethodPost, "/api/broker", "application/json", "{}", nil, http.StatusMethodNotAllowed, "GET"},
		{"no content type", http.MethodPost, "/api/broker/restart", "", `{"kill": true}`, nil, http.StatusUnsupportedMediaType, "application/json"},
		{"form post", http.MethodPost, "/api/broker/restart", "application/x-www-form-urlencoded", "kill=true", nil, http.StatusUnsupportedMediaType, "application/json"},
		{"not JSON", http.MethodPost, "/api/broker/restart", "application/json", "restart please", nil, http.StatusBadRequest, "JSON object"},
		{"kill not a bool", http.MethodPost, "/api/broker/restart", "application/json", `{"kill": "yes"}`, nil, http.StatusBadRequest, "kill"},
		{"unknown field", http.MethodPost, "/api/broker/restart", "application/json", `{"kil": true}`, nil, http.StatusBadRequest, `"kil"`},
		{"unknown persistence", http.MethodPost, "/api/broker/restart", "application/json", `{"persistence": "sometimes"}`, nil, http.StatusBadRequest, `"sometimes"`},
		{"two objects", http.MethodPost, "/api/broker/restart", "application/json", `{} {}`, nil, http.StatusBadRequest, "one JSON object"},
		{"huge body", http.MethodPost, "/api/broker/restart", "application/json", `{"persistence": "` + strings.Repeat("x", 8<<10) + `"}`, nil, http.StatusBadRequest, "too large"},
		{"foreign Origin", http.MethodPost, "/api/broker/restart", "application/json", `{}`, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden, "another site"},
		{"cross-site fetch", http.MethodPost, "/api/broker/restart", "application/json", `{}`, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden, "another site"},
		{"rebound host name", http.MethodPost, "/api/broker/restart", "application/json", `{}`, map[string]string{"Host": "evil.example"}, http.StatusForbidden, "-broker-restart on"},
		{"through a proxy", http.MethodPost, "/api/broker/restart", "application/json", `{}`, map[string]string{"X-Forwarded-For": "203.0.113.9"}, http.StatusForbidden, "proxy"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			var bad brokerError
			code, raw := apiCall(t, tt.method, base+tt.path, tt.contentType, tt.body, tt.header, &bad)
			if code != tt.want || bad.OK || !strings.Contains(bad.Error, tt.mention) {
				t.Errorf("got %d %s, want %d with an error mentioning %q", code, raw, tt.want, tt.mention)
			}
		})
	}
	if n := cb.restarts.Load(); n != 0 {
		t.Errorf("restarts that reached the broker: got %d, want 0", n)
	}
	// The same origin as the page is fine.
	if code, _, bad := postRestart(t, base, `{}`, map[string]string{"Origin": base, "Sec-Fetch-Site": "same-origin"}); code != http.StatusOK {
		t.Errorf("same-origin POST: got %d %q, want 200", code, bad.Error)
	}
}

func TestBrokerAPIPolicy(t *testing.T) {
	tests := []struct {
		scenario string
		policy   restartPolicy
		allowed  bool
		mention  string
		code     string // the reason's code, for the page's own words
	}{
		{"off", restartPolicy{flag: brokerRestartOff, loopback: true, addr: "127.0.0.1:8080"}, false, "-broker-restart off", brokerapi.WhyOperatorOff},
		{"auto on all interfaces", restartPolicy{flag: brokerRestartAuto, loopback: false, addr: "[::]:8080"}, false, "-broker-restart on", brokerapi.WhyPublic},
		{"on on all interfaces", restartPolicy{flag: brokerRestartOn, loopback: false, addr: "[::]:8080"}, true, "", ""},
		{"auto on loopback", loopbackPolicy, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			cb := &countingBroker{Broker: startAPIBroker(t, "embedded")}
			base := serveAPI(t, cb, tt.policy)
			st := getStatus(t, base, nil)
			if st.RestartAllowed != tt.allowed || !strings.Contains(st.ReasonIfNot, tt.mention) || (tt.allowed && st.ReasonIfNot != "") || st.WhyNot != tt.code {
				t.Errorf("GET: restart_allowed %v, reason %q (%q); want %v and a reason mentioning %q (%q)", st.RestartAllowed, st.ReasonIfNot, st.WhyNot, tt.allowed, tt.mention, tt.code)
			}
			code, _, bad := postRestart(t, base, `{"kill": true}`, nil)
			want := http.StatusForbidden
			if tt.allowed {
				want = http.StatusOK
			}
			if code != want || !strings.Contains(bad.Error, tt.mention) {
				t.Errorf("POST: got %d %q, want %d mentioning %q", code, bad.Error, want, tt.mention)
			}
			if got, want := cb.restarts.Load(), map[bool]int32{false: 0, true: 1}[tt.allowed]; got != want {
				t.Errorf("restarts that reached the broker: got %d, want %d", got, want)
			}
		})
	}
}

func TestBrokerAPIExternal(t *testing.T) {
	inner := startAPIBroker(t, "embedded")
	ext := startAPIBroker(t, "tcp://"+inner.Addr())
	base := serveAPI(t, ext, restartPolicy{flag: brokerRestartOn})
	st := getStatus(t, base, nil)
	if st.Mode != string(broker.ModeExternal) || st.Persistence != "" || st.RestartAllowed || !strings.Contains(st.ReasonIfNot, "external") || st.WhyNot != brokerapi.WhyExternal {
		t.Errorf("GET: got %+v, want mode external, no persistence, restart not allowed, a reason saying it is external", st)
	}
	code, _, bad := postRestart(t, base, `{"kill": false, "persistence": "on"}`, nil)
	if code != http.StatusConflict || !strings.Contains(bad.Error, "external") {
		t.Errorf("POST: got %d %q, want 409 saying the broker is external", code, bad.Error)
	}
}

func TestBrokerAPIOneRestartAtATime(t *testing.T) {
	cb := &countingBroker{Broker: startAPIBroker(t, "embedded"), hold: make(chan struct{}), entered: make(chan struct{}, 1)}
	base := serveAPI(t, cb, loopbackPolicy)
	var wg sync.WaitGroup
	wg.Add(1)
	var firstCode int
	go func() {
		defer wg.Done()
		firstCode, _, _ = postRestart(t, base, `{"persistence": "on"}`, nil)
	}()
	<-cb.entered
	if !getStatus(t, base, nil).Restarting {
		t.Errorf("GET during a restart: restarting false, want true")
	}
	code, _, bad := postRestart(t, base, `{"persistence": "off"}`, nil)
	if code != http.StatusConflict || !strings.Contains(bad.Error, "already under way") {
		t.Errorf("second POST during a restart: got %d %q, want 409 saying one is under way", code, bad.Error)
	}
	close(cb.hold)
	wg.Wait()
	if firstCode != http.StatusOK {
		t.Errorf("first POST: got %d, want 200", firstCode)
	}
	if got := getStatus(t, base, nil); got.Restarting || got.Persistence != string(broker.PersistenceOn) {
		t.Errorf("GET after the restart: restarting %v, persistence %q; want false, on (the refused request changed nothing)", got.Restarting, got.Persistence)
	}
	if n := cb.restarts.Load(); n != 1 {
		t.Errorf("restarts that reached the broker: got %d, want 1", n)
	}
}

func TestBrokerAPIBrokerDidNotComeBack(t *testing.T) {
	b := startAPIBroker(t, "embedded")
	cb := &countingBroker{Broker: b, fail: errors.New("broker: restart mosquitto on 127.0.0.1:1: mosquitto exited during start-up")}
	code, _, bad := postRestart(t, serveAPI(t, cb, loopbackPolicy), `{}`, nil)
	if code != http.StatusServiceUnavailable || !strings.Contains(bad.Error, "did not come back") || !strings.Contains(bad.Error, "exited during start-up") {
		t.Errorf("POST with a failing restart: got %d %q, want 503 quoting the cause", code, bad.Error)
	}
	// A broker that was closed (the server is shutting down).
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	code, _, bad = postRestart(t, serveAPI(t, b, loopbackPolicy), `{}`, nil)
	if code != http.StatusServiceUnavailable || !strings.Contains(bad.Error, "shutting down") {
		t.Errorf("POST after Close: got %d %q, want 503 saying the server is shutting down", code, bad.Error)
	}
}

func TestLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost:8080": true, "LOCALHOST": true, "app.localhost:1": true, "127.0.0.1:8080": true,
		"127.8.9.10": true, "[::1]:8080": true, "localhost.": true,
		"example.org": false, "192.168.1.2:8080": false, "[::]:8080": false, "localhost.example.org": false, "": false,
	} {
		if got := loopbackHost(host); got != want {
			t.Errorf("loopbackHost(%q): got %v, want %v", host, got, want)
		}
	}
}

// TestRunServesBrokerAPI checks the wiring in run: the flag, the listener's
// address, and a restart of each broker through a running server.
func TestRunServesBrokerAPI(t *testing.T) {
	for _, mode := range []string{"mosquitto", "embedded"} {
		t.Run(mode, func(t *testing.T) {
			if mode == "mosquitto" {
				testenv.NeedMosquitto(t)
			}
			url, _, _ := runServer(t, "-broker", mode)
			if st := getStatus(t, url, nil); st.Mode != mode || !st.RestartAllowed {
				t.Errorf("GET /api/broker: got %+v, want mode %s with restart allowed (the server listens on 127.0.0.1)", st, mode)
			}
			code, res, bad := postRestart(t, url, `{"kill": true, "persistence": "on"}`, nil)
			if code != http.StatusOK || res.Persistence != string(broker.PersistenceOn) {
				t.Errorf("POST restart: got %d %+v %q, want 200 with persistence on", code, res, bad.Error)
			}
		})
	}
	t.Run("off", func(t *testing.T) {
		url, _, _ := runServer(t, "-broker", "embedded", "-broker-restart", "off")
		if code, _, bad := postRestart(t, url, `{}`, nil); code != http.StatusForbidden || !strings.Contains(bad.Error, "-broker-restart off") {
			t.Errorf("POST restart with -broker-restart off: got %d %q, want 403 naming the flag", code, bad.Error)
		}
	})
	t.Run("bad flag", func(t *testing.T) {
		var out syncBuffer
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-data", t.TempDir(), "-broker", "embedded", "-broker-restart", "sometimes"}, &out)
		if err == nil || !strings.Contains(err.Error(), "-broker-restart") {
			t.Errorf("run with -broker-restart sometimes: got %v, want an error naming the flag", err)
		}
	})
}
