// Package testenv holds what the project's tests need from their
// surroundings: external programs (Mosquitto, Chromium), found or skipped
// loudly, and a logger that writes to the test's log.
//
// It imports nothing of the project, so any test package may use it.
package testenv

import (
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// Need returns the path of an external program a test depends on: name on
// PATH, or the first of fallbacks that exists (Debian puts daemons in
// /usr/sbin, which is not always on PATH). Where it is missing the test is
// skipped with a line starting "SKIP:", and fails instead when the CI
// environment variable is set: CI installs everything, so a missing program
// there is a broken set-up, never a reason to pass.
func Need(t testing.TB, name string, fallbacks ...string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range fallbacks {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed, and CI is set: CI must install it (see .ci/run)", name)
	}
	t.Skipf("SKIP: %s is not installed; install it to run this test (see README)", name)
	return ""
}

// NeedMosquitto returns the path of mosquitto, as Need does.
func NeedMosquitto(t testing.TB) string {
	t.Helper()
	return Need(t, "mosquitto", "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
}

// NeedChromium returns the path of Debian's Chromium, as Need does.
func NeedChromium(t testing.TB) string {
	t.Helper()
	return Need(t, "chromium", "/usr/bin/chromium")
}

// Logger returns a logger that writes to t.Log while the test runs and
// drops lines logged after it ended (brokers and relays may log late).
func Logger(t testing.TB) *slog.Logger {
	w := &logWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type logWriter struct {
	t testing.TB

	mu   sync.Mutex // guards done
	done bool
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}
