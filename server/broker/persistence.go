package broker

import (
	"fmt"
	"strings"
)

// Persistence says whether, and how often, a managed broker writes its state
// (persistent sessions, their subscriptions, queued QoS 1 and 2 messages,
// retained messages) to disk, and so what survives a restart.
//
// The playground offers three settings because each one teaches something:
// with PersistenceOff every restart forgets every session; with PersistenceOn
// Mosquitto saves only at a clean stop and every 30 minutes, so a crash loses
// what a clean stop keeps; PersistenceDefault saves every second or two, which
// is what the server runs with unless a learner chooses otherwise.
type Persistence string

const (
	// PersistenceDefault is the server's normal setting: persistence on, and
	// Mosquitto saves its database every second or two (autosave_interval 1),
	// so a crash loses at most the last two seconds.
	PersistenceDefault Persistence = "default"
	// PersistenceOn is persistence with Mosquitto's own defaults: the database
	// is written at a clean stop and every 1800 s (autosave_interval 1800). A
	// crash loses everything that changed since the last save.
	PersistenceOn Persistence = "on"
	// PersistenceOff keeps the broker's state in memory only. Restarting with
	// it also deletes the database on disk, so the broker starts empty and a
	// later switch back on does not bring old sessions back to life.
	PersistenceOff Persistence = "off"
)

// ParsePersistence checks a persistence setting as a learner or an HTTP client
// writes it: "off", "on" or "default", without regard to case or surrounding
// spaces. "" is an error here; [RestartOptions] gives "" its meaning.
func ParsePersistence(s string) (Persistence, error) {
	switch p := Persistence(strings.ToLower(strings.TrimSpace(s))); p {
	case PersistenceOff, PersistenceOn, PersistenceDefault:
		return p, nil
	}
	return "", fmt.Errorf("broker: unknown persistence %q (want off, on or default)", s)
}

// RestartOptions says how [Broker.Restart] stops the broker and how it brings
// it back.
//
// One value carries both, rather than a setter for the persistence followed by
// a restart, so that two requests can never interleave between the two steps:
// the broker that comes back always has the persistence its caller asked for.
type RestartOptions struct {
	// Kill stops the broker abruptly, like a crash: SIGKILL for Mosquitto, which
	// then loses whatever it had not saved yet. When false the broker is asked
	// to stop (SIGTERM), and a broker with persistence saves everything on the
	// way down.
	Kill bool

	// Persistence is the setting the broker runs with after the restart. ""
	// keeps the current one. It does not change how the old broker stops: what
	// survives is decided by the persistence the broker had while it ran
	// (except that PersistenceOff discards the saved state in any case).
	Persistence Persistence
}

// Status describes a broker for the playground's page: what it is, how it
// keeps its state and whether the page may restart it.
type Status struct {
	// Mode is the kind of broker.
	Mode Mode `json:"mode"`

	// Persistence is the setting the broker runs with now; "" for an external
	// broker, whose settings this package does not know.
	Persistence Persistence `json:"persistence,omitempty"`

	// RestartSupported says whether Restart can work on this broker at all.
	// The server may still forbid it (its -broker-restart flag).
	RestartSupported bool `json:"restart_supported"`

	// Reason explains, in a sentence for a learner, why RestartSupported is
	// false; "" when it is true.
	Reason string `json:"reason,omitempty"`

	// Saving explains when this broker writes its state to disk with the
	// current persistence, and so what a crash would lose.
	Saving string `json:"saving,omitempty"`

	// CrashLosesUnsaved says whether a crash (RestartOptions.Kill) can lose
	// queued messages that a clean stop would have kept. It is false when
	// nothing is kept at all (PersistenceOff) and when every change is stored
	// as it happens (the embedded broker's store).
	CrashLosesUnsaved bool `json:"crash_loses_unsaved"`

	// Caveats lists what this broker's persistence does not restore faithfully,
	// each a sentence for a learner. Empty when nothing is known to be lost.
	Caveats []string `json:"caveats,omitempty"`
}

// orDefault returns p, or PersistenceDefault when p is "".
func (p Persistence) orDefault() Persistence {
	if p == "" {
		return PersistenceDefault
	}
	return p
}

// check returns an error unless p is "" or one of the three settings: a value
// built in Go code, not parsed, may still be wrong.
func (p Persistence) check() error {
	switch p {
	case "", PersistenceOff, PersistenceOn, PersistenceDefault:
		return nil
	}
	return fmt.Errorf("broker: unknown persistence %q (want off, on or default)", string(p))
}
