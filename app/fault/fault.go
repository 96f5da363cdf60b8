// Package fault describes the network faults a tab asks the server's
// gateway to inject into the tab's own MQTT connection: cut it now, cut it
// at a chosen packet boundary, or cut it after a random number of packets.
//
// A Command travels as a WebSocket text message on the /mqtt connection it
// acts on, beside the binary messages that carry MQTT. That binding is the
// whole of the access control: a command names no connection, client id
// or session, so it can only ever act on the connection that carried it,
// and one learner can never cut another's connection.
//
// A cut closes the broker's TCP connection without DISCONNECT, so to the
// broker it is a network failure (the last will is published, a persistent
// session keeps its in-flight messages for the next connection), and closes
// the tab's WebSocket with CloseCode and the command's description as the
// reason.
//
// The package imports neither go-app nor syscall/js: the browser sends
// commands with it and the server parses them with it.
package fault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"qosplayground/app/mqttframe"
	"qosplayground/app/netcond"
)

// CloseCode is the WebSocket close code of a cut: the first of the codes
// RFC 6455 section 7.4.2 leaves to applications (4000–4999), so that a cut
// asked for is told from a real failure (1006, 1011...) or a refusal
// (1008, 1009...) in the server's log and by native clients. (In the
// browser, coder/websocket hands Go neither code nor reason: the tab knows
// a cut is its own from the command it sent.)
const CloseCode = 4000

// MaxCommandSize is the largest command message, in bytes. A command is a
// few dozen bytes of JSON; the limit keeps a text message from being an
// unbounded allocation on the server.
const MaxCommandSize = 1024

// MaxCount bounds Skip and Max: a cut a million packets away is never
// what a lesson means, and saying so beats arming a cut that never comes.
const MaxCount = 1_000_000

// Dir is the direction of a packet through the gateway.
type Dir string

// Directions.
const (
	Up   Dir = "up"   // tab → broker
	Down Dir = "down" // broker → tab
)

// Arrow names the direction for people: "tab→broker" or "broker→tab".
func (d Dir) Arrow() string {
	switch d {
	case Up:
		return "tab→broker"
	case Down:
		return "broker→tab"
	}
	return string(d)
}

// Operations of a Command.
const (
	OpCutNow = "cut-now" // cut at once
	OpCutAt  = "cut-at"  // cut at the first (after Skip) packet of a type going one way
	OpRandom = "random"  // cut after a random number of packets, resends not counted
	OpClear  = "clear"   // disarm the armed cut-at or random command, or end a freeze
	// OpFreeze makes the connection go silent both ways without closing
	// it, as when a device loses power or its network dies: nothing is
	// forwarded any more and neither side is told. The broker notices only
	// when a keepalive and a half pass without a packet, and then publishes
	// the last will; the tab notices when its PINGREQ goes unanswered.
	OpFreeze = "freeze"
	// OpNet sets the network conditions of the connection (latency,
	// jitter, bandwidth each way; package netcond) from the next packet
	// on, in both directions, until the next "net" command or the end of
	// the connection. It is not an armed command: it neither replaces nor
	// clears one.
	OpNet = "net"
)

// When a cut-at command cuts, relative to its packet.
const (
	Before = "before" // the packet is dropped: it never reaches the other side
	After  = "after"  // the packet is forwarded, then the connection is cut
)

// Command is one fault command. Only the fields its Op uses may be set.
//
// A cut-at or random command is armed until it cuts or is replaced by the
// next command (a connection has at most one armed command); clear
// disarms it. Packets are counted from the moment the gateway reads the
// command, and since the gateway reads the tab's messages in order, a
// command sent before a packet acts on that packet.
type Command struct {
	Op string `json:"op"`
	// Dir is, for cut-at, the direction of the packet that triggers the
	// cut.
	Dir Dir `json:"dir,omitempty"`
	// Packet is, for cut-at, the MQTT packet type that triggers the cut:
	// "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBACK"...
	Packet string `json:"packet,omitempty"`
	// When is, for cut-at, Before or After.
	When string `json:"when,omitempty"`
	// Skip is, for cut-at, how many matching packets pass before the one
	// that triggers the cut.
	Skip int `json:"skip,omitempty"`
	// Min and Max are, for random, the range (both included) of the number
	// of packets let through before the cut, both ways counted except
	// resends (PUBLISH with DUP=1), which pass uncounted; the cut then drops
	// the next packet, whichever way it goes. Draw picks the number.
	//
	// Resends are not counted so that every connection makes progress: a
	// broker that resends its whole queue on reconnection (mochi-mqtt does,
	// hundreds of PUBLISHes at once), or a client resending its window,
	// would otherwise get every connection cut before the other side could
	// acknowledge anything, and the same messages would go round forever.
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
	// Seed makes the random choice reproducible: the same seed, the same
	// number, in the tab and on the server.
	Seed int64 `json:"seed,omitempty"`
	// Net is, for net, the conditions; all zero is a perfect link.
	Net *netcond.Conditions `json:"net,omitempty"`
}

// ErrBadCommand reports a command that is not valid; the message says why.
var ErrBadCommand = errors.New("fault: bad command")

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadCommand}, args...)...)
}

// directions lists, by packet type, the directions MQTT 3.1.1 sends it in
// (section 3): a cut-at on a packet that never goes its way would wait
// forever.
var directions = map[byte][]Dir{
	mqttframe.CONNECT:     {Up},
	mqttframe.CONNACK:     {Down},
	mqttframe.PUBLISH:     {Up, Down},
	mqttframe.PUBACK:      {Up, Down},
	mqttframe.PUBREC:      {Up, Down},
	mqttframe.PUBREL:      {Up, Down},
	mqttframe.PUBCOMP:     {Up, Down},
	mqttframe.SUBSCRIBE:   {Up},
	mqttframe.SUBACK:      {Down},
	mqttframe.UNSUBSCRIBE: {Up},
	mqttframe.UNSUBACK:    {Down},
	mqttframe.PINGREQ:     {Up},
	mqttframe.PINGRESP:    {Down},
	mqttframe.DISCONNECT:  {Up},
}

// packetType returns the type of an MQTT packet name such as "PUBACK".
func packetType(name string) (byte, bool) {
	for t := mqttframe.CONNECT; t <= mqttframe.DISCONNECT; t++ {
		if mqttframe.TypeName(t) == name {
			return t, true
		}
	}
	return 0, false
}

// PacketType returns the MQTT packet type of a valid cut-at command, such
// as mqttframe.PUBACK; 0 for other commands.
func (c Command) PacketType() byte {
	if c.Op != OpCutAt {
		return 0
	}
	t, _ := packetType(c.Packet)
	return t
}

// Validate reports, with a message a learner can act on, what is wrong
// with c: an unknown operation or value, a field the operation does not
// use, or a packet that never goes the chosen way.
func (c Command) Validate() error {
	switch c.Op {
	case OpCutNow, OpClear, OpFreeze:
		if c != (Command{Op: c.Op}) {
			return bad("%s takes no other field", c.Op)
		}
		return nil
	case OpNet:
		if c.Net == nil {
			return bad("net needs its conditions")
		}
		if c != (Command{Op: c.Op, Net: c.Net}) {
			return bad("net takes no other field than its conditions")
		}
		if err := c.Net.Validate(); err != nil {
			return bad("%s", strings.TrimPrefix(err.Error(), "netcond: bad conditions: "))
		}
		return nil
	case OpCutAt:
		if c.Net != nil {
			return bad("net conditions are for net, not cut-at")
		}
		if c.Min != 0 || c.Max != 0 || c.Seed != 0 {
			return bad("min, max and seed are for random, not cut-at")
		}
		return c.validateCutAt()
	case OpRandom:
		if c.Dir != "" || c.Packet != "" || c.When != "" || c.Skip != 0 {
			return bad("dir, packet, when and skip are for cut-at, not random")
		}
		if c.Net != nil {
			return bad("net conditions are for net, not random")
		}
		switch {
		case c.Min < 0:
			return bad("random min %d is negative", c.Min)
		case c.Max < c.Min:
			return bad("random max %d is less than min %d", c.Max, c.Min)
		case c.Max > MaxCount:
			return bad("random max %d is more than %d packets", c.Max, MaxCount)
		}
		return nil
	case "":
		return bad(`op missing: want "cut-now", "cut-at", "random", "freeze", "clear" or "net"`)
	}
	return bad(`unknown op %q: want "cut-now", "cut-at", "random", "freeze", "clear" or "net"`, c.Op)
}

func (c Command) validateCutAt() error {
	if c.Dir != Up && c.Dir != Down {
		return bad(`cut-at dir %q: want "up" (tab→broker) or "down" (broker→tab)`, c.Dir)
	}
	t, ok := packetType(c.Packet)
	if !ok {
		return bad("cut-at packet %q: want an MQTT packet type in capitals, such as PUBLISH or PUBACK", c.Packet)
	}
	dirs := directions[t]
	if len(dirs) == 1 && dirs[0] != c.Dir {
		return bad("a %s only goes %s, never %s", c.Packet, dirs[0].Arrow(), c.Dir.Arrow())
	}
	if c.When != Before && c.When != After {
		return bad(`cut-at when %q: want "before" (the packet is dropped) or "after" (it is forwarded first)`, c.When)
	}
	if c.Skip < 0 || c.Skip > MaxCount {
		return bad("cut-at skip %d: want 0 to %d packets", c.Skip, MaxCount)
	}
	return nil
}

// Draw returns the number of packets a random command lets through before
// it cuts: uniform in [Min, Max], and always the same for the same Min,
// Max and Seed (a PCG generator, identical in the tab and on the server).
// It returns 0 for other commands.
func (c Command) Draw() int {
	if c.Op != OpRandom || c.Max < c.Min || c.Min < 0 {
		return 0
	}
	r := rand.New(rand.NewPCG(uint64(c.Seed), 0x9e3779b97f4a7c15))
	return c.Min + r.IntN(c.Max-c.Min+1)
}

// String describes the command for logs, close reasons and the learner,
// e.g. "cut before PUBACK (broker→tab)". A close reason holds at most 123
// bytes: every description fits.
func (c Command) String() string {
	switch c.Op {
	case OpCutNow:
		return "cut now"
	case OpClear:
		return "clear the armed fault"
	case OpFreeze:
		return "freeze: the network goes silent"
	case OpCutAt:
		what := c.Packet
		if c.Skip > 0 {
			what = fmt.Sprintf("%s number %d", c.Packet, c.Skip+1)
		}
		return fmt.Sprintf("cut %s %s (%s)", c.When, what, c.Dir.Arrow())
	case OpNet:
		if c.Net == nil {
			return "net: no conditions"
		}
		return "net: " + c.Net.String()
	case OpRandom:
		return fmt.Sprintf("random cut after %d packets (drawn from %d to %d, seed %d)", c.Draw(), c.Min, c.Max, c.Seed)
	}
	return fmt.Sprintf("unknown fault %q", c.Op)
}

// Marshal validates c and encodes it as the JSON text message the gateway
// reads.
func (c Command) Marshal() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(c)
}

// Parse decodes and validates a command message. It is strict: anything
// but one JSON object with known fields and valid values is an error, so a
// typo never arms a different fault than the learner meant.
func Parse(msg []byte) (Command, error) {
	if len(msg) > MaxCommandSize {
		return Command{}, bad("%d bytes, the limit is %d", len(msg), MaxCommandSize)
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.DisallowUnknownFields()
	var c Command
	if err := dec.Decode(&c); err != nil {
		return Command{}, bad("not a JSON command: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Command{}, bad("more than one JSON object")
	}
	if err := c.Validate(); err != nil {
		return Command{}, err
	}
	return c, nil
}
