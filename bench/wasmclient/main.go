//go:build js && wasm

// Command wasmclient is the playground's side of the browser throughput
// benchmark (measurement 1 of make bench): the app's own MQTT client
// (app/client, paho over the WebSocket transport) and the lab's windowed
// publisher (app/exercises), compiled to wasm, run in a tab without the UI.
//
// The page's query string sets the run: qos (0, 1 or 2), n (messages) and
// window (unacknowledged messages at most). One client subscribes to a topic
// of its own, another publishes n messages to it through the lab's
// publisher, and the result is stored as JSON in window.benchResult:
// messages per second from the first publish until the last message
// arrived, or the error.
//
// It leaves out the go-app views on purpose: they draw the packets and the
// records in batches, and the benchmark measures the client they sit on.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"sync/atomic"
	"syscall/js"
	"time"

	"qosplayground/app/client"
	"qosplayground/app/exercises"
	"qosplayground/app/transport"
)

type result struct {
	Client   string  `json:"client"`
	QoS      int     `json:"qos"`
	N        int     `json:"n"`
	Received int64   `json:"received"`
	Ms       float64 `json:"ms"`
	Rate     float64 `json:"rate"`
	Err      string  `json:"error,omitempty"`
}

func main() {
	res := result{Client: "wasm"}
	if err := run(&res); err != nil {
		res.Err = err.Error()
	}
	b, _ := json.Marshal(res)
	js.Global().Set("benchResult", string(b))
	// In a worker (pages/wasm-worker.js) the page learns it by a message.
	if f := js.Global().Get("benchDone"); f.Type() == js.TypeFunction {
		f.Invoke(string(b))
	}
	select {} // keep the runtime alive: the page reads the result
}

func run(res *result) error {
	page, err := url.Parse(js.Global().Get("location").Get("href").String())
	if err != nil {
		return err
	}
	q := page.Query()
	qos, err1 := strconv.Atoi(q.Get("qos"))
	n, err2 := strconv.Atoi(q.Get("n"))
	window, err3 := strconv.Atoi(q.Get("window"))
	if err := errors.Join(err1, err2, err3); err != nil || qos < 0 || qos > 2 || n < 1 || window < 1 {
		return fmt.Errorf("bad query %q: want qos=0..2&n=N&window=W", page.RawQuery)
	}
	res.QoS, res.N = qos, n
	brokerURL := transport.BrokerURL(page)
	tag := strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	topicName := "bench/wasm/" + tag

	var received atomic.Int64
	all := make(chan struct{})
	var lastAt atomic.Int64
	sub, err := client.New(client.Options{URL: brokerURL, ClientID: "bench-sub-" + tag, CleanSession: true}, func(ev client.Event) {
		if ev.Kind == client.EventMessage {
			lastAt.Store(time.Now().UnixNano())
			if received.Add(1) == int64(n) {
				close(all)
			}
		}
	})
	if err != nil {
		return err
	}
	if _, err := sub.Connect(); err != nil {
		return err
	}
	defer sub.Disconnect()
	if _, err := sub.Subscribe(topicName, byte(qos)); err != nil {
		return err
	}
	pubc, err := client.New(client.Options{URL: brokerURL, ClientID: "bench-pub-" + tag, CleanSession: true}, func(client.Event) {})
	if err != nil {
		return err
	}
	if _, err := pubc.Connect(); err != nil {
		return err
	}
	defer pubc.Disconnect()
	// The host page notes when both clients are connected (the phone
	// profile's worker comparison in make bench).
	if f := js.Global().Get("benchConnected"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	pub := exercises.NewPublisher(pubc, exercises.PublisherConfig{Window: window})

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	if err := pub.Burst(ctx, topicName, byte(qos), n); err != nil {
		return err
	}
	// QoS 0 may lose messages: stop waiting once none has come for 3 s.
	for done := false; !done; {
		select {
		case <-all:
			done = true
		case <-time.After(3 * time.Second):
			if time.Since(time.Unix(0, lastAt.Load())) >= 3*time.Second {
				done = true
			}
		}
	}
	got := received.Load()
	end := time.Unix(0, lastAt.Load())
	res.Received = got
	res.Ms = float64(end.Sub(start)) / float64(time.Millisecond)
	if got == 0 {
		return errors.New("no message arrived")
	}
	res.Rate = float64(got) / end.Sub(start).Seconds()
	if qos > 0 && got < int64(n) {
		return fmt.Errorf("%d of %d QoS %d messages arrived", got, n, qos)
	}
	return nil
}
