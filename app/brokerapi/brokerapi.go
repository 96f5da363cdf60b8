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
	Mode string `json:"mode"` // "mosquitto", "embedded" or "external"
	// Persistence is "off", "on" or "default"; "" for an external broker,
	// whose setting is unknown here.
	Persistence    string `json:"persistence"`
	RestartAllowed bool   `json:"restart_allowed"`
	// ReasonIfNot explains a false RestartAllowed; "" otherwise.
	ReasonIfNot string `json:"reason_if_not"`
	// ReasonCode names that reason (Reason…), for a page to say it in the
	// learner's language; "" when it has no code.
	ReasonCode        string   `json:"reason_code,omitempty"`
	Saving            string   `json:"saving,omitempty"`
	CrashLosesUnsaved bool     `json:"crash_loses_unsaved"`
	Caveats           []string `json:"caveats,omitempty"`
	// Restarting is true while a restart is under way.
	Restarting bool `json:"restarting"`
}

// Why a page may not restart the broker (Status.ReasonCode).
const (
	ReasonOperatorOff = "operator-off"    // -broker-restart off
	ReasonShared      = "shared-listener" // auto, and the server listens beyond loopback
	ReasonNotLocal    = "not-local-page"  // auto, and the page came through a proxy or another host name
	ReasonExternal    = "external-broker" // somebody else runs the broker
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
}

// ErrRefused wraps the server's explanation of a refused or failed
// request.
var ErrRefused = errors.New("brokerapi: refused")

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
			return fmt.Errorf("%w: %s (HTTP %d)", ErrRefused, e.Error, status)
		}
		return fmt.Errorf("%w: HTTP %d: %s", ErrRefused, status, strings.TrimSpace(string(data)))
	}
	return json.Unmarshal(data, out)
}
