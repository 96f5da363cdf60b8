package broker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// These are variables, not constants, so that tests can shorten or replace them.
var (
	// mosquittoReadyTimeout bounds how long a start waits for Mosquitto to
	// accept TCP connections.
	mosquittoReadyTimeout = 5 * time.Second
	// pickPort chooses the port for a new managed Mosquitto.
	pickPort = freeLoopbackPort
)

const (
	// mosquittoStopTimeout is how long a stop waits after SIGTERM before it
	// sends SIGKILL.
	mosquittoStopTimeout = 5 * time.Second
	// mosquittoPortAttempts is how many ports Start tries when the free port it
	// picked is taken by somebody else before Mosquitto binds it.
	mosquittoPortAttempts = 3
	// supervisorFirstBackoff and supervisorMaxBackoff bound the delay before the
	// supervisor restarts a child that died; the delay doubles after each
	// failed attempt.
	supervisorFirstBackoff = 100 * time.Millisecond
	supervisorMaxBackoff   = 5 * time.Second
	// outputTailLines is how many of Mosquitto's last output lines are kept for
	// error messages.
	outputTailLines = 20
)

// errPortInUse marks a start that failed because the port was already taken.
var errPortInUse = errors.New("address already in use")

// mosquittoBroker is a Mosquitto child process managed by this package.
//
// Lock order: opMu before mu, never the other way round.
type mosquittoBroker struct {
	log      *slog.Logger // attribute broker=mosquitto
	path     string       // the Mosquitto executable
	dir      string       // DataDir/mosquitto: configuration and persistence database
	confPath string       // dir/mosquitto.conf
	tempDir  string       // DataDir created by us because Config.DataDir was empty; removed by Close
	addr     string       // 127.0.0.1:port, fixed once Start succeeds
	port     int          // the port in addr, written into every configuration
	asRoot   bool         // the server runs as root (see mosquittoConfig)

	// opMu serializes the operations that stop or start a child: Start's
	// attempts, Restart, Close and each attempt of the supervisor.
	opMu sync.Mutex

	// mu guards cur, closed and persistence, and the exited, intentional and
	// supervised fields of every proc.
	mu          sync.Mutex
	cur         *proc       // the newest child started, running or not
	closed      bool        // Close has begun
	persistence Persistence // what the configuration file on disk says

	closing   chan struct{}  // closed when Close begins; cuts back-offs and start-up waits short
	closeOnce sync.Once      // runs Close's work once
	closeErr  error          // Close's result, written inside closeOnce
	wg        sync.WaitGroup // the waiter and supervisor goroutines

	tail *lineRing // Mosquitto's last output lines, across restarts
}

// proc is one Mosquitto child process.
type proc struct {
	cmd     *exec.Cmd
	pid     int
	done    chan struct{} // closed once cmd.Wait has returned and the output is read
	waitErr error         // cmd.Wait's result; read it only after done is closed
	running chan struct{} // closed when Mosquitto logs "mosquitto version ... running"
	// addrInUse is set when Mosquitto says it could not bind its port.
	addrInUse atomic.Bool
	stdout    *lineWriter
	stderr    *lineWriter

	// The fields below are guarded by mosquittoBroker.mu.
	exited      bool // cmd.Wait has returned
	intentional bool // we stopped it on purpose: its exit is not a crash
	supervised  bool // it started successfully: an unexpected exit restarts it
}

// startMosquitto writes the configuration, starts Mosquitto on a free loopback
// port and waits until it accepts TCP connections.
func startMosquitto(ctx context.Context, cfg Config, path string, log *slog.Logger) (*mosquittoBroker, error) {
	b := &mosquittoBroker{
		log:         log.With("broker", string(ModeMosquitto)),
		path:        path,
		asRoot:      os.Geteuid() == 0,
		persistence: cfg.Persistence.orDefault(),
		closing:     make(chan struct{}),
		tail:        &lineRing{max: outputTailLines},
	}
	dir, temp, err := brokerDir(cfg.DataDir, "mosquitto")
	if err != nil {
		return nil, err
	}
	b.dir, b.tempDir = dir, temp
	b.confPath = filepath.Join(b.dir, "mosquitto.conf")
	if strings.ContainsAny(b.dir, "\n\r") {
		_ = removeTempDir(b.tempDir)
		return nil, fmt.Errorf("broker: data directory %q contains a line break, which a Mosquitto configuration file cannot hold", filepath.Dir(b.dir))
	}
	if err := os.MkdirAll(b.dir, 0o700); err != nil {
		_ = removeTempDir(b.tempDir)
		return nil, fmt.Errorf("broker: create Mosquitto data directory: %w", err)
	}
	if b.persistence == PersistenceOff {
		if err := b.removeDatabase(); err != nil {
			_ = removeTempDir(b.tempDir)
			return nil, err
		}
	}

	b.opMu.Lock()
	defer b.opMu.Unlock()
	for attempt := 1; ; attempt++ {
		port, err := pickPort()
		if err != nil {
			_ = removeTempDir(b.tempDir)
			return nil, err
		}
		b.port = port
		if err := b.writeConfig(b.persistence); err != nil {
			_ = removeTempDir(b.tempDir)
			return nil, err
		}
		b.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		p, err := b.startReady(ctx)
		if err == nil {
			b.log.Info("broker: mosquitto running", "addr", b.addr, "pid", p.pid, "config", b.confPath, "persistence", string(b.persistence))
			return b, nil
		}
		// Reap anything still running before giving up or trying again.
		b.wg.Wait()
		if errors.Is(err, errPortInUse) && attempt < mosquittoPortAttempts {
			b.log.Warn("broker: port taken before mosquitto could bind it; trying another", "addr", b.addr)
			continue
		}
		_ = removeTempDir(b.tempDir)
		return nil, fmt.Errorf("broker: start mosquitto: %w", err)
	}
}

// writeConfig writes the configuration file for persistence p and records p as
// the broker's setting. The caller holds opMu, or is Start.
func (b *mosquittoBroker) writeConfig(p Persistence) error {
	conf := mosquittoConfig(b.port, b.dir, b.asRoot, p)
	if err := os.WriteFile(b.confPath, []byte(conf), 0o600); err != nil {
		return fmt.Errorf("broker: write Mosquitto configuration: %w", err)
	}
	b.mu.Lock()
	b.persistence = p
	b.mu.Unlock()
	return nil
}

// mosquittoDBFiles are the names Mosquitto gives its database in
// persistence_location: the database itself, and the file a save writes first
// and then renames over it.
var mosquittoDBFiles = []string{"mosquitto.db", "mosquitto.db.new"}

// removeDatabase deletes Mosquitto's saved state. It is removed, not moved
// aside: persistence off means the learner asked for a broker that forgets,
// and a copy kept somewhere would only come back to confuse a later lesson.
// The caller makes sure no child runs.
func (b *mosquittoBroker) removeDatabase() error {
	for _, name := range mosquittoDBFiles {
		if err := os.Remove(filepath.Join(b.dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("broker: delete Mosquitto's database for persistence off: %w", err)
		}
	}
	return nil
}

// mosquittoConfig returns the configuration file for a managed Mosquitto that
// listens on port and keeps its database in dir with persistence p. asRoot
// says whether the server runs as root.
func mosquittoConfig(port int, dir string, asRoot bool, p Persistence) string {
	var b strings.Builder
	b.WriteString(`# Generated by the qosplayground server for its managed Mosquitto 2.0 broker.
# It is written again at every start: edits are lost.

# Loopback only: the browser never talks to the broker directly; the server's
# gateway dials this port over plain TCP.
`)
	fmt.Fprintf(&b, "listener %d 127.0.0.1\n", port)
	b.WriteString(`
# Mosquitto 2.0: as soon as any listener is configured, allow_anonymous defaults
# to false and every client without a password is refused. The playground's
# clients have none, and the listener is reachable from this machine only.
allow_anonymous true
`)
	if asRoot {
		b.WriteString(`
# The server runs as root. Without this line Mosquitto would switch to the user
# "mosquitto", which cannot write the data directory, and the switch would also
# clear the parent-death signal that kills the broker when the server dies.
user root
`)
	}
	b.WriteString("\n")
	switch p.orDefault() {
	case PersistenceOff:
		b.WriteString(`# Persistence off (chosen in the playground): sessions, their subscriptions
# and queued messages live in memory only, and every restart forgets them.
# The server deleted the old database before this start.
persistence false
`)
	case PersistenceOn:
		fmt.Fprintf(&b, `# Persistence on with Mosquitto's own default timing (chosen in the
# playground): the database is written at a clean stop (SIGTERM) and every
# 1800 s, so a broker that is killed (SIGKILL, a crash) loses everything that
# changed since its last save. That is the lesson this setting is for.
persistence true
# The trailing slash is needed: Mosquitto appends the file name to this string.
persistence_location %s/
autosave_interval 1800
autosave_on_changes false
`, dir)
	default:
		fmt.Fprintf(&b, `# Keep persistent sessions (clean session off), their subscriptions and queued
# QoS 1 and 2 messages, and retained messages across broker restarts.
persistence true
# The trailing slash is needed: Mosquitto appends the file name to this string.
persistence_location %s/
# Save the database every second or two (not the default 30 minutes), so a
# broker that is killed (SIGKILL, a crash) loses at most the last two seconds.
# Mosquitto 2.0.11 saves when more than this many whole seconds have passed,
# which makes 1 a save every 2 s in practice; it is the smallest value (0 turns
# autosave off). A clean stop (SIGTERM) saves everything on the way down.
autosave_interval 1
# With autosave_on_changes true the number above would count changes instead of
# seconds, and the whole database would be rewritten after every queued message.
autosave_on_changes false
`, dir)
	}
	b.WriteString(`
# Clients with clean session off and a random client id would otherwise be kept
# forever (the MQTT default, and Mosquitto's): forget those gone for a day.
persistent_client_expiration 1d
# Mosquitto's default, stated on purpose: at most 1000 QoS 1 and 2 messages are
# queued per client; beyond that new messages for it are dropped silently.
max_queued_messages 1000
# Mosquitto leaves Nagle's algorithm on by default: a PUBACK followed by the
# next PUBLISH then waits for the client's delayed ACK, up to 40 ms a
# packet on Linux (make bench measured a 100 ms p99 round trip on
# Mosquitto's own WebSocket listener, 0.5 ms with this on). The gateway and
# every learner are latency-bound, never bandwidth-bound.
set_tcp_nodelay true

# The server reads the broker's output and copies it into its own log, which
# has its own time stamps. stderr, not stdout: Mosquitto does not flush stdout,
# which is block-buffered when it is a pipe, so its lines would arrive late and
# in bursts of several kilobytes. One log_type per line: Mosquitto reads only
# the first word of each log_type line and ignores the rest without a word.
log_dest stderr
log_timestamp false
log_type error
log_type warning
log_type notice
log_type information
connection_messages true
`)
	return b.String()
}

// startReady starts a child on b.addr and waits until it accepts TCP
// connections. On failure the child is stopped and reaped. The caller holds
// opMu.
func (b *mosquittoBroker) startReady(ctx context.Context) (*proc, error) {
	p, err := b.launch()
	if err != nil {
		return nil, err
	}
	if err := b.waitReady(ctx, p); err != nil {
		b.stop(p, true)
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if p.exited {
		return nil, fmt.Errorf("mosquitto exited right after start-up (%v)%s", p.waitErr, b.tail.String())
	}
	p.supervised = true
	return p, nil
}

// launch starts a Mosquitto child and the goroutine that waits for it. The
// caller holds opMu.
func (b *mosquittoBroker) launch() (*proc, error) {
	cmd := exec.Command(b.path, "-c", b.confPath)
	cmd.Dir = b.dir
	cmd.SysProcAttr = childProcAttr()
	// Wait returns at most this long after the child exits even if something
	// still holds its output pipes open.
	cmd.WaitDelay = 2 * time.Second
	p := &proc{
		cmd:     cmd,
		done:    make(chan struct{}),
		running: make(chan struct{}),
	}
	var runningOnce sync.Once
	onLine := func(line string) {
		if strings.HasPrefix(line, "mosquitto version ") && strings.HasSuffix(line, " running") {
			runningOnce.Do(func() { close(p.running) })
		}
		if strings.Contains(line, "Address already in use") {
			p.addrInUse.Store(true)
		}
	}
	// The writers wait for gate, so that they see log (with the pid) set.
	gate := make(chan struct{})
	p.stdout = &lineWriter{gate: gate, tail: b.tail, onLine: onLine, level: slog.LevelInfo}
	p.stderr = &lineWriter{gate: gate, tail: b.tail, onLine: onLine, level: slog.LevelInfo}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		close(gate)
		return nil, fmt.Errorf("run %s: %w", b.path, err)
	}
	p.pid = cmd.Process.Pid
	plog := b.log.With("pid", p.pid)
	p.stdout.log, p.stderr.log = plog, plog
	close(gate)

	b.mu.Lock()
	b.cur = p
	b.wg.Add(1)
	b.mu.Unlock()
	go b.wait(p)
	return p, nil
}

// wait reaps the child p and, if it died on its own after a successful start,
// starts the supervisor.
func (b *mosquittoBroker) wait(p *proc) {
	defer b.wg.Done()
	err := p.cmd.Wait()
	// exec's copy goroutines have finished: flush the last partial lines.
	p.stdout.flush()
	p.stderr.flush()
	p.waitErr = err

	b.mu.Lock()
	p.exited = true
	close(p.done)
	crash := p.supervised && !p.intentional && !b.closed && b.cur == p
	if crash {
		b.wg.Add(1)
	}
	b.mu.Unlock()

	if crash {
		b.log.Warn("broker: mosquitto exited unexpectedly; restarting it", "pid", p.pid, "exit", exitString(err), "addr", b.addr)
		go b.supervise(p)
	}
}

// supervise restarts the broker on the same address after dead exited on its
// own, with a back-off that doubles from 100 ms to 5 s between failed attempts.
// It gives up as soon as Close begins or a Restart has replaced the child.
func (b *mosquittoBroker) supervise(dead *proc) {
	defer b.wg.Done()
	restartLoop(b.closing, supervisorFirstBackoff, supervisorMaxBackoff, func(next time.Duration) bool {
		b.opMu.Lock()
		defer b.opMu.Unlock()
		b.mu.Lock()
		stale := b.closed || b.cur != dead
		b.mu.Unlock()
		if stale {
			return true
		}
		p, err := b.startReady(context.Background())
		if err != nil {
			// The failed attempt is now the newest child; keep watching for a
			// Restart that replaces it.
			b.mu.Lock()
			dead = b.cur
			closed := b.closed
			b.mu.Unlock()
			if !closed {
				b.log.Warn("broker: restarting mosquitto failed; trying again", "addr", b.addr, "in", next.String(), "err", err)
			}
			return closed
		}
		b.log.Info("broker: mosquitto restarted by the supervisor", "addr", b.addr, "pid", p.pid)
		return true
	})
}

// waitReady waits until Mosquitto has logged that it is running and a TCP dial
// to its port succeeds. If no "running" line shows up within a second (another
// Mosquitto version may word it differently) a successful dial is enough.
func (b *mosquittoBroker) waitReady(ctx context.Context, p *proc) error {
	start := time.Now()
	deadline := time.NewTimer(mosquittoReadyTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			if p.addrInUse.Load() {
				return fmt.Errorf("mosquitto could not listen on %s: %w%s", b.addr, errPortInUse, b.tail.String())
			}
			return fmt.Errorf("mosquitto exited during start-up (%s)%s", exitString(p.waitErr), b.tail.String())
		case <-ctx.Done():
			return fmt.Errorf("waiting for mosquitto to accept connections on %s: %w", b.addr, ctx.Err())
		case <-b.closing:
			return fmt.Errorf("waiting for mosquitto to accept connections on %s: %w", b.addr, ErrClosed)
		case <-deadline.C:
			return fmt.Errorf("mosquitto did not accept TCP connections on %s within %v%s", b.addr, mosquittoReadyTimeout, b.tail.String())
		case <-tick.C:
		}
		select {
		case <-p.running:
		default:
			if time.Since(start) < time.Second {
				continue
			}
		}
		c, err := net.DialTimeout("tcp", b.addr, 200*time.Millisecond)
		if err != nil {
			continue
		}
		_ = c.Close()
		return nil
	}
}

// stop stops p and waits until it is reaped: SIGTERM (or SIGKILL when kill),
// then SIGKILL after mosquittoStopTimeout. p may be nil or already gone.
func (b *mosquittoBroker) stop(p *proc, kill bool) {
	if p == nil {
		return
	}
	b.mu.Lock()
	p.intentional = true
	exited := p.exited
	b.mu.Unlock()
	if exited {
		return
	}
	sig := syscall.SIGTERM
	if kill {
		sig = syscall.SIGKILL
	}
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		_ = p.cmd.Process.Kill()
	}
	t := time.NewTimer(mosquittoStopTimeout)
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
		b.log.Warn("broker: mosquitto did not stop within the time allowed; killing it", "pid", p.pid, "after", mosquittoStopTimeout.String())
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	b.log.Info("broker: mosquitto stopped", "pid", p.pid, "signal", sig.String(), "exit", exitString(p.waitErr))
}

// Mode returns ModeMosquitto.
func (b *mosquittoBroker) Mode() Mode { return ModeMosquitto }

// Addr returns the loopback address Mosquitto listens on.
func (b *mosquittoBroker) Addr() string { return b.addr }

// Restart stops Mosquitto (SIGTERM, or SIGKILL when opts.Kill) and starts it
// again on the same port with the persistence opts asks for. With a clean stop
// a Mosquitto with persistence saves its database on the way down, so
// persistent sessions and their queued messages survive; a kill loses whatever
// changed since the last autosave (about two seconds with PersistenceDefault,
// up to 30 minutes with PersistenceOn). For PersistenceOff the database is
// deleted once the old child is gone, so the new one starts empty. If the new
// child does not come up, Restart returns the error and the supervisor keeps
// trying in the background, with the new configuration.
func (b *mosquittoBroker) Restart(ctx context.Context, opts RestartOptions) error {
	if err := opts.Persistence.check(); err != nil {
		return err
	}
	b.opMu.Lock()
	defer b.opMu.Unlock()
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return ErrClosed
	}
	old := b.cur
	persistence := b.persistence
	b.mu.Unlock()
	if opts.Persistence != "" {
		persistence = opts.Persistence
	}

	b.stop(old, opts.Kill)
	err := b.writeConfig(persistence)
	if err == nil && persistence == PersistenceOff {
		err = b.removeDatabase()
	}
	var p *proc
	if err == nil {
		p, err = b.startReady(ctx)
	}
	if err != nil {
		b.mu.Lock()
		if !b.closed {
			b.wg.Add(1)
			go b.supervise(b.cur)
		}
		b.mu.Unlock()
		return fmt.Errorf("broker: restart mosquitto on %s: %w", b.addr, err)
	}
	b.log.Info("broker: mosquitto restarted", "addr", b.addr, "pid", p.pid, "kill", opts.Kill, "persistence", string(persistence))
	return nil
}

// Status reports the persistence Mosquitto runs with and what it means.
func (b *mosquittoBroker) Status() Status {
	b.mu.Lock()
	p := b.persistence
	b.mu.Unlock()
	st := Status{Mode: ModeMosquitto, Persistence: p, RestartSupported: true}
	switch p {
	case PersistenceOff:
		st.Saving = "Mosquitto keeps sessions and queued messages in memory only: every restart, clean or crash, forgets them."
	case PersistenceOn:
		st.Saving = "Mosquitto saves its database at a clean stop and every 30 minutes (its default autosave_interval 1800): a crash loses everything queued since the last save."
		st.CrashLosesUnsaved = true
	default:
		st.Saving = "Mosquitto saves its database at a clean stop and every second or two (autosave_interval 1): a crash loses at most the last two seconds."
		st.CrashLosesUnsaved = true
	}
	return st
}

// Close stops Mosquitto (SIGTERM, then SIGKILL after 5 s), waits until it is
// reaped and stops the supervisor. It is idempotent and safe to call while the
// supervisor or a Restart is at work.
func (b *mosquittoBroker) Close() error {
	b.closeOnce.Do(func() {
		b.mu.Lock()
		b.closed = true
		b.mu.Unlock()
		close(b.closing)

		b.opMu.Lock()
		b.mu.Lock()
		p := b.cur
		b.mu.Unlock()
		b.stop(p, false)
		b.opMu.Unlock()

		b.wg.Wait()
		if err := removeTempDir(b.tempDir); err != nil {
			b.closeErr = err
		}
	})
	return b.closeErr
}

// pid returns the process id of the current child once it has started
// successfully, or 0 when none runs or it is still starting. Tests use it.
func (b *mosquittoBroker) pid() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cur == nil || b.cur.exited || !b.cur.supervised {
		return 0
	}
	return b.cur.pid
}

// exitString describes how a child ended, for log lines and errors.
func exitString(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// lineWriter receives a child's stdout or stderr, splits it into lines, logs
// each one and keeps it in the shared tail. exec calls Write from one goroutine
// per stream, so a lineWriter needs no lock of its own.
type lineWriter struct {
	gate   chan struct{} // closed once log is set; Write waits for it
	log    *slog.Logger
	level  slog.Level // level of ordinary lines
	tail   *lineRing
	onLine func(string)
	// classify, when set, gives each line its level instead of the
	// Mosquitto rules of emit.
	classify func(string) slog.Level
	buf      []byte // a partial line waiting for its end
}

// maxLineLen caps a line that never ends, so a runaway child cannot make the
// buffer grow without bound.
const maxLineLen = 64 << 10

// Write splits p into lines.
func (w *lineWriter) Write(p []byte) (int, error) {
	<-w.gate
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.emit(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > maxLineLen {
		w.emit(string(w.buf))
		w.buf = nil
	}
	return len(p), nil
}

// flush emits a last line that had no line break.
func (w *lineWriter) flush() {
	if len(w.buf) > 0 {
		w.emit(string(w.buf))
		w.buf = nil
	}
}

// emit logs one line. Mosquitto's output does not carry levels, so lines that
// start with "Error" or "Warning" are logged at Warn and the rest at the
// writer's level. Two kinds of lines are toned down: the warning about running
// as root (expected when the server runs as root) to Info, and "Saving
// in-memory database", which autosave_interval 1 prints every second or two,
// to Debug.
func (w *lineWriter) emit(line string) {
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return
	}
	w.tail.add(line)
	if w.onLine != nil {
		w.onLine(line)
	}
	level := w.level
	if w.classify != nil {
		w.log.Log(context.Background(), w.classify(line), line)
		return
	}
	switch {
	case strings.Contains(line, "should not be run as root"):
		level = slog.LevelInfo
	case strings.HasPrefix(line, "Saving in-memory database"):
		level = slog.LevelDebug
	case strings.HasPrefix(line, "Error"), strings.HasPrefix(line, "Warning"):
		level = slog.LevelWarn
	}
	w.log.Log(context.Background(), level, line)
}

// lineRing keeps the last max lines of output.
type lineRing struct {
	max int
	who string // whose output, for messages; "" means mosquitto
	// mu guards lines: the stdout and stderr writers add concurrently.
	mu    sync.Mutex
	lines []string
}

// add appends a line, dropping the oldest beyond max.
func (r *lineRing) add(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, line)
	if len(r.lines) > r.max {
		r.lines = append(r.lines[:0], r.lines[len(r.lines)-r.max:]...)
	}
}

// String formats the kept lines for the end of an error message.
func (r *lineRing) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	who := r.who
	if who == "" {
		who = "mosquitto"
	}
	if len(r.lines) == 0 {
		return "; " + who + " printed nothing"
	}
	return "; " + who + "'s last output:\n\t" + strings.Join(r.lines, "\n\t")
}
