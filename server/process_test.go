package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"qosplayground/server/internal/wasmbuild"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// builtServer is the server binary and a web directory with a fresh
// app.wasm, built once per test run: exactly what `make build` produces.
var builtServer struct {
	once   sync.Once
	bin    string
	webDir string
	err    error
	dir    string
}

func buildOnce(t *testing.T) (bin, webDir string) {
	t.Helper()
	b := &builtServer
	b.once.Do(func() {
		b.dir, b.err = os.MkdirTemp("", "qos-playground-build-")
		if b.err != nil {
			return
		}
		b.bin = filepath.Join(b.dir, "server")
		b.webDir = filepath.Join(b.dir, "web")
		if b.err = os.Mkdir(b.webDir, 0o755); b.err != nil {
			return
		}
		// The static assets as committed, and a wasm built from this tree.
		entries, err := os.ReadDir("../web")
		if err != nil {
			b.err = err
			return
		}
		for _, e := range entries {
			if e.IsDir() || e.Name() == "app.wasm" || e.Name() == brokerWASM || e.Name() == teacherWASM || e.Name() == captureWASM || filepath.Ext(e.Name()) == ".gz" || filepath.Ext(e.Name()) == ".br" {
				continue
			}
			abs, _ := filepath.Abs(filepath.Join("../web", e.Name()))
			if b.err = os.Symlink(abs, filepath.Join(b.webDir, e.Name())); b.err != nil {
				return
			}
		}
		// The wasm files as `make build` builds them (wasmbuild).
		for pkg, name := range map[string]string{"../wasm": "app.wasm", "../wasm/broker": brokerWASM, "../wasm/teacher": teacherWASM, "../wasm/capture": captureWASM} {
			err := wasmbuild.Build(context.Background(), wasmbuild.Options{Package: pkg, Out: filepath.Join(b.webDir, name)})
			if err != nil {
				b.err = err
				return
			}
		}
		srv := exec.Command("go", "build", "-o", b.bin, ".")
		if out, err := srv.CombinedOutput(); err != nil {
			b.err = &buildError{"server", err, out}
		}
	})
	if b.err != nil {
		t.Fatalf("build: %v", b.err)
	}
	return b.bin, b.webDir
}

type buildError struct {
	what string
	err  error
	out  []byte
}

func (e *buildError) Error() string { return e.what + ": " + e.err.Error() + "\n" + string(e.out) }

// serverProcess is a running server binary.
type serverProcess struct {
	cmd        *exec.Cmd
	URL        string // http://127.0.0.1:port
	BrokerAddr string // host:port of the broker's TCP listener
	BrokerPID  int    // managed Mosquitto's pid, 0 for other modes
	logMu      sync.Mutex
	log        []string
	exited     chan struct{}
	exitErr    error
}

var (
	urlRe    = regexp.MustCompile(`msg="QoS Playground is serving" url=(\S+)`)
	brokerRe = regexp.MustCompile(`msg="broker ready" mode=(\S+) addr=(\S+)`)
	pidRe    = regexp.MustCompile(`broker=mosquitto .*pid=(\d+)`)
)

// startServer runs the built server on a free loopback port, as `make run`
// does, and waits until it prints its URL.
func startServer(t *testing.T, args ...string) *serverProcess {
	t.Helper()
	bin, webDir := buildOnce(t)
	args = append([]string{"-addr", "127.0.0.1:0", "-data", t.TempDir(), "-web", webDir}, args...)
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sp := &serverProcess{cmd: cmd, exited: make(chan struct{})}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		var once sync.Once
		for sc.Scan() {
			line := sc.Text()
			sp.logMu.Lock()
			sp.log = append(sp.log, line)
			if m := brokerRe.FindStringSubmatch(line); m != nil {
				sp.BrokerAddr = m[2]
			}
			if m := pidRe.FindStringSubmatch(line); m != nil && sp.BrokerPID == 0 {
				sp.BrokerPID, _ = strconv.Atoi(m[1])
			}
			if m := urlRe.FindStringSubmatch(line); m != nil {
				sp.URL = m[1]
				once.Do(func() { close(ready) })
			}
			sp.logMu.Unlock()
		}
		io.Copy(io.Discard, stderr)
		sp.exitErr = cmd.Wait()
		close(sp.exited)
	}()
	t.Cleanup(func() {
		if sp.cmd.ProcessState == nil {
			sp.cmd.Process.Kill()
			<-sp.exited
		}
		if t.Failed() {
			t.Logf("server log:\n%s", sp.Log())
		}
	})
	select {
	case <-ready:
	case <-sp.exited:
		t.Fatalf("server exited before serving: %v\n%s", sp.exitErr, sp.Log())
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not start in 30 s\n%s", sp.Log())
	}
	return sp
}

// Log returns everything the server has logged so far.
func (sp *serverProcess) Log() string {
	sp.logMu.Lock()
	defer sp.logMu.Unlock()
	out := ""
	for _, l := range sp.log {
		out += l + "\n"
	}
	return out
}

// Stop sends SIGTERM and checks that the server exits cleanly, in time,
// and leaves no broker process behind.
func (sp *serverProcess) Stop(t *testing.T) {
	t.Helper()
	if err := sp.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-sp.exited:
	case <-time.After(20 * time.Second):
		t.Fatalf("server still running 20 s after SIGTERM\n%s", sp.Log())
	}
	if sp.exitErr != nil {
		t.Errorf("server exit: %v, want a clean exit\n%s", sp.exitErr, sp.Log())
	}
	if sp.BrokerPID != 0 && processAlive(sp.BrokerPID) {
		t.Errorf("mosquitto (pid %d) still running after the server exited", sp.BrokerPID)
	}
}

// processAlive reports whether pid is a live process (a zombie counts as
// gone: it has exited and only waits to be reaped by its parent).
func processAlive(pid int) bool {
	if runtime.GOOS != "linux" {
		return syscall.Kill(pid, 0) == nil
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	m := regexp.MustCompile(`\) (\S)`).FindSubmatch(b)
	return m != nil && string(m[1]) != "Z"
}

// withTimeout is a context for one step of a test.
func withTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
