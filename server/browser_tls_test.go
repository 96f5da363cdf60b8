package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserTLS serves the playground over HTTPS with a self-signed
// certificate that Chromium is told to trust (by its public key, and only
// that one). The page dials wss:// on its own, connects, and a message
// makes the round trip; Chrome finds the app installable, and app.wasm
// comes as brotli, which Chrome asks for only over HTTPS.
func TestBrowserTLS(t *testing.T) {
	tc := newTestCert(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	b := newBrowser(t, chromedp.Flag("ignore-certificate-errors-spki-list", tc.SPKI))
	web := precompressedWebDir(t)
	srv := startServer(t, "-broker", "embedded", "-web", web, "-tls-cert", tc.CertFile, "-tls-key", tc.KeyFile)
	if !strings.HasPrefix(srv.URL, "https://") {
		t.Fatalf("server URL %s, want https://", srv.URL)
	}

	b.open(srv.URL, "/?lang=en")
	if got, want := eval[string](b, `document.querySelector("#broker-url").value`), strings.Replace(srv.URL, "https://", "wss://", 1)+"/mqtt"; got != want {
		t.Errorf("broker URL %q, want %q", got, want)
	}
	b.connect("connected over wss", 20*time.Second)
	b.click("#subscribe")
	b.waitFor("SUBACK", `document.querySelectorAll("#subscriptions li").length === 1`, 10*time.Second)
	b.click("#publish")
	b.waitFor("the message back", `document.querySelectorAll("#messages li").length === 1`, 10*time.Second)

	b.waitInstallable(30 * time.Second)

	tr := b.wasmTransfer()
	t.Logf("app.wasm over https: %d bytes on the wire for %d", tr.Encoded, tr.Decoded)
	if br := fileSize(web, "app.wasm.br"); tr.Encoded != br || tr.Decoded != fileSize(web, "app.wasm") {
		t.Errorf("app.wasm came as %d bytes decoding to %d, want app.wasm.br (%d bytes) decoding to app.wasm", tr.Encoded, tr.Decoded, br)
	}
	b.screenshot("https", 1280)
	b.screenshot("https", 390)
}
