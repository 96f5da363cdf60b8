package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"embed"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
)

// The benchmark's own pages: mqtt.js runs and the wasm client's host page.
//
//go:embed pages/*.html pages/*.js
var pages embed.FS

// asset is a file served whole from memory, with the compressed copies a
// browser may ask for: the benchmark's pages get the same treatment as the
// app's app.wasm (brotli over HTTPS, where Chrome asks for it, else gzip).
type asset struct {
	typ          string
	raw, br, gz  []byte
	cacheControl string
}

func newAsset(typ string, raw []byte, cacheControl string) (*asset, error) {
	br, gz, err := compressBoth(raw)
	if err != nil {
		return nil, err
	}
	return &asset{typ: typ, raw: raw, br: br, gz: gz, cacheControl: cacheControl}, nil
}

// compressBoth returns raw compressed with brotli and with gzip, each at
// its best level, as the server's precompressed copies are.
func compressBoth(raw []byte) (br, gz []byte, err error) {
	var bb, gb bytes.Buffer
	bw := brotli.NewWriterLevel(&bb, brotli.BestCompression)
	gw, _ := gzip.NewWriterLevel(&gb, gzip.BestCompression)
	for _, w := range []interface {
		Write([]byte) (int, error)
		Close() error
	}{bw, gw} {
		if _, err := w.Write(raw); err != nil {
			return nil, nil, err
		}
		if err := w.Close(); err != nil {
			return nil, nil, err
		}
	}
	return bb.Bytes(), gb.Bytes(), nil
}

func (a *asset) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", a.typ)
	h.Set("Vary", "Accept-Encoding")
	if a.cacheControl != "" {
		h.Set("Cache-Control", a.cacheControl)
	}
	body := a.raw
	accept := r.Header.Get("Accept-Encoding")
	switch {
	case strings.Contains(accept, "br"):
		h.Set("Content-Encoding", "br")
		body = a.br
	case strings.Contains(accept, "gzip"):
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	w.Write(body)
}

// pageServer serves the benchmark's pages on a free loopback port: over
// HTTPS when tlsCert is given. mqttHandler, when not nil, is its /mqtt.
type pageServer struct {
	URL string
	srv *http.Server
}

func startPageServer(nodeDir, wasmFile string, mqttHandler http.Handler, cert *tls.Certificate) (*pageServer, error) {
	mux := http.NewServeMux()
	if mqttHandler != nil {
		mux.Handle("/mqtt", mqttHandler)
	}
	mqttJS, err := os.ReadFile(filepath.Join(nodeDir, "mqtt", "dist", "mqtt.min.js"))
	if err != nil {
		return nil, fmt.Errorf("mqtt.js is not installed (%v): run npm ci --prefix bench, or make bench, which does", err)
	}
	// Cached like a static asset, so a second visit is warm as the app's
	// is with its service worker.
	a, err := newAsset("text/javascript", mqttJS, "public, max-age=3600")
	if err != nil {
		return nil, err
	}
	mux.Handle("/mqtt.min.js", a)
	for _, name := range []string{"wasm.html", "wasm-worker.html", "mqttjs.html", "mqttjs-open.html"} {
		b, err := pages.ReadFile("pages/" + name)
		if err != nil {
			return nil, err
		}
		a, err := newAsset("text/html; charset=utf-8", b, "no-cache")
		if err != nil {
			return nil, err
		}
		mux.Handle("/"+name, a)
	}
	for _, name := range []string{"wasm-worker.js"} {
		b, err := pages.ReadFile("pages/" + name)
		if err != nil {
			return nil, err
		}
		a, err := newAsset("text/javascript", b, "no-cache")
		if err != nil {
			return nil, err
		}
		mux.Handle("/"+name, a)
	}
	if wasmFile != "" {
		wasm, err := os.ReadFile(wasmFile)
		if err != nil {
			return nil, err
		}
		a, err := newAsset("application/wasm", wasm, "no-cache")
		if err != nil {
			return nil, err
		}
		mux.Handle("/bench.wasm", a)
		execJS, err := wasmExecJS()
		if err != nil {
			return nil, err
		}
		a, err = newAsset("text/javascript", execJS, "no-cache")
		if err != nil {
			return nil, err
		}
		mux.Handle("/wasm_exec.js", a)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ps := &pageServer{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	scheme := "http"
	if cert != nil {
		scheme = "https"
		ps.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
		go ps.srv.ServeTLS(ln, "", "")
	} else {
		go ps.srv.Serve(ln)
	}
	ps.URL = scheme + "://" + ln.Addr().String()
	return ps, nil
}

func (ps *pageServer) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ps.srv.Shutdown(ctx)
}

// wasmExecJS is the JavaScript half of the Go toolchain's wasm runtime, of
// the toolchain that builds the wasm.
func wasmExecJS() ([]byte, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %w", err)
	}
	root := strings.TrimSpace(string(out))
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} {
		if b, err := os.ReadFile(filepath.Join(root, p)); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("wasm_exec.js not found under %s", root)
}

// buildWasm compiles the benchmark's wasm client into dir, with the app's
// flags (through the command that builds app.wasm, wasmbuild), or keeping
// the function names (which -s strips) for a profile.
func buildWasm(ctx context.Context, dir string, names bool) (string, error) {
	out := filepath.Join(dir, "bench.wasm")
	args := []string{"run", "./server/internal/cmd/wasmbuild", "-o", out}
	if names {
		args = append(args, "-symbols")
	}
	cmd := exec.CommandContext(ctx, "go", append(args, "./bench/wasmclient")...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building bench/wasmclient for the browser: %v\n%s", err, b)
	}
	return out, nil
}

// selfSigned is a certificate for 127.0.0.1 made for one benchmark run,
// with the files the server's -tls-cert and -tls-key take and the key's
// SPKI hash, which Chromium's --ignore-certificate-errors-spki-list takes:
// Chrome asks for brotli only over HTTPS.
type selfSigned struct {
	cert              tls.Certificate
	certFile, keyFile string
	spki              string
}

func newSelfSigned(dir string) (*selfSigned, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "QoS Playground benchmark"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	s := &selfSigned{certFile: filepath.Join(dir, "cert.pem"), keyFile: filepath.Join(dir, "key.pem")}
	if err := os.WriteFile(s.certFile, certPEM, 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(s.keyFile, keyPEM, 0o600); err != nil {
		return nil, err
	}
	if s.cert, err = tls.X509KeyPair(certPEM, keyPEM); err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(pub)
	s.spki = base64.StdEncoding.EncodeToString(sum[:])
	return s, nil
}
