package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"qosplayground/app/brokerapi"
)

// TestClusterServerProcess runs the server binary with -broker
// nats-cluster: it starts three NATS nodes from its own executable, serves
// with all three up, and leaves none running after SIGTERM. (Only the
// server is built: the pages are not needed here.)
func TestClusterServerProcess(t *testing.T) {
	cmd := exec.Command(buildServerBin(t), "-addr", "127.0.0.1:0", "-data", t.TempDir(), "-web", t.TempDir(), "-broker", "nats-cluster")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	urlRe := regexp.MustCompile(`msg="QoS Playground is serving" url=(\S+)`)
	pidRe := regexp.MustCompile(`n\d mqtt=\S+ monitor=\S+ pid=(\d+)`)
	var url string
	var pids []int
	var log []string
	deadline := time.After(60 * time.Second)
	for url == "" {
		select {
		case l := <-lines:
			log = append(log, l)
			if strings.Contains(l, "NATS cluster running") {
				for _, m := range pidRe.FindAllStringSubmatch(l, -1) {
					pid, _ := strconv.Atoi(m[1])
					pids = append(pids, pid)
				}
			}
			if m := urlRe.FindStringSubmatch(l); m != nil {
				url = m[1]
			}
		case err := <-exited:
			t.Fatalf("server exited: %v\n%s", err, strings.Join(log, "\n"))
		case <-deadline:
			t.Fatalf("server not serving after 60 s\n%s", strings.Join(log, "\n"))
		}
	}
	if len(pids) != 3 {
		t.Fatalf("node pids %v from the log, want 3\n%s", pids, strings.Join(log, "\n"))
	}
	var health map[string]any
	getJSON(t, url+"/healthz", &health)
	if health["broker_mode"] != "nats-cluster" || health["broker_nodes_up"] != 3.0 {
		t.Errorf("/healthz %v: want mode nats-cluster with 3 nodes up", health)
	}
	var st brokerapi.Status
	getJSON(t, url+brokerapi.StatusPath, &st)
	if st.Mode != brokerapi.ModeNATSCluster || st.RestartAllowed || st.WhyNot != brokerapi.WhyCluster {
		t.Errorf("%s %+v: want nats-cluster, restart refused because of the cluster", brokerapi.StatusPath, st)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("server exit: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server still running 30 s after SIGTERM")
	}
	for _, pid := range pids {
		if processAlive(pid) {
			t.Errorf("NATS node pid %d still runs after the server exited", pid)
		}
	}
}

func getJSON(t *testing.T, url string, out any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}
