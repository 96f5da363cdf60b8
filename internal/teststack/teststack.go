// Package teststack gives the tests of app/ a real broker with the
// server's /mqtt gateway in front of it, the path a browser tab takes
// (paho, WebSocket, gateway, TCP, broker), without importing server/
// (internal/importrules): it runs server/internal/cmd/teststack as a
// process of its own, with `go run` (the go command caches the
// executable), and talks to it over its standard input and output.
//
// Tests on Mosquitto say SKIP where it is not installed, and fail instead
// when CI is set (internal/testenv).
package teststack

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"qosplayground/internal/testenv"
)

// Mode is a kind of broker, as the server's -broker flag names it.
type Mode string

// The modes a stack can run.
const (
	Mosquitto   Mode = "mosquitto"    // managed Mosquitto
	Embedded    Mode = "embedded"     // mochi-mqtt in the stack's process
	NATSCluster Mode = "nats-cluster" // three NATS Server nodes
)

// Modes are the broker modes every broker test runs against.
var Modes = []Mode{Mosquitto, Embedded}

// command is the stack's main package.
const command = "qosplayground/server/internal/cmd/teststack"

// startTimeout bounds the start of a stack, the first `go run` (which
// builds the command) included.
const startTimeout = 5 * time.Minute

// Env is a running broker and gateway.
type Env struct {
	Mode       Mode
	URL        string // ws://127.0.0.1:port/mqtt, the gateway's
	BrokerAddr string // host:port of the broker's own TCP listener (a cluster's first node)

	mu  sync.Mutex // one command at a time
	in  io.WriteCloser
	out *bufio.Scanner
}

// Start starts a broker of the given mode (persistence off, as for every
// test of the lab) and a gateway in front of it with faults on, and stops
// both when the test ends.
func Start(t testing.TB, mode Mode) *Env {
	t.Helper()
	if mode == Mosquitto {
		testenv.NeedMosquitto(t)
	}
	cmd := exec.Command("go", "run", command, "-broker", string(mode), "-data", t.TempDir())
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", command, err)
	}
	logged := logLines(t, stderr)
	exited := make(chan error, 1)
	t.Cleanup(func() {
		in.Close() // the stack stops at the end of its input
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("%s stack: %v", mode, err)
			}
		case <-time.After(time.Minute):
			cmd.Process.Kill()
			t.Errorf("%s stack: still running a minute after its input ended", mode)
		}
	})
	env := &Env{Mode: mode, in: in, out: bufio.NewScanner(stdout)}
	hello := make(chan error, 1)
	go func() {
		if !env.out.Scan() {
			hello <- fmt.Errorf("the stack ended before it ran: %v", env.out.Err())
			return
		}
		var h struct{ URL, Broker string }
		if err := json.Unmarshal(env.out.Bytes(), &h); err != nil {
			hello <- fmt.Errorf("the stack's first line %q: %v", env.out.Bytes(), err)
			return
		}
		env.URL, env.BrokerAddr = h.URL, h.Broker
		hello <- nil
	}()
	go func() {
		<-logged // every line read: the process has closed its output
		exited <- cmd.Wait()
	}()
	select {
	case err := <-hello:
		if err != nil {
			t.Fatalf("%s stack: %v", mode, err)
		}
	case <-time.After(startTimeout):
		t.Fatalf("%s stack: not running after %v", mode, startTimeout)
	}
	return env
}

// EachBroker runs f against each of Modes, in a subtest named after the
// mode with a stack of its own.
func EachBroker(t *testing.T, f func(t *testing.T, env *Env)) {
	for _, mode := range Modes {
		t.Run(string(mode), func(t *testing.T) {
			f(t, Start(t, mode))
		})
	}
}

// RestartBroker restarts the broker on the same address: cleanly, or
// killed as by a crash.
func (e *Env) RestartBroker(kill bool) error {
	if kill {
		return e.do("restart-kill")
	}
	return e.do("restart")
}

// CloseGateway closes the gateway and every connection through it; the
// broker keeps running.
func (e *Env) CloseGateway() error { return e.do("close-gateway") }

func (e *Env) do(cmd string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := fmt.Fprintln(e.in, cmd); err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	if !e.out.Scan() {
		return fmt.Errorf("%s: the stack ended: %v", cmd, e.out.Err())
	}
	if reply := e.out.Text(); reply != "ok" {
		return fmt.Errorf("%s: %s", cmd, strings.TrimPrefix(reply, "error: "))
	}
	return nil
}

// logLines writes each line of r to the test's log while the test runs,
// and closes the returned channel when r ends.
func logLines(t testing.TB, r io.Reader) <-chan struct{} {
	var mu sync.Mutex
	done := false
	t.Cleanup(func() {
		mu.Lock()
		done = true
		mu.Unlock()
	})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		s := bufio.NewScanner(r)
		s.Buffer(make([]byte, 64*1024), 1024*1024)
		for s.Scan() {
			mu.Lock()
			if !done {
				t.Log(s.Text())
			}
			mu.Unlock()
		}
		if err := s.Err(); err != nil && !errors.Is(err, io.EOF) {
			mu.Lock()
			if !done {
				t.Log("stack log:", err)
			}
			mu.Unlock()
		}
	}()
	return ended
}
