// Command server serves QoS Playground: the go-app pages (pre-rendered), the
// PWA manifest and service worker, the web/ assets with app.wasm, and the
// /mqtt WebSocket endpoint that relays MQTT to a real broker.
//
// Usage:
//
//	server [flags]
//
// The broker is managed Mosquitto when mosquitto is installed, the embedded
// mochi-mqtt broker otherwise, or any MQTT 3.1.1 broker given with
// -broker tcp://host:port.
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
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"qosplayground/app/classroom"
	"qosplayground/server/broker"
	"qosplayground/server/distweb"
	"qosplayground/server/gateway"
	"qosplayground/server/internal/forwarded"
	"qosplayground/server/natsnode"
)

func main() {
	// A NATS node of the managed cluster (-broker nats-cluster) is this
	// same executable, started again with natsnode.Env set.
	natsnode.MaybeRun()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "server:", err)
		}
		os.Exit(1)
	}
}

// buildVersion is stamped by `make dist` (-ldflags -X main.buildVersion=...).
var buildVersion = "dev"

// versionString is what -version prints.
func versionString() string {
	embedded := "web assets from -web"
	if distweb.FS != nil {
		embedded = "web assets embedded"
	}
	return fmt.Sprintf("qos-playground %s (%s, %s/%s, %s)", buildVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH, embedded)
}

// config is the server's command line.
type config struct {
	addr      string // listen address
	dataDir   string // broker persistence and config
	brokerArg string // auto, mosquitto, embedded or tcp://host:port
	webDir    string // static assets, app.wasm included
	origins   string // extra allowed Origin host patterns, comma separated
	maxPacket int    // MQTT packet size limit in bytes
	logLevel  string // debug, info, warn or error
	faults    bool   // tabs may cut their own /mqtt connection (fault lab)
	restart   string // auto, on or off: may a page restart the broker (brokerapi.go)
	frames    string // CSP frame-ancestors sources: who may embed the pages (csp.go)
	static    string // write the static build into this directory and exit (static.go)
	classroom bool   // keep learners apart: client ids per tab, topics per room (gateway/classroom.go)
	teacher   string // -teacher-key-file: the teacher's key's file, "" for no board (teacher.go)
	webSet    bool   // -web was given: a dist build then serves it, not its embedded copy
	version   bool   // print the version and exit

	// HTTPS, served directly or by a reverse proxy in front.
	tlsCert, tlsKey string            // PEM files, both or neither
	trustedProxies  forwarded.Trusted // peers whose X-Forwarded-* headers are believed
}

func parseFlags(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(out)
	defaultData := filepath.Join(os.TempDir(), "qos-playground")
	if dir, err := os.UserCacheDir(); err == nil {
		defaultData = filepath.Join(dir, "qos-playground")
	}
	fs.StringVar(&c.addr, "addr", "localhost:8080", "`host:port` to listen on (port 0 picks a free one)")
	fs.StringVar(&c.dataDir, "data", defaultData, "`dir`ectory for the managed broker's config and persistence")
	fs.StringVar(&c.brokerArg, "broker", "auto", "broker: auto (Mosquitto if installed, else embedded), mosquitto, embedded, nats-cluster (three NATS Server nodes on this machine, run by this server), tcp://host:port of an existing broker, or several tcp://host:port of one cluster separated by commas")
	fs.StringVar(&c.webDir, "web", "web", "`dir`ectory of static assets, with app.wasm")
	fs.StringVar(&c.origins, "origins", "", "extra `hosts` allowed to open /mqtt from their pages (comma separated, * wildcards), besides this server's own")
	fs.IntVar(&c.maxPacket, "max-packet", gateway.DefaultMaxPacket, "largest MQTT packet relayed, in `bytes`")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate `file` (the chain, leaf first); needs -tls-key")
	fs.StringVar(&c.tlsKey, "tls-key", "", "PEM private key `file` of -tls-cert")
	trusted := fs.String("trusted-proxy", "", "`addresses` (IPs or CIDR prefixes, comma separated) of reverse proxies whose X-Forwarded-Host, -Proto and -For headers are believed; nobody's by default")
	fs.BoolVar(&c.faults, "faults", true, "let each tab cut its own /mqtt connection at a chosen packet (the fault lab); a tab can never touch another's connection")
	fs.StringVar(&c.restart, "broker-restart", brokerRestartAuto, "may the page restart the broker (it drops every client): auto (only when -addr is a loopback address and the page is on this machine; off with -classroom), on or off")
	fs.BoolVar(&c.classroom, "classroom", false, "for a server many learners share: each tab's client ids carry its own prefix and its topics live in a room (its own, or one a teacher shares with ?room=CODE), so nobody reads, writes or takes over another's; without it topics are bare, so mosquitto_pub and any MQTT client reach the tab's topics")
	fs.StringVar(&c.teacher, "teacher-key-file", "", "`file` holding the teacher's key (at least 16 characters): enables the teacher's board at /teacher, where a teacher signs in with it and follows a room's progress live; needs -classroom. Without it /teacher does not exist")
	fs.StringVar(&c.static, "static", "", "write the playground for a static file host into `dir` (every page, on the broker in the tab; served at the root of its origin) and exit, serving nothing")
	fs.StringVar(&c.frames, "frame-ancestors", defaultFrameAncestors, "`sources` of pages that may embed the playground in an iframe, separated by spaces (CSP frame-ancestors): * for any page, 'self', or origins such as https://course.example.org")
	fs.BoolVar(&c.version, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	fs.Visit(func(f *flag.Flag) { c.webSet = c.webSet || f.Name == "web" })
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := checkBrokerRestart(c.restart); err != nil {
		return c, err
	}
	if c.classroom && c.restart == brokerRestartAuto {
		// A restart drops every learner's connection: in a classroom only
		// an explicit -broker-restart on allows it.
		c.restart = brokerRestartOff
	}
	if c.teacher != "" && !c.classroom {
		return c, errors.New("-teacher-key-file needs -classroom: the board follows the learners of a classroom's rooms")
	}
	if err := checkFrameAncestors(c.frames); err != nil {
		return c, err
	}
	if c.maxPacket < 1024 || c.maxPacket > 268_435_460 {
		return c, fmt.Errorf("-max-packet %d: must be from 1024 to 268435460 bytes", c.maxPacket)
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return c, errors.New("-tls-cert and -tls-key go together: give both files to serve HTTPS, or neither for plain HTTP")
	}
	var err error
	if c.trustedProxies, err = forwarded.Parse(*trusted); err != nil {
		return c, fmt.Errorf("-trusted-proxy: %w", err)
	}
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// run starts the broker and the HTTP server and serves until ctx is done,
// then shuts everything down: every WebSocket is closed and a managed broker
// is stopped before run returns.
func run(ctx context.Context, args []string, logOut io.Writer) error {
	cfg, err := parseFlags(args, logOut)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: level}))
	if cfg.version {
		fmt.Println(versionString())
		return nil
	}
	if distweb.FS != nil && !cfg.webSet {
		// A `make dist` executable: the web directory is inside it.
		dir, err := distweb.Extract(cfg.dataDir)
		if err != nil {
			return err
		}
		cfg.webDir = dir
		log.Info("serving the web assets embedded in this executable", "version", buildVersion, "copied_to", dir)
	}
	if cfg.static != "" {
		if err := writeStatic(cfg.static, cfg.webDir); err != nil {
			return err
		}
		log.Info("static build written: serve the directory at the root of any web host", "dir", cfg.static)
		return nil
	}

	wasms := []struct{ name, without string }{
		{"app.wasm", "pages will load but the app will not start"},
		{brokerWASM, "a tab that cannot reach the server has no broker to fall back to"},
		{captureWASM, "pcapng export and the import of captures will not work"},
	}
	if cfg.teacher != "" {
		wasms = append(wasms, struct{ name, without string }{teacherWASM, "the teacher's board will load but not start"})
	}
	for _, w := range wasms {
		path := filepath.Join(cfg.webDir, w.name)
		if _, err := os.Stat(path); err != nil {
			log.Warn(w.name+" not found: "+w.without+"; build it with `make build`", "web", cfg.webDir)
		} else {
			logPrecompressed(log, path)
		}
	}
	tlsConfig, err := loadTLS(cfg.tlsCert, cfg.tlsKey)
	if err != nil {
		return err
	}

	var teacher *teacherAuth
	if cfg.teacher != "" {
		key, err := readTeacherKey(cfg.teacher)
		if err != nil {
			return err
		}
		teacher = newTeacherAuth(key, log.With("component", "teacher"))
	}

	b, err := broker.Start(ctx, broker.Config{Spec: cfg.brokerArg, DataDir: cfg.dataDir, Logger: log})
	if err != nil {
		return err
	}
	defer b.Close()
	log.Info("broker ready", "mode", b.Mode(), "addr", strings.Join(broker.Addrs(b), ","))

	gwCfg := gateway.Config{
		BrokerAddrs:    broker.Addrs(b),
		MaxPacket:      cfg.maxPacket,
		OriginPatterns: splitList(cfg.origins),
		Logger:         log,
		Faults:         cfg.faults,
		Classroom:      cfg.classroom,
	}
	if teacher != nil {
		gwCfg.Teacher = teacher.Session
		log.Info("teacher's board enabled: sign in at /teacher", "key_file", cfg.teacher)
	}
	gw := gateway.New(gwCfg)
	if teacher != nil {
		teacher.ended = gw.EndTeacherSession
	}
	if cfg.classroom {
		log.Info("classroom mode: client ids per tab, topics per room", "topics", classroom.Root+"/room/CODE/... and "+classroom.Root+"/tab/ID/...", "broker_restart", cfg.restart)
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler: forwarded.Handler(cfg.trustedProxies,
			frameAncestors(cfg.frames, newMux(gw, b, cfg.webDir, cfg.maxPacket, cfg.classroom, newRestartPolicy(cfg.restart, ln.Addr()), teacher))),
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	log.Info("QoS Playground is serving", "url", scheme+"://"+displayAddr(ln.Addr()))

	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- srv.ServeTLS(ln, "", "") // certificates in TLSConfig
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Shutdown does not track hijacked connections: the gateway closes its
	// WebSockets itself, at the same time.
	gwErr := make(chan error, 1)
	go func() { gwErr <- gw.Close(shutdownCtx) }()
	err = srv.Shutdown(shutdownCtx)
	if gerr := <-gwErr; gerr != nil {
		log.Warn("closing WebSockets", "err", gerr)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := closeBroker(b, log); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// brokerCloseTimeout bounds the broker's stop: an operator's Ctrl-C must end
// the server even when the broker hangs.
const brokerCloseTimeout = 10 * time.Second

// closeBroker stops the broker, waiting brokerCloseTimeout at most. When it
// does not stop in time the server leaves it behind (a managed Mosquitto
// dies with the server all the same) and logs every goroutine's stack, so
// that the hang can be found.
func closeBroker(b broker.Broker, log *slog.Logger) error {
	closed := make(chan error, 1)
	go func() { closed <- b.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			return fmt.Errorf("stopping the broker: %w", err)
		}
		return nil
	case <-time.After(brokerCloseTimeout):
		stacks := make([]byte, 1<<20)
		stacks = stacks[:runtime.Stack(stacks, true)]
		log.Error("the broker did not stop in time: leaving it behind", "timeout", brokerCloseTimeout, "goroutines", string(stacks))
		return fmt.Errorf("stopping the broker: not stopped after %v", brokerCloseTimeout)
	}
}

// displayAddr turns a listen address into one a browser can open:
// 127.0.0.1 and [::1] stay, an unspecified address becomes localhost.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		_, port, _ := net.SplitHostPort(a.String())
		return net.JoinHostPort("localhost", port)
	}
	return tcp.String()
}
