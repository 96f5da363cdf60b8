package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"qosplayground/internal/testenv"
)

// testTeacherKey is long enough for readTeacherKey, and unlike anything
// else the server writes.
const testTeacherKey = "sesame-7f3a9c2e4b1d8e6f"

func writeKeyFile(t *testing.T, key string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "teacher.key")
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// noRedirect is an HTTP client that shows redirects instead of following
// them, and sends no cookie but those given.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func do(t *testing.T, method, u string, form url.Values, cookie *http.Cookie) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Encoding", "identity")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

// TestTeacherOff: without -teacher-key-file nothing of the board exists:
// /teacher and below answer 404, the pages do not mention it, and the
// gateway treats ?teacher=1 as any URL without a learner token.
func TestTeacherOff(t *testing.T) {
	for _, mode := range []string{"mosquitto", "embedded"} {
		t.Run(mode, func(t *testing.T) { testTeacherOff(t, mode) })
	}
}

func testTeacherOff(t *testing.T, mode string) {
	if mode == "mosquitto" {
		testenv.NeedMosquitto(t)
	}
	base, _, _ := runServer(t, "-broker", mode, "-classroom")
	for _, c := range []struct{ method, path string }{
		{"GET", "/teacher"}, {"GET", "/teacher?room=blue-7"}, {"POST", "/teacher"}, {"GET", "/teacher/"}, {"POST", "/teacher/signout"},
	} {
		res, body := do(t, c.method, base+c.path, url.Values{"key": {testTeacherKey}}, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404", c.method, c.path, res.StatusCode)
		}
		if len(res.Cookies()) > 0 || strings.Contains(strings.ToLower(body), "teacher") {
			t.Errorf("%s %s: cookies %v, body %q: something about teachers", c.method, c.path, res.Cookies(), body)
		}
	}
	if _, body := do(t, "GET", base+"/", nil, nil); strings.Contains(body, "QOS_TEACHER") {
		t.Errorf("the page tells the app there is a board")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/mqtt?teacher=1&room=blue-7", &websocket.DialOptions{Subprotocols: []string{"mqtt"}})
	if err == nil {
		ws.CloseNow()
		t.Fatal("a teacher URL was accepted on a server without a board")
	}
	if res == nil || res.StatusCode != http.StatusBadRequest {
		t.Errorf("teacher URL: %v (%v), want 400 as for any URL without a learner token", res, err)
	}
}

// TestTeacherWASM: the board's wasm (which app.js fetches on /teacher) is
// served with -teacher-key-file only, though it lies in the web directory
// beside app.wasm.
func TestTeacherWASM(t *testing.T) {
	web := t.TempDir()
	wasm := []byte("\x00asm the teacher's board")
	if err := os.WriteFile(filepath.Join(web, teacherWASM), wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	off, _, _ := runServer(t, "-broker", "embedded", "-classroom", "-web", web)
	if res, _ := do(t, "GET", off+teacherWASMPath, nil, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("without a board, %s: %d, want 404", teacherWASMPath, res.StatusCode)
	}
	on, _, _ := runServer(t, "-broker", "embedded", "-classroom", "-web", web, "-teacher-key-file", writeKeyFile(t, testTeacherKey))
	if res, body := do(t, "GET", on+teacherWASMPath, nil, nil); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/wasm" || body != string(wasm) {
		t.Errorf("with a board, %s: %d, %q, %q", teacherWASMPath, res.StatusCode, res.Header.Get("Content-Type"), body)
	}
}

// TestTeacherSignIn: the sign-in page, a wrong key refused, the right key
// giving an HttpOnly SameSite=Strict session the board and the gateway
// accept, the key never in a URL, a page or the log, wrong keys rate
// limited, and sign-out ending the session.
func TestTeacherSignIn(t *testing.T) {
	for _, mode := range []string{"mosquitto", "embedded"} {
		t.Run(mode, func(t *testing.T) { testTeacherSignIn(t, mode) })
	}
}

func testTeacherSignIn(t *testing.T, mode string) {
	if mode == "mosquitto" {
		testenv.NeedMosquitto(t)
	}
	base, log, _ := runServer(t, "-broker", mode, "-classroom", "-teacher-key-file", writeKeyFile(t, testTeacherKey))
	wsBase := "ws" + strings.TrimPrefix(base, "http")

	res, body := do(t, "GET", base+"/teacher?room=Blue-7&lang=ja", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `method="post"`) || !strings.Contains(body, `type="password"`) || !strings.Contains(body, `value="blue-7"`) || !strings.Contains(body, "先生用キー") {
		t.Errorf("sign-in page: %d\n%s", res.StatusCode, body)
	}

	// The key in a URL signs nobody in.
	for _, m := range []string{"GET", "POST"} {
		res, _ := do(t, m, base+"/teacher?key="+testTeacherKey, url.Values{"room": {"blue-7"}}, nil)
		if len(res.Cookies()) > 0 || res.StatusCode == http.StatusSeeOther {
			t.Errorf("%s with the key in the URL: %d, cookies %v: signed in", m, res.StatusCode, res.Cookies())
		}
	}
	// A wrong key: 401, no cookie, and the page does not repeat it.
	res, body = do(t, "POST", base+"/teacher", url.Values{"key": {"wrong-key-guess-123"}, "room": {"blue-7"}}, nil)
	if res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) > 0 || !strings.Contains(body, `id="signin-error"`) || strings.Contains(body, "wrong-key-guess-123") {
		t.Errorf("wrong key: %d, cookies %v\n%s", res.StatusCode, res.Cookies(), body)
	}

	// The right key.
	res, body = do(t, "POST", base+"/teacher", url.Values{"key": {testTeacherKey}, "room": {"Blue-7"}, "lang": {"en"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/teacher?lang=en&room=blue-7" {
		t.Fatalf("right key: %d to %q, want 303 to /teacher?lang=en&room=blue-7", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == teacherCookie {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/" || len(session.Value) < 40 {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/, a long random value", session)
	}
	if strings.Contains(session.Value, testTeacherKey) || strings.Contains(res.Header.Get("Location"), testTeacherKey) || strings.Contains(body, testTeacherKey) {
		t.Error("the key is in the answer to the sign-in")
	}
	res, body = do(t, "GET", base+"/teacher?room=blue-7", nil, session)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "teacher-page") || strings.Contains(body, testTeacherKey) {
		t.Errorf("the board with the session: %d, want the board's page\n%.500s", res.StatusCode, body)
	}
	if got := res.Header.Get("Content-Security-Policy"); got != "frame-ancestors 'none'" {
		t.Errorf("the board's CSP %q: want frame-ancestors 'none' (no page may frame it)", got)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the board's Cache-Control %q, want no-store", res.Header.Get("Cache-Control"))
	}

	// The gateway: a teacher's connection with the session, not without.
	dial := func(c *http.Cookie) (*http.Response, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h := http.Header{}
		if c != nil {
			h.Set("Cookie", c.Name+"="+c.Value)
		}
		ws, res, err := websocket.Dial(ctx, wsBase+"/mqtt?teacher=1&room=blue-7", &websocket.DialOptions{Subprotocols: []string{"mqtt"}, HTTPHeader: h})
		if err == nil {
			ws.CloseNow()
		}
		return res, err
	}
	if _, err := dial(session); err != nil {
		t.Errorf("teacher's /mqtt with the session: %v", err)
	}
	if res, err := dial(nil); err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("teacher's /mqtt without the session: %v (%v), want 403", res, err)
	}

	// Sign-out ends the session, and closes the board's connection.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	open, _, err := websocket.Dial(ctx, wsBase+"/mqtt?teacher=1&room=blue-7", &websocket.DialOptions{Subprotocols: []string{"mqtt"}, HTTPHeader: http.Header{"Cookie": {session.Name + "=" + session.Value}}})
	if err != nil {
		t.Fatalf("teacher's /mqtt with the session: %v", err)
	}
	defer open.CloseNow()
	res, _ = do(t, "POST", base+"/teacher/signout", nil, session)
	if _, _, err := open.Read(ctx); websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Errorf("the board's connection after sign-out: %v, want closed with 1008", err)
	}
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-out: %d, want 303", res.StatusCode)
	}
	if res, body := do(t, "GET", base+"/teacher?room=blue-7", nil, session); !strings.Contains(body, `type="password"`) {
		t.Errorf("the board after sign-out: %d, want the sign-in page", res.StatusCode)
	}
	if _, err := dial(session); err == nil {
		t.Errorf("teacher's /mqtt after sign-out: accepted")
	}

	// Wrong keys are limited: two were given above (the POST with the
	// key in its URL gave none in its body); after teacherFailsPerAddr of
	// them even the right key waits.
	for i := 2; i < teacherFailsPerAddr; i++ {
		if res, _ := do(t, "POST", base+"/teacher", url.Values{"key": {"guess-number-0000" + string(rune('a'+i))}}, nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("wrong key %d: %d, want 401", i+1, res.StatusCode)
		}
	}
	res, body = do(t, "POST", base+"/teacher", url.Values{"key": {testTeacherKey}}, nil)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || len(res.Cookies()) > 0 || !strings.Contains(body, `id="signin-error"`) {
		t.Errorf("after %d wrong keys: %d (Retry-After %q, cookies %v), want 429 even for the right key", teacherFailsPerAddr, res.StatusCode, res.Header.Get("Retry-After"), res.Cookies())
	}

	if !strings.Contains(log.String(), "teacher: sign-in refused") || !strings.Contains(log.String(), "teacher: signed in") {
		t.Errorf("the log does not say who signed in and who was refused:\n%s", log)
	}
	if strings.Contains(log.String(), testTeacherKey) || strings.Contains(log.String(), "wrong-key-guess-123") {
		t.Errorf("the key (or a guess) is in the server's log:\n%s", log)
	}
}

// TestTeacherAuthLimits: the limit per address lifts after its window;
// many addresses together hit the limit for everyone.
func TestTeacherAuthLimits(t *testing.T) {
	a := newTeacherAuth(testTeacherKey, testenv.Logger(t))
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	a.now = func() time.Time { return now }
	for range teacherFailsPerAddr {
		if err := a.check("10.0.0.1", "nope"); err == nil || err == errLimited {
			t.Fatalf("wrong key: %v", err)
		}
	}
	if err := a.check("10.0.0.1", testTeacherKey); err != errLimited {
		t.Errorf("right key after %d wrong ones: %v, want limited", teacherFailsPerAddr, err)
	}
	if err := a.check("10.0.0.2", testTeacherKey); err != nil {
		t.Errorf("another address: %v, want accepted", err)
	}
	now = now.Add(teacherFailWindow + time.Second)
	if err := a.check("10.0.0.1", testTeacherKey); err != nil {
		t.Errorf("after the window: %v, want accepted", err)
	}
	for i := range teacherFailsAll {
		a.check("10.1.0."+string(rune('0'+i%10))+string(rune('0'+i/10)), "nope")
	}
	if err := a.check("10.9.9.9", testTeacherKey); err != errLimited {
		t.Errorf("after %d wrong keys from many addresses: %v, want limited for all", teacherFailsAll, err)
	}
	// Addresses that try once and never again are forgotten: ten minutes
	// of guesses from ever new addresses leave a bounded table.
	for m := range 10 {
		now = now.Add(teacherFailWindow + time.Second)
		for i := range teacherFailsAll {
			a.check(fmt.Sprintf("10.%d.%d.1", m, i), "nope")
		}
	}
	if n := len(a.fails); n > 4*teacherFailsAll+teacherFailsAll {
		t.Errorf("%d addresses remembered, want old ones forgotten", n)
	}
}

// TestTeacherSessionExpires: a session ends by itself when its life is
// over, and the gateway is told, as at sign-out, so that a board left open
// loses its connections then.
func TestTeacherSessionExpires(t *testing.T) {
	a := newTeacherAuth(testTeacherKey, testenv.Logger(t))
	var after time.Duration
	var fire func()
	a.afterFunc = func(d time.Duration, f func()) *time.Timer { after, fire = d, f; return nil }
	var ended []string
	a.ended = func(s string) { ended = append(ended, s) }
	tok := a.newSession()
	r := httptest.NewRequest(http.MethodGet, "/teacher", nil)
	r.AddCookie(&http.Cookie{Name: teacherCookie, Value: tok})
	if !a.Valid(r) {
		t.Fatal("a new session is not valid")
	}
	if after != teacherSessionLife || fire == nil {
		t.Fatalf("the session's end is scheduled after %v, want %v", after, teacherSessionLife)
	}
	fire()
	if a.Valid(r) {
		t.Error("the session is still valid after its end")
	}
	if len(ended) != 1 || ended[0] != sessionName(tok) {
		t.Errorf("ended sessions told to the gateway: %q, want this one", ended)
	}
	fire() // a session already signed out ends once
	if len(ended) != 1 {
		t.Errorf("the gateway was told %d times", len(ended))
	}
}

// TestTeacherFlags: the board needs -classroom and a long enough key; the
// error never shows the file's content.
func TestTeacherFlags(t *testing.T) {
	if _, err := parseFlags([]string{"-teacher-key-file", writeKeyFile(t, testTeacherKey)}, io.Discard); err == nil {
		t.Error("-teacher-key-file without -classroom: accepted")
	}
	short := "short-key"
	_, err := readTeacherKey(writeKeyFile(t, short))
	if err == nil || strings.Contains(err.Error(), short) {
		t.Errorf("short key: %v, want an error that does not show it", err)
	}
	if k, err := readTeacherKey(writeKeyFile(t, "  "+testTeacherKey+"  ")); err != nil || k != testTeacherKey {
		t.Errorf("readTeacherKey: %q, %v", k, err)
	}
}
