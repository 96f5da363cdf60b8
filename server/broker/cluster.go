package broker

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
)

// NATSNodeEnv is the environment variable the managed cluster sets on the
// processes it starts from the server's own executable; its main must then
// run a NATS node (package qosplayground/server/natsnode, whose Env has
// the same value).
const NATSNodeEnv = "QOSPLAYGROUND_NATS_NODE"

// natsClusterNodes is the size of a managed cluster: three nodes keep
// every MQTT session on all of them (stream_replicas 3) and go on with one
// node down (a majority of two).
const natsClusterNodes = 3

// These are variables so that tests can change them.
var (
	// natsReadyTimeout bounds a managed cluster's start-up: three nodes
	// finding each other, electing JetStream's leader and creating the
	// MQTT streams.
	natsReadyTimeout = 60 * time.Second
	// natsStopTimeout is how long a stop waits after SIGTERM before it
	// sends SIGKILL.
	natsStopTimeout = 10 * time.Second
)

// natsAckWait is the NATS MQTT ack_wait: how long a QoS 1 or 2 message
// sent to a subscriber waits for its acknowledgement before JetStream sends
// it again. NATS's default is 30 s; 10 s resends a message that was in
// flight when a node died sooner, and is still far longer than the lab's
// processing of one message.
const natsAckWait = "10s"

// natsCluster is a managed cluster of NATS Server nodes on this machine,
// each a child process, with MQTT on loopback.
type natsCluster struct {
	log     *slog.Logger
	exe     string   // the executable that runs a node
	exeArgs []string // before "-c conf"
	env     []string // added to the node's environment
	dir     string   // DataDir/nats
	tempDir string   // removed by Close when Config.DataDir was empty
	nodes   []*natsNode

	mu      sync.Mutex // guards closed and each node's cmd, done and held
	closed  bool
	closing chan struct{}  // closed when Close begins: supervisors stop
	wg      sync.WaitGroup // supervisors
	closeMu sync.Mutex     // serializes Close
	closeOK bool
}

// natsNode is one node of a managed cluster.
type natsNode struct {
	name                                      string
	clientPort, httpPort, routePort, mqttPort int
	conf                                      string // its configuration file
	cmd                                       *exec.Cmd
	done                                      chan struct{} // closed when cmd has been reaped
	held                                      bool          // KillNode stopped it: not restarted until StartNode
	supervising                               bool          // a supervisor is starting it again
	tail                                      *lineRing
}

// NATSNodeInfo describes a node of a managed NATS cluster, for tests and
// the operator's log.
type NATSNodeInfo struct {
	Name    string // server_name
	MQTT    string // host:port of its MQTT listener
	Monitor string // host:port of its HTTP monitoring (/healthz)
	PID     int    // 0 when it does not run
}

// NATSCluster is what a managed NATS cluster offers beyond [Broker]: its
// nodes, and killing one, as a crash would (tests of failover use it).
type NATSCluster interface {
	Broker
	Nodes() []NATSNodeInfo
	// KillNode kills node i (SIGKILL) and waits until it is reaped. The
	// cluster does not start it again by itself; StartNode does.
	KillNode(i int) error
	// StartNode starts node i again after KillNode, with its data, and
	// waits until its monitoring answers /healthz.
	StartNode(ctx context.Context, i int) error
}

// startNATSCluster starts three NATS nodes on free loopback ports, with
// JetStream and MQTT, and returns once every node's /healthz says ok and
// every node answers an MQTT CONNECT.
func startNATSCluster(ctx context.Context, cfg Config, log *slog.Logger) (*natsCluster, error) {
	c := &natsCluster{log: log.With("broker", string(ModeNATSCluster)), closing: make(chan struct{})}
	if cfg.NATSServer != "" {
		p, err := exec.LookPath(cfg.NATSServer)
		if err != nil {
			return nil, fmt.Errorf("broker: nats-server %q: %w", cfg.NATSServer, err)
		}
		c.exe = p
	} else {
		p, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("broker: find this program's executable to run NATS nodes: %w", err)
		}
		c.exe, c.env = p, []string{NATSNodeEnv + "=1"}
	}
	dir, temp, err := brokerDir(cfg.DataDir, "nats")
	if err != nil {
		return nil, err
	}
	c.dir, c.tempDir = dir, temp
	if strings.ContainsAny(c.dir, "\"\n\r\\") {
		removeTempDir(c.tempDir)
		return nil, fmt.Errorf("broker: data directory %q contains a quote, backslash or line break, which a NATS configuration file cannot hold here", filepath.Dir(c.dir))
	}
	ports, err := freeLoopbackPorts(4 * natsClusterNodes)
	if err != nil {
		removeTempDir(c.tempDir)
		return nil, err
	}
	var routes []string
	for i := range natsClusterNodes {
		n := &natsNode{
			name:       fmt.Sprintf("n%d", i+1),
			clientPort: ports[4*i],
			httpPort:   ports[4*i+1],
			routePort:  ports[4*i+2],
			mqttPort:   ports[4*i+3],
			tail:       &lineRing{max: outputTailLines, who: "nats-server"},
		}
		n.conf = filepath.Join(c.dir, n.name+".conf")
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", n.routePort))
		c.nodes = append(c.nodes, n)
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		removeTempDir(c.tempDir)
		return nil, fmt.Errorf("broker: create NATS data directory: %w", err)
	}
	for _, n := range c.nodes {
		if err := os.WriteFile(n.conf, []byte(natsConfig(n, filepath.Join(c.dir, n.name), routes)), 0o600); err != nil {
			removeTempDir(c.tempDir)
			return nil, fmt.Errorf("broker: write NATS configuration: %w", err)
		}
	}
	for i := range c.nodes {
		if err := c.launch(i); err != nil {
			c.Close()
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, natsReadyTimeout)
	defer cancel()
	for i := range c.nodes {
		if err := c.waitReady(ctx, i, true); err != nil {
			c.Close()
			return nil, err
		}
	}
	c.log.Info("broker: NATS cluster running", "nodes", c.nodeList(), "data", c.dir)
	return c, nil
}

// natsConfig is a node's configuration file.
func natsConfig(n *natsNode, storeDir string, routes []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# Generated by the qosplayground server for its managed NATS cluster.
# It is written again at every start: edits are lost.
server_name: %q
# Loopback only: the gateway dials the MQTT listener; nothing else needs to
# reach a node from another machine.
host: "127.0.0.1"
port: %d
http: "127.0.0.1:%d"
logtime: false

jetstream {
  # Sessions, queued QoS 1 and 2 messages, QoS 2 state and retained
  # messages live in JetStream streams, on disk here.
  store_dir: %q
  # NATS Server 2.15 caps a stream at 1,000 consumers unless it says
  # otherwise, and MQTT does not: every QoS 1 or 2 subscription is a
  # consumer of one stream, so the 1,001st learner's SUBSCRIBE would be
  # refused (measured: make bench -only 5 at 1,200 learners).
  limits {
    default_max_consumers: -1
  }
}

cluster {
  name: "qosplayground"
  listen: "127.0.0.1:%d"
  routes: [
`, n.name, n.clientPort, n.httpPort, storeDir, n.routePort)
	for _, r := range routes {
		fmt.Fprintf(&b, "    %q\n", r)
	}
	fmt.Fprintf(&b, `  ]
}

mqtt {
  host: "127.0.0.1"
  port: %d
  # Every MQTT stream (sessions, messages, retained, QoS 2) on all three
  # nodes: any one can die without losing a session or a message.
  stream_replicas: 3
  # A QoS 1 or 2 message a subscriber has not acknowledged is sent again
  # after this long (NATS's default is 30s).
  ack_wait: %q
}
`, n.mqttPort, natsAckWait)
	return b.String()
}

// freeLoopbackPorts returns n distinct free ports on 127.0.0.1, holding
// them all until every one is found.
func freeLoopbackPorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("broker: find a free port on 127.0.0.1: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// launch starts node i's process.
func (c *natsCluster) launch(i int) error {
	n := c.nodes[i]
	cmd := exec.Command(c.exe, append(append([]string{}, c.exeArgs...), "-c", n.conf)...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), c.env...)
	cmd.SysProcAttr = childProcAttr()
	cmd.WaitDelay = 2 * time.Second
	log := c.log.With("node", n.name)
	gate := make(chan struct{})
	w := &lineWriter{gate: gate, tail: n.tail, level: slog.LevelDebug, classify: natsLevel}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		close(gate)
		return fmt.Errorf("broker: run NATS node %s (%s): %w", n.name, c.exe, err)
	}
	w.log = log.With("pid", cmd.Process.Pid)
	close(gate)
	done := make(chan struct{})
	c.mu.Lock()
	if c.closed {
		// Close has collected the nodes already: this one would be left.
		c.mu.Unlock()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return ErrClosed
	}
	n.cmd, n.done = cmd, done
	c.mu.Unlock()
	go func() {
		err := cmd.Wait()
		w.flush()
		c.mu.Lock()
		closed, held := c.closed, n.held
		restart := !closed && !held && !n.supervising
		if restart {
			n.supervising = true
			c.wg.Add(1)
		}
		c.mu.Unlock()
		if !closed {
			log.Warn("broker: NATS node exited", "pid", cmd.Process.Pid, "exit", exitString(err), "restart", restart)
		}
		close(done)
		if restart {
			go c.supervise(i)
		}
	}()
	return nil
}

// supervise starts node i again after it died on its own (a crash, an
// operator's kill): in 1 s, then waiting twice as long after each failed
// attempt, up to 10 s, until it answers /healthz or Close begins. With
// three replicas of every stream, the node catches up from the others.
func (c *natsCluster) supervise(i int) {
	n := c.nodes[i]
	defer func() {
		c.mu.Lock()
		n.supervising = false
		c.mu.Unlock()
		c.wg.Done()
	}()
	restartLoop(c.closing, time.Second, 10*time.Second, func(next time.Duration) bool {
		c.mu.Lock()
		held := n.held
		c.mu.Unlock()
		if held {
			return true
		}
		err := c.launch(i)
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			err = c.waitReady(ctx, i, false)
			cancel()
			if err == nil {
				c.log.Info("broker: NATS node restarted", "node", n.name, "pid", c.Nodes()[i].PID)
				return true
			}
			// Not healthy in time, or it exited: kill what runs (its
			// exit starts no other supervisor while this one runs).
			c.mu.Lock()
			cmd, done := n.cmd, n.done
			c.mu.Unlock()
			_ = cmd.Process.Kill()
			<-done
		}
		if errors.Is(err, ErrClosed) {
			return true
		}
		c.log.Warn("broker: restarting a NATS node failed; trying again", "node", n.name, "in", next.String(), "err", err)
		return false
	})
}

// natsLevel gives a NATS log line its level: errors as warnings (a node
// finding its routes logs errors while the others start), warnings as
// information, the rest as debug.
func natsLevel(line string) slog.Level {
	switch {
	case strings.Contains(line, "[ERR]"), strings.Contains(line, "[FTL]"):
		return slog.LevelWarn
	case strings.Contains(line, "[WRN]"):
		return slog.LevelInfo
	}
	return slog.LevelDebug
}

// waitReady waits until node i's /healthz answers 200 and, with probe, its
// MQTT listener answers a CONNECT with CONNACK 0 (the first CONNECT on a
// node creates the MQTT streams, replicated on three nodes).
func (c *natsCluster) waitReady(ctx context.Context, i int, probe bool) error {
	n := c.nodes[i]
	c.mu.Lock()
	done := n.done
	c.mu.Unlock()
	url := fmt.Sprintf("http://127.0.0.1:%d/healthz", n.httpPort)
	hc := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		select {
		case <-done:
			return fmt.Errorf("broker: NATS node %s exited during start-up%s", n.name, n.tail.String())
		case <-ctx.Done():
			return fmt.Errorf("broker: NATS node %s not ready (%v): %w%s", n.name, last, ctx.Err(), n.tail.String())
		case <-tick.C:
		}
		resp, err := hc.Get(url)
		if err != nil {
			last = err
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			last = fmt.Errorf("/healthz: %s", resp.Status)
			continue
		}
		if !probe {
			return nil
		}
		if last = mqttProbe(ctx, net.JoinHostPort("127.0.0.1", strconv.Itoa(n.mqttPort))); last == nil {
			return nil
		}
	}
}

// mqttProbe connects with a clean session and disconnects, and says
// whether the broker accepted the CONNECT.
// probeSeq numbers the probes of this process.
var probeSeq atomic.Int64

func mqttProbe(ctx context.Context, addr string) error {
	d := net.Dialer{Timeout: time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	connect := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	connect.ProtocolName, connect.ProtocolVersion = "MQTT", 4
	// An id of its own: NATS closes a connection when another node sees
	// a connection with the same id start (probes of two nodes in a row
	// lost their CONNACK to it, "Closing because a remote connection has
	// started with the same client ID").
	id := fmt.Sprintf("qosplayground-probe-%d-%d", os.Getpid(), probeSeq.Add(1))
	connect.CleanSession, connect.Keepalive, connect.ClientIdentifier = true, 30, id
	if _, err := conn.Write(mqttframe.Encode(connect)); err != nil {
		return err
	}
	var connack [4]byte
	if _, err := io.ReadFull(bufio.NewReader(conn), connack[:]); err != nil {
		return fmt.Errorf("no CONNACK: %w", err)
	}
	if connack[0] != mqttframe.CONNACK<<4 || connack[3] != 0 {
		return fmt.Errorf("CONNACK % x", connack)
	}
	_, err = conn.Write(mqttframe.Encode(packets.NewControlPacket(packets.Disconnect)))
	return err
}

func (c *natsCluster) nodeList() string {
	var parts []string
	for _, n := range c.Nodes() {
		parts = append(parts, fmt.Sprintf("%s mqtt=%s monitor=%s pid=%d", n.Name, n.MQTT, n.Monitor, n.PID))
	}
	return strings.Join(parts, "; ")
}

// Mode returns ModeNATSCluster.
func (c *natsCluster) Mode() Mode { return ModeNATSCluster }

// Addr returns the first node's MQTT address; Addrs has them all.
func (c *natsCluster) Addr() string { return c.Addrs()[0] }

// Addrs returns every node's MQTT address.
func (c *natsCluster) Addrs() []string {
	var out []string
	for _, n := range c.nodes {
		out = append(out, net.JoinHostPort("127.0.0.1", strconv.Itoa(n.mqttPort)))
	}
	return out
}

// Nodes describes the nodes.
func (c *natsCluster) Nodes() []NATSNodeInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []NATSNodeInfo
	for _, n := range c.nodes {
		info := NATSNodeInfo{
			Name:    n.name,
			MQTT:    net.JoinHostPort("127.0.0.1", strconv.Itoa(n.mqttPort)),
			Monitor: net.JoinHostPort("127.0.0.1", strconv.Itoa(n.httpPort)),
		}
		if n.cmd != nil && n.done != nil {
			select {
			case <-n.done:
			default:
				info.PID = n.cmd.Process.Pid
			}
		}
		out = append(out, info)
	}
	return out
}

// KillNode kills node i with SIGKILL and waits until it is reaped.
func (c *natsCluster) KillNode(i int) error {
	if i < 0 || i >= len(c.nodes) {
		return fmt.Errorf("broker: no NATS node %d", i)
	}
	c.mu.Lock()
	n := c.nodes[i]
	n.held = true
	cmd, done := n.cmd, n.done
	c.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-done
	c.log.Info("broker: NATS node killed", "node", n.name, "pid", cmd.Process.Pid)
	return nil
}

// StartNode starts node i again, once it is not running, and waits until
// its /healthz answers ok.
func (c *natsCluster) StartNode(ctx context.Context, i int) error {
	if i < 0 || i >= len(c.nodes) {
		return fmt.Errorf("broker: no NATS node %d", i)
	}
	c.mu.Lock()
	n := c.nodes[i]
	closed, done := c.closed, n.done
	c.mu.Unlock()
	if closed {
		return ErrClosed
	}
	select {
	case <-done:
	default:
		return fmt.Errorf("broker: NATS node %s is running", n.name)
	}
	c.mu.Lock()
	n.held = false
	c.mu.Unlock()
	if err := c.launch(i); err != nil {
		return err
	}
	return c.waitReady(ctx, i, false)
}

// Restart returns ErrNotSupported: a cluster's nodes are not restarted from
// the page (Status says why).
func (c *natsCluster) Restart(context.Context, RestartOptions) error { return ErrNotSupported }

// Status says what the cluster keeps and what differs from Mosquitto.
func (c *natsCluster) Status() Status {
	return natsStatus(ModeNATSCluster, fmt.Sprintf("The broker is a cluster of %d NATS Server nodes run by this server: a restart from the page would stop every class at once, so it is not offered. Sessions are kept on every node; a tab whose node dies reconnects to another.", len(c.nodes)))
}

// natsStatus is the status of a NATS cluster, managed or external.
func natsStatus(mode Mode, reason string) Status {
	qos2 := "QoS 2 is exactly once, as on Mosquitto: the nodes run NATS Server 2.15.3 from this server's own executable, with the fix in third_party/nats-server (as released, NATS sends a QoS 2 message again under a new packet id across connection cuts or a node's death, and can lose one whose PUBREL it was storing; docs/nats-qos2-report.md)."
	if mode != ModeNATSCluster {
		qos2 = "QoS 2 may not be exactly once: NATS Server 2.15.3 as released, across connection cuts or a node's death, can send a QoS 2 message again under a new packet id, which the receiver cannot tell from a new message (34 copies reached the application in 300 messages of the fault lab's blips), and can lose a few (0 to 5 of 300 there; after a node's death, also one whose PUBREL it was storing when it answered PUBCOMP). Nodes run from this server's executable (QOSPLAYGROUND_NATS_NODE=1) carry the fix in third_party/nats-server. The subscriber's duplicate detection catches the copies; QoS 1 loses nothing."
	}
	return Status{
		Mode:   mode,
		Reason: reason,
		Saving: "NATS Server keeps sessions, queued QoS 1 and 2 messages, QoS 2 state and retained messages in JetStream streams on disk, each written as it happens and replicated on three nodes: a node that dies loses nothing.",
		Caveats: []string{
			"Topics map to NATS subjects: NATS refuses a topic or filter with white space in it (a space, a tab, a line break), which Mosquitto accepts.",
			"A QoS 1 or 2 message not acknowledged within the broker's ack_wait (" + natsAckWait + " here) is sent again, also while the connection stays up.",
			qos2,
			"A persistent session never expires by itself; there is no Mosquitto persistent_client_expiration.",
			"Only MQTT 3.1.1: an MQTT 5 CONNECT is refused.",
		},
	}
}

// Close stops every node (SIGTERM, then SIGKILL after natsStopTimeout) and
// waits until they are reaped. It is idempotent.
func (c *natsCluster) Close() error {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.closeOK {
		return nil
	}
	c.mu.Lock()
	c.closed = true
	close(c.closing)
	type running struct {
		cmd  *exec.Cmd
		done chan struct{}
	}
	var rs []running
	for _, n := range c.nodes {
		if n.cmd != nil {
			rs = append(rs, running{n.cmd, n.done})
		}
	}
	c.mu.Unlock()
	for _, r := range rs {
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
	}
	t := time.NewTimer(natsStopTimeout)
	defer t.Stop()
	for _, r := range rs {
		select {
		case <-r.done:
		case <-t.C:
			for _, r := range rs {
				_ = r.cmd.Process.Kill()
			}
			<-r.done
		}
	}
	for _, r := range rs {
		<-r.done
	}
	c.wg.Wait()
	c.closeOK = true
	c.log.Info("broker: NATS cluster stopped")
	return removeTempDir(c.tempDir)
}
