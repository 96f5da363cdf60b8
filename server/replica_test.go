package main

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"qosplayground/internal/testenv"
	"qosplayground/server/broker"
	"qosplayground/server/gateway/failovertest"
	haproxycfg "qosplayground/server/internal/haproxy"
	"qosplayground/server/natsnode"
)

func TestMain(m *testing.M) {
	natsnode.MaybeRun() // a node of TestReplicaFailover's cluster
	os.Exit(m.Run())
}

var serverBin struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// buildServerBin builds the server alone (no wasm), once per test binary.
func buildServerBin(t *testing.T) string {
	t.Helper()
	serverBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "qos-playground-server-")
		if err != nil {
			serverBin.err = err
			return
		}
		serverBin.path = filepath.Join(dir, "server")
		serverBin.out, serverBin.err = exec.Command("go", "build", "-o", serverBin.path, ".").CombinedOutput()
	})
	if serverBin.err != nil {
		t.Fatalf("build: %v\n%s", serverBin.err, serverBin.out)
	}
	return serverBin.path
}

// replica is a server process started by startReplica.
type replica struct {
	cmd  *exec.Cmd
	addr string // host:port
}

// startReplica runs the server binary with args on a free loopback port
// and waits until it serves; t.Cleanup kills it.
func startReplica(t *testing.T, args ...string) *replica {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(buildServerBin(t), append([]string{"-addr", addr, "-data", t.TempDir(), "-web", t.TempDir()}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		var once sync.Once
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "QoS Playground is serving") {
				once.Do(func() { close(ready) })
			}
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatalf("replica on %s did not start", addr)
	}
	return &replica{cmd: cmd, addr: addr}
}

// TestReplicaFailover: two server replicas behind HAProxy, both on a
// three-node NATS cluster. Learners with persistent sessions publish and
// receive QoS 1 and 2 through HAProxy; one NATS node is killed, then one
// replica (SIGKILL). Every tab that lost its connection reconnects,
// through HAProxy, to the live replica and a live node, with its session
// present, and no QoS 1 message is lost (failovertest.Run).
func TestReplicaFailover(t *testing.T) {
	haproxy := testenv.Need(t, "haproxy", "/usr/sbin/haproxy")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.Config{Spec: "nats-cluster", DataDir: t.TempDir(), Logger: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	nc := b.(broker.NATSCluster)
	var spec []string
	for _, a := range broker.Addrs(b) {
		spec = append(spec, "tcp://"+a)
	}
	r1 := startReplica(t, "-broker", strings.Join(spec, ","))
	r2 := startReplica(t, "-broker", strings.Join(spec, ","))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	front := ln.Addr().String()
	ln.Close()
	cfg := haproxycfg.Config(front, []string{r1.addr, r2.addr}, 300*time.Millisecond)
	cfgPath := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	hp := exec.Command(haproxy, "-f", cfgPath, "-db")
	hpOut := new(lockedBuffer)
	hp.Stdout, hp.Stderr = hpOut, hpOut
	if err := hp.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		hp.Process.Kill()
		hp.Wait()
		if t.Failed() {
			t.Logf("haproxy:\n%s", hpOut.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + front + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("HAProxy on %s does not answer /healthz: %v", front, err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	failovertest.Run{
		URL: "ws://" + front + "/mqtt", Pairs: 10, Messages: 60, Every: 40 * time.Millisecond,
		Kills: []func(){
			func() {
				t.Logf("killing NATS node %s", nc.Nodes()[0].Name)
				if err := nc.KillNode(0); err != nil {
					t.Fatal(err)
				}
			},
			func() {
				t.Logf("killing replica %s (pid %d)", r1.addr, r1.cmd.Process.Pid)
				if err := r1.cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			},
		},
	}.Do(t)
}

// lockedBuffer is HAProxy's output, written by exec's copying goroutine
// and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
