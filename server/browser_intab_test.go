package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBrowserInTabUnavailable: a server without the in-tab broker's
// broker.wasm (built without `make build`) still serves the app, and a
// learner who chooses the broker in the tab is told, in their language,
// that it could not start and why, instead of waiting on a connection that
// never comes. Once the file is there, trying again starts a new worker
// and connects.
func TestBrowserInTabUnavailable(t *testing.T) {
	b := newBrowser(t)
	web := linkedWebDir(t, brokerWASM)
	srv := startServer(t, "-broker", "embedded", "-web", web)
	if !strings.Contains(srv.Log(), brokerWASM+" not found") {
		t.Errorf("the server did not warn that %s is missing", brokerWASM)
	}

	for _, tt := range []struct{ lang, want string }{
		{"en", "The broker in this tab could not be started"},
		{"ja", "このタブの中のブローカーを起動できませんでした"},
	} {
		b.open(srv.URL, "/?lang="+tt.lang)
		b.set("#broker-choice", "intab")
		b.waitFor("the in-tab broker's URL in the form", `document.querySelector("#broker-url").value === "intab://tab"`, 5*time.Second)
		b.click("#connect")
		b.waitFor("the connection to fail", `document.querySelector("#conn-state").dataset.state === "disconnected" && !document.querySelector("#conn-error").hidden && document.querySelector("#conn-error").innerText !== ""`, 20*time.Second)
		said := eval[string](b, `document.querySelector("#conn-error").innerText`)
		t.Logf("%s: %s", tt.lang, said)
		b.screenshot("intab-unavailable-"+tt.lang, 390)
		if !strings.Contains(said, tt.want) || !strings.Contains(said, "404") {
			t.Errorf("%s: the page says %q; want %q and the reason (broker.wasm: 404)", tt.lang, said, tt.want)
		}
	}

	_, built := buildOnce(t)
	abs, _ := filepath.Abs(filepath.Join(built, brokerWASM))
	if err := os.Symlink(abs, filepath.Join(web, brokerWASM)); err != nil {
		t.Fatal(err)
	}
	b.connect("a connection to the new worker's broker", 30*time.Second)
}
