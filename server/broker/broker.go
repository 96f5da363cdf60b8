package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Mode says which kind of broker runs.
type Mode string

const (
	// ModeAuto is what [ParseSpec] returns for "" and "auto": [Start] turns it into
	// ModeMosquitto when Mosquitto is installed and into ModeEmbedded otherwise. A
	// running [Broker] never reports it.
	ModeAuto Mode = "auto"
	// ModeMosquitto is a Mosquitto child process that this package starts,
	// configures, supervises and stops.
	ModeMosquitto Mode = "mosquitto"
	// ModeEmbedded is the mochi-mqtt v2 broker running inside this process.
	ModeEmbedded Mode = "embedded"
	// ModeExternal is an existing broker, given as tcp://host:port, that this
	// package does not manage.
	ModeExternal Mode = "external"
	// ModeNATSCluster is a cluster of three NATS Server nodes on this
	// machine that this package starts, configures and stops
	// (cluster.go): MQTT sessions live in JetStream on every node.
	ModeNATSCluster Mode = "nats-cluster"
	// ModeCluster is several existing brokers of one cluster (e.g. NATS
	// Server nodes), given as tcp://host:port,tcp://host:port: the gateway
	// dials any live one.
	ModeCluster Mode = "cluster"
)

// Config tells [Start] which broker to run and where.
type Config struct {
	// Spec chooses the broker: "" or "auto" (Mosquitto if it is found, else the
	// embedded broker), "mosquitto", "embedded", or "tcp://host:port" for an
	// external broker ("mqtt://host:port" is accepted as an alias).
	Spec string

	// DataDir is where managed Mosquitto keeps its configuration file and its
	// persistence database, in the subdirectory "mosquitto", and where the
	// embedded broker keeps its store, in the subdirectory "embedded". It is
	// created if missing. When it is empty a temporary directory is used and
	// removed by Close, so nothing survives the server.
	DataDir string

	// MosquittoPath is the Mosquitto executable. "" means look up "mosquitto" on
	// PATH and then in /usr/sbin and /usr/local/sbin (Debian installs it in
	// /usr/sbin, which is not always on PATH). A path that is given but not
	// found is an error, even in auto mode.
	MosquittoPath string

	// Persistence is the setting a managed broker starts with; "" means
	// PersistenceDefault. PersistenceOff deletes the saved state at start.
	// An external broker ignores it.
	Persistence Persistence

	// NATSServer is the nats-server executable for ModeNATSCluster. ""
	// means this program's own executable, run with NATSNodeEnv set: its
	// main must then run a node (package qosplayground/server/natsnode),
	// built with the QoS 2 fix in third_party/nats-server, which a
	// nats-server executable as released lacks.
	NATSServer string

	// Logger receives the broker's own log lines (Mosquitto's output, mochi's
	// warnings) and this package's messages. Nil means slog.Default().
	Logger *slog.Logger
}

// Broker is a running MQTT 3.1.1 broker reachable over TCP.
//
// Its methods are safe for concurrent use.
type Broker interface {
	// Mode says which kind of broker this is; never ModeAuto.
	Mode() Mode

	// Addr is the host:port to dial over TCP, for example "127.0.0.1:41234". It
	// does not change over the broker's life, not even across Restart.
	Addr() string

	// Restart stops the broker and starts it again on the same address, and
	// returns once it accepts TCP connections again. Without opts.Kill the
	// broker is asked to stop (SIGTERM for Mosquitto, which saves its database
	// on the way down); with it the broker is killed (SIGKILL), losing what it
	// had not saved yet. The broker comes back with opts.Persistence ("" keeps
	// the current setting). Every client connection is dropped either way.
	// An external broker returns ErrNotSupported, a closed broker ErrClosed,
	// and an unknown persistence value an error that names it.
	Restart(ctx context.Context, opts RestartOptions) error

	// Status says what kind of broker this is, how it keeps its state now and
	// whether Restart can work on it, in words a learner can read.
	Status() Status

	// Close stops the broker and waits until it has stopped. It is idempotent:
	// later calls wait for the first one and return its result.
	Close() error
}

// Addrs returns every address b can be dialled at: all the nodes of a
// cluster, else just b.Addr().
func Addrs(b Broker) []string {
	if m, ok := b.(interface{ Addrs() []string }); ok {
		return m.Addrs()
	}
	return []string{b.Addr()}
}

// ErrNotSupported is returned by Restart for an external broker, which this
// package does not control.
var ErrNotSupported = errors.New("broker: not supported for an external broker")

// ErrClosed is returned by Restart after Close.
var ErrClosed = errors.New("broker: closed")

// ErrMosquittoNotFound is returned, wrapped, by [LookupMosquitto] when no
// Mosquitto executable can be found.
var ErrMosquittoNotFound = errors.New("broker: mosquitto not found")

// mosquittoFallbackPaths are tried after PATH: Debian and Ubuntu install
// Mosquitto in /usr/sbin, which is often not on an ordinary user's PATH.
var mosquittoFallbackPaths = []string{"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"}

// ParseSpec checks a -broker value and says which mode it selects. For
// ModeExternal it also returns the host:port to dial, for ModeCluster the
// host:port of every broker, separated by commas; for the other modes the
// address is "". "" and "auto" give ModeAuto. Keywords are matched without
// regard to case or surrounding spaces.
func ParseSpec(spec string) (Mode, string, error) {
	s := strings.TrimSpace(spec)
	switch strings.ToLower(s) {
	case "", string(ModeAuto):
		return ModeAuto, "", nil
	case string(ModeMosquitto):
		return ModeMosquitto, "", nil
	case string(ModeEmbedded):
		return ModeEmbedded, "", nil
	case string(ModeNATSCluster):
		return ModeNATSCluster, "", nil
	}
	if strings.Contains(s, ",") {
		var addrs []string
		for part := range strings.SplitSeq(s, ",") {
			if strings.TrimSpace(part) == "" {
				return "", "", fmt.Errorf("broker: -broker value %q has an empty address in its list", spec)
			}
			m, a, err := ParseSpec(part)
			if err != nil {
				return "", "", err
			}
			if m != ModeExternal {
				return "", "", fmt.Errorf("broker: -broker value %q: a list holds only tcp://host:port addresses, not %q", spec, strings.TrimSpace(part))
			}
			if slices.Contains(addrs, a) {
				return "", "", fmt.Errorf("broker: -broker value %q names %s twice", spec, a)
			}
			addrs = append(addrs, a)
		}
		return ModeCluster, strings.Join(addrs, ","), nil
	}
	if !strings.Contains(s, "://") {
		return "", "", fmt.Errorf("broker: unknown -broker value %q (want auto, mosquitto, embedded, nats-cluster, tcp://host:port, or several tcp://host:port separated by commas)", spec)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", "", fmt.Errorf("broker: -broker value %q is not a valid URL: %w", spec, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "tcp", "mqtt":
	default:
		return "", "", fmt.Errorf("broker: -broker value %q has scheme %q; only tcp://host:port (or mqtt://host:port) is supported", spec, u.Scheme)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", "", fmt.Errorf("broker: -broker value %q must be just tcp://host:port, without user, path, query or fragment", spec)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return "", "", fmt.Errorf("broker: -broker value %q must be tcp://host:port: %w", spec, err)
	}
	if host == "" {
		return "", "", fmt.Errorf("broker: -broker value %q has no host; want tcp://host:port", spec)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", "", fmt.Errorf("broker: -broker value %q has port %q; want a number from 1 to 65535", spec, port)
	}
	return ModeExternal, net.JoinHostPort(host, port), nil
}

// LookupMosquitto finds the Mosquitto executable. A non-empty path is checked
// as given (a bare name is looked up on PATH). An empty path means "mosquitto"
// on PATH, then /usr/sbin/mosquitto and /usr/local/sbin/mosquitto. The error
// wraps ErrMosquittoNotFound.
func LookupMosquitto(path string) (string, error) {
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("%w at %q: %w", ErrMosquittoNotFound, path, err)
		}
		return p, nil
	}
	p, err := exec.LookPath("mosquitto")
	if err == nil {
		return p, nil
	}
	for _, c := range mosquittoFallbackPaths {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w on PATH or in %s", ErrMosquittoNotFound, strings.Join(mosquittoFallbackPaths, ", "))
}

// Start starts (or, for an external broker, checks) the broker that cfg
// describes and returns once it accepts TCP connections. ctx bounds only the
// start-up: the broker keeps running until Close. In auto mode a Mosquitto that
// is found but fails to start is an error, not a silent fall-back to the
// embedded broker.
func Start(ctx context.Context, cfg Config) (Broker, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	mode, addr, err := ParseSpec(cfg.Spec)
	if err != nil {
		return nil, err
	}
	if err := cfg.Persistence.check(); err != nil {
		return nil, err
	}
	switch mode {
	case ModeAuto:
		path, err := LookupMosquitto(cfg.MosquittoPath)
		if err != nil {
			if cfg.MosquittoPath != "" {
				return nil, err
			}
			log.Info("broker: mosquitto not found; using the embedded broker", "reason", err)
			return startEmbedded(cfg, log)
		}
		b, err := startMosquitto(ctx, cfg, path, log)
		if err != nil {
			return nil, fmt.Errorf("%w (use -broker embedded to run without Mosquitto)", err)
		}
		return b, nil
	case ModeMosquitto:
		path, err := LookupMosquitto(cfg.MosquittoPath)
		if err != nil {
			return nil, err
		}
		return startMosquitto(ctx, cfg, path, log)
	case ModeEmbedded:
		return startEmbedded(cfg, log)
	case ModeNATSCluster:
		return startNATSCluster(ctx, cfg, log)
	case ModeCluster:
		return startExternalCluster(ctx, strings.Split(addr, ","), log)
	default:
		return startExternal(ctx, addr, log)
	}
}

// freeLoopbackPort asks the kernel for a free TCP port on 127.0.0.1. The port is
// free when this returns but may be taken by someone else before it is used;
// callers retry with another port when that happens.
func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("broker: find a free port on 127.0.0.1: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("broker: find a free port on 127.0.0.1: %w", err)
	}
	return port, nil
}

// minLevelHandler passes on only records at or above min. It keeps a chatty
// logger (mochi logs every connection at Info) from flooding the server's log.
type minLevelHandler struct {
	min slog.Level
	h   slog.Handler
}

// Enabled reports whether a record at level l gets through.
func (m minLevelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}

// Handle passes the record on. mochi logs the end of every client
// connection at Warn with an empty message (error=EOF for a normal close):
// that is routine, so it counts as Debug.
func (m minLevelHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "" {
		if m.min > slog.LevelDebug {
			return nil
		}
		r.Message, r.Level = "client connection ended", slog.LevelDebug
	}
	return m.h.Handle(ctx, r)
}

// WithAttrs keeps the filter on the derived handler.
func (m minLevelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevelHandler{min: m.min, h: m.h.WithAttrs(attrs)}
}

// WithGroup keeps the filter on the derived handler.
func (m minLevelHandler) WithGroup(name string) slog.Handler {
	return minLevelHandler{min: m.min, h: m.h.WithGroup(name)}
}

// brokerDir returns a broker's own directory, name, inside dataDir as an
// absolute path, or, when dataDir is empty, inside a temporary directory it
// creates, also returned as temp: the broker removes it at Close
// (removeTempDir). The directory itself is not created.
func brokerDir(dataDir, name string) (dir, temp string, err error) {
	if dataDir == "" {
		if dataDir, err = os.MkdirTemp("", "qosplayground-"+name+"-"); err != nil {
			return "", "", fmt.Errorf("broker: create a temporary data directory: %w", err)
		}
		temp = dataDir
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		_ = removeTempDir(temp)
		return "", "", fmt.Errorf("broker: data directory %q: %w", dataDir, err)
	}
	return filepath.Join(abs, name), temp, nil
}

// removeTempDir removes temp, a data directory dataDirOrTemp created; ""
// is none.
func removeTempDir(temp string) error {
	if temp == "" {
		return nil
	}
	if err := os.RemoveAll(temp); err != nil {
		return fmt.Errorf("broker: remove temporary data directory: %w", err)
	}
	return nil
}
