// Command cluster runs the whole cluster setup on one machine, for trying
// it and for tests (`make cluster`): a three-node NATS Server cluster, two
// server replicas on it, and HAProxy in front, each on its own port, with
// every log under one folder. Ctrl-C (or SIGTERM: `make cluster-stop`)
// stops everything; nothing is left running.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"qosplayground/server/broker"
	haproxycfg "qosplayground/server/internal/haproxy"
	"qosplayground/server/natsnode"
)

func main() {
	natsnode.MaybeRun() // the NATS nodes are this executable again
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("cluster", flag.ContinueOnError)
	dir := fs.String("dir", filepath.Join(os.TempDir(), "qos-playground-cluster"), "`folder` for every log, configuration and data")
	addr := fs.String("addr", "localhost:8080", "`host:port` HAProxy listens on: the playground's address")
	replicas := fs.Int("replicas", 2, "server replicas")
	server := fs.String("server", "bin/server", "the server `executable`")
	haproxy := fs.String("haproxy", "haproxy", "the HAProxy `executable` (also looked up in /usr/sbin)")
	webDir := fs.String("web", "web", "the replicas' -web `folder`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	hp, err := exec.LookPath(*haproxy)
	if err != nil {
		if hp, err = exec.LookPath("/usr/sbin/haproxy"); err != nil {
			return fmt.Errorf("haproxy not found (sudo apt-get install haproxy): %w", err)
		}
	}
	logFile, err := os.Create(filepath.Join(*dir, "cluster.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := slog.New(slog.NewTextHandler(io.MultiWriter(logFile, os.Stderr), &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := os.WriteFile(filepath.Join(*dir, "cluster.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return err
	}
	defer os.Remove(filepath.Join(*dir, "cluster.pid"))

	natsLog, err := os.Create(filepath.Join(*dir, "nats.log"))
	if err != nil {
		return err
	}
	defer natsLog.Close()
	startCtx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	b, err := broker.Start(startCtx, broker.Config{Spec: "nats-cluster", DataDir: filepath.Join(*dir, "data"),
		Logger: slog.New(slog.NewTextHandler(natsLog, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		return err
	}
	defer b.Close()
	var pids []string
	for _, n := range b.(broker.NATSCluster).Nodes() {
		log.Info("NATS node", "name", n.Name, "mqtt", n.MQTT, "monitor", n.Monitor, "pid", n.PID)
		pids = append(pids, strconv.Itoa(n.PID))
	}
	var spec []string
	for _, a := range broker.Addrs(b) {
		spec = append(spec, "tcp://"+a)
	}

	var children []*exec.Cmd
	defer func() {
		for _, c := range children {
			_ = c.Process.Signal(syscall.SIGTERM)
		}
		for _, c := range children {
			done := make(chan struct{})
			go func() { c.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				c.Process.Kill()
				<-done
			}
		}
		log.Info("stopped")
	}()
	start := func(name string, argv ...string) error {
		out, err := os.Create(filepath.Join(*dir, name+".log"))
		if err != nil {
			return err
		}
		c := exec.Command(argv[0], argv[1:]...)
		c.Stdout, c.Stderr = out, out
		c.SysProcAttr = childProcAttr()
		if err := c.Start(); err != nil {
			out.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
		children = append(children, c)
		pids = append(pids, strconv.Itoa(c.Process.Pid))
		log.Info("started", "name", name, "pid", c.Process.Pid, "log", out.Name())
		return nil
	}
	var backends []string
	for i := 1; i <= *replicas; i++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		a := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		name := fmt.Sprintf("replica-%d", i)
		if err := start(name, *server, "-addr", a, "-data", filepath.Join(*dir, name), "-web", *webDir, "-broker", strings.Join(spec, ",")); err != nil {
			return err
		}
		if err := waitHealthy(ctx, "http://"+a+"/healthz", 30*time.Second); err != nil {
			return fmt.Errorf("%s: %w (see %s.log)", name, err, name)
		}
		backends = append(backends, a)
	}
	// deploy/haproxy.cfg is the operator's version of the same settings.
	cfg := "# Written by cmd/cluster.\n" + haproxycfg.Config(*addr, backends, time.Second)
	cfgPath := filepath.Join(*dir, "haproxy.cfg")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		return err
	}
	if err := start("haproxy", hp, "-f", cfgPath, "-db"); err != nil {
		return err
	}
	if err := waitHealthy(ctx, "http://"+*addr+"/healthz", 15*time.Second); err != nil {
		return fmt.Errorf("haproxy: %w (see haproxy.log)", err)
	}
	if err := os.WriteFile(filepath.Join(*dir, "pids"), []byte(strings.Join(pids, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	log.Info("QoS Playground cluster is serving", "url", "http://"+*addr+"/", "logs", *dir, "stop", "Ctrl-C or make cluster-stop")
	<-ctx.Done()
	log.Info("stopping")
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitHealthy waits until url answers 200.
func waitHealthy(ctx context.Context, url string, within time.Duration) error {
	deadline := time.Now().Add(within)
	last := errors.New("no answer")
	for time.Now().Before(deadline) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
			last = fmt.Errorf("%s: %s", url, resp.Status)
		} else {
			last = err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("not healthy within %v: %w", within, last)
}
