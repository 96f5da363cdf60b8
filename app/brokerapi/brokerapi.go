// Package brokerapi is the server's broker API as both sides see it: the
// JSON of GET /api/broker and POST /api/broker/restart (the server encodes
// these types, the fault lab decodes them), and a client for the page.
//
// It imports no go-app. In the browser it calls fetch itself (call_js.go):
// net/http's client, which would do the same, adds 1.4 MB to app.wasm.
package brokerapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Paths of the API on the server.
const (
	StatusPath  = "/api/broker"
	RestartPath = "/api/broker/restart"
)

// Status is the answer to GET /api/broker.
type Status struct {
	Mode string `json:"mode"` // "mosquitto", "embedded", "external", "nats-cluster" or "cluster"
	// Persistence is "off", "on" or "default"; "" for an external broker,
	// whose setting is unknown here.
	Persistence    string `json:"persistence"`
	RestartAllowed bool   `json:"restart_allowed"`
	// ReasonIfNot explains a false RestartAllowed, in English; "" otherwise.
	ReasonIfNot string `json:"reason_if_not"`
	// WhyNot names the reason of a false RestartAllowed (one of the Why
	// constants), for a page that says it in the learner's language; ""
	// otherwise.
	WhyNot            string   `json:"why_not,omitempty"`
	Saving            string   `json:"saving,omitempty"`
	CrashLosesUnsaved bool     `json:"crash_loses_unsaved"`
	Caveats           []string `json:"caveats,omitempty"`
	// Restarting is true while a restart is under way.
	Restarting bool `json:"restarting"`
}

// Reasons a restart is not allowed (Status.WhyNot).
const (
	WhyOperatorOff = "operator-off" // the operator said -broker-restart off
	WhyPublic      = "public"       // the server listens where other machines can reach it
	WhyProxy       = "proxy"        // the page came through a proxy or a host name not this machine's
	WhyExternal    = "external"     // the broker is external: this server does not run it
	WhyCluster     = "cluster"      // the broker is a cluster every class shares (NATS Server)
)

// Modes of a clustered broker (Status.Mode): a NATS Server cluster this
// server runs, or several brokers of one cluster somebody else runs.
const (
	ModeNATSCluster = "nats-cluster"
	ModeCluster     = "cluster"
)

// ModeInTab is the broker in the page's own tab (app/intab), whose status
// the page makes up itself in the same shape.
const ModeInTab = "intab"

// What a page shows for the persistence of a broker it cannot set
// (PersistenceChoices): NATS JetStream, or an external broker's unknown
// setting.
const (
	PersistenceJetStream = "jetstream"
	PersistenceUnknown   = "unknown"
)

// PersistenceChoices returns the persistence settings a restart of the
// broker in mode can choose from, in the order a page lists them. A broker
// the page cannot restart gets the one thing that is true of it: a NATS
// cluster keeps everything in JetStream, an external broker's setting is
// its operator's and unknown here. The in-tab broker keeps every change, so
// "on" and "default" are one there.
func PersistenceChoices(mode string) []string {
	switch {
	case IsCluster(mode):
		return []string{PersistenceJetStream}
	case mode == "external":
		return []string{PersistenceUnknown}
	case mode == ModeInTab:
		return []string{"on", "off"}
	}
	return []string{"default", "on", "off"}
}

// IsCluster says whether mode is a clustered broker's.
func IsCluster(mode string) bool { return mode == ModeNATSCluster || mode == ModeCluster }

// Codes of error answers (Error.Code).
const (
	CodeForbidden   = "forbidden"   // restarts are not allowed (WhyNot says why)
	CodeBusy        = "busy"        // a restart is already under way
	CodeUnsupported = "unsupported" // an external broker
	CodeNotBack     = "not-back"    // the broker did not come back after the restart
	CodeShutdown    = "shutdown"    // the server is shutting down
	CodeBadRequest  = "bad-request" // the request was malformed
	CodeCrossSite   = "cross-site"  // another site's page asked
)

// RestartRequest is the body of POST /api/broker/restart.
type RestartRequest struct {
	Kill bool `json:"kill"`
	// Persistence: "off", "on" or "default"; absent or "" keeps the current.
	Persistence string `json:"persistence"`
}

// RestartResult is the answer to a successful restart.
type RestartResult struct {
	OK          bool   `json:"ok"`
	TookMS      int64  `json:"took_ms"`
	Kill        bool   `json:"kill"`
	Persistence string `json:"persistence"`
}

// Error is the body of every error answer.
type Error struct {
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	// Code says what went wrong (one of the Code constants), for a page
	// that says it in the learner's language; WhyNot goes with
	// CodeForbidden.
	Code   string `json:"code,omitempty"`
	WhyNot string `json:"why_not,omitempty"`
}

// ErrRefused wraps the server's explanation of a refused or failed
// request.
var ErrRefused = errors.New("brokerapi: refused")

// ErrNoAnswer wraps a request that got no answer from the server: it is
// down or unreachable, or the context ended first.
var ErrNoAnswer = errors.New("brokerapi: no answer from the server")

// RefusedError is the server's answer to a refused or failed request. It
// is an ErrRefused (errors.Is).
type RefusedError struct {
	HTTPStatus int
	Code       string // one of the Code constants; "" from an older server
	WhyNot     string // with CodeForbidden
	Message    string // the server's explanation, in English
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%v: %s (HTTP %d)", ErrRefused, e.Message, e.HTTPStatus)
}

// Unwrap makes a RefusedError an ErrRefused.
func (e *RefusedError) Unwrap() error { return ErrRefused }

// GetStatus reads the broker's status from the server at base (scheme and
// host, e.g. "http://localhost:8080").
func GetStatus(ctx context.Context, base string) (Status, error) {
	var st Status
	err := call(ctx, "GET", base+StatusPath, nil, &st)
	return st, err
}

// Restart asks the server at base to restart its broker and waits until it
// is back.
func Restart(ctx context.Context, base string, req RestartRequest) (RestartResult, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return RestartResult{}, err
	}
	var res RestartResult
	err = call(ctx, "POST", base+RestartPath, body, &res)
	return res, err
}

// decode reads an answer: out on 200, the server's explanation otherwise.
func decode(status int, data []byte, out any) error {
	if status != 200 {
		var e Error
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return &RefusedError{HTTPStatus: status, Code: e.Code, WhyNot: e.WhyNot, Message: e.Error}
		}
		return &RefusedError{HTTPStatus: status, Message: strings.TrimSpace(string(data))}
	}
	return json.Unmarshal(data, out)
}
