package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"qosplayground/app/exercises"
	"qosplayground/app/transport"
	"qosplayground/server/gateway"
)

// peer is one way for a native client to reach the same Mosquitto.
type peer struct {
	name string
	url  string                                      // what paho is given
	dial func(ctx context.Context) (net.Conn, error) // the connection under paho
}

// gatewayPeers returns the three paths of measurement 2: the gateway's
// /mqtt, Mosquitto's own WebSocket listener, and plain TCP. The client
// above the connection is the same paho with the same options in all three,
// so any difference is the path's.
func gatewayPeers(gatewayURL string, m *mosquitto) []peer {
	wsDial := func(u string) func(context.Context) (net.Conn, error) {
		return func(ctx context.Context) (net.Conn, error) { return transport.Dial(ctx, u) }
	}
	// Mosquitto's listener answers on any path; /mqtt is what mqtt.js and
	// most brokers' docs use.
	mosqWS := "ws://" + m.WS + "/mqtt"
	return []peer{
		{name: "gateway /mqtt", url: gatewayURL, dial: wsDial(gatewayURL)},
		{name: "Mosquitto websockets", url: mosqWS, dial: wsDial(mosqWS)},
		{name: "plain TCP", url: "tcp://" + m.TCP, dial: func(ctx context.Context) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", m.TCP)
		}},
	}
}

// startGateway serves the gateway in this process on a free loopback port,
// relaying to brokerAddr, and returns its /mqtt URL and a stop function.
// In process so that a CPU profile of the run (-cpuprofile) shows the
// gateway's own functions.
func startGateway(brokerAddr string) (string, func(), error) {
	gw := gateway.New(gateway.Config{
		BrokerAddr: brokerAddr,
		Logger:     slog.New(slog.DiscardHandler),
		Faults:     true, // as the server runs it by default
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/mqtt", gw)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		gw.Close(ctx)
		srv.Shutdown(ctx)
	}
	return "ws://" + ln.Addr().String() + "/mqtt", stop, nil
}

// benchClient is a paho client subscribed to its own topic, counting what
// comes back.
type benchClient struct {
	c        mqtt.Client
	topic    string
	received atomic.Int64
	got      chan struct{} // one token per message received, for the round trip
}

var clientSeq atomic.Int64

// newBenchClient connects a paho client over p, with the options the
// playground's client sets (app/client), and subscribes it to a topic of its
// own at qos.
func newBenchClient(ctx context.Context, p peer, qos byte) (*benchClient, error) {
	id := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano()%1e6, clientSeq.Add(1))
	bc := &benchClient{topic: "bench/" + id, got: make(chan struct{}, 1<<16)}
	o := mqtt.NewClientOptions().
		AddBroker(p.url).
		SetClientID(id).
		SetCleanSession(true).
		SetKeepAlive(30 * time.Second).
		SetConnectTimeout(10 * time.Second).
		SetWriteTimeout(10 * time.Second).
		SetAutoReconnect(false).
		SetConnectRetry(false).
		SetOrderMatters(true).
		SetCustomOpenConnectionFn(func(*url.URL, mqtt.ClientOptions) (net.Conn, error) {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			return p.dial(ctx)
		})
	bc.c = mqtt.NewClient(o)
	if t := bc.c.Connect(); !t.WaitTimeout(15*time.Second) || t.Error() != nil {
		return nil, fmt.Errorf("connect over %s: %v", p.name, tokenErr(t))
	}
	t := bc.c.Subscribe(bc.topic, qos, func(mqtt.Client, mqtt.Message) {
		bc.received.Add(1)
		select {
		case bc.got <- struct{}{}:
		default:
		}
	})
	if !t.WaitTimeout(15*time.Second) || t.Error() != nil {
		bc.c.Disconnect(0)
		return nil, fmt.Errorf("subscribe over %s: %v", p.name, tokenErr(t))
	}
	return bc, nil
}

func tokenErr(t mqtt.Token) error {
	if err := t.Error(); err != nil {
		return err
	}
	return errors.New("no answer in 15 s")
}

func (bc *benchClient) close() { bc.c.Disconnect(50) }

// payload is the lab publisher's JSON message, so the sizes on the wire are
// the playground's.
func payload(i int, qos byte) []byte {
	return exercises.Payload{
		MessageID: int64(i), Content: fmt.Sprintf("burst %d", i), MessageType: "burst",
		QoS: qos, Timestamp: exercises.FormatTimestamp(time.Now()), Sender: exercises.Sender,
	}.Encode()
}

// roundTrips publishes n messages one at a time (after warm-up ones) and
// returns each one's time from the publish call until both its
// acknowledgement (PUBACK, or PUBCOMP at QoS 2) and its delivery back to the
// same client have arrived: what a learner waits for after one click.
func (bc *benchClient) roundTrips(qos byte, warmup, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := range warmup + n {
		start := time.Now()
		t := bc.c.Publish(bc.topic, qos, false, payload(i, qos))
		if !t.WaitTimeout(10*time.Second) || t.Error() != nil {
			return nil, fmt.Errorf("publish %d: %v", i, tokenErr(t))
		}
		select {
		case <-bc.got:
		case <-time.After(10 * time.Second):
			return nil, fmt.Errorf("message %d did not come back in 10 s", i)
		}
		if i >= warmup {
			out = append(out, time.Since(start))
		}
	}
	return out, nil
}

// windowed publishes n messages with at most window unacknowledged, as the
// lab's publisher does, and returns the messages per second until every one
// is acknowledged and delivered back.
func (bc *benchClient) windowed(qos byte, n, window int) (float64, error) {
	before := bc.received.Load()
	slots := make(chan struct{}, window)
	var wg sync.WaitGroup
	var failed atomic.Int64
	start := time.Now()
	for i := range n {
		slots <- struct{}{}
		t := bc.c.Publish(bc.topic, qos, false, payload(i, qos))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !t.WaitTimeout(30*time.Second) || t.Error() != nil {
				failed.Add(1)
			}
			<-slots
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for bc.received.Load()-before < int64(n) {
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%d of %d messages came back in 30 s", bc.received.Load()-before, n)
		}
		time.Sleep(200 * time.Microsecond)
	}
	elapsed := time.Since(start)
	if f := failed.Load(); f > 0 {
		return 0, fmt.Errorf("%d of %d publishes were not acknowledged", f, n)
	}
	return float64(n) / elapsed.Seconds(), nil
}

// gatewayConfig sizes measurement 2.
type gatewayConfig struct {
	runs       int
	roundTrips int // per run, after 50 warm-up ones
	messages   int // windowed, per run
	window     int
}

// gatewayResult is measurement 2: per QoS, each path's median round trip,
// p99 round trip and windowed throughput, run by run.
type gatewayResult struct {
	// RTTMedian, RTTP99 (ms) and Throughput (msg/s), indexed by QoS, then
	// by peer name, then by run.
	RTTMedian  map[byte]map[string][]float64
	RTTP99     map[byte]map[string][]float64
	Throughput map[byte]map[string][]float64
}

// measureGateway runs measurement 2 against m, which must have a websockets
// listener.
func measureGateway(ctx context.Context, m *mosquitto, cfg gatewayConfig, logf func(string, ...any)) (gatewayResult, error) {
	res := gatewayResult{
		RTTMedian:  map[byte]map[string][]float64{},
		RTTP99:     map[byte]map[string][]float64{},
		Throughput: map[byte]map[string][]float64{},
	}
	gwURL, stop, err := startGateway(m.TCP)
	if err != nil {
		return res, err
	}
	defer stop()
	peers := gatewayPeers(gwURL, m)
	for run := range cfg.runs {
		for _, qos := range []byte{1, 2} {
			for _, mp := range []map[byte]map[string][]float64{res.RTTMedian, res.RTTP99, res.Throughput} {
				if mp[qos] == nil {
					mp[qos] = map[string][]float64{}
				}
			}
			// A different peer goes first in each run, so that a slow
			// start (caches, the CPU's clock) does not always fall on
			// the same one.
			for k := range peers {
				p := peers[(k+run)%len(peers)]
				if err := ctx.Err(); err != nil {
					return res, err
				}
				bc, err := newBenchClient(ctx, p, qos)
				if err != nil {
					return res, err
				}
				rtts, err := bc.roundTrips(qos, 50, cfg.roundTrips)
				if err != nil {
					bc.close()
					return res, fmt.Errorf("%s, QoS %d round trips: %w", p.name, qos, err)
				}
				rate, err := bc.windowed(qos, cfg.messages, cfg.window)
				bc.close()
				if err != nil {
					return res, fmt.Errorf("%s, QoS %d windowed: %w", p.name, qos, err)
				}
				ms := durationsMs(rtts)
				res.RTTMedian[qos][p.name] = append(res.RTTMedian[qos][p.name], median(ms))
				res.RTTP99[qos][p.name] = append(res.RTTP99[qos][p.name], percentile(ms, 99))
				res.Throughput[qos][p.name] = append(res.Throughput[qos][p.name], rate)
				logf("gateway run %d QoS %d %-22s rtt p50 %.3f ms p99 %.3f ms, windowed %.0f msg/s",
					run+1, qos, p.name, median(ms), percentile(ms, 99), rate)
			}
		}
	}
	return res, nil
}

// comparisons turns measurement 2 into the table's rows: the gateway
// against each peer, for each figure. Targets: better than Mosquitto's
// listener, within 1.5x of plain TCP.
func (r gatewayResult) comparisons() []Comparison {
	var out []Comparison
	gw := "gateway /mqtt"
	for _, qos := range []byte{1, 2} {
		for _, peerName := range []string{"Mosquitto websockets", "plain TCP"} {
			latTarget, rateTarget := 1.0, 1.0
			if peerName == "plain TCP" {
				latTarget, rateTarget = 1.5, 1/1.5
			}
			out = append(out,
				compare(fmt.Sprintf("QoS %d round trip, median", qos), "ms",
					r.RTTMedian[qos][gw], r.RTTMedian[qos][peerName], peerName, false, latTarget),
				compare(fmt.Sprintf("QoS %d round trip, p99", qos), "ms",
					r.RTTP99[qos][gw], r.RTTP99[qos][peerName], peerName, false, latTarget),
				compare(fmt.Sprintf("QoS %d windowed throughput", qos), "msg/s",
					r.Throughput[qos][gw], r.Throughput[qos][peerName], peerName, true, rateTarget),
			)
		}
	}
	return out
}
