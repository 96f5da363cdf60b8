package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"qosplayground/app/transport"
)

// Measurement 5 (issue 18): the learners of measurement 4 through the
// cluster `make cluster` runs on this machine — HAProxy, two server
// replicas, three NATS Server nodes — side by side with the same learners
// through one server in front of Mosquitto, in the same run. The cluster
// is started by the same command as make cluster (server/internal/cmd/
// cluster), so the benchmark measures what an operator tries.

// clusterProcs is a running cluster: the command, and its processes by
// role, read from the pids file it writes once everything is serving.
type clusterProcs struct {
	cmd    *proc
	addr   string // HAProxy's host:port
	relays []int  // the server replicas and HAProxy
	nodes  []int  // the NATS nodes
}

// buildClusterCmd builds the make cluster command into the benchmark's
// temporary folder.
func (e *benchEnv) buildClusterCmd(ctx context.Context) (string, error) {
	bin := filepath.Join(e.tmp, "cluster")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./server/internal/cmd/cluster").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("building the cluster command: %v\n%s", err, out)
	}
	return bin, nil
}

// startCluster runs the cluster and waits until HAProxy answers /healthz.
func (e *benchEnv) startCluster(ctx context.Context) (*clusterProcs, error) {
	if _, err := lookPath("haproxy", "/usr/sbin/haproxy"); err != nil {
		return nil, errors.New("haproxy is not installed: sudo apt-get install haproxy")
	}
	bin, err := e.buildClusterCmd(ctx)
	if err != nil {
		return nil, err
	}
	serverBin, err := filepath.Abs(e.cfg.serverBin)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(serverBin); err != nil {
		return nil, fmt.Errorf("the server binary %s is missing: run make build (or give -server)", serverBin)
	}
	dir, err := os.MkdirTemp(e.tmp, "cluster-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	p, err := startProc("cluster", bin, "-dir", dir, "-addr", addr, "-replicas", "2", "-server", serverBin, "-web", e.cfg.webDir)
	if err != nil {
		return nil, err
	}
	c := &clusterProcs{cmd: p, addr: addr}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		// The pids file is written once HAProxy serves.
		if data, err := os.ReadFile(filepath.Join(dir, "pids")); err == nil {
			if err := c.classify(data, serverBin); err != nil {
				c.stop()
				return nil, err
			}
			break
		}
		select {
		case <-p.done:
			return nil, fmt.Errorf("the cluster command exited: %s", p.output())
		case <-ctx.Done():
			c.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.stop()
			return nil, fmt.Errorf("the cluster is not serving after 2 minutes: %s", p.output())
		}
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		c.stop()
		return nil, err
	}
	resp.Body.Close()
	return c, nil
}

// classify sorts the pids file's processes into relays (the server
// replicas, HAProxy) and NATS nodes (the cluster command run again).
func (c *clusterProcs) classify(pidsFile []byte, serverBin string) error {
	for f := range strings.FieldsSeq(string(pidsFile)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			return fmt.Errorf("pids file: %q", f)
		}
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		switch {
		case exe == serverBin || filepath.Base(exe) == "haproxy":
			c.relays = append(c.relays, pid)
		default:
			c.nodes = append(c.nodes, pid)
		}
	}
	if len(c.relays) != 3 || len(c.nodes) != 3 {
		return fmt.Errorf("the cluster runs %d relays and %d nodes, want 3 (two replicas and HAProxy) and 3", len(c.relays), len(c.nodes))
	}
	return nil
}

// stop ends the cluster as make cluster-stop does (SIGTERM), waiting up to
// 30 s before killing the command.
func (c *clusterProcs) stop() {
	c.cmd.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.cmd.done:
	case <-time.After(30 * time.Second):
		c.cmd.cmd.Process.Kill()
		<-c.cmd.done
	}
}

// clusterOnce runs n learners through a fresh cluster.
func (e *benchEnv) clusterOnce(ctx context.Context, n int, d time.Duration) (learnersRun, error) {
	c, err := e.startCluster(ctx)
	if err != nil {
		return learnersRun{}, err
	}
	defer c.stop()
	time.Sleep(500 * time.Millisecond) // let the nodes settle before their memory is read
	u := "ws://" + c.addr + "/mqtt"
	path := learnerPath{name: "cluster", pids: c.relays, dial: func(ctx context.Context) (net.Conn, error) {
		return transport.Dial(ctx, u)
	}}
	r := runLearners(ctx, n, path, c.nodes, d, e.vlogf)
	if r.Connected == 0 && r.Err != "" {
		return r, errors.New(r.Err)
	}
	return r, nil
}

// pastOneMachine is measurement 5.
func (e *benchEnv) pastOneMachine(ctx context.Context, s Section) Section {
	runs := e.cfg.runsOr(2, 1)
	levels := e.cfg.clusterLearners
	type pair struct{ cluster, single []learnersRun }
	results := make([]pair, len(levels))
	for li, n := range levels {
		for run := range runs {
			for _, cluster := range []bool{true, false} {
				if ctx.Err() != nil {
					s.Err = "interrupted"
					return s
				}
				var r learnersRun
				var err error
				if cluster {
					r, err = e.clusterOnce(ctx, n, e.cfg.duration)
				} else {
					r, err = e.learnersOnce(ctx, n, true, e.cfg.duration)
				}
				if err != nil {
					s.Err = err.Error()
					return s
				}
				e.vlogf("cluster run %d N=%d cluster=%v: p50 %.2f ms p99 %.2f ms, %d/%d delivered, relays %.1f KB/learner %.0f%% CPU, broker %.1f KB/learner %.0f%% CPU, load average %.1f %s",
					run+1, n, cluster, r.P50, r.P99, r.Got, r.Sent, r.ServerKBPerLearner, r.ServerCPU, r.BrokerKBPerLearner, r.BrokerCPU, loadAverage(), r.Err)
				if cluster {
					results[li].cluster = append(results[li].cluster, r)
				} else {
					results[li].single = append(results[li].single, r)
				}
			}
		}
	}
	const peer = "one server + Mosquitto, same N"
	for li, n := range levels {
		cl, one := results[li].cluster, results[li].single
		p50 := compare(fmt.Sprintf("N=%d delivery p50", n), "ms", pickRuns(cl, func(r learnersRun) float64 { return r.P50 }), pickRuns(one, func(r learnersRun) float64 { return r.P50 }), peer, false, 0)
		p99 := compare(fmt.Sprintf("N=%d delivery p99", n), "ms", pickRuns(cl, func(r learnersRun) float64 { return r.P99 }), pickRuns(one, func(r learnersRun) float64 { return r.P99 }), peer, false, 0)
		absoluteTarget(&p99, "p99 < 50 ms", p99.Ours.Median < 50)
		total := func(r learnersRun) float64 { return r.ServerKBPerLearner + r.BrokerKBPerLearner }
		mem := compare(fmt.Sprintf("N=%d memory per learner, every process", n), "KB", pickRuns(cl, total), pickRuns(one, total), peer, false, 0)
		relayMem := compare(fmt.Sprintf("N=%d memory per learner, replicas + HAProxy", n), "KB", pickRuns(cl, func(r learnersRun) float64 { return r.ServerKBPerLearner }), pickRuns(one, func(r learnersRun) float64 { return r.ServerKBPerLearner }), "the one server", false, 0)
		nodeMem := compare(fmt.Sprintf("N=%d memory per learner, 3 NATS nodes", n), "KB", pickRuns(cl, func(r learnersRun) float64 { return r.BrokerKBPerLearner }), pickRuns(one, func(r learnersRun) float64 { return r.BrokerKBPerLearner }), "Mosquitto", false, 0)
		cpu := func(r learnersRun) float64 { return r.ServerCPU + r.BrokerCPU }
		cpuRow := compare(fmt.Sprintf("N=%d CPU, every process", n), "% of a core", pickRuns(cl, cpu), pickRuns(one, cpu), peer, false, 0)
		s.Rows = append(s.Rows, p50, p99, mem, relayMem, nodeMem, cpuRow)
		var errs []string
		for _, r := range cl {
			if r.Err != "" {
				errs = append(errs, "cluster: "+r.Err)
			}
		}
		for _, r := range one {
			if r.Err != "" {
				errs = append(errs, "one server: "+r.Err)
			}
		}
		if len(errs) > 0 {
			s.Notes = append(s.Notes, fmt.Sprintf("N=%d: %s", n, strings.Join(errs, "; ")))
		}
	}
	s.Notes = append(s.Notes,
		"Ours: the learners of measurement 4 (a QoS 1 subscription to its own topic, a QoS 1 PUBLISH once a second each) through HAProxy, two server replicas and a three-node NATS Server cluster (stream_replicas 3), all on this machine, started by the command make cluster runs (server/internal/cmd/cluster). The peer: the same learners through one server in front of Mosquitto (measurement 4's set-up), in the same run.",
		fmt.Sprintf("Every process of each set-up shares this machine's %d cores with the learners: the cluster's figures are those of six processes on two cores, a floor for what it costs, not what it does spread over machines.", runtime.NumCPU()),
		fmt.Sprintf("%d runs per N, each on a fresh cluster; memory: VmRSS after the window less before the learners connected, summed over the processes, over N; CPU: utime+stime over the window, summed.", runs),
	)
	return s
}
