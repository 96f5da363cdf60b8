package distweb_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/internal/headless"
	"qosplayground/internal/testenv"
)

// TestDistExecutable runs `make dist` for this machine's platform, copies
// the executable alone into an empty folder, and checks that it says its
// version, serves the pages, the brotli wasm and the service worker (the
// offline app), and that SHA256SUMS holds its digest.
func TestDistExecutable(t *testing.T) {
	testenv.Need(t, "make")
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dist := t.TempDir()
	platform := runtime.GOOS + "/" + runtime.GOARCH
	const version = "test-dist-1"
	mk := exec.Command("make", "-C", root, "dist", "DIST="+dist, "DIST_PLATFORMS="+platform, "VERSION="+version)
	if out, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("make dist: %v\n%s", err, out)
	}
	name := "qos-playground-" + version + "-" + runtime.GOOS + "-" + runtime.GOARCH
	data, err := os.ReadFile(filepath.Join(dist, name))
	if err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if !strings.Contains(string(sums), hex.EncodeToString(sum[:])+"  "+name) {
		t.Errorf("SHA256SUMS %q lacks %s's digest", sums, name)
	}

	empty := t.TempDir()
	bin := filepath.Join(empty, "qos-playground")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-version").Output()
	if err != nil || !strings.Contains(string(out), version) || !strings.Contains(string(out), "web assets embedded") {
		t.Fatalf("-version: %q %v", out, err)
	}

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-data", filepath.Join(empty, "data"), "-broker", "embedded")
	cmd.Dir = empty // no web/ folder here: everything comes from the executable
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	urlc := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg="QoS Playground is serving" url=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			t.Log(sc.Text())
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
	}()
	var url string
	select {
	case url = <-urlc:
	case <-time.After(30 * time.Second):
		t.Fatal("the dist executable did not start serving")
	}
	get := func(path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", url+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	if resp, body := get("/"); resp.StatusCode != 200 || !strings.Contains(string(body), "QoS Playground") {
		t.Errorf("/: %d, %d bytes", resp.StatusCode, len(body))
	}
	if resp, body := get("/web/app.wasm", "Accept-Encoding", "br"); resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "br" || len(body) < 100_000 {
		t.Errorf("/web/app.wasm with br: %d, Content-Encoding %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Encoding"), len(body))
	}
	if resp, body := get("/app-worker.js"); resp.StatusCode != 200 || !strings.Contains(string(body), "app.wasm") {
		t.Errorf("/app-worker.js: %d, want the service worker that caches the app", resp.StatusCode)
	}
	for _, path := range []string{"/web/app.css", "/app.js", "/wasm_exec.js"} {
		if resp, body := get(path, "Accept-Encoding", "br, gzip"); resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") == "" || len(body) == 0 {
			t.Errorf("%s: %d, Content-Encoding %q: want it compressed", path, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
	}

	// In a browser: one visit installs the offline app; with the executable
	// gone, reloads still open it, in either language, and it runs (it
	// falls back to the broker in the tab).
	offlineReload(t, url, func() { cmd.Process.Kill(); cmd.Wait() })
}

// offlineReload opens url in Chromium until the service worker is active,
// calls stop, and reloads pages that must still come up from the cache.
func offlineReload(t *testing.T, url string, stop func()) {
	path := testenv.NeedChromium(t)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), headless.Options(path, t.TempDir())...)
	ctx, cancel := chromedp.NewContext(actx)
	defer cancelAlloc()
	defer cancel()
	waitFor := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ""`))
				t.Fatalf("waiting for %s: not true after 60s (last error: %v)\npage text:\n%s", what, err, text)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	open := func(path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(url+path)); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
	}
	started := `document.getElementById("app-wasm-loader") === null && document.querySelector("#connect") !== null && !document.querySelector("#connect").disabled`
	open("/")
	waitFor("the app to start", started)
	waitFor("the service worker to be active", `(() => {
		navigator.serviceWorker.getRegistration().then(r => { window.__sw = r && r.active ? r.active.state : ""; });
		return window.__sw === "activated";
	})()`)
	open("/")
	waitFor("the reloaded page under the service worker", `navigator.serviceWorker.controller !== null`)

	stop()
	for _, tt := range []struct{ path, want string }{
		{"/?lang=en", "QoS Playground"},
		{"/?lang=ja", "QoS プレイグラウンド"},
	} {
		open(tt.path)
		waitFor("offline "+tt.path+" to start", started)
		waitFor("offline "+tt.path+" to say "+tt.want, "document.body.innerText.includes("+strconv.Quote(tt.want)+")")
	}
	waitFor("the app to fall back to the broker in the tab", `document.querySelector("#broker-url").value === "intab://tab"`)
}
