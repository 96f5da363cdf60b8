package broker

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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
	"testing"
	"time"

	"qosplayground/app/mqttframe"
	"qosplayground/internal/testenv"
	"qosplayground/server/natsnode"
)

// helperDataDirEnv makes the test binary act as a server that starts a managed
// Mosquitto, prints its pid and then waits to be killed (see TestPdeathsig).
const helperDataDirEnv = "BROKER_TEST_HELPER_DATADIR"

func TestMain(m *testing.M) {
	natsnode.MaybeRun() // a node of TestNATSCluster's cluster
	if dir := os.Getenv(helperDataDirEnv); dir != "" {
		runHelperServer(dir)
		return
	}
	os.Exit(m.Run())
}

// runHelperServer starts a managed Mosquitto and blocks until it is killed.
func runHelperServer(dir string) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b, err := Start(context.Background(), Config{Spec: "mosquitto", DataDir: dir, Logger: log})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println("PID", b.(*mosquittoBroker).pid())
	select {}
}

// startBroker starts a broker for the test and closes it when the test ends.
func startBroker(t *testing.T, cfg Config) Broker {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = testenv.Logger(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	b, err := Start(ctx, cfg)
	if err != nil {
		t.Fatalf("Start(%q): %v", cfg.Spec, err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return b
}

// ---- a tiny MQTT 3.1.1 client over net.Conn ----

const (
	pktConnect    = 1
	pktConnack    = 2
	pktPublish    = 3
	pktPuback     = 4
	pktSubscribe  = 8
	pktSuback     = 9
	pktDisconnect = 14
)

// mqttConn is one raw MQTT 3.1.1 connection.
type mqttConn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

// mqttString encodes an MQTT UTF-8 string: a two-byte length, then the bytes.
func mqttString(s string) []byte { return mqttframe.AppendString(nil, s) }

// mqttDial connects and sends CONNECT. It returns the connection and the
// CONNACK's session-present flag.
func mqttDial(t *testing.T, addr, clientID string, cleanSession bool) (*mqttConn, bool) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	m := &mqttConn{t: t, c: c, r: bufio.NewReader(c)}
	t.Cleanup(func() { _ = c.Close() })

	body := mqttString("MQTT")
	flags := byte(0)
	if cleanSession {
		flags |= 0x02
	}
	body = append(body, 4, flags, 0, 30) // protocol level 4 (3.1.1), flags, keep-alive 30 s
	body = append(body, mqttString(clientID)...)
	m.send(pktConnect<<4, body)

	typ, _, rb := m.read()
	if typ != pktConnack || len(rb) != 2 {
		t.Fatalf("after CONNECT got packet type %d with %d bytes, want CONNACK (2) with 2 bytes", typ, len(rb))
	}
	if rb[1] != 0 {
		t.Fatalf("CONNACK return code: got %d, want 0 (accepted)", rb[1])
	}
	return m, rb[0]&1 == 1
}

// send writes one packet.
func (m *mqttConn) send(header byte, body []byte) {
	m.t.Helper()
	pkt := append(mqttframe.AppendHeader(nil, header, len(body)), body...)
	_ = m.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := m.c.Write(pkt); err != nil {
		m.t.Fatalf("write packet type %d: %v", header>>4, err)
	}
}

// read reads one packet and returns its type, flags and body.
func (m *mqttConn) read() (byte, byte, []byte) {
	m.t.Helper()
	_ = m.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	// The fixed header, peeked a byte at a time: m.r stays the stream.
	var h mqttframe.Header
	for n := 2; ; n++ {
		head, err := m.r.Peek(n)
		if err != nil {
			m.t.Fatalf("read fixed header: %v", err)
		}
		var ok bool
		if h, ok, err = mqttframe.ParseHeader(head); err != nil {
			m.t.Fatalf("read fixed header: %v", err)
		} else if ok {
			break
		}
	}
	pkt := make([]byte, h.Size)
	if _, err := io.ReadFull(m.r, pkt); err != nil {
		m.t.Fatalf("read packet body: %v", err)
	}
	return h.Type, h.Flags, h.Body(pkt)
}

// subscribe subscribes to topic at QoS 1 and checks that QoS 1 is granted.
func (m *mqttConn) subscribe(id uint16, topic string) {
	m.t.Helper()
	body := binary.BigEndian.AppendUint16(nil, id)
	body = append(body, mqttString(topic)...)
	body = append(body, 1)
	m.send(pktSubscribe<<4|0x02, body)
	typ, _, rb := m.read()
	if typ != pktSuback || len(rb) != 3 {
		m.t.Fatalf("after SUBSCRIBE got packet type %d with %d bytes, want SUBACK (9) with 3 bytes", typ, len(rb))
	}
	if got := binary.BigEndian.Uint16(rb); got != id {
		m.t.Fatalf("SUBACK packet id: got %d, want %d", got, id)
	}
	if rb[2] != 1 {
		m.t.Fatalf("SUBACK granted QoS: got %#x, want 1", rb[2])
	}
}

// publish publishes payload to topic at QoS 1 and waits for the PUBACK.
func (m *mqttConn) publish(id uint16, topic, payload string) {
	m.t.Helper()
	body := mqttString(topic)
	body = binary.BigEndian.AppendUint16(body, id)
	body = append(body, payload...)
	m.send(pktPublish<<4|0x02, body)
	typ, _, rb := m.read()
	if typ != pktPuback || len(rb) != 2 {
		m.t.Fatalf("after PUBLISH got packet type %d with %d bytes, want PUBACK (4) with 2 bytes", typ, len(rb))
	}
	if got := binary.BigEndian.Uint16(rb); got != id {
		m.t.Fatalf("PUBACK packet id: got %d, want %d", got, id)
	}
}

// expectPublish reads a QoS 1 PUBLISH, checks it and acknowledges it.
func (m *mqttConn) expectPublish(topic, payload string) {
	m.t.Helper()
	typ, flags, rb := m.read()
	if typ != pktPublish {
		m.t.Fatalf("got packet type %d, want PUBLISH (3)", typ)
	}
	if qos := flags >> 1 & 3; qos != 1 {
		m.t.Fatalf("PUBLISH QoS: got %d, want 1", qos)
	}
	tl := int(binary.BigEndian.Uint16(rb))
	gotTopic := string(rb[2 : 2+tl])
	id := binary.BigEndian.Uint16(rb[2+tl:])
	gotPayload := string(rb[4+tl:])
	if gotTopic != topic || gotPayload != payload {
		m.t.Fatalf("PUBLISH: got topic %q payload %q, want topic %q payload %q", gotTopic, gotPayload, topic, payload)
	}
	m.send(pktPuback<<4, binary.BigEndian.AppendUint16(nil, id))
}

// disconnect sends DISCONNECT and closes the connection.
func (m *mqttConn) disconnect() {
	m.t.Helper()
	m.send(pktDisconnect<<4, nil)
	_ = m.c.Close()
}

var uniq atomic.Int64

// roundTrip proves that the broker at addr works: a subscriber at QoS 1 gets a
// QoS 1 message that another client publishes.
func roundTrip(t *testing.T, addr string) {
	t.Helper()
	n := uniq.Add(1)
	topic := fmt.Sprintf("test/%s/%d", t.Name(), n)
	payload := fmt.Sprintf("hello %d", n)
	sub, _ := mqttDial(t, addr, fmt.Sprintf("sub-%d", n), true)
	sub.subscribe(1, topic)
	pub, _ := mqttDial(t, addr, fmt.Sprintf("pub-%d", n), true)
	pub.publish(7, topic, payload)
	sub.expectPublish(topic, payload)
	pub.disconnect()
	sub.disconnect()
}

// ---- process helpers ----

// procState returns the state letter of a process from /proc ("" if gone) and
// its command line.
func procState(pid int) (string, string) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", ""
	}
	cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return "?", string(cmdline)
	}
	return s[i+2 : i+3], strings.ReplaceAll(string(cmdline), "\x00", " ")
}

// processesWith returns the pids of live processes whose command line
// contains s (zombies have an empty command line and are not counted).
func processesWith(s string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && strings.Contains(string(cmdline), s) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// checkReaped fails unless pid is gone: neither running nor a zombie. A pid
// reused by an unrelated process counts as gone.
func checkReaped(t *testing.T, pid int, confPath string) {
	t.Helper()
	state, cmdline := procState(pid)
	if state == "" {
		return
	}
	if state == "Z" {
		t.Errorf("mosquitto pid %d is a zombie after Close: it was not waited for", pid)
		return
	}
	if strings.Contains(cmdline, confPath) {
		t.Errorf("mosquitto pid %d still runs after Close (state %s)", pid, state)
	}
}

// ---- tests ----

func TestParseSpec(t *testing.T) {
	tests := []struct {
		spec     string
		wantMode Mode
		wantAddr string
		wantErr  string // substring of the error; "" means no error
	}{
		{spec: "", wantMode: ModeAuto},
		{spec: "auto", wantMode: ModeAuto},
		{spec: " AUTO ", wantMode: ModeAuto},
		{spec: "mosquitto", wantMode: ModeMosquitto},
		{spec: "Mosquitto", wantMode: ModeMosquitto},
		{spec: "embedded", wantMode: ModeEmbedded},
		{spec: "tcp://127.0.0.1:1883", wantMode: ModeExternal, wantAddr: "127.0.0.1:1883"},
		{spec: "TCP://localhost:1883/", wantMode: ModeExternal, wantAddr: "localhost:1883"},
		{spec: "mqtt://broker.example:1883", wantMode: ModeExternal, wantAddr: "broker.example:1883"},
		{spec: "tcp://[::1]:1883", wantMode: ModeExternal, wantAddr: "[::1]:1883"},
		{spec: "bogus", wantErr: `unknown -broker value "bogus"`},
		{spec: "localhost:1883", wantErr: "unknown -broker value"},
		{spec: "ws://localhost:8080", wantErr: `scheme "ws"`},
		{spec: "ssl://localhost:8883", wantErr: `scheme "ssl"`},
		{spec: "tcp://localhost", wantErr: "must be tcp://host:port"},
		{spec: "tcp://:1883", wantErr: "has no host"},
		{spec: "tcp://localhost:0", wantErr: "from 1 to 65535"},
		{spec: "tcp://localhost:99999", wantErr: "from 1 to 65535"},
		{spec: "tcp://localhost:mqtt", wantErr: "invalid port"},
		{spec: "tcp://localhost:1883/topic", wantErr: "without user, path, query or fragment"},
		{spec: "tcp://user:pw@localhost:1883", wantErr: "without user, path, query or fragment"},
		{spec: "tcp://localhost:1883?x=1", wantErr: "without user, path, query or fragment"},
		{spec: "tcp://local host:1883", wantErr: "not a valid URL"},
	}
	for _, tt := range tests {
		mode, addr, err := ParseSpec(tt.spec)
		if tt.wantErr != "" {
			if err == nil {
				t.Errorf("ParseSpec(%q): got mode %q addr %q and no error, want an error containing %q", tt.spec, mode, addr, tt.wantErr)
				continue
			}
			if !strings.HasPrefix(err.Error(), "broker: ") || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseSpec(%q): got error %q, want one starting with \"broker: \" and containing %q", tt.spec, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSpec(%q): got error %v, want mode %q", tt.spec, err, tt.wantMode)
			continue
		}
		if mode != tt.wantMode || addr != tt.wantAddr {
			t.Errorf("ParseSpec(%q): got (%q, %q), want (%q, %q)", tt.spec, mode, addr, tt.wantMode, tt.wantAddr)
		}
	}
}

func TestStartRejectsBadSpec(t *testing.T) {
	_, err := Start(context.Background(), Config{Spec: "nonsense", Logger: testenv.Logger(t)})
	if err == nil || !strings.Contains(err.Error(), "unknown -broker value") {
		t.Fatalf("Start with a bad spec: got error %v, want one about an unknown -broker value", err)
	}
}

func TestLookupMosquittoMissingPath(t *testing.T) {
	_, err := LookupMosquitto(filepath.Join(t.TempDir(), "no-such-mosquitto"))
	if !errors.Is(err, ErrMosquittoNotFound) {
		t.Fatalf("LookupMosquitto(missing file): got %v, want an error wrapping ErrMosquittoNotFound", err)
	}
	_, err = Start(context.Background(), Config{Spec: "auto", MosquittoPath: "/no/such/mosquitto", Logger: testenv.Logger(t)})
	if !errors.Is(err, ErrMosquittoNotFound) {
		t.Fatalf("Start(auto) with a missing MosquittoPath: got %v, want an error wrapping ErrMosquittoNotFound", err)
	}
}

func TestStartEmbedded(t *testing.T) {
	b := startBroker(t, Config{Spec: "embedded"})
	if got := b.Mode(); got != ModeEmbedded {
		t.Fatalf("Mode: got %q, want %q", got, ModeEmbedded)
	}
	if !strings.HasPrefix(b.Addr(), "127.0.0.1:") || strings.HasSuffix(b.Addr(), ":0") {
		t.Fatalf("Addr: got %q, want 127.0.0.1 with a real port", b.Addr())
	}
	roundTrip(t, b.Addr())
	for i := 0; i < 2; i++ {
		if err := b.Close(); err != nil {
			t.Fatalf("Close #%d: got %v, want nil", i+1, err)
		}
	}
	if err := b.Restart(context.Background(), RestartOptions{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Restart after Close: got %v, want ErrClosed", err)
	}
	if c, err := net.DialTimeout("tcp", b.Addr(), time.Second); err == nil {
		_ = c.Close()
		t.Fatalf("dial %s after Close: got a connection, want refused", b.Addr())
	}
}

func TestStartMosquitto(t *testing.T) {
	testenv.NeedMosquitto(t)
	dir := t.TempDir()
	b := startBroker(t, Config{Spec: "mosquitto", DataDir: dir})
	if got := b.Mode(); got != ModeMosquitto {
		t.Fatalf("Mode: got %q, want %q", got, ModeMosquitto)
	}
	roundTrip(t, b.Addr())

	conf, err := os.ReadFile(filepath.Join(dir, "mosquitto", "mosquitto.conf"))
	if err != nil {
		t.Fatalf("read generated config: %v", err)
	}
	_, port, _ := net.SplitHostPort(b.Addr())
	for _, want := range []string{
		"listener " + port + " 127.0.0.1\n",
		"allow_anonymous true\n",
		"persistence true\n",
		"persistence_location " + filepath.Join(dir, "mosquitto") + "/\n",
		"autosave_interval 1\n",
		"persistent_client_expiration 1d\n",
		"max_queued_messages 1000\n",
		"log_dest stderr\n",
		"log_type information\n",
		"connection_messages true\n",
	} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("generated config lacks %q; got:\n%s", want, conf)
		}
	}
	if strings.Contains(string(conf), "pid_file") {
		t.Errorf("generated config has a pid_file line; want none")
	}
}

func TestStartMosquittoWithoutDataDir(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := startBroker(t, Config{Spec: "mosquitto"})
	roundTrip(t, b.Addr())
	tmp := b.(*mosquittoBroker).tempDir
	if tmp == "" {
		t.Fatalf("tempDir: got \"\", want a temporary data directory")
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatalf("temporary data directory %s after Close: got stat error %v, want it removed", tmp, err)
	}
}

func TestStartAuto(t *testing.T) {
	want := ModeEmbedded
	if _, err := LookupMosquitto(""); err == nil {
		want = ModeMosquitto
	} else if os.Getenv("CI") != "" {
		t.Fatalf("mosquitto is required when CI is set: %v", err)
	}
	for _, spec := range []string{"", "auto"} {
		b := startBroker(t, Config{Spec: spec, DataDir: t.TempDir()})
		if got := b.Mode(); got != want {
			t.Errorf("Start(%q).Mode(): got %q, want %q", spec, got, want)
		}
		roundTrip(t, b.Addr())
	}
}

func TestStartExternal(t *testing.T) {
	emb := startBroker(t, Config{Spec: "embedded"})
	for _, scheme := range []string{"tcp", "mqtt"} {
		b := startBroker(t, Config{Spec: scheme + "://" + emb.Addr()})
		if got := b.Mode(); got != ModeExternal {
			t.Fatalf("Mode: got %q, want %q", got, ModeExternal)
		}
		if got := b.Addr(); got != emb.Addr() {
			t.Fatalf("Addr: got %q, want %q", got, emb.Addr())
		}
		roundTrip(t, b.Addr())
		if err := b.Restart(context.Background(), RestartOptions{}); !errors.Is(err, ErrNotSupported) {
			t.Fatalf("Restart: got %v, want ErrNotSupported", err)
		}
		if err := b.Close(); err != nil {
			t.Fatalf("Close: got %v, want nil", err)
		}
	}
	// Closing the external broker must leave the real one running.
	roundTrip(t, emb.Addr())
}

func TestStartExternalUnreachable(t *testing.T) {
	port, err := freeLoopbackPort()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Start(context.Background(), Config{Spec: fmt.Sprintf("tcp://127.0.0.1:%d", port), Logger: testenv.Logger(t)})
	if err == nil || !strings.Contains(err.Error(), "not reachable") {
		t.Fatalf("Start with nothing listening: got %v, want a \"not reachable\" error", err)
	}
}

func TestRestart(t *testing.T) {
	for _, mode := range []Mode{ModeMosquitto, ModeEmbedded} {
		for _, kill := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/kill=%v", mode, kill), func(t *testing.T) {
				if mode == ModeMosquitto {
					testenv.NeedMosquitto(t)
				}
				b := startBroker(t, Config{Spec: string(mode), DataDir: t.TempDir()})
				addr := b.Addr()
				roundTrip(t, addr)
				oldPid := 0
				if m, ok := b.(*mosquittoBroker); ok {
					oldPid = m.pid()
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := b.Restart(ctx, RestartOptions{Kill: kill}); err != nil {
					t.Fatalf("Restart(kill=%v): %v", kill, err)
				}
				if got := b.Addr(); got != addr {
					t.Fatalf("Addr after Restart: got %q, want %q", got, addr)
				}
				if m, ok := b.(*mosquittoBroker); ok {
					if got := m.pid(); got == oldPid || got == 0 {
						t.Fatalf("pid after Restart: got %d, want a new process (old pid %d)", got, oldPid)
					}
					checkReaped(t, oldPid, m.confPath)
				}
				roundTrip(t, addr)
			})
		}
	}
}

func TestSupervisorRestartsKilledMosquitto(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := startBroker(t, Config{Spec: "mosquitto", DataDir: t.TempDir()})
	m := b.(*mosquittoBroker)
	for round := 1; round <= 2; round++ {
		old := m.pid()
		if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
			t.Fatalf("kill mosquitto pid %d: %v", old, err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			if p := m.pid(); p != 0 && p != old {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the supervisor did not start a new mosquitto within 10 s (old pid %d)", round, old)
			}
			time.Sleep(20 * time.Millisecond)
		}
		checkReaped(t, old, m.confPath)
		if got := b.Addr(); got != m.addr {
			t.Fatalf("Addr after supervisor restart: got %q, want %q", got, m.addr)
		}
		roundTrip(t, b.Addr())
	}
}

func TestCloseLeavesNoMosquitto(t *testing.T) {
	testenv.NeedMosquitto(t)
	t.Run("plain", func(t *testing.T) {
		b := startBroker(t, Config{Spec: "mosquitto", DataDir: t.TempDir()})
		m := b.(*mosquittoBroker)
		pid := m.pid()
		if err := b.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if err := b.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		checkReaped(t, pid, m.confPath)
		if pids := processesWith(m.confPath); len(pids) != 0 {
			t.Fatalf("mosquitto processes with our config after Close: got %v, want none", pids)
		}
		if err := b.Restart(context.Background(), RestartOptions{}); !errors.Is(err, ErrClosed) {
			t.Fatalf("Restart after Close: got %v, want ErrClosed", err)
		}
	})
	t.Run("racing the supervisor", func(t *testing.T) {
		for _, wait := range []time.Duration{0, 90 * time.Millisecond, 120 * time.Millisecond, 200 * time.Millisecond} {
			b := startBroker(t, Config{Spec: "mosquitto", DataDir: t.TempDir()})
			m := b.(*mosquittoBroker)
			pid := m.pid()
			if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
				t.Fatalf("kill mosquitto: %v", err)
			}
			time.Sleep(wait)
			var wg sync.WaitGroup
			for i := 0; i < 3; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := b.Close(); err != nil {
						t.Errorf("Close: %v", err)
					}
				}()
			}
			wg.Wait()
			checkReaped(t, pid, m.confPath)
			if pids := processesWith(m.confPath); len(pids) != 0 {
				t.Fatalf("after waiting %v: mosquitto processes with our config after Close: got %v, want none", wait, pids)
			}
		}
	})
	t.Run("racing Restart", func(t *testing.T) {
		b := startBroker(t, Config{Spec: "mosquitto", DataDir: t.TempDir()})
		m := b.(*mosquittoBroker)
		done := make(chan error, 1)
		go func() { done <- b.Restart(context.Background(), RestartOptions{}) }()
		time.Sleep(5 * time.Millisecond)
		if err := b.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if err := <-done; err != nil && !errors.Is(err, ErrClosed) {
			t.Logf("Restart racing Close returned %v", err)
		}
		if pids := processesWith(m.confPath); len(pids) != 0 {
			t.Fatalf("mosquitto processes with our config after Close: got %v, want none", pids)
		}
	})
}

// TestPdeathsig kills a server (this test binary in helper mode) with SIGKILL
// and checks that its Mosquitto child dies with it.
func TestPdeathsig(t *testing.T) {
	testenv.NeedMosquitto(t)
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("SKIP: needs Linux /proc")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperDataDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start helper server: %v", err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read helper output: %v", err)
	}
	var pid int
	if _, err := fmt.Sscanf(line, "PID %d", &pid); err != nil || pid <= 0 {
		t.Fatalf("helper said %q, want \"PID <n>\"", line)
	}
	if state, _ := procState(pid); state == "" || state == "Z" {
		t.Fatalf("mosquitto pid %d before killing the server: state %q, want running", pid, state)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	conf := filepath.Join(dir, "mosquitto", "mosquitto.conf")
	deadline := time.Now().Add(5 * time.Second)
	for {
		state, cmdline := procState(pid)
		// Gone, a zombie waiting for init to reap it, or a reused pid: dead.
		if state == "" || state == "Z" || !strings.Contains(cmdline, conf) {
			return
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("mosquitto pid %d still runs 5 s after its server was killed (state %s)", pid, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// persistentSessionAcrossRestart subscribes a persistent session at QoS 1,
// disconnects it, queues a QoS 1 message for it, calls restart and reconnects.
// It returns whether the session was present and, if so, checks that the
// queued message arrives.
func persistentSessionAcrossRestart(t *testing.T, b Broker, restart func()) bool {
	t.Helper()
	n := uniq.Add(1)
	id := fmt.Sprintf("persist-%d", n)
	topic := fmt.Sprintf("test/persist/%d", n)
	payload := fmt.Sprintf("queued %d", n)

	sub, present := mqttDial(t, b.Addr(), id, false)
	if present {
		t.Fatalf("first CONNECT of %s: got session present, want a new session", id)
	}
	sub.subscribe(3, topic)
	sub.disconnect()

	pub, _ := mqttDial(t, b.Addr(), id+"-pub", true)
	pub.publish(9, topic, payload)
	pub.disconnect()

	restart()

	sub, present = mqttDial(t, b.Addr(), id, false)
	if present {
		sub.expectPublish(topic, payload)
	}
	sub.disconnect()
	return present
}

func TestMosquittoPersistentSessionSurvivesCleanRestart(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := startBroker(t, Config{Spec: "mosquitto", DataDir: t.TempDir()})
	present := persistentSessionAcrossRestart(t, b, func() {
		if err := b.Restart(context.Background(), RestartOptions{}); err != nil {
			t.Fatalf("Restart(kill=false): %v", err)
		}
	})
	if !present {
		t.Fatalf("session present after a clean restart: got false, want true")
	}
}

func TestMosquittoAutosaveSurvivesKill(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := startBroker(t, Config{Spec: "mosquitto", DataDir: t.TempDir()})
	db := filepath.Join(b.(*mosquittoBroker).dir, "mosquitto.db")
	present := persistentSessionAcrossRestart(t, b, func() {
		// autosave_interval 1 promises a save within about 2 s: wait for the
		// first database file written after the message was queued (Mosquitto
		// writes a new file and renames it, so its mtime marks a whole save).
		queued := time.Now()
		deadline := queued.Add(4 * time.Second)
		for {
			if fi, err := os.Stat(db); err == nil && fi.ModTime().After(queued) {
				t.Logf("autosave came %v after the message was queued", fi.ModTime().Sub(queued).Round(time.Millisecond))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no autosave of %s within 4 s of queueing a message; want one within about 2 s", db)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err := b.Restart(context.Background(), RestartOptions{Kill: true}); err != nil {
			t.Fatalf("Restart(kill=true): %v", err)
		}
	})
	if !present {
		t.Fatalf("session present after autosave and a kill: got false, want true")
	}
}

func TestMosquittoRetriesWhenPortIsTaken(t *testing.T) {
	testenv.NeedMosquitto(t)
	squatter, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	taken := squatter.Addr().(*net.TCPAddr).Port

	calls := 0
	pickPort = func() (int, error) {
		calls++
		if calls == 1 {
			return taken, nil
		}
		return freeLoopbackPort()
	}
	defer func() { pickPort = freeLoopbackPort }()
	b := startBroker(t, Config{Spec: "mosquitto", DataDir: t.TempDir()})
	if got, bad := b.Addr(), fmt.Sprintf("127.0.0.1:%d", taken); got == bad {
		t.Fatalf("Addr: got the taken port %q, want another one", got)
	}
	if calls != 2 {
		t.Fatalf("ports picked: got %d, want 2 (the taken one, then a free one)", calls)
	}
	roundTrip(t, b.Addr())

	// With every attempt hitting a taken port Start gives up after three.
	calls = 0
	pickPort = func() (int, error) { calls++; return taken, nil }
	_, err = Start(context.Background(), Config{Spec: "mosquitto", DataDir: t.TempDir(), Logger: testenv.Logger(t)})
	if err == nil || !strings.Contains(err.Error(), "Address already in use") {
		t.Fatalf("Start with every port taken: got %v, want an error quoting mosquitto's \"Address already in use\"", err)
	}
	if calls != mosquittoPortAttempts {
		t.Fatalf("ports picked: got %d, want %d", calls, mosquittoPortAttempts)
	}
}

// fakeMosquitto writes a shell script that stands in for Mosquitto.
func fakeMosquitto(t *testing.T, body string) string {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("SKIP: no sh to run a fake mosquitto")
	}
	path := filepath.Join(t.TempDir(), "fake-mosquitto")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMosquittoStartErrorsQuoteItsOutput(t *testing.T) {
	t.Run("exits at once", func(t *testing.T) {
		path := fakeMosquitto(t, `echo "Error: something is broken" >&2; exit 3`)
		_, err := Start(context.Background(), Config{Spec: "mosquitto", MosquittoPath: path, DataDir: t.TempDir(), Logger: testenv.Logger(t)})
		if err == nil || !strings.HasPrefix(err.Error(), "broker: ") ||
			!strings.Contains(err.Error(), "exited during start-up") || !strings.Contains(err.Error(), "Error: something is broken") {
			t.Fatalf("Start: got error %v, want a \"broker: \" error saying it exited and quoting its output", err)
		}
	})
	t.Run("never listens", func(t *testing.T) {
		mosquittoReadyTimeout = 1500 * time.Millisecond
		defer func() { mosquittoReadyTimeout = 5 * time.Second }()
		pidFile := filepath.Join(t.TempDir(), "pid")
		path := fakeMosquitto(t, `echo $$ > `+pidFile+`; echo "fake broker thinking" >&2; exec sleep 30`)
		_, err := Start(context.Background(), Config{Spec: "mosquitto", MosquittoPath: path, DataDir: t.TempDir(), Logger: testenv.Logger(t)})
		if err == nil || !strings.Contains(err.Error(), "did not accept TCP connections") || !strings.Contains(err.Error(), "fake broker thinking") {
			t.Fatalf("Start: got error %v, want a time-out quoting the broker's output", err)
		}
		t.Logf("the error reads: %v", err)
		b, err := os.ReadFile(pidFile)
		if err != nil {
			t.Fatalf("read the fake broker's pid: %v", err)
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if state, cmdline := procState(pid); state != "" && strings.Contains(cmdline, "sleep 30") {
			t.Fatalf("fake broker pid %d after the failed Start: state %q, want it killed and reaped", pid, state)
		}
	})
}
