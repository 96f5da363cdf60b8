package main

import (
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func getBody(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// TestManifest checks what Chrome needs to install the app: name, short
// name, start URL, scope, display, colours, and PNG icons of the sizes
// they claim, plain and maskable, each served.
func TestManifest(t *testing.T) {
	url, _, _ := runServer(t, "-broker", "embedded")
	for _, path := range []string{"/manifest.webmanifest", "/manifest.json"} {
		res, body := getBody(t, url+path)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/manifest+json" {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		var m webManifest
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, body)
		}
		if m.Name != "QoS Playground" || m.ShortName == "" || m.StartURL != "/" || m.Scope != "/" ||
			m.Display != "standalone" || m.ThemeColor != "#1f4e79" || m.BackgroundColor != "#f7f7f4" || m.ID != "/" {
			t.Errorf("%s: %+v", path, m)
		}
		have := map[string]bool{}
		for _, ic := range m.Icons {
			have[ic.Sizes+" "+ic.Purpose] = true
			res, err := http.Get(url + ic.Src)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK {
				t.Errorf("icon %s: %d", ic.Src, res.StatusCode)
			}
			if ic.Type == "image/png" {
				cfg, err := png.DecodeConfig(res.Body)
				if err != nil {
					t.Errorf("icon %s: %v", ic.Src, err)
				} else if got := fmt.Sprintf("%dx%d", cfg.Width, cfg.Height); got != ic.Sizes {
					t.Errorf("icon %s is %s, the manifest says %s", ic.Src, got, ic.Sizes)
				}
			}
			res.Body.Close()
		}
		for _, want := range []string{"192x192 any", "512x512 any", "192x192 maskable", "512x512 maskable"} {
			if !have[want] {
				t.Errorf("%s has no %s icon", path, want)
			}
		}
	}
	_, page := getBody(t, url+"/")
	if !regexp.MustCompile(`<link (href="/manifest.webmanifest" rel="manifest"|rel="manifest" href="/manifest.webmanifest")>`).MatchString(page) {
		t.Error("the page does not link the manifest")
	}
}

var (
	workerVersionRe = regexp.MustCompile(`const cacheName = "app-" \+ "([0-9a-f]+)"`)
	appJSVersionRe  = regexp.MustCompile(`"GOAPP_VERSION":"([0-9a-f]+)"`)
)

// version returns the app version a server gives its service worker and
// its page, and checks that both agree and that the worker has the
// playground's additions.
func version(t *testing.T, url string) string {
	t.Helper()
	_, worker := getBody(t, url+"/app-worker.js")
	_, appJS := getBody(t, url+"/app.js")
	w, a := workerVersionRe.FindStringSubmatch(worker), appJSVersionRe.FindStringSubmatch(appJS)
	if w == nil || a == nil || w[1] != a[1] {
		t.Fatalf("worker version %v, app.js version %v: want one version in both", w, a)
	}
	for _, want := range []string{offlineFetchHandler, `qosPlaygroundVersion: "` + w[1] + `"`} {
		if !strings.Contains(worker, want) {
			t.Errorf("app-worker.js lacks %q", want)
		}
	}
	return w[1]
}

// TestAppVersion: the version, which names the service worker's cache,
// stays the same across restarts of the same build with the same flags,
// and changes with anything the cache holds: a web file, or a flag the
// page is told.
func TestAppVersion(t *testing.T) {
	if _, err := appWorkerJS([]string{"/web/x.wasm"}); err != nil {
		t.Fatal(err)
	}
	first, _, stop := runServer(t, "-broker", "embedded")
	v1 := version(t, first)
	stop()
	again, _, stop := runServer(t, "-broker", "embedded")
	if v := version(t, again); v != v1 {
		t.Errorf("restart with the same build: version %s, then %s", v1, v)
	}
	stop()

	packet, _, stop := runServer(t, "-broker", "embedded", "-max-packet", "65536")
	if v := version(t, packet); v == v1 {
		t.Errorf("-max-packet changed, the version did not (%s)", v)
	}
	stop()

	// A web directory like ../web with a changed stylesheet.
	web := t.TempDir()
	entries, err := os.ReadDir("../web")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		abs, _ := filepath.Abs(filepath.Join("../web", e.Name()))
		if e.Name() == "app.css" {
			css, _ := os.ReadFile(abs)
			os.WriteFile(filepath.Join(web, e.Name()), append(css, "\n/* next version */\n"...), 0o644)
			continue
		}
		os.Symlink(abs, filepath.Join(web, e.Name()))
	}
	styled, _, _ := runServer(t, "-broker", "embedded", "-web", web)
	if v := version(t, styled); v == v1 {
		t.Errorf("app.css changed, the version did not (%s)", v)
	}
}
