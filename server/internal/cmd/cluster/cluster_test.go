package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"qosplayground/internal/testenv"
)

// TestClusterCommand runs `make cluster`'s command: three NATS nodes, two
// replicas and HAProxy come up, the playground answers through HAProxy,
// and after SIGTERM (`make cluster-stop`) none of them is left running.
func TestClusterCommand(t *testing.T) {
	testenv.Need(t, "haproxy", "/usr/sbin/haproxy")
	tmp := t.TempDir()
	server, cmdBin := filepath.Join(tmp, "server"), filepath.Join(tmp, "cluster")
	for out, pkg := range map[string]string{server: "../../..", cmdBin: "."} {
		if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, b)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := filepath.Join(tmp, "run")
	cmd := exec.Command(cmdBin, "-dir", dir, "-addr", addr, "-server", server, "-web", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	var pids []int
	deadline := time.Now().Add(90 * time.Second)
	for len(pids) == 0 {
		if b, err := os.ReadFile(filepath.Join(dir, "pids")); err == nil {
			for _, f := range strings.Fields(string(b)) {
				n, _ := strconv.Atoi(f)
				pids = append(pids, n)
			}
		}
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "cluster.log"))
			t.Fatalf("cluster exited: %v\n%s", err, log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the cluster did not come up in 90 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(pids) != 3+2+1 {
		t.Fatalf("pids %v: want three NATS nodes, two replicas and HAProxy", pids)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/healthz through HAProxy: %v %v", resp, err)
	}
	resp.Body.Close()
	for _, name := range []string{"cluster.log", "nats.log", "replica-1.log", "replica-2.log", "haproxy.log", "haproxy.cfg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit: %v", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("still running 40 s after SIGTERM")
	}
	for _, pid := range pids {
		if syscall.Kill(pid, 0) == nil {
			t.Errorf("pid %d still runs after the cluster stopped", pid)
		}
	}
}
