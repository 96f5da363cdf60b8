// Package mochibroker is mochi-mqtt (v2.7.9) as both of the playground's
// mochi brokers run it, the server's embedded broker (server/broker) and
// the broker in the tab (app/inbroker): Start sets a server up (every
// client and topic allowed, the repairs below, a store) and Server.Stop
// stops it cleanly or as a crash; each broker brings only its listener and
// its store.
//
// TakeoverGuard repairs two ways mochi loses QoS 1 and 2 messages, and
// ResendOrder makes mochi re-send a resumed session's messages in the
// order first sent. The tests of the repairs are written once, in package
// mochitest, and run on both brokers (TestUnroutedPublishIsRoutedOnResend,
// TestCutBeforeConnackDoesNotHoldUpOthers and TestResendInOrder in
// server/broker and app/inbroker); app/faultlab's TestBlips checks them
// under random cuts, app/sidebyside's TestOrderOfFirstArrivals the order.
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
