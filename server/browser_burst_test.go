package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"qosplayground/app/client"
	"qosplayground/internal/testenv"
)

// TestBrowserBurst sends a burst of 2,000 QoS 1 messages from the
// playground to its own subscription: every one is confirmed and received,
// and the sequence diagram keeps up by grouping runs of packets.
func TestBrowserBurst(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t)

	b.open(srv.URL, "/?lang=en&sub=burst/%23&topic=burst/x&count=2000&window=20")
	b.connectAndSubscribe("burst/#")
	if got := b.attr(`#subscriptions li[data-filter="burst/#"]`, "data-granted"); got != "1" {
		t.Errorf("granted QoS %s, want 1", got)
	}
	b.click("#publish")
	b.waitFor("the burst to end", `(() => { const e = document.querySelector("#burst"); return e !== null && e.dataset.running === "false" })()`, 90*time.Second)
	if got := eval[string](b, `document.querySelector("#burst").dataset.confirmed`); got != "2000" {
		t.Errorf("%s of 2000 messages confirmed", got)
	}
	b.waitFor("every message received", `(() => { const e = document.querySelector("#received-total"); return e !== null && e.dataset.total === "2000" })()`, 20*time.Second)
	if n := eval[int](b, `document.querySelectorAll("#messages li").length`); n != 200 {
		t.Errorf("%d messages listed, want the newest 200", n)
	}
	// The diagram grouped runs: some rows stand for many packets, every row
	// is drawn, and the newest packets keep arrows of their own.
	grouped := eval[int](b, `[...document.querySelectorAll("#seq g[data-count]")].filter(g => +g.dataset.count > 1).length`)
	rows := eval[int](b, `document.querySelectorAll("#seq g[data-count]").length`)
	if grouped == 0 || rows > 80 {
		t.Errorf("%d rows, %d of them groups; want groups and at most 80 rows", rows, grouped)
	}
	if !eval[bool](b, `[...document.querySelectorAll("#seq g[data-count]")].slice(-5).every(g => g.dataset.count === "1")`) {
		t.Error("the newest packets are grouped")
	}
	if !eval[bool](b, `document.querySelector("#burst svg") !== null`) {
		t.Error("no latency chart after the burst")
	}
	b.screenshot("playground-burst", 1280)
	b.screenshot("playground-burst", 390)
	srv.Stop(t)
}

// TestBrowserStream feeds the playground a stream of 1,000 messages a
// second for five seconds from a native client: the page keeps answering
// (a language switch goes through mid-stream), the diagram stays bounded by
// grouping, and the count of received messages keeps up.
func TestBrowserStream(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t)

	b.open(srv.URL, "/?lang=en&sub=stream/%23&subqos=0")
	b.connectAndSubscribe("stream/#")

	pub, err := client.New(client.Options{URL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/mqtt", ClientID: "stream-pub", CleanSession: true}, func(client.Event) {})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Connect(); err != nil {
		t.Fatal(err)
	}
	defer pub.Disconnect()
	const total = 5000
	done := make(chan int)
	go func() {
		sent := 0
		tick := time.NewTicker(10 * time.Millisecond) // 10 messages a tick: 1,000 a second
		defer tick.Stop()
		for sent < total {
			<-tick.C
			for range 10 {
				sent++
				pub.PublishAsync("stream/t", []byte(`{"message_id": `+strconv.Itoa(sent)+`}`), 0, false)
			}
		}
		done <- sent
	}()
	time.Sleep(time.Second)
	b.click("#lang-ja")
	b.waitFor("the language switch mid-stream", `document.querySelector("#connect").innerText === "接続"`, 10*time.Second)
	<-done
	b.waitFor("the stream to end", `(() => { const e = document.querySelector("#received-total"); return e !== null && +e.dataset.total > 1000 })()`, 20*time.Second)
	time.Sleep(time.Second)
	got := eval[int](b, `+document.querySelector("#received-total").dataset.total`)
	t.Logf("the page received %d of %d QoS 0 messages", got, total)
	rows := b.count("#seq g[data-count]")
	grouped := eval[int](b, `[...document.querySelectorAll("#seq g[data-count]")].filter(g => +g.dataset.count > 1).length`)
	if rows > 80 || grouped == 0 {
		t.Errorf("%d rows, %d groups: want at most 80 rows, grouped", rows, grouped)
	}
	b.screenshot("playground-stream", 1280)
	srv.Stop(t)
}

// connectAndSubscribe connects the playground with its form as it stands
// and subscribes to filter, waiting for CONNACK and SUBACK.
func (b *browser) connectAndSubscribe(filter string) {
	b.t.Helper()
	b.connect("connected", 20*time.Second)
	b.set("#sub-filter", filter)
	b.click("#subscribe")
	b.waitFor("SUBACK", `document.querySelector('#subscriptions li[data-filter=`+cssString(filter)+`]') !== null`, 10*time.Second)
}
