package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is a child process the benchmark started: a broker or the server.
// Its output is kept for the error message when it dies early.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited

	// mu guards out.
	mu  sync.Mutex
	out bytes.Buffer
}

func (p *proc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.out.Len() < 64<<10 { // enough for a start-up error
		p.out.Write(b)
	}
	return len(b), nil
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.TrimSpace(p.out.String())
}

func startProc(name string, path string, args ...string) (*proc, error) {
	p := &proc{name: name, done: make(chan struct{})}
	p.cmd = exec.Command(path, args...)
	p.cmd.Stdout, p.cmd.Stderr = p, p
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s (%s): %w", name, path, err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	return p, nil
}

// Pid is the process id, for /proc.
func (p *proc) Pid() int { return p.cmd.Process.Pid }

// waitListening waits until addr accepts TCP connections.
func (p *proc) waitListening(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited before listening on %s: %s", p.name, addr, p.output())
		case <-ctx.Done():
			return fmt.Errorf("%s is not listening on %s after 30 s: %s", p.name, addr, p.output())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop asks the process to end (SIGTERM) and kills it after 10 s.
func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// freePort returns a TCP port on 127.0.0.1 that nobody listens on now. A
// program started next may lose it to another one; start retries then.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// mosquitto is a Mosquitto the benchmark runs itself, with a plain TCP
// listener and, when asked, its own WebSocket listener: the peers the
// gateway is measured against.
type mosquitto struct {
	*proc
	TCP string // host:port of the MQTT listener
	WS  string // host:port of the websockets listener, "" if none
}

// startMosquitto starts path with a config written to dir.
func startMosquitto(ctx context.Context, path, dir string, websockets, nodelay bool) (*mosquitto, error) {
	var lastErr error
	for range 3 { // a free port can be taken between freePort and bind
		m, err := tryMosquitto(ctx, path, dir, websockets, nodelay)
		if err == nil {
			return m, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func tryMosquitto(ctx context.Context, path, dir string, websockets, nodelay bool) (*mosquitto, error) {
	tcpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	m := &mosquitto{TCP: fmt.Sprintf("127.0.0.1:%d", tcpPort)}
	var conf strings.Builder
	fmt.Fprintf(&conf, "# Written by the benchmark (bench/): loopback only, no persistence.\n")
	fmt.Fprintf(&conf, "listener %d 127.0.0.1\n", tcpPort)
	if websockets {
		wsPort, err := freePort()
		if err != nil {
			return nil, err
		}
		m.WS = fmt.Sprintf("127.0.0.1:%d", wsPort)
		fmt.Fprintf(&conf, "listener %d 127.0.0.1\nprotocol websockets\n", wsPort)
	}
	// Mosquitto 2.0 refuses anonymous clients as soon as a listener is
	// configured; the benchmark's clients have no password.
	conf.WriteString("allow_anonymous true\n")
	if nodelay {
		// Off by default: Mosquitto's small writes (a PUBACK, then a
		// PUBLISH) then wait for the peer's delayed ACK (Nagle).
		conf.WriteString("set_tcp_nodelay true\n")
	}
	// Only errors: a line per connection would cost the broker time at
	// 8,000 learners.
	conf.WriteString("log_type error\n")
	name := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(name, []byte(conf.String()), 0o644); err != nil {
		return nil, err
	}
	p, err := startProc("mosquitto", path, "-c", name)
	if err != nil {
		return nil, err
	}
	m.proc = p
	for _, addr := range []string{m.TCP, m.WS} {
		if addr == "" {
			continue
		}
		if err := p.waitListening(ctx, addr); err != nil {
			p.stop()
			return nil, err
		}
	}
	return m, nil
}

// lookPath finds a program on PATH or at one of the fallbacks.
func lookPath(name string, fallbacks ...string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, p := range fallbacks {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New(name + " is not installed")
}
