package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"qosplayground/app/brokerapi"
	"qosplayground/server/broker"
)

// The broker API lets the playground's page restart the broker, the fault lab's
// "broker restart" lesson:
//
//	GET  /api/broker          what the broker is, its persistence, and whether
//	                          this page may restart it (and why not)
//	POST /api/broker/restart  {"kill": bool, "persistence": "off"|"on"|"default"}
//
// Refusals carry a code besides their English sentence (why_not in the
// status, code and why_not in an error), which the page says in the
// learner's language (app/brokerapi's Why and Code constants).
//
// A restart drops every client of the broker, not only the asking tab's: it is
// a lesson for a learner on their own machine, or in a classroom whose
// operator allows it (-broker-restart).

// Values of the -broker-restart flag.
const (
	brokerRestartAuto = "auto" // allowed when the server listens on loopback only
	brokerRestartOn   = "on"
	brokerRestartOff  = "off"
)

// brokerRestartTimeout bounds one restart, including Mosquitto's stop (up to
// 5 s before SIGKILL) and start.
const brokerRestartTimeout = 30 * time.Second

// maxRestartBody is far more than a restart request needs.
const maxRestartBody = 4 << 10

// checkBrokerRestart checks a -broker-restart value.
func checkBrokerRestart(v string) error {
	switch v {
	case brokerRestartAuto, brokerRestartOn, brokerRestartOff:
		return nil
	}
	return fmt.Errorf("-broker-restart %q: want auto (allowed when -addr is a loopback address), on or off", v)
}

// restartPolicy is the operator's -broker-restart choice, resolved against the
// address the server listens on.
type restartPolicy struct {
	flag     string // auto, on or off
	loopback bool   // the server listens on a loopback address only
	addr     string // the listen address, for the explanation
}

// newRestartPolicy resolves flag (already checked) for the listener's address.
func newRestartPolicy(flag string, addr net.Addr) restartPolicy {
	tcp, ok := addr.(*net.TCPAddr)
	return restartPolicy{flag: flag, loopback: ok && tcp.IP.IsLoopback(), addr: addr.String()}
}

// check says whether r may restart the broker, and if not, why, in a sentence
// for the page.
//
// In auto mode a loopback listener is not enough: a reverse proxy on the same
// machine can expose it to everybody, and a web page whose host name resolves
// to 127.0.0.1 (DNS rebinding) reaches it from the learner's own browser while
// looking same-origin. So the request must also name a loopback host, come
// from a loopback address (after -trusted-proxy has put the real client's
// there) and carry no proxy header. A proxy on this machine that rewrites Host
// to localhost and adds no header of its own still passes: its operator should
// say -broker-restart off or on.
//
// It returns the reason's code too (brokerapi.WhyOperatorOff...), which the
// page says in the learner's language.
func (p restartPolicy) check(r *http.Request) (ok bool, code, why string) {
	switch p.flag {
	case brokerRestartOn:
		return true, "", ""
	case brokerRestartOff:
		return false, brokerapi.WhyOperatorOff, "The server's operator turned broker restarts off (-broker-restart off)."
	}
	if !p.loopback {
		return false, brokerapi.WhyPublic, fmt.Sprintf("The server listens on %s, which other machines can reach, so a page may not restart the broker everybody shares; its operator can allow it with -broker-restart on.", p.addr)
	}
	if !loopbackHost(r.Host) || !loopbackPeer(r.RemoteAddr) || r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != "" {
		return false, brokerapi.WhyProxy, "This page reached the server through a proxy or a host name that is not this machine's own, so it may not restart the broker; the server's operator can allow it with -broker-restart on."
	}
	return true, "", ""
}

// loopbackHost says whether a Host header names this machine: localhost (or a
// name under .localhost) or a loopback IP address.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// loopbackPeer says whether a request's RemoteAddr is a loopback address.
func loopbackPeer(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// brokerAPI serves /api/broker and /api/broker/restart.
//
// Only one restart runs at a time: a second request while one is under way is
// refused with 409 at once rather than queued, so that a double click cannot
// restart the broker twice, and the page learns the broker is busy.
type brokerAPI struct {
	b      broker.Broker
	policy restartPolicy
	// csrf refuses state-changing requests from other sites (Sec-Fetch-Site,
	// or an Origin that does not match Host).
	csrf *http.CrossOriginProtection
	// restarting is true while a restart runs.
	restarting atomic.Bool
}

// newBrokerAPI returns the API for b under policy.
func newBrokerAPI(b broker.Broker, policy restartPolicy) *brokerAPI {
	return &brokerAPI{b: b, policy: policy, csrf: http.NewCrossOriginProtection()}
}

// register adds the API's routes to mux.
func (a *brokerAPI) register(mux *http.ServeMux) {
	mux.HandleFunc("/api/broker", a.serveStatus)
	mux.HandleFunc("/api/broker/restart", a.serveRestart)
}

// The API's JSON, shared with the page (app/brokerapi).
type (
	brokerStatus  = brokerapi.Status
	restartResult = brokerapi.RestartResult
	brokerError   = brokerapi.Error
)

// status describes the broker for the request r.
func (a *brokerAPI) status(r *http.Request) brokerStatus {
	st := a.b.Status()
	out := brokerStatus{
		Mode:              string(st.Mode),
		Persistence:       string(st.Persistence),
		Saving:            st.Saving,
		CrashLosesUnsaved: st.CrashLosesUnsaved,
		Caveats:           st.Caveats,
		Restarting:        a.restarting.Load(),
	}
	if !st.RestartSupported {
		out.ReasonIfNot, out.WhyNot = st.Reason, whyUnsupported(st)
	} else {
		out.RestartAllowed, out.WhyNot, out.ReasonIfNot = a.policy.check(r)
	}
	return out
}

func (a *brokerAPI) serveStatus(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeBrokerError(w, http.StatusMethodNotAllowed, brokerapi.CodeBadRequest, "use GET to read the broker's status")
		return
	}
	writeBrokerJSON(w, http.StatusOK, a.status(r))
}

func (a *brokerAPI) serveRestart(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeBrokerError(w, http.StatusMethodNotAllowed, brokerapi.CodeBadRequest, `use POST with a JSON body such as {"kill": false, "persistence": "on"} to restart the broker`)
		return
	}
	if err := a.csrf.Check(r); err != nil {
		writeBrokerError(w, http.StatusForbidden, brokerapi.CodeCrossSite, "refused: the request comes from another site's page ("+err.Error()+")")
		return
	}
	if st := a.b.Status(); !st.RestartSupported {
		writeBrokerJSON(w, http.StatusConflict, brokerError{Error: st.Reason, Code: brokerapi.CodeUnsupported, WhyNot: whyUnsupported(st)})
		return
	}
	if ok, code, why := a.policy.check(r); !ok {
		writeBrokerJSON(w, http.StatusForbidden, brokerError{Error: why, Code: brokerapi.CodeForbidden, WhyNot: code})
		return
	}
	// A JSON content type makes a browser send a CORS preflight before any
	// cross-site POST, which this server never answers: one more fence
	// besides the Origin check.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeBrokerError(w, http.StatusUnsupportedMediaType, brokerapi.CodeBadRequest, fmt.Sprintf("Content-Type must be application/json, got %q", r.Header.Get("Content-Type")))
		return
	}
	opts, err := decodeRestart(w, r)
	if err != nil {
		writeBrokerError(w, http.StatusBadRequest, brokerapi.CodeBadRequest, err.Error())
		return
	}
	if !a.restarting.CompareAndSwap(false, true) {
		writeBrokerError(w, http.StatusConflict, brokerapi.CodeBusy, "a broker restart is already under way; try again when it has finished")
		return
	}
	defer a.restarting.Store(false)

	// The restart must finish even if the page goes away mid-way: a broker
	// left half-restarted helps nobody.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), brokerRestartTimeout)
	defer cancel()
	start := time.Now()
	err = a.b.Restart(ctx, opts)
	took := time.Since(start)
	switch {
	case errors.Is(err, broker.ErrNotSupported):
		writeBrokerError(w, http.StatusConflict, brokerapi.CodeUnsupported, a.b.Status().Reason)
	case errors.Is(err, broker.ErrClosed):
		writeBrokerError(w, http.StatusServiceUnavailable, brokerapi.CodeShutdown, "the server is shutting down; the broker was not restarted")
	case err != nil:
		writeBrokerError(w, http.StatusServiceUnavailable, brokerapi.CodeNotBack, "the broker did not come back after the restart (the server keeps trying): "+err.Error())
	default:
		writeBrokerJSON(w, http.StatusOK, restartResult{OK: true, TookMS: took.Milliseconds(), Kill: opts.Kill, Persistence: string(a.b.Status().Persistence)})
	}
}

// whyUnsupported names why a broker cannot be restarted at all: a cluster
// every class shares, or an external broker.
func whyUnsupported(st broker.Status) string {
	if brokerapi.IsCluster(string(st.Mode)) {
		return brokerapi.WhyCluster
	}
	return brokerapi.WhyExternal
}

// decodeRestart reads exactly one JSON object with known fields and checks
// its persistence value.
func decodeRestart(w http.ResponseWriter, r *http.Request) (broker.RestartOptions, error) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRestartBody))
	dec.DisallowUnknownFields()
	var req brokerapi.RestartRequest
	if err := dec.Decode(&req); err != nil {
		return broker.RestartOptions{}, fmt.Errorf(`the body must be a JSON object such as {"kill": false, "persistence": "on"}: %w`, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return broker.RestartOptions{}, errors.New("the body must hold one JSON object and nothing after it")
	}
	opts := broker.RestartOptions{Kill: req.Kill}
	if req.Persistence != "" {
		p, err := broker.ParsePersistence(req.Persistence)
		if err != nil {
			return broker.RestartOptions{}, fmt.Errorf(`"persistence" must be "off", "on" or "default", got %q`, req.Persistence)
		}
		opts.Persistence = p
	}
	return opts, nil
}

func writeBrokerError(w http.ResponseWriter, status int, code, msg string) {
	writeBrokerJSON(w, status, brokerError{Error: msg, Code: code})
}

func writeBrokerJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
