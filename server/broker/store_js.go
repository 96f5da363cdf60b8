//go:build js

package broker

import (
	"errors"

	mqtt "github.com/mochi-mqtt/server/v2"
)

// freezableStore stands in for the bolt store in a WebAssembly build, which
// has no file system for it (and bbolt does not compile there). The package
// is built for js only because browser-side tests import it; nothing runs a
// server-side broker in a tab.
type freezableStore struct {
	mqtt.HookBase
}

// newFreezableStore returns a store that refuses to start.
func newFreezableStore() *freezableStore { return new(freezableStore) }

// Init fails: see freezableStore.
func (s *freezableStore) Init(any) error {
	return errors.New("broker: the embedded broker's store needs a file system, which WebAssembly does not have; use persistence off")
}

// freeze does nothing: the store never opened.
func (s *freezableStore) freeze() error { return nil }

// storeOptions has nothing to configure.
func storeOptions(string) any { return nil }
