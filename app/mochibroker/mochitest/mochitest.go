// Package mochitest holds the tests of mochibroker's repairs, written once
// and run on each of the playground's two mochi brokers (server/broker,
// app/inbroker), the mochi-mqtt hooks that place their faults inside the
// broker, and a raw MQTT connection to drive them (paho's packets).
package mochitest

import (
	"sync/atomic"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// CutBeforeAck closes the connection of the first PUBLISH to Topic from
// inside mochi, after the message is accepted and before its PUBACK or
// PUBREC is written: the instant a random cut of the gateway, or a crash
// of the in-tab broker, sometimes hits.
type CutBeforeAck struct {
	mqtt.HookBase
	Topic string
	done  atomic.Bool
}

func (h *CutBeforeAck) ID() string           { return "test-cut-before-ack" }
func (h *CutBeforeAck) Provides(b byte) bool { return b == mqtt.OnPublish }

// OnPublish closes the publisher's connection, once.
func (h *CutBeforeAck) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	if pk.TopicName == h.Topic && h.done.CompareAndSwap(false, true) {
		_ = cl.Net.Conn.Close()
	}
	return pk, nil
}
