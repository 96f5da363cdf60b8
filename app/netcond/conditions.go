// Package netcond describes the network conditions a tab asks for on its
// own MQTT connection (latency, jitter, bandwidth each way) and applies
// them to a stream of bytes with small composable stages, in the manner
// of toxiproxy's toxics: each stage is one file with its own test
// (bandwidth.go, latency.go), and a Chain joins them.
//
// Conditions travel to the server's gateway inside a fault command
// (package qosplayground/app/fault, op "net") on the /mqtt connection they
// act on, so that they can only ever shape the connection that carried
// them, never a neighbour's.
//
// The package imports neither go-app nor syscall/js: the page and the
// gateway share it, and the in-tab broker's link can use the same stages.
package netcond

import (
	"errors"
	"fmt"
	"time"
)

// Limits of the conditions a tab may ask for.
const (
	MaxLatencyMS = 2000      // one way
	MaxJitterMS  = 500       // one way
	MinKbps      = 56        // the slowest link: an old dial-up modem
	MaxKbps      = 1_000_000 // 1 Gbit/s
)

// Conditions are the network conditions of one connection. The zero value
// is a perfect link: no delay, no limit.
type Conditions struct {
	// LatencyMS is the one-way delay, in milliseconds, of each direction.
	LatencyMS int `json:"latency_ms,omitempty"`
	// JitterMS spreads each packet's delay uniformly over latency ± jitter
	// (never below zero). A packet never overtakes the one sent before it:
	// a late packet holds back those behind it, as in a TCP stream.
	JitterMS int `json:"jitter_ms,omitempty"`
	// UpKbps and DownKbps are the bandwidth, in kbit/s (1000 bit/s), tab
	// → broker and broker → tab; 0 means no limit.
	UpKbps   int `json:"up_kbps,omitempty"`
	DownKbps int `json:"down_kbps,omitempty"`
}

// ErrBad reports conditions out of range; the message says which.
var ErrBad = errors.New("netcond: bad conditions")

// IsZero reports whether c is a perfect link.
func (c Conditions) IsZero() bool { return c == Conditions{} }

// Validate reports the first value out of range.
func (c Conditions) Validate() error {
	switch {
	case c.LatencyMS < 0 || c.LatencyMS > MaxLatencyMS:
		return fmt.Errorf("%w: latency %d ms: want 0 to %d ms", ErrBad, c.LatencyMS, MaxLatencyMS)
	case c.JitterMS < 0 || c.JitterMS > MaxJitterMS:
		return fmt.Errorf("%w: jitter %d ms: want 0 to %d ms", ErrBad, c.JitterMS, MaxJitterMS)
	}
	for _, k := range []struct {
		name string
		v    int
	}{{"up", c.UpKbps}, {"down", c.DownKbps}} {
		if k.v != 0 && (k.v < MinKbps || k.v > MaxKbps) {
			return fmt.Errorf("%w: %s bandwidth %d kbit/s: want 0 (no limit) or %d to %d kbit/s", ErrBad, k.name, k.v, MinKbps, MaxKbps)
		}
	}
	return nil
}

// Latency returns the one-way latency.
func (c Conditions) Latency() time.Duration { return time.Duration(c.LatencyMS) * time.Millisecond }

// Jitter returns the jitter.
func (c Conditions) Jitter() time.Duration { return time.Duration(c.JitterMS) * time.Millisecond }

// String describes c for logs, e.g. "latency 300 ms ± 100 ms, up 128 kbit/s, down 384 kbit/s".
func (c Conditions) String() string {
	if c.IsZero() {
		return "perfect link"
	}
	s := fmt.Sprintf("latency %d ms", c.LatencyMS)
	if c.JitterMS > 0 {
		s += fmt.Sprintf(" ± %d ms", c.JitterMS)
	}
	s += ", up " + kbps(c.UpKbps) + ", down " + kbps(c.DownKbps)
	return s
}

func kbps(v int) string {
	if v == 0 {
		return "no limit"
	}
	return fmt.Sprintf("%d kbit/s", v)
}
