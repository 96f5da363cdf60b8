package main

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"qosplayground/app/classroom"
	"qosplayground/app/i18n"
)

// The teacher's board (-teacher-key-file): /teacher is a sign-in page
// until the teacher has given the key, then the board (a page of the app,
// ui.TeacherRoute), whose MQTT connection the gateway lets read the room's
// progress (gateway.Config.Teacher). Without the flag none of it exists:
// /teacher answers 404 and the gateway knows no teachers.
//
// The key travels only in the sign-in form's POST body; it is compared in
// constant time (as SHA-256 digests, so its length leaks nothing either),
// wrong keys are rate limited per address and in all, and it is never
// written to a log, a page or a topic. A correct key gets a session: a
// random token in an HttpOnly, SameSite=Strict cookie, which the browser
// also sends with the board's /mqtt connection.

const (
	teacherPath   = "/teacher"
	teacherCookie = "qos-teacher"
	// teacherSessionLife is how long a sign-in lasts: a school day.
	teacherSessionLife = 12 * time.Hour
	// minTeacherKey is the shortest key accepted: the rate limit slows
	// guessing, a long key makes it hopeless.
	minTeacherKey = 16
	// Wrong keys: at most teacherFailsPerAddr per address and
	// teacherFailsAll from everyone within teacherFailWindow; more are
	// answered 429 without looking at the key.
	teacherFailsPerAddr = 5
	teacherFailsAll     = 50
	teacherFailWindow   = time.Minute
)

// readTeacherKey reads the key file: its content without surrounding
// white space, at least minTeacherKey bytes.
func readTeacherKey(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("-teacher-key-file: %w", err)
	}
	key := strings.TrimSpace(string(b))
	if len(key) < minTeacherKey {
		// Say the length wanted, never what the file holds.
		return "", fmt.Errorf("-teacher-key-file %s: the key must have at least %d characters (e.g. openssl rand -base64 24 > %s)", path, minTeacherKey, path)
	}
	return key, nil
}

// teacherAuth keeps the key's digest, the sessions and the failures.
type teacherAuth struct {
	keySum [sha256.Size]byte
	log    *slog.Logger
	now    func() time.Time
	// ended, when set, is told the name of each session signed out (the
	// gateway closes its connections).
	ended func(session string)

	mu       sync.Mutex
	sessions map[string]time.Time // token → expiry
	fails    map[string][]time.Time
	allFails []time.Time
}

func newTeacherAuth(key string, log *slog.Logger) *teacherAuth {
	return &teacherAuth{
		keySum: sha256.Sum256([]byte(key)), log: log, now: time.Now,
		sessions: make(map[string]time.Time), fails: make(map[string][]time.Time),
	}
}

// Valid reports whether r carries a live teacher session.
func (a *teacherAuth) Valid(r *http.Request) bool {
	_, ok := a.Session(r)
	return ok
}

// Session returns the name of r's live teacher session (for the gateway,
// which closes the session's connections when it ends: its token's
// SHA-256, so that the token itself stays in the cookie only).
func (a *teacherAuth) Session(r *http.Request) (string, bool) {
	c, err := r.Cookie(teacherCookie)
	if err != nil || c.Value == "" {
		return "", false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	exp, ok := a.sessions[c.Value]
	if !ok {
		return "", false
	}
	if a.now().After(exp) {
		delete(a.sessions, c.Value)
		return "", false
	}
	return sessionName(c.Value), true
}

func sessionName(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// errLimited: too many wrong keys lately.
var errLimited = errors.New("too many wrong keys")

// check compares key with the teacher's, unless addr (or everyone) has
// given too many wrong keys lately.
func (a *teacherAuth) check(addr, key string) error {
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	recent := func(ts []time.Time) []time.Time {
		i := 0
		for i < len(ts) && now.Sub(ts[i]) > teacherFailWindow {
			i++
		}
		return ts[i:]
	}
	a.allFails = recent(a.allFails)
	mine := recent(a.fails[addr])
	if len(mine) == 0 {
		delete(a.fails, addr)
	}
	if len(mine) >= teacherFailsPerAddr || len(a.allFails) >= teacherFailsAll {
		return errLimited
	}
	sum := sha256.Sum256([]byte(key))
	if subtle.ConstantTimeCompare(sum[:], a.keySum[:]) == 1 {
		return nil
	}
	a.fails[addr] = append(mine, now)
	a.allFails = append(a.allFails, now)
	if len(a.fails) > 4*teacherFailsAll {
		// Addresses that never came back: forget their old failures.
		for ad, ts := range a.fails {
			if len(recent(ts)) == 0 {
				delete(a.fails, ad)
			}
		}
	}
	return errors.New("wrong key")
}

// newSession starts a session and returns its token.
func (a *teacherAuth) newSession() string {
	b := make([]byte, 32)
	rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	for t, exp := range a.sessions {
		if now.After(exp) {
			delete(a.sessions, t)
		}
	}
	a.sessions[tok] = now.Add(teacherSessionLife)
	return tok
}

func (a *teacherAuth) endSession(r *http.Request) {
	c, err := r.Cookie(teacherCookie)
	if err != nil {
		return
	}
	a.mu.Lock()
	_, had := a.sessions[c.Value]
	delete(a.sessions, c.Value)
	a.mu.Unlock()
	if had && a.ended != nil {
		a.ended(sessionName(c.Value))
	}
}

// teacherHandler serves /teacher: the sign-in page and form, sign-out, and
// the board (board, go-app's handler) once signed in.
func teacherHandler(a *teacherAuth, board http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		// The board and its sign-in are never shown inside another page
		// (whatever -frame-ancestors allows the learners' pages): no
		// clickjacking of the key's form or of "Clear the room".
		w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'")
		switch {
		case r.URL.Path == teacherPath && r.Method == http.MethodGet:
			if a.Valid(r) {
				board.ServeHTTP(noStore{w}, r)
				return
			}
			signInPage(w, r, http.StatusOK, nil)
		case r.URL.Path == teacherPath && r.Method == http.MethodPost:
			a.signIn(w, r)
		case r.URL.Path == teacherPath+"/signout" && r.Method == http.MethodPost:
			a.endSession(r)
			http.SetCookie(w, &http.Cookie{Name: teacherCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r)})
			http.Redirect(w, r, teacherPath, http.StatusSeeOther)
		default:
			http.NotFound(w, r)
		}
	})
}

func (a *teacherAuth) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	// The key is read from the body only: a key in the URL would sit in
	// the address bar, the history and proxies' logs.
	key := r.PostForm.Get("key")
	addr := clientAddr(r)
	switch err := a.check(addr, key); {
	case errors.Is(err, errLimited):
		a.log.Warn("teacher: sign-in refused: too many wrong keys", "remote", addr)
		w.Header().Set("Retry-After", strconv.Itoa(int(teacherFailWindow.Seconds())))
		signInPage(w, r, http.StatusTooManyRequests, &i18n.TeacherSignInLimited)
		return
	case err != nil:
		a.log.Warn("teacher: sign-in refused: wrong key", "remote", addr)
		signInPage(w, r, http.StatusUnauthorized, &i18n.TeacherSignInWrong)
		return
	}
	a.log.Info("teacher: signed in", "remote", addr)
	http.SetCookie(w, &http.Cookie{
		Name: teacherCookie, Value: a.newSession(), Path: "/",
		MaxAge: int(teacherSessionLife.Seconds()), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r),
	})
	target := teacherPath
	q := url.Values{}
	if room, err := classroom.NormalizeRoom(r.PostForm.Get("room")); err == nil && room != "" {
		q.Set(classroom.RoomParam, room)
	}
	if l, ok := i18n.Parse(r.PostForm.Get("lang")); ok {
		q.Set("lang", string(l))
	}
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// isHTTPS reports whether the browser reached the server over HTTPS
// (directly, or through a trusted proxy: forwarded.Handler sets the
// scheme): the cookie is then Secure.
func isHTTPS(r *http.Request) bool { return r.TLS != nil || r.URL.Scheme == "https" }

// clientAddr is the request's client address without its port (the
// proxy's X-Forwarded-For when trusted: forwarded.Handler sets it).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// pageLang is the sign-in page's language: ?lang= (or the form's lang),
// else the browser's Accept-Language, else English.
func pageLang(r *http.Request) i18n.Lang {
	if l, ok := i18n.Parse(r.FormValue("lang")); ok {
		return l
	}
	var prefs []string
	for v := range strings.SplitSeq(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(v, ";")
		prefs = append(prefs, tag)
	}
	return i18n.Detect(prefs)
}

// signInPage writes the sign-in page, with problem (if any) above the form.
// It repeats the room code, never the key.
func signInPage(w http.ResponseWriter, r *http.Request, status int, problem *i18n.Msg) {
	l := pageLang(r)
	room, _ := classroom.NormalizeRoom(r.FormValue("room"))
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="%s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title><link rel="stylesheet" href="/web/app.css"></head>
<body><main class="teacher-signin"><h1>%s</h1><p>%s</p>`, l, e(i18n.TeacherSignInTitle.In(l)), e(i18n.TeacherSignInTitle.In(l)), e(i18n.TeacherSignInHelp.In(l)))
	if problem != nil {
		fmt.Fprintf(&b, `<p id="signin-error" class="error" role="alert">%s</p>`, e(problem.In(l)))
	}
	fmt.Fprintf(&b, `<form method="post" action="%s" autocomplete="off">
<input type="hidden" name="lang" value="%s">
<p><label for="teacher-key">%s</label><br><input id="teacher-key" name="key" type="password" required autocomplete="current-password"></p>
<p><label for="teacher-room">%s</label><br><input id="teacher-room" name="room" type="text" maxlength="%d" value="%s"></p>
<p><button id="teacher-signin" type="submit">%s</button></p>
</form></main></body></html>
`, teacherPath, l, e(i18n.TeacherKeyLabel.In(l)), e(i18n.ClassroomCodeLabel.In(l)), classroom.MaxRoomLength, e(room), e(i18n.TeacherSignIn.In(l)))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(b.String()))
}

// noStore keeps the board's page out of every cache: go-app's handler
// sets its own Cache-Control, replaced here when the header is written.
type noStore struct{ http.ResponseWriter }

func (n noStore) WriteHeader(code int) {
	n.Header().Set("Cache-Control", "no-store")
	n.ResponseWriter.WriteHeader(code)
}

func (n noStore) Write(b []byte) (int, error) {
	n.Header().Set("Cache-Control", "no-store") // harmless once written
	return n.ResponseWriter.Write(b)
}

func (n noStore) Unwrap() http.ResponseWriter { return n.ResponseWriter }
