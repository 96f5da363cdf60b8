// Command bench is `make bench`: the measurements of issue 7, each figure
// next to its peer measured in the same run, printed as a table and saved as
// JSON under bench/results.
//
//  1. Browser throughput: the playground's client compiled to wasm versus
//     mqtt.js, in the same headless Chromium, through the same gateway.
//  2. The gateway's cost: one native paho client through /mqtt, through
//     Mosquitto's own WebSocket listener and over plain TCP.
//  3. Opening the app: bytes and time to "connected", cold and warm, versus a
//     minimal mqtt.js page.
//  4. Many learners: N clients through the server's /mqtt, each publishing
//     at QoS 1 once a second to its own topic.
//
// Everything listens on 127.0.0.1. Mosquitto and Chromium must be installed;
// mqtt.js comes from bench/node_modules (npm ci, which make bench runs). A
// measurement whose needs are missing says so and the others still run.
//
// Usage:
//
//	go run ./bench [flags]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "serve-gateway" {
		err = serveGateway(ctx, os.Args[2:], os.Stderr)
	} else {
		err = run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	quick     bool   // fewer runs and messages: a check that everything works
	only      []int  // measurements to run, by the numbers
	runs      int    // runs per figure; 0 means 5 (quick: 1... 2)
	outDir    string // where the JSON goes
	serverBin string // the server binary for measurements 3 and 4
	webDir    string // the server's web/ with app.wasm
	nodeDir   string // node_modules with mqtt (npm ci in bench/)
	learners  []int  // measurement 4's learner counts
	// clusterLearners are measurement 5's learner counts.
	clusterLearners []int
	duration        time.Duration
	cpuProfile      string // CPU profile of measurement 2 (gateway and clients, in this process)
	// browserProfile, when set, is the prefix of the browser CPU profiles
	// of one more run of each client in measurement 1.
	browserProfile string
	// browserProfileQoS is the QoS level of those runs.
	browserProfileQoS int
	// openProfile, when set, is the prefix of the DevTools traces of one
	// more phone-profile open of each page in measurement 3.
	openProfile string
	// openProfileDesktop traces the open unthrottled (no phone profile)
	// and lists the span from the Connect press to "connected".
	openProfileDesktop bool
	// abWeb, when set, is another build's web directory, whose app the
	// phone profile opens too in each run (an A/B of a change).
	abWeb string
	// abServer is the server binary for -ab-web (default: -server).
	abServer string
	// workerSplit adds measurement 1's comparison of the client in a Web
	// Worker and on the main thread.
	workerSplit bool
	// phoneOnly runs only the phone profile's rows of measurement 3.
	phoneOnly bool
	// floor adds measurement 3's floor: the least wasm of go-app and paho
	// behind the same server and page (bench/floor.go).
	floor bool
	// openTrace, when set, makes measurement 3 only trace unthrottled
	// opens of the app (and -ab-web's), cold and twice warm, into
	// openTrace-NAME-OPEN.json (loadTrace).
	openTrace string
	// noPhone skips the phone profile's rows of measurement 3.
	noPhone bool
	// learnersServer is what relays the learners: "server" (the server
	// binary) or "gateway" (bench serve-gateway, profiled into
	// learnersProfile).
	learnersServer, learnersProfile string
	verbose                         bool
	nodelay                         bool // set_tcp_nodelay in the benchmark's Mosquitto
}

func parseFlags(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(out)
	quickEnv, _ := strconv.ParseBool(os.Getenv("BENCH_QUICK"))
	fs.BoolVar(&c.quick, "quick", quickEnv, "a short run (also BENCH_QUICK=1): fewer runs, messages and learners")
	only := fs.String("only", "2,4,5,1,3", "measurements to run, by the issue's numbers, comma separated")
	fs.IntVar(&c.runs, "runs", 0, "runs per figure (default 5, quick 2; browser throughput 3, quick 1; many learners 2, quick 1)")
	fs.StringVar(&c.outDir, "out", "bench/results", "`dir`ectory for the JSON results")
	fs.StringVar(&c.serverBin, "server", "bin/server", "the server `binary` (make build) for measurements 3 and 4")
	fs.StringVar(&c.webDir, "web", "web", "the server's web `dir`ectory, with app.wasm")
	fs.StringVar(&c.nodeDir, "node-modules", "bench/node_modules", "`dir`ectory where npm ci put mqtt.js")
	lrn := fs.String("learners", "", "learner counts of measurement 4, comma separated (default 1000,4000,6000,8000; quick 500,2000)")
	clr := fs.String("cluster-learners", "", "learner counts of measurement 5 (the cluster), comma separated (default 1000,2000; quick 300)")
	fs.DurationVar(&c.duration, "learners-duration", 0, "how long each learner run is measured (default 10s, quick 5s)")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of measurement 2 (gateway and clients) to `file`")
	fs.IntVar(&c.browserProfileQoS, "browser-profile-qos", 1, "the QoS level of -browser-profile's runs")
	fs.StringVar(&c.browserProfile, "browser-profile", "", "after measurement 1, profile one more QoS 1 run of each client in the browser into `prefix`-wasm.cpuprofile and -mqttjs.cpuprofile (the wasm then keeps its function names)")
	fs.StringVar(&c.openProfile, "open-profile", "", "after measurement 3, trace one more phone-profile open of each page into `prefix`-app.json and -mqttjs.json (DevTools' Performance panel opens them; the app's wasm then keeps its function names) and list the app's long tasks")
	fs.BoolVar(&c.openProfileDesktop, "open-profile-desktop", false, "with -open-profile: trace the opens unthrottled (the desktop, no phone profile), skip measurement 3's other runs, and list every main-thread task from the Connect press to \"connected\"")
	fs.StringVar(&c.abWeb, "ab-web", "", "measurement 3 also opens the app of another build's web `dir`ectory (a copy of web/ before a change) in each run, cold, warm and on the phone profile, from a server of its own, and compares the two")
	fs.StringVar(&c.abServer, "ab-server", "", "the server `binary` that serves -ab-web (default: -server)")
	fs.BoolVar(&c.workerSplit, "worker-split", false, "measurement 1 also compares the client (bench/wasmclient) in a Web Worker and on the main thread: connected and blocking time on the phone profile, QoS 0 throughput (issue 14's worker split; a few minutes more)")
	fs.BoolVar(&c.floor, "floor", true, "measurement 3 also opens, cold and warm, the same server and page with bench/floorapp as app.wasm (go-app and paho and nothing else): the least this stack can take")
	fs.StringVar(&c.openTrace, "open-trace", "", "measurement 3 only traces an unthrottled open of the app (and of -ab-web's) cold and twice warm into `prefix`-app-cold.json, -app-warm.json, -app-warm2.json (DevTools' Performance panel opens them) and lists what each fetched when and V8's wasm work")
	fs.BoolVar(&c.phoneOnly, "phone-only", false, "measurement 3: only the phone profile's rows (and -open-profile), not the cold and warm opens")
	fs.BoolVar(&c.noPhone, "no-phone", false, "measurement 3: only the cold and warm opens, not the phone profile's rows")
	fs.StringVar(&c.learnersServer, "learners-server", "server", "what relays measurement 4's learners: server (the -server binary) or gateway (the gateway alone in a process of its own, profiled with -learners-profile)")
	fs.StringVar(&c.learnersProfile, "learners-profile", "", "with -learners-server gateway: write the gateway's CPU profile of each learner run to `prefix`-N.pprof")
	fs.BoolVar(&c.nodelay, "mosquitto-nodelay", false, "run the benchmark's Mosquitto with set_tcp_nodelay true (the managed broker's config does not set it)")
	fs.BoolVar(&c.verbose, "v", false, "log each run's figures to stderr as they come")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.only, err = parseInts(*only, "-only"); err != nil {
		return c, err
	}
	if c.browserProfileQoS < 0 || c.browserProfileQoS > 2 {
		return c, fmt.Errorf("-browser-profile-qos %d: must be 0, 1 or 2", c.browserProfileQoS)
	}
	for _, n := range c.only {
		if titles[n] == "" {
			return c, fmt.Errorf("-only: no measurement %d: there are 1 to %d", n, len(titles))
		}
	}
	if c.runs < 0 {
		return c, fmt.Errorf("-runs %d: must be at least 1", c.runs)
	}
	def := "1000,4000,6000,8000"
	if c.quick {
		def = "500,2000"
	}
	if *lrn == "" {
		*lrn = def
	}
	if c.learners, err = parseInts(*lrn, "-learners"); err != nil {
		return c, err
	}
	for _, n := range c.learners {
		if n < 1 {
			return c, fmt.Errorf("-learners: %d learners: must be at least 1", n)
		}
	}
	cdef := "1000,2000"
	if c.quick {
		cdef = "300"
	}
	if *clr == "" {
		*clr = cdef
	}
	if c.clusterLearners, err = parseInts(*clr, "-cluster-learners"); err != nil {
		return c, err
	}
	if c.duration == 0 {
		c.duration = 10 * time.Second
		if c.quick {
			c.duration = 5 * time.Second
		}
	}
	if c.learnersServer != "server" && c.learnersServer != "gateway" {
		return c, fmt.Errorf("-learners-server %q: want server or gateway", c.learnersServer)
	}
	if c.duration < 2*time.Second {
		return c, fmt.Errorf("-learners-duration %s: at least 2s, or each learner publishes too few messages", c.duration)
	}
	return c, nil
}

func parseInts(s, flagName string) ([]int, error) {
	var out []int
	for v := range strings.SplitSeq(s, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a whole number", flagName, v)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: empty list", flagName)
	}
	return out, nil
}

// runsOr returns the -runs value, or def (quick: quickDef) when it was not
// given.
func (c config) runsOr(def, quickDef int) int {
	switch {
	case c.runs > 0:
		return c.runs
	case c.quick:
		return quickDef
	}
	return def
}

func run(ctx context.Context, args []string, out, logOut io.Writer) error {
	cfg, err := parseFlags(args, logOut)
	if err != nil {
		return err
	}
	logf := func(format string, a ...any) {
		fmt.Fprintf(logOut, "bench: "+format+"\n", a...)
	}
	vlogf := func(format string, a ...any) {
		if cfg.verbose {
			logf(format, a...)
		}
	}
	mosqPath, err := lookPath("mosquitto", "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
	if err != nil {
		return errors.New("mosquitto is not installed, and every measurement needs it: sudo apt-get install mosquitto")
	}
	chromePath, chromeErr := lookPath("chromium", "/usr/bin/chromium")
	if limit, err := raiseOpenFiles(); err != nil {
		logf("%v", err)
	} else {
		vlogf("open files limit %d", limit)
	}

	tmp, err := os.MkdirTemp("", "qos-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	rep := Report{
		Date:    time.Now().Format("2006-01-02 15:04"),
		Machine: describeMachine(mosqPath, chromePath),
		Command: "go run ./bench " + strings.Join(args, " "),
		Quick:   cfg.quick,
	}
	env := &benchEnv{cfg: cfg, tmp: tmp, mosquitto: mosqPath, chromium: chromePath, chromiumErr: chromeErr, logf: logf, vlogf: vlogf}
	for _, id := range cfg.only {
		if ctx.Err() != nil {
			break
		}
		start := time.Now()
		logf("measurement %d: %s ...", id, titles[id])
		s := Section{ID: id, Title: titles[id], LoadBefore: loadAverage()}
		switch id {
		case 1:
			s = env.browserThroughput(ctx, s)
		case 2:
			s = env.gatewayCost(ctx, s)
		case 3:
			s = env.openingApp(ctx, s)
		case 4:
			s = env.manyLearners(ctx, s)
		case 5:
			s = env.pastOneMachine(ctx, s)
		}
		s.LoadAfter = loadAverage()
		if s.Err != "" {
			logf("measurement %d did not finish: %s", id, s.Err)
		}
		logf("measurement %d took %s", id, time.Since(start).Round(time.Second))
		rep.Sections = append(rep.Sections, s)
	}
	slices.SortStableFunc(rep.Sections, func(a, b Section) int { return a.ID - b.ID })
	writeTable(out, rep)
	name, err := saveReport(cfg.outDir, rep)
	if err != nil {
		return fmt.Errorf("saving the results: %w", err)
	}
	fmt.Fprintf(out, "\nSaved %s (and latest.json beside it).\n", name)
	return ctx.Err()
}

var titles = map[int]string{
	1: "Browser throughput: the playground's wasm client vs mqtt.js",
	2: "The gateway's cost: /mqtt vs Mosquitto's WebSocket listener vs plain TCP",
	3: "Opening the app vs a minimal mqtt.js page",
	4: "Many learners through /mqtt",
	5: "Past one machine: learners through two replicas and a three-node NATS cluster",
}

// benchEnv is what every measurement shares.
type benchEnv struct {
	cfg         config
	tmp         string
	mosquitto   string
	chromium    string
	chromiumErr error
	logf, vlogf func(string, ...any)
}

// startMosquitto starts a fresh Mosquitto for one measurement.
func (e *benchEnv) startMosquitto(ctx context.Context, websockets bool) (*mosquitto, error) {
	dir, err := os.MkdirTemp(e.tmp, "mosquitto-")
	if err != nil {
		return nil, err
	}
	return startMosquitto(ctx, e.mosquitto, dir, websockets, e.cfg.nodelay)
}

func (e *benchEnv) gatewayCost(ctx context.Context, s Section) Section {
	m, err := e.startMosquitto(ctx, true)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	defer m.stop()
	gc := gatewayConfig{runs: e.cfg.runsOr(5, 2), roundTrips: 1000, messages: 10000, window: 20}
	if e.cfg.quick {
		gc.roundTrips, gc.messages = 300, 3000
	}
	if e.cfg.cpuProfile != "" {
		f, err := os.Create(e.cfg.cpuProfile)
		if err != nil {
			s.Err = err.Error()
			return s
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			s.Err = err.Error()
			return s
		}
		defer pprof.StopCPUProfile()
	}
	res, err := measureGateway(ctx, m, gc, e.vlogf)
	if err != nil {
		s.Err = err.Error()
	}
	s.Rows = res.comparisons()
	s.Notes = append(s.Notes,
		fmt.Sprintf("One native paho client (app/client's options) per path and QoS, subscribed to its own topic; %d runs.", gc.runs),
		fmt.Sprintf("Round trip: one message in flight, from the publish call until its PUBACK/PUBCOMP and its delivery back have both arrived; %d per run after 50 warm-up ones; per run the median and the p99.", gc.roundTrips),
		fmt.Sprintf("Windowed: %d messages, at most %d unacknowledged (the lab's publisher), until all are acknowledged and delivered back.", gc.messages, gc.window),
		"The gateway runs in the benchmark's process (the server's code, gateway.New), relaying to the same Mosquitto's TCP listener.",
	)
	return s
}
