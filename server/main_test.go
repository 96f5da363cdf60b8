package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"qosplayground/app/client"
	"qosplayground/internal/testenv"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runServer calls run in process and returns the URL it serves, the log,
// and a stop function that cancels it and returns run's error.
func runServer(t *testing.T, args ...string) (url string, log *syncBuffer, stop func() error) {
	t.Helper()
	log = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args = append([]string{"-addr", "127.0.0.1:0", "-data", t.TempDir(), "-web", "../web"}, args...)
	go func() { done <- run(ctx, args, log) }()
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("run did not return 20 s after cancel\n%s", log)
			}
		})
		return runErr
	}
	t.Cleanup(func() { stop() })
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlRe.FindStringSubmatch(log.String()); m != nil {
			return m[1], log, stop
		}
		select {
		case err := <-done:
			t.Fatalf("run returned before serving: %v\n%s", err, log)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("no URL logged in 20 s\n%s", log)
	return
}

func TestRunServesAndStopsCleanly(t *testing.T) {
	for _, mode := range []string{"mosquitto", "embedded"} {
		t.Run(mode, func(t *testing.T) {
			if mode == "mosquitto" {
				testenv.NeedMosquitto(t)
			}
			url, log, stop := runServer(t, "-broker", mode)
			if !strings.Contains(log.String(), "mode="+mode) {
				t.Errorf("the log does not name the broker mode %q:\n%s", mode, log)
			}

			res, err := http.Get(url + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			var health map[string]any
			json.NewDecoder(res.Body).Decode(&health)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || health["status"] != "ok" || health["broker_mode"] != mode {
				t.Errorf("healthz = %d %v, want 200 ok on %s", res.StatusCode, health, mode)
			}

			// The pre-rendered page carries the app's markup, not an empty shell.
			// (identity: Go's client would otherwise ask for gzip and
			// drop Content-Length; TestAppFilter checks the codings.)
			req, _ := http.NewRequest(http.MethodGet, url+"/", nil)
			req.Header.Set("Accept-Encoding", "identity")
			res, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if bytes.Contains(body, []byte("user-scalable=0")) {
				t.Error("the page forbids zooming")
			}
			if got := res.Header.Get("Content-Length"); got != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length %s for a page of %d bytes", got, len(body))
			}
			for _, want := range []string{`id="connect"`, `id="pub-topic"`, `/web/app.css`, `manifest.webmanifest`, `initial-scale=1, viewport-fit=cover`} {
				if !bytes.Contains(body, []byte(want)) {
					t.Errorf("page lacks %s", want)
				}
			}

			// A client stays connected until the server stops, and is told.
			events := make(chan client.Event, 16)
			cl, err := client.New(client.Options{
				URL:      strings.Replace(url, "http://", "ws://", 1) + "/mqtt",
				ClientID: "run-test", CleanSession: true,
			}, func(ev client.Event) { events <- ev })
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cl.Connect(); err != nil {
				t.Fatalf("connect: %v", err)
			}
			pid := 0
			if m := regexp.MustCompile(`broker=mosquitto .*pid=(\d+)`).FindStringSubmatch(log.String()); m != nil {
				pid = atoi(m[1])
			}
			if mode == "mosquitto" && pid == 0 {
				t.Fatalf("no mosquitto pid in the log:\n%s", log)
			}

			if err := stop(); err != nil {
				t.Fatalf("run returned %v after cancel, want nil", err)
			}
			if pid != 0 && processAlive(pid) {
				t.Errorf("mosquitto pid %d still alive after run returned", pid)
			}
			if !strings.Contains(log.String(), `reason="server shutting down"`) {
				t.Errorf("the open WebSocket was not closed with a reason:\n%s", log)
			}
			for {
				select {
				case ev := <-events:
					if ev.Kind == client.EventState && ev.State == client.Disconnected {
						return
					}
				case <-time.After(10 * time.Second):
					t.Fatal("the client was not told the server went away")
				}
			}
		})
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestRunRefusesBadFlags(t *testing.T) {
	tests := []struct {
		scenario string
		args     []string
		want     string
	}{
		{"unknown broker", []string{"-broker", "nats://x"}, "broker"},
		{"tiny packet limit", []string{"-max-packet", "10"}, "-max-packet"},
		{"bad log level", []string{"-log-level", "loud"}, "-log-level"},
		{"stray argument", []string{"extra"}, "unexpected argument"},
		{"unknown flag", []string{"-nope"}, "nope"},
		{"empty frame-ancestors", []string{"-frame-ancestors", " "}, "-frame-ancestors"},
		{"frame-ancestors with commas", []string{"-frame-ancestors", "https://a.example,https://b.example"}, "separate origins with spaces"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			out, err := runRefused(t, tt.args...)
			if !strings.Contains(err.Error()+out, tt.want) {
				t.Errorf("run(%q) = %v (output %q), want it to mention %q", tt.args, err, out, tt.want)
			}
		})
	}
}

// runRefused runs the server with args on a free loopback port and the
// embedded broker, and returns its output and the error it must give.
func runRefused(t *testing.T, args ...string) (out string, err error) {
	t.Helper()
	var log syncBuffer
	args = append([]string{"-addr", "127.0.0.1:0", "-data", t.TempDir(), "-broker", "embedded"}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err = run(ctx, args, &log); err == nil {
		t.Fatalf("run(%q) = nil, want an error", args)
	}
	return log.String(), err
}

func TestRunFailsWhenAddressTaken(t *testing.T) {
	url, _, _ := runServer(t, "-broker", "embedded")
	addr := strings.TrimPrefix(url, "http://")
	var out syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := run(ctx, []string{"-addr", addr, "-data", t.TempDir(), "-broker", "embedded"}, &out)
	if err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("run on a taken address = %v, want a listen error", err)
	}
}
