package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"qosplayground/app/transport"
)

// procStat is what /proc says about one process.
type procStat struct {
	rssKB    int64 // VmRSS
	cpuTicks int64 // utime + stime, in clock ticks
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux this runs on (the kernel's ABI fixes it for x86 and arm64).
const clockTicks = 100

func readProcStat(pid int) (procStat, error) {
	var ps procStat
	p := "self"
	if pid > 0 {
		p = strconv.Itoa(pid)
	}
	status, err := os.ReadFile(filepath.Join("/proc", p, "status"))
	if err != nil {
		return ps, err
	}
	for line := range strings.Lines(string(status)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			ps.rssKB = atoi(f[1])
		}
	}
	stat, err := os.ReadFile(filepath.Join("/proc", p, "stat"))
	if err != nil {
		return ps, err
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// count fields after its closing one.
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return ps, fmt.Errorf("/proc/%s/stat: too few fields", p)
	}
	ps.cpuTicks = atoi(f[11]) + atoi(f[12]) // fields 14 and 15: utime, stime
	return ps, nil
}

// cpuPercent is the share of one core a process used between two readings.
func cpuPercent(a, b procStat, d time.Duration) float64 {
	return float64(b.cpuTicks-a.cpuTicks) / clockTicks / d.Seconds() * 100
}

// closeAll closes the learners, 256 at a time: each close waits for the
// server's answer to the WebSocket close.
func closeAll(ls []*learner) {
	var wg sync.WaitGroup
	for i, l := range ls {
		wg.Add(1)
		go func() { defer wg.Done(); l.close() }()
		if i%256 == 255 {
			wg.Wait()
		}
	}
	wg.Wait()
}

// learnersRun is one run of measurement 4 at one N over one path.
type learnersRun struct {
	N, Connected int
	Sent, Got    int
	P50, P99     float64 // ms
	// Resident memory (KB) of the relaying process per learner, and of
	// the broker per learner.
	ServerKBPerLearner, BrokerKBPerLearner float64
	// CPU in % of one core, over the window.
	ServerCPU, BrokerCPU, HarnessCPU float64
	Err                              string
}

// learnerPath is how the learners of one run reach the broker.
type learnerPath struct {
	name string
	dial func(ctx context.Context) (net.Conn, error)
	// pids are the relaying processes (a server; or replicas and HAProxy),
	// none for learners connected straight to the broker.
	pids []int
}

// readProcStats sums what /proc says about several processes.
func readProcStats(pids []int) procStat {
	var sum procStat
	for _, pid := range pids {
		ps, _ := readProcStat(pid)
		sum.rssKB += ps.rssKB
		sum.cpuTicks += ps.cpuTicks
	}
	return sum
}

// runLearners connects n learners over path, lets them publish once a
// second each, spread evenly over the second, and measures for d after a
// warm-up. brokerPids are the broker's processes (Mosquitto, or the NATS
// nodes), for their memory and CPU.
func runLearners(ctx context.Context, n int, path learnerPath, brokerPids []int, d time.Duration, logf func(string, ...any)) learnersRun {
	r := learnersRun{N: n}
	var w window
	srvBefore, brkBefore := readProcStats(path.pids), readProcStats(brokerPids)

	// Connect, at most 64 handshakes at a time: a class arriving at once.
	learners := make([]*learner, n)
	var firstErr atomic.Value
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	connectStart := time.Now()
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			conn, err := path.dial(cctx)
			if err == nil {
				var l *learner
				if l, err = connectLearner(conn, fmt.Sprintf("l%05d-%d", i, time.Now().UnixNano()%1e6), &w); err == nil {
					learners[i] = l
					return
				}
				conn.Close()
			}
			firstErr.CompareAndSwap(nil, fmt.Errorf("learner %d: %w", i, err))
		}()
	}
	wg.Wait()
	var live []*learner
	for _, l := range learners {
		if l != nil {
			live = append(live, l)
		}
	}
	r.Connected = len(live)
	logf("learners %s N=%d: %d connected in %s", path.name, n, len(live), time.Since(connectStart).Round(time.Millisecond))
	defer func() { closeAll(live) }()
	if err, _ := firstErr.Load().(error); err != nil {
		r.Err = fmt.Sprintf("%d of %d learners could not connect; the first: %v", n-len(live), n, err)
		return r
	}

	// Publish, each learner at its own offset in the second.
	pctx, stop := context.WithCancel(ctx)
	base := time.Now().Add(100 * time.Millisecond)
	var pw sync.WaitGroup
	for i, l := range live {
		pw.Add(1)
		go func() {
			defer pw.Done()
			l.run(pctx, base.Add(time.Duration(i)*time.Second/time.Duration(len(live))), &w)
		}()
	}
	warmup := 3 * time.Second
	select {
	case <-time.After(warmup):
	case <-ctx.Done():
	}
	srvA, brkA := readProcStats(path.pids), readProcStats(brokerPids)
	selfA, _ := readProcStat(0)
	start := time.Now()
	w.start.Store(start.UnixNano())
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
	end := time.Now()
	w.end.Store(end.UnixNano())
	srvB, brkB := readProcStats(path.pids), readProcStats(brokerPids)
	selfB, _ := readProcStat(0)
	// Let the window's last messages arrive, then stop publishing.
	time.Sleep(2 * time.Second)
	stop()
	pw.Wait()

	var all []time.Duration
	for _, l := range live {
		r.Sent += int(l.sent.Load())
	}
	// The read loops still run: take their results after closing.
	closeAll(live)
	for _, l := range live {
		all = append(all, l.latencies...)
		r.Got += l.received
	}
	live = nil // closed already
	ms := durationsMs(all)
	r.P50, r.P99 = percentile(ms, 50), percentile(ms, 99)
	if len(path.pids) > 0 {
		r.ServerKBPerLearner = float64(srvB.rssKB-srvBefore.rssKB) / float64(n)
		r.ServerCPU = cpuPercent(srvA, srvB, end.Sub(start))
	}
	r.BrokerKBPerLearner = float64(brkB.rssKB-brkBefore.rssKB) / float64(n)
	r.BrokerCPU = cpuPercent(brkA, brkB, end.Sub(start))
	r.HarnessCPU = cpuPercent(selfA, selfB, end.Sub(start))
	if r.Got < r.Sent {
		r.Err = fmt.Sprintf("%d of %d messages sent in the window were not delivered", r.Sent-r.Got, r.Sent)
	}
	if ctx.Err() != nil {
		r.Err = "interrupted"
	}
	return r
}

// serverProc is the playground's server run as its own process, in front
// of an external broker, so that its memory and CPU are its own.
type serverProc struct {
	*proc
	addr string
}

func startServer(ctx context.Context, bin, webDir, dataDir, brokerAddr string, extra ...string) (*serverProc, error) {
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("the server binary %s is missing: run make build (or give -server)", bin)
	}
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		args := append([]string{"-addr", addr, "-broker", "tcp://" + brokerAddr,
			"-web", webDir, "-data", dataDir, "-log-level", "warn"}, extra...)
		p, err := startProc("server", bin, args...)
		if err != nil {
			return nil, err
		}
		if err := p.waitListening(ctx, addr); err != nil {
			p.stop()
			lastErr = err
			continue
		}
		return &serverProc{proc: p, addr: addr}, nil
	}
	return nil, lastErr
}

// startGatewayProc runs this program's serve-gateway in a process of its
// own, writing its CPU profile to profilePrefix-n.pprof if a prefix is given.
func startGatewayProc(ctx context.Context, brokerAddr, profilePrefix string, n int) (*serverProc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	args := []string{"serve-gateway", "-addr", addr, "-broker", brokerAddr}
	if profilePrefix != "" {
		args = append(args, "-cpuprofile", fmt.Sprintf("%s-%d.pprof", profilePrefix, n))
	}
	p, err := startProc("gateway", self, args...)
	if err != nil {
		return nil, err
	}
	if err := p.waitListening(ctx, addr); err != nil {
		p.stop()
		return nil, err
	}
	return &serverProc{proc: p, addr: addr}, nil
}

// learnersConfig sizes measurement 4.
type learnersConfig struct {
	levels   []int
	runs     int
	duration time.Duration
}

func (e *benchEnv) manyLearners(ctx context.Context, s Section) Section {
	lc := learnersConfig{levels: e.cfg.learners, runs: e.cfg.runsOr(2, 1), duration: e.cfg.duration}
	limit, _ := openFilesLimit()
	type pair struct{ ours, peer []learnersRun }
	results := make([]pair, len(lc.levels))
	maxOK := 0
	for li, n := range lc.levels {
		if need := uint64(2*n + 64); need > limit {
			s.Notes = append(s.Notes, fmt.Sprintf("N=%d needs %d open files in the server (a WebSocket and a broker socket per learner), over the limit of %d: measured what connected.", n, need, limit))
		}
		for run := range lc.runs {
			for _, viaGateway := range []bool{true, false} {
				if ctx.Err() != nil {
					s.Err = "interrupted"
					return s
				}
				r, err := e.learnersOnce(ctx, n, viaGateway, lc.duration)
				if err != nil {
					s.Err = err.Error()
					return s
				}
				name := "gateway"
				if !viaGateway {
					name = "direct TCP"
				}
				e.vlogf("learners run %d N=%d %s: p50 %.2f ms p99 %.2f ms, %d/%d delivered, server %.1f KB/learner %.0f%% CPU, broker %.1f KB/learner %.0f%% CPU, harness %.0f%% CPU, load average %.1f %s",
					run+1, n, name, r.P50, r.P99, r.Got, r.Sent, r.ServerKBPerLearner, r.ServerCPU, r.BrokerKBPerLearner, r.BrokerCPU, r.HarnessCPU, loadAverage(), r.Err)
				if viaGateway {
					results[li].ours = append(results[li].ours, r)
				} else {
					results[li].peer = append(results[li].peer, r)
				}
			}
		}
	}
	passN := 0
	for li, n := range lc.levels {
		ours, peer := results[li].ours, results[li].peer
		p50 := compare(fmt.Sprintf("N=%d delivery p50", n), "ms", pickRuns(ours, func(r learnersRun) float64 { return r.P50 }), pickRuns(peer, func(r learnersRun) float64 { return r.P50 }), "direct TCP, same N", false, 0)
		p99 := compare(fmt.Sprintf("N=%d delivery p99", n), "ms", pickRuns(ours, func(r learnersRun) float64 { return r.P99 }), pickRuns(peer, func(r learnersRun) float64 { return r.P99 }), "direct TCP, same N", false, 0)
		absoluteTarget(&p99, "p99 < 50 ms", p99.Ours.Median < 50)
		mem := compare(fmt.Sprintf("N=%d server memory per learner", n), "KB", pickRuns(ours, func(r learnersRun) float64 { return r.ServerKBPerLearner }), pickRuns(ours, func(r learnersRun) float64 { return r.BrokerKBPerLearner }), "Mosquitto, same run", false, 0)
		absoluteTarget(&mem, "≤ 40 KB", mem.Ours.Median <= 40)
		cpu := compare(fmt.Sprintf("N=%d server CPU", n), "% of a core", pickRuns(ours, func(r learnersRun) float64 { return r.ServerCPU }), pickRuns(ours, func(r learnersRun) float64 { return r.BrokerCPU }), "Mosquitto, same run", false, 0)
		s.Rows = append(s.Rows, p50, p99, mem, cpu)
		var errs []string
		for _, r := range ours {
			if r.Err != "" {
				errs = append(errs, r.Err)
			}
			maxOK = max(maxOK, r.Connected)
		}
		for _, r := range peer {
			if r.Err != "" {
				errs = append(errs, "direct TCP: "+r.Err)
			}
		}
		if len(errs) > 0 {
			s.Notes = append(s.Notes, fmt.Sprintf("N=%d: %s", n, strings.Join(errs, "; ")))
		}
		harness := summarize(pickRuns(ours, func(r learnersRun) float64 { return r.HarnessCPU }))
		s.Notes = append(s.Notes, fmt.Sprintf("N=%d: the learners themselves (this process) used %s%% of a core; the machine has %d.", n, formatFigure(harness), runtime.NumCPU()))
		if len(errs) == 0 && p99.Ours.Median < 50 {
			passN = n
		}
	}
	s.Notes = append(s.Notes,
		fmt.Sprintf("Each learner: its own connection through the server's /mqtt (bin/server, its own process, -broker tcp:// to a Mosquitto of the benchmark's), a QoS 1 subscription to its own topic, a QoS 1 PUBLISH of %d payload bytes once a second; the learners' sends are spread evenly over the second.", payloadSize),
		fmt.Sprintf("Delivery latency: from just before the PUBLISH is written until it arrives back, for messages sent in a %s window after 3 s of warm-up; %d runs per N. The peer connects the same learners straight to Mosquitto over TCP.", lc.duration, lc.runs),
		"Memory per learner: the server's VmRSS after the window less before the learners connected, over N. CPU: utime+stime over the window, from /proc.",
		"The learners, the server and Mosquitto share this machine's cores: the learners' own CPU is part of the load the server sees.",
	)
	if passN > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("p99 stayed under 50 ms up to N=%d, the largest N measured with every learner connected and every message delivered.", passN))
	} else {
		s.Notes = append(s.Notes, "p99 passed 50 ms (or messages were lost) at every N measured.")
	}
	return s
}

// absoluteTarget sets a target that is a bound on the figure itself, not
// on its ratio to the peer.
func absoluteTarget(c *Comparison, target string, met bool) {
	if len(c.Ours.Runs) == 0 {
		return
	}
	c.Target, c.Met = target, &met
}

// learnersOnce runs one N over one path with a fresh Mosquitto (and server).
func (e *benchEnv) learnersOnce(ctx context.Context, n int, viaGateway bool, d time.Duration) (learnersRun, error) {
	m, err := e.startMosquitto(ctx, false)
	if err != nil {
		return learnersRun{}, err
	}
	defer m.stop()
	time.Sleep(200 * time.Millisecond) // let Mosquitto settle before its memory is read
	path := learnerPath{name: "direct TCP", dial: func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", m.TCP)
	}}
	if viaGateway {
		dataDir, err := os.MkdirTemp(e.tmp, "server-")
		if err != nil {
			return learnersRun{}, err
		}
		var srv *serverProc
		if e.cfg.learnersServer == "gateway" {
			srv, err = startGatewayProc(ctx, m.TCP, e.cfg.learnersProfile, n)
		} else {
			srv, err = startServer(ctx, e.cfg.serverBin, e.cfg.webDir, dataDir, m.TCP)
		}
		if err != nil {
			return learnersRun{}, err
		}
		defer srv.stop()
		time.Sleep(300 * time.Millisecond)
		u := "ws://" + srv.addr + "/mqtt"
		path = learnerPath{name: "gateway", pids: []int{srv.Pid()}, dial: func(ctx context.Context) (net.Conn, error) {
			return transport.Dial(ctx, u)
		}}
	}
	r := runLearners(ctx, n, path, []int{m.Pid()}, d, e.vlogf)
	if r.Connected == 0 && r.Err != "" {
		return r, errors.New(r.Err)
	}
	return r, nil
}

// pickRuns is one figure of each run.
func pickRuns(rs []learnersRun, f func(learnersRun) float64) []float64 {
	var out []float64
	for _, r := range rs {
		out = append(out, f(r))
	}
	return out
}
