package capworker

import (
	"strconv"
	"strings"
	"time"

	"qosplayground/app/mqttframe"
	"qosplayground/app/wiretap"
)

// MaxReplayPause is the longest pause a replay keeps: a capture left
// running over lunch does not make the learner wait an hour.
const MaxReplayPause = 2 * time.Second

// Replay is an imported capture's schedule: when each packet is shown,
// from the start of the replay, with its own pauses shortened to
// MaxReplayPause.
type Replay struct {
	Packets []wiretap.Packet // oldest first
	Offsets []time.Duration  // when Packets[i] is shown
	Conns   int              // how many connections the capture holds
	Span    time.Duration    // from the first packet to the last, as captured
}

// NewReplay schedules pkts (oldest first).
func NewReplay(pkts []wiretap.Packet) Replay {
	r := Replay{Packets: pkts, Offsets: make([]time.Duration, len(pkts))}
	conns := map[int]bool{}
	var at time.Duration
	for i, p := range pkts {
		conns[p.Conn] = true
		if i > 0 {
			at += min(max(p.At.Sub(pkts[i-1].At), 0), MaxReplayPause)
		}
		r.Offsets[i] = at
	}
	r.Conns = len(conns)
	if len(pkts) > 1 {
		r.Span = pkts[len(pkts)-1].At.Sub(pkts[0].At)
	}
	return r
}

// Due says how many packets are shown elapsed after the start, and, while
// some are still to come, how long until the next one.
func (r Replay) Due(elapsed time.Duration) (shown int, next time.Duration, more bool) {
	for shown < len(r.Packets) && r.Offsets[shown] <= elapsed {
		shown++
	}
	if shown == len(r.Packets) {
		return shown, 0, false
	}
	return shown, r.Offsets[shown] - elapsed, true
}

// NewestFirst returns the first shown packets, newest first (as the
// diagram and the packet list take them), at most limit of them.
func (r Replay) NewestFirst(shown, limit int) []wiretap.Packet {
	out := make([]wiretap.Packet, min(shown, limit))
	for i := range out {
		out[i] = r.Packets[shown-1-i]
	}
	return out
}

// ForExport turns a page's packets (newest first) into a file's order,
// oldest first, with the password of a CONNECT masked: what leaves the
// page never carries it.
func ForExport(newestFirst []wiretap.Packet) []wiretap.Packet {
	out := make([]wiretap.Packet, len(newestFirst))
	for i, p := range newestFirst {
		p.Raw = mqttframe.MaskPassword(p.Raw)
		out[len(newestFirst)-1-i] = p
	}
	return out
}

// ParsePort reads the import's port as the learner typed it: empty is
// DefaultPort; ok is false for anything but a TCP port number.
func ParsePort(s string) (port int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultPort, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 65535
}

// NoTCP is how a NoMQTT failure is worded when the file holds no TCP at
// all (Wording): no other port to suggest.
const NoTCP Kind = "no-tcp"

// Wording is the kind of message the learner is shown for e: its Kind,
// but NoTCP for a NoMQTT failure without any TCP port to suggest.
func (e *Error) Wording() Kind {
	if e.Kind == NoMQTT && len(e.Ports) == 0 {
		return NoTCP
	}
	return e.Kind
}
