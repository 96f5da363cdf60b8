package gateway

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"

	"qosplayground/app/fault"
	"qosplayground/app/mqttframe"
	"qosplayground/app/netcond"
)

// Fault injection (Config.Faults).
//
// A tab arms a fault on its own connection with a WebSocket text message
// (a fault.Command in JSON) on /mqtt. The command is read by the pump that
// reads the tab's messages, in order with the MQTT bytes, so it acts on
// exactly the packets that follow it. Nothing in it names a connection:
// a command can only ever act on the connection that carried it.
//
// A cut closes the broker's TCP connection with a plain close (FIN)
// without sending DISCONNECT: the broker reads what was forwarded, then
// sees the connection end, which to MQTT is a network failure (the will is
// published, a persistent session keeps its in-flight messages). It is not
// a reset (RST): Linux may discard data the receiver has not read yet when
// an RST arrives, and a PUBLISH forwarded by a cut "after" it must reach
// the broker. The WebSocket is closed with StatusFaultCut and the command's
// description as the reason.

// StatusFaultCut is the WebSocket close code of a cut asked for by a fault
// command (fault.CloseCode, 4000: a private-use code, so the tab tells it
// from a real failure).
const StatusFaultCut = websocket.StatusCode(fault.CloseCode)

// errCut ends the reading of the tab's messages after a cut.
var errCut = errors.New("gateway: connection cut by a fault command")

// commandError is a fault command that does not parse.
type commandError struct{ err error }

func (e *commandError) Error() string { return e.err.Error() }
func (e *commandError) Unwrap() error { return e.err }

// faults is the fault injection state of one relay.
//
// When nothing is armed, each packet costs one atomic load (armed is nil)
// and nothing else: the relay's hot path stays as it was. Once a command
// is armed, each packet takes mu, which is held while the armed command
// decides the packet's fate and while the packet is forwarded, in both
// directions: a cut "after" a packet therefore comes after that packet is
// written, and no packet of either direction is forwarded after a cut.
// Holding mu across a write can make one direction wait for the other's
// write; both writes are bounded by Config.WriteTimeout.
type faults struct {
	// armed is the armed command, nil when none. After a cut it stays
	// non-nil for good, so that both pumps take mu and see cut.
	armed atomic.Pointer[armedFault]

	// mu guards cut and the counts in *armed; see above.
	mu  sync.Mutex
	cut bool
}

// armedFault is an armed cut-at or random command with its counts.
type armedFault struct {
	cmd  fault.Command
	desc string      // cmd.String(), the close reason of its cut
	typ  byte        // cut-at: the packet type
	skip int         // cut-at: matching packets still to let pass
	cut  netcond.Cut // random: the packets still to let through (the rule the in-tab link shares)
	seen int         // packets decided since the command was armed
}

func newArmedFault(cmd fault.Command) *armedFault {
	return &armedFault{cmd: cmd, desc: cmd.String(), typ: cmd.PacketType(), skip: cmd.Skip, cut: netcond.Cut{Left: cmd.Draw()}}
}

// verdict is what an armed command does with a packet.
type verdict int

const (
	pass      verdict = iota // forward it
	cutBefore                // cut without forwarding it
	cutAfter                 // forward it, then cut
	drop                     // frozen: neither forward it nor tell anyone
)

// decide counts a packet going dir and says what to do with it.
func (a *armedFault) decide(dir fault.Dir, h mqttframe.Header) verdict {
	typ := h.Type
	a.seen++
	switch a.cmd.Op {
	case fault.OpFreeze:
		return drop
	case fault.OpCutAt:
		if dir != a.cmd.Dir || typ != a.typ {
			return pass
		}
		if a.skip > 0 {
			a.skip--
			return pass
		}
		if a.cmd.When == fault.After {
			return cutAfter
		}
		return cutBefore
	case fault.OpRandom:
		if !a.cut.Pass(h) {
			return cutBefore
		}
		return pass
	}
	return pass
}

// command acts on a fault command read from the tab: it arms, clears or
// cuts. It runs on the pump that reads the tab's messages, between two
// reads, which is what orders commands with packets.
func (rl *relay) command(msg []byte) error {
	// The packets read before the command passed (the pump reads a
	// command only once it has written what it gathered; this says so
	// where it matters).
	if why, end := rl.flush(fault.Up); end {
		return &commandError{errors.New(why.reason)}
	}
	cmd, err := fault.Parse(msg)
	if err != nil {
		rl.log.Warn("bad fault command", "err", err)
		return &commandError{err}
	}
	f := &rl.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cut {
		return errCut
	}
	switch cmd.Op {
	case fault.OpNet:
		rl.setConditions(*cmd.Net)
	case fault.OpCutNow:
		rl.cutLocked(cmd.String(), "", "")
		return errCut
	case fault.OpClear:
		f.armed.Store(nil)
		rl.log.Info("fault cleared")
	default:
		f.armed.Store(newArmedFault(cmd))
		rl.log.Info("fault armed", "fault", cmd.String())
	}
	return nil
}

// cutLocked cuts the connection; f.mu is held. packet and dir name the
// packet at which the cut happens, if any.
func (rl *relay) cutLocked(desc, packet string, dir fault.Dir) {
	f := &rl.faults
	f.cut = true
	if f.armed.Load() == nil {
		f.armed.Store(&armedFault{})
	}
	if packet == "" {
		rl.log.Info("fault cut", "fault", desc)
	} else {
		rl.log.Info("fault cut", "fault", desc, "packet", packet, "dir", dir.Arrow())
	}
	rl.stop(closeReason{StatusFaultCut, desc})
}

// forward writes one packet to the side it is going to, through the armed
// fault if there is one. It returns true with the reason when the relay
// must end: a cut or a failed write.
func (rl *relay) forward(dir fault.Dir, h mqttframe.Header, pkt []byte) (closeReason, bool) {
	if rl.faults.armed.Load() == nil {
		return rl.write(dir, pkt)
	}
	return rl.forwardArmed(dir, h, pkt)
}

func (rl *relay) forwardArmed(dir fault.Dir, h mqttframe.Header, pkt []byte) (closeReason, bool) {
	// Gathered before the fault was armed: they passed.
	if why, end := rl.flush(dir); end {
		return why, true
	}
	f := &rl.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cut {
		return closeReason{StatusFaultCut, "cut by a fault command"}, true
	}
	a := f.armed.Load()
	v := pass
	if a != nil {
		v = a.decide(dir, h)
	}
	if v == drop {
		return closeReason{}, false
	}
	if v == cutBefore {
		rl.cutLocked(a.desc, h.String()+" dropped", dir)
		return closeReason{StatusFaultCut, a.desc}, true
	}
	if why, end := rl.write(dir, pkt); end {
		return why, true
	}
	if v == cutAfter {
		rl.cutLocked(a.desc, h.String()+" forwarded", dir)
		return closeReason{StatusFaultCut, a.desc}, true
	}
	return closeReason{}, false
}

// commandReason turns a bad fault command into its close reason, e.g.
// "bad fault command: a SUBACK only goes broker→tab, never tab→broker".
func commandReason(err error) closeReason {
	return closeReason{websocket.StatusPolicyViolation,
		"bad fault command: " + strings.TrimPrefix(err.Error(), "fault: bad command: ")}
}
