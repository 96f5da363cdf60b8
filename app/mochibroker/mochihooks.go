// Package mochibroker holds the mochi-mqtt hooks that both of the
// playground's mochi brokers use: the server's embedded broker
// (server/broker) and the broker in the tab (app/inbroker). TakeoverGuard
// repairs two ways mochi v2.7.9 loses QoS 1 and 2 messages; its tests are
// the brokers' (server/broker's TestUnroutedPublishIsRoutedOnResend and
// TestCutBeforeConnackDoesNotHoldUpOthers, app/inbroker's
// TestUnroutedPublishIsRoutedOnResend, app/lab's TestBlips).
//
// It imports neither go-app nor syscall/js.
package mochibroker

import (
	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// AllowAll lets every client connect and use every topic, like mochi's
// auth.AllowHook. It is written out here because mochi's hooks/auth
// package also pulls in gopkg.in/yaml.v3 (for its ledger): a module the
// project does not otherwise need, and code the wasm would carry for
// nothing.
type AllowAll struct {
	mqtt.HookBase
}

// ID names the hook in mochi's logs.
func (h *AllowAll) ID() string { return "allow-all" }

// Provides says the hook answers authentication and ACL checks.
func (h *AllowAll) Provides(b byte) bool {
	return b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}

// OnConnectAuthenticate allows every client.
func (h *AllowAll) OnConnectAuthenticate(*mqtt.Client, packets.Packet) bool { return true }

// OnACLCheck allows every topic, for reading and writing.
func (h *AllowAll) OnACLCheck(*mqtt.Client, string, bool) bool { return true }
