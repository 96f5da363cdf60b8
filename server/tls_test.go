package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// testCert is a self-signed certificate for 127.0.0.1, made for one test.
type testCert struct {
	CertFile, KeyFile string
	// SPKI is the base64 SHA-256 of the certificate's public key, as
	// Chromium's --ignore-certificate-errors-spki-list takes it.
	SPKI string
	Pool *x509.CertPool
}

// newTestCert writes a self-signed certificate valid for 127.0.0.1 from
// notBefore to notAfter.
func newTestCert(t *testing.T, notBefore, notAfter time.Time) testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "QoS Playground test"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tc := testCert{CertFile: filepath.Join(dir, "cert.pem"), KeyFile: filepath.Join(dir, "key.pem"), Pool: x509.NewCertPool()}
	if err := os.WriteFile(tc.CertFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tc.KeyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	tc.SPKI = base64.StdEncoding.EncodeToString(sum[:])
	tc.Pool.AddCert(cert)
	return tc
}

// mqttConnect is a CONNECT packet (MQTT 3.1.1, clean session, keepalive
// 60 s, client id "tls-test").
var mqttConnect = []byte{0x10, 20, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 8, 't', 'l', 's', '-', 't', 'e', 's', 't'}

// TestRunServesTLS starts the server with -tls-cert and -tls-key: the
// page, the manifest and app.wasm come over HTTPS, and an MQTT client
// connects through wss:// /mqtt and gets its CONNACK from the broker.
func TestRunServesTLS(t *testing.T) {
	tc := newTestCert(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	url, log, stop := runServer(t, "-broker", "embedded", "-tls-cert", tc.CertFile, "-tls-key", tc.KeyFile)
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("logged URL %q, want https://127.0.0.1:port", url)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: tc.Pool}}}
	defer client.CloseIdleConnections()
	for _, path := range []string{"/", "/manifest.webmanifest", "/app-worker.js"} {
		res, err := client.Get(url + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s over TLS: %d, want 200", path, res.StatusCode)
		}
	}
	// Plain HTTP to the TLS port is refused, not served in clear.
	if res, err := http.Get(strings.Replace(url, "https://", "http://", 1) + "/"); err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP to the TLS port: %d, want 400", res.StatusCode)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, strings.Replace(url, "https://", "wss://", 1)+"/mqtt", &websocket.DialOptions{
		HTTPClient:   client,
		Subprotocols: []string{"mqtt"},
	})
	if err != nil {
		t.Fatalf("dial wss: %v", err)
	}
	defer ws.CloseNow()
	if err := ws.Write(ctx, websocket.MessageBinary, mqttConnect); err != nil {
		t.Fatalf("send CONNECT: %v", err)
	}
	_, connack, err := ws.Read(ctx)
	if err != nil {
		t.Fatalf("read CONNACK: %v", err)
	}
	if !bytes.Equal(connack, []byte{0x20, 2, 0, 0}) {
		t.Errorf("got % x, want CONNACK accepted (20 02 00 00)", connack)
	}
	ws.Close(websocket.StatusNormalClosure, "")
	if err := stop(); err != nil {
		t.Fatalf("run returned %v", err)
	}
	if !strings.Contains(log.String(), "url=https://") {
		t.Errorf("the log does not give the https URL:\n%s", log)
	}
}

func TestRunRefusesBadTLSFlags(t *testing.T) {
	good := newTestCert(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	expired := newTestCert(t, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	other := newTestCert(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	os.WriteFile(garbage, []byte("not a certificate"), 0o644)
	tests := []struct {
		scenario string
		args     []string
		want     string
	}{
		{"cert without key", []string{"-tls-cert", good.CertFile}, "-tls-cert and -tls-key go together"},
		{"key without cert", []string{"-tls-key", good.KeyFile}, "-tls-cert and -tls-key go together"},
		{"missing file", []string{"-tls-cert", good.CertFile + ".nope", "-tls-key", good.KeyFile}, "no such file"},
		{"not PEM", []string{"-tls-cert", garbage, "-tls-key", good.KeyFile}, "PEM"},
		{"key of another certificate", []string{"-tls-cert", good.CertFile, "-tls-key", other.KeyFile}, "private key does not match"},
		{"expired", []string{"-tls-cert", expired.CertFile, "-tls-key", expired.KeyFile}, "the certificate expired on"},
		{"bad proxy address", []string{"-trusted-proxy", "127.0.0.1, proxy.local"}, `-trusted-proxy: "proxy.local" is neither`},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			out, err := runRefused(t, tt.args...)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q) = %v, want it to say %q", tt.args, err, tt.want)
			}
			if strings.Contains(out, "broker ready") {
				t.Errorf("the broker was started before the flags were checked:\n%s", out)
			}
		})
	}
}

// TestTrustedProxyOriginCheck opens /mqtt as a browser behind a reverse
// proxy does: the Origin is the public site, the Host is the server's own
// address, and X-Forwarded-Host says which site the browser asked for. The
// gateway accepts it only when the peer is a -trusted-proxy, and then
// logs the client that X-Forwarded-For names.
func TestTrustedProxyOriginCheck(t *testing.T) {
	dial := func(url string, header http.Header) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ws, _, err := websocket.Dial(ctx, strings.Replace(url, "http://", "ws://", 1)+"/mqtt", &websocket.DialOptions{
			HTTPHeader: header, Subprotocols: []string{"mqtt"},
		})
		if err != nil {
			return err
		}
		if err := ws.Write(ctx, websocket.MessageBinary, mqttConnect); err != nil {
			return err
		}
		_, connack, err := ws.Read(ctx)
		ws.CloseNow()
		if err != nil || !bytes.Equal(connack, []byte{0x20, 2, 0, 0}) {
			t.Errorf("CONNACK % x, %v", connack, err)
		}
		return nil
	}
	proxied := http.Header{
		"Origin":            {"https://play.example.org"},
		"X-Forwarded-Host":  {"play.example.org"},
		"X-Forwarded-Proto": {"https"},
		"X-Forwarded-For":   {"203.0.113.7"},
	}

	trusting, log, _ := runServer(t, "-broker", "embedded", "-trusted-proxy", "127.0.0.0/8")
	if err := dial(trusting, proxied); err != nil {
		t.Errorf("through a trusted proxy: %v, want the connection accepted", err)
	}
	if !strings.Contains(log.String(), "remote=203.0.113.7:0") {
		t.Errorf("the gateway did not log the forwarded client address:\n%s", log)
	}
	foreign := http.Header{"Origin": {"https://evil.example"}, "X-Forwarded-Host": {"play.example.org"}}
	if err := dial(trusting, foreign); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("a foreign Origin through a trusted proxy: %v, want 403", err)
	}

	plain, _, _ := runServer(t, "-broker", "embedded")
	if err := dial(plain, proxied); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("forwarded headers from a peer not trusted: %v, want 403 (the headers ignored)", err)
	}
}
