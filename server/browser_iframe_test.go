package main

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// coursePage serves a course page with the playground in an iframe, as the
// README's snippet shows, on its own port: another origin than the app's.
func coursePage(t *testing.T, src string) (port string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>MQTT course, lesson 3</title></head>
<body><h1>QoS の選び方</h1><p>Try it next to the text:</p>
<iframe id="playground" src="%s" title="QoS Playground" width="420" height="720" style="border:1px solid #ccc"></iframe></body></html>`, src)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port
}

// frame attaches to the iframe whose address starts with prefix: another
// origin is another process (site isolation), a DevTools target of its own.
func (b *browser) frame(prefix string) *browser {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		targets, err := chromedp.Targets(b.ctx)
		if err != nil {
			b.t.Fatalf("targets: %v", err)
		}
		for _, tg := range targets {
			if tg.Type == "iframe" && strings.HasPrefix(tg.URL, prefix) {
				// Not cancelled: that would close the target; the
				// browser's end closes it.
				ctx, _ := chromedp.NewContext(b.ctx, chromedp.WithTargetID(tg.TargetID))
				f := &browser{ctx: ctx, t: b.t}
				if err := chromedp.Listen(ctx, f.onEvent); err != nil {
					b.t.Fatalf("attach to the iframe %s: %v", tg.URL, err)
				}
				return f
			}
		}
		if time.Now().After(deadline) {
			var seen []string
			for _, tg := range targets {
				seen = append(seen, tg.Type+" "+tg.URL)
			}
			b.t.Fatalf("no iframe at %s among the targets:\n%s", prefix, strings.Join(seen, "\n"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserIframeAutorun: a course page on another origin embeds Task 1
// with a ready experiment (?embed=1, the scenario, a QoS per stream, no
// flaky network, Japanese, autorun=1); the run starts by itself and ends
// with its results, in the embedded view.
//
// Twice: under a course page on http://localhost, a secure context, where
// the iframe may register its service worker; and under one on an
// ordinary http:// host (course.test, mapped to 127.0.0.1), where the
// browser refuses the iframe a service worker (a page framed by an
// insecure one is not a secure context), and the app must work without.
func TestBrowserIframeAutorun(t *testing.T) {
	srv := startServer(t, "-broker", "embedded")
	src := srv.URL + "/lab/task1?embed=1&lang=ja&scenario=smarthome&light=0&security=1&doorlock=2&flaky=false&autorun=1"
	port := coursePage(t, src)

	for _, tt := range []struct {
		name, host string
		secure     bool
	}{
		{"secure course page", "localhost", true},
		{"insecure course page", "course.test", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t, chromedp.Flag("host-resolver-rules", "MAP course.test 127.0.0.1"))
			b.do(chromedp.Navigate("http://" + tt.host + ":" + port + "/"))
			f := b.frame(srv.URL + "/lab/task1")
			f.waitFor("the embedded app", `document.getElementById("app-wasm-loader") === null && document.querySelector("#open-full") !== null`, 60*time.Second)
			if secure := eval[bool](f, `window.isSecureContext`); secure != tt.secure {
				t.Fatalf("the iframe's isSecureContext is %v, want %v", secure, tt.secure)
			}
			if !tt.secure {
				if eval[bool](f, `"serviceWorker" in navigator`) {
					t.Fatal("the browser offers the iframe a service worker: this case does not test working without one")
				}
			}
			f.waitFor("the autorun to finish", `document.querySelector("#task1-status") !== null && document.querySelector("#task1-status").dataset.done === "true"`, 90*time.Second)
			if n := f.count(".nav, h1"); n != 0 {
				t.Errorf("%d title or navigation elements in the iframe", n)
			}
			if got := eval[string](f, `document.documentElement.lang`); got != "ja" {
				t.Errorf("lang %q, want ja from the link", got)
			}
			for stream, qos := range map[string]string{"light": "0", "security": "1", "doorlock": "2"} {
				if got := f.attr("#qos-"+stream, "value"); got != qos {
					// The select's value is a property, not an attribute.
					if got = eval[string](f, `document.querySelector("#qos-`+stream+`").value`); got != qos {
						t.Errorf("%s: QoS %q, want %s from the link", stream, got, qos)
					}
				}
				if got := f.attr(`#task1-results tr[data-stream="`+stream+`"]`, "data-verdict"); got != "fits" {
					t.Errorf("%s at QoS %s: verdict %q, want fits", stream, qos, got)
				}
				if qos != "0" {
					if got := f.attr(`#task1-results tr[data-stream="`+stream+`"]`, "data-lost"); got != "0" {
						t.Errorf("%s at QoS %s lost %s messages without a flaky network", stream, qos, got)
					}
				}
			}
			if n := f.count("#lab-error:not([hidden])"); n != 0 {
				t.Errorf("the page shows an error: %s", eval[string](f, `document.querySelector("#lab-error").innerText`))
			}
			b.screenshot("iframe-"+map[bool]string{true: "secure", false: "insecure"}[tt.secure], 1280)
		})
	}
	srv.Stop(t)
}

// TestBrowserAutorunPages: autorun=1 on the other pages that run
// something. The playground connects, subscribes and publishes the link's
// experiment (here a QoS 2 publish to its own subscription, the four-way
// handshake both ways in the packet list); the fault lab runs the link's
// lesson (QoS 1: the resend with DUP=1); autorun=0 starts nothing.
func TestBrowserAutorunPages(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")

	b.open(srv.URL, "/?lang=en&sub=auto%2F%23&subqos=2&topic=auto%2Fone&qos=2&payload=hi&autorun=0")
	time.Sleep(time.Second) // time for a wrong autorun to start
	if state := b.attr("#conn-state", "data-state"); state != "disconnected" {
		t.Fatalf("autorun=0: the playground is %q, want disconnected", state)
	}

	b.open(srv.URL, "/?lang=en&sub=auto%2F%23&subqos=2&topic=auto%2Fone&qos=2&payload=hi&autorun=1")
	b.waitFor("the link's message", messageShown("auto/one", 2, "hi"), 30*time.Second)
	b.waitFor("both QoS 2 handshakes", qos2Handshakes, 10*time.Second)

	b.open(srv.URL, "/lab/faults?lang=en&lesson=1&autorun=1")
	b.waitFor("the lesson", `document.querySelector("#lesson-result") !== null`, 60*time.Second)
	if got := b.attr("#lesson-result", "data-qos"); got != "1" {
		t.Errorf("the lesson run is QoS %s, want the link's 1", got)
	}
	if got := b.attr("#lesson-result", "data-resent"); got != "true" {
		t.Errorf("the QoS 1 lesson's resend: data-resent=%q", got)
	}

	b.open(srv.URL, "/lab/faults?lang=en&lesson=7&autorun=1")
	b.waitFor("the link's error", `document.querySelector("#lab-error") !== null && document.querySelector("#lab-error").innerText.includes("lesson")`, 10*time.Second)
	if n := b.count("#lesson-result"); n != 0 {
		t.Error("a lesson ran from a bad link")
	}
	srv.Stop(t)
}
