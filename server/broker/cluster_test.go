package broker

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"qosplayground/internal/testenv"
	"qosplayground/server/natsnode"
)

// TestNATSClusterStartKillClose starts the managed cluster (three real
// processes), checks each node's monitoring and MQTT, kills one as a crash
// would, starts it again, and checks that Close leaves no process behind.
func TestNATSClusterStartKillClose(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	b, err := Start(ctx, Config{Spec: "nats-cluster", DataDir: dir, Logger: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	nc := b.(NATSCluster)
	if b.Mode() != ModeNATSCluster {
		t.Fatalf("mode %q", b.Mode())
	}
	nodes := nc.Nodes()
	if len(nodes) != 3 || len(Addrs(b)) != 3 {
		t.Fatalf("nodes %+v, addrs %v: want 3", nodes, Addrs(b))
	}
	seen := map[int]bool{}
	for _, n := range nodes {
		if n.PID == 0 || n.PID == os.Getpid() || seen[n.PID] {
			t.Fatalf("node %s: pid %d (this test is %d)", n.Name, n.PID, os.Getpid())
		}
		seen[n.PID] = true
		if !strings.HasPrefix(n.MQTT, "127.0.0.1:") || !strings.HasPrefix(n.Monitor, "127.0.0.1:") {
			t.Fatalf("node %s listens off loopback: %+v", n.Name, n)
		}
		if err := mqttProbe(ctx, n.MQTT); err != nil {
			t.Fatalf("node %s MQTT: %v", n.Name, err)
		}
		conf, err := os.ReadFile(dir + "/nats/" + n.Name + ".conf")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"stream_replicas: 3", `server_name: "` + n.Name + `"`, "jetstream", "routes"} {
			if !strings.Contains(string(conf), want) {
				t.Errorf("node %s configuration lacks %q", n.Name, want)
			}
		}
	}
	st := b.Status()
	if st.RestartSupported || st.Reason == "" || len(st.Caveats) == 0 {
		t.Errorf("status %+v: want no restart, a reason and caveats", st)
	}
	if err := b.Restart(ctx, RestartOptions{}); !errors.Is(err, ErrNotSupported) {
		t.Errorf("Restart: %v, want ErrNotSupported", err)
	}

	killed := nodes[1].PID
	if err := nc.KillNode(1); err != nil {
		t.Fatal(err)
	}
	if alive(killed) {
		t.Fatalf("node 2 (pid %d) still runs after KillNode", killed)
	}
	if err := mqttProbe(ctx, nodes[1].MQTT); err == nil {
		t.Fatal("the killed node still answers MQTT")
	}
	// The two others carry on: sessions need a majority of the three. A
	// CONNECT may wait while the streams led by the dead node elect new
	// leaders (seconds), as a reconnecting client would.
	for _, i := range []int{0, 2} {
		deadline := time.Now().Add(30 * time.Second)
		for {
			err := mqttProbe(ctx, nodes[i].MQTT)
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("node %s 30 s after node 2 died: %v", nodes[i].Name, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if err := nc.StartNode(ctx, 1); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + nodes[1].Monitor + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("node 2 back: /healthz %v %v", resp, err)
	}
	resp.Body.Close()

	pids := nc.Nodes()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for _, n := range pids {
		if n.PID != 0 && alive(n.PID) {
			t.Errorf("node %s (pid %d) still runs after Close", n.Name, n.PID)
		}
	}
}

// alive says whether a process runs (a zombie counts as gone: Close reaps).
func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

// TestNATSNodeEnv: the variable the cluster sets is the one natsnode reads
// (this package does not import natsnode, which brings NATS in).
func TestNATSNodeEnv(t *testing.T) {
	if natsnode.Env != NATSNodeEnv {
		t.Fatalf("natsnode.Env %q, broker.NATSNodeEnv %q", natsnode.Env, NATSNodeEnv)
	}
}

func TestParseSpecCluster(t *testing.T) {
	for _, tc := range []struct {
		spec, addr string
		mode       Mode
		bad        bool
	}{
		{spec: "nats-cluster", mode: ModeNATSCluster},
		{spec: " NATS-Cluster ", mode: ModeNATSCluster},
		{spec: "tcp://127.0.0.1:4001,tcp://127.0.0.1:4002, mqtt://h:4003", mode: ModeCluster, addr: "127.0.0.1:4001,127.0.0.1:4002,h:4003"},
		{spec: "tcp://127.0.0.1:4001,", bad: true},
		{spec: "tcp://127.0.0.1:4001,embedded", bad: true},
		{spec: "tcp://127.0.0.1:4001,tcp://127.0.0.1:4001", bad: true},
		{spec: "tcp://127.0.0.1:4001,http://x:1", bad: true},
	} {
		m, a, err := ParseSpec(tc.spec)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseSpec(%q) = %q %q, want an error", tc.spec, m, a)
			}
			continue
		}
		if err != nil || m != tc.mode || a != tc.addr {
			t.Errorf("ParseSpec(%q) = %q %q %v, want %q %q", tc.spec, m, a, err, tc.mode, tc.addr)
		}
	}
}

// TestNATSClusterRestartsDeadNode: a node killed from outside (a crash, an
// operator's kill -9) is started again by the cluster, with its data, and
// answers MQTT again.
func TestNATSClusterRestartsDeadNode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b, err := Start(ctx, Config{Spec: "nats-cluster", DataDir: t.TempDir(), Logger: testenv.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	nc := b.(NATSCluster)
	old := nc.Nodes()[2]
	if err := syscall.Kill(old.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(45 * time.Second)
	for {
		n := nc.Nodes()[2]
		if n.PID != 0 && n.PID != old.PID {
			if resp, err := http.Get("http://" + n.Monitor + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 && mqttProbe(ctx, n.MQTT) == nil {
					break
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s not back 45 s after it was killed: %+v", old.Name, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	pids := nc.Nodes()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for _, n := range pids {
		if n.PID != 0 && alive(n.PID) {
			t.Errorf("node %s (pid %d) still runs after Close", n.Name, n.PID)
		}
	}
}
