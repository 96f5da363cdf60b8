package client

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"

	"qosplayground/app/fault"
	"qosplayground/app/intab"
	"qosplayground/app/netcond"
	"qosplayground/app/transport"
)

// SetNetwork sets the network conditions of the client's connection
// through the server's gateway (fault command "net", package netcond):
// latency, jitter and bandwidth each way and, with p.CutMax > 0, a random
// cut after p.CutMin to p.CutMax packets. They apply at once to the
// current connection and, from its very first packet (CONNECT), to every
// connection the client makes after it, automatic reconnections included:
// the gateway forgets them when a connection ends, so the client sends
// them again on each new one before CONNECT. The zero Preset is a perfect
// link.
//
// On the in-tab broker there is no gateway: the client shapes its own end
// of the in-memory link (netcond.ShapeMQTT) from the next connection on,
// and cuts it by the same rule as the gateway (netcond.Cut, a fresh draw
// for each connection). A change on a link already shaped applies at once.
//
// It returns ErrNotConnected when there is no live connection to the
// server's gateway: the conditions are kept for the next connection.
func (cl *Client) SetNetwork(p netcond.Preset) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.CutMax < p.CutMin || p.CutMin < 0 {
		return fmt.Errorf("client: network cut range %d..%d", p.CutMin, p.CutMax)
	}
	cl.mu.Lock()
	wire := cl.wire
	prev := cl.network
	cl.network = &p
	link := cl.link
	cl.mu.Unlock()
	if link != nil && (p.CutMax > 0 || prev != nil && prev.CutMax > 0) {
		link.ArmCut(drawCut(p)) // the conditions are read for each chunk
	}
	if wire == nil || !cl.c.IsConnectionOpen() {
		return ErrNotConnected
	}
	ctx, cancel := context.WithTimeout(context.Background(), cl.opts.Timeout)
	defer cancel()
	if err := sendNetwork(ctx, wire, p); err != nil {
		return err
	}
	if p.CutMax == 0 && prev != nil && prev.CutMax > 0 {
		// The previous conditions armed a random cut: disarm it.
		return writeCommand(ctx, wire, fault.Command{Op: fault.OpClear})
	}
	return nil
}

// dialInTab dials the in-tab broker, through the conditions if some are
// set: a link with none costs nothing.
func (cl *Client) dialInTab(ctx context.Context) (net.Conn, error) {
	c, err := intab.Dial(ctx)
	if err != nil {
		return nil, err
	}
	cl.mu.Lock()
	defer cl.mu.Unlock()
	cl.link = nil
	p := cl.network
	if p == nil || p.Perfect() {
		return c, nil
	}
	link := netcond.ShapeMQTT(c, func() netcond.Conditions {
		cl.mu.Lock()
		defer cl.mu.Unlock()
		if cl.network == nil {
			return netcond.Conditions{}
		}
		return cl.network.Conditions
	})
	link.ArmCut(drawCut(*p))
	cl.link = link
	return link, nil
}

// drawCut draws the number of packets after which the in-tab link cuts a
// connection, as the gateway draws it for the command sendNetwork sends;
// -1 for no cut.
func drawCut(p netcond.Preset) int {
	if p.CutMax == 0 {
		return -1
	}
	return randomCut(p).Draw()
}

// randomCut is the fault command of p's cut: a fresh draw for each
// connection (a factory floor does not drop every connection at the same
// packet).
func randomCut(p netcond.Preset) fault.Command {
	return fault.Command{Op: fault.OpRandom, Min: p.CutMin, Max: p.CutMax, Seed: rand.Int64()}
}

// Network returns the conditions set by SetNetwork.
func (cl *Client) Network() netcond.Preset {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.network == nil {
		return netcond.Preset{}
	}
	return *cl.network
}

// renewNetwork sends the conditions, if any, on a connection just dialled,
// before paho writes CONNECT on it.
func (cl *Client) renewNetwork(ctx context.Context, wire *transport.Conn) error {
	cl.mu.Lock()
	p := cl.network
	cl.mu.Unlock()
	if p == nil || p.Perfect() {
		return nil
	}
	return sendNetwork(ctx, wire, *p)
}

func sendNetwork(ctx context.Context, wire *transport.Conn, p netcond.Preset) error {
	c := p.Conditions
	if err := writeCommand(ctx, wire, fault.Command{Op: fault.OpNet, Net: &c}); err != nil {
		return err
	}
	if p.CutMax > 0 {
		return writeCommand(ctx, wire, randomCut(p))
	}
	return nil
}

func writeCommand(ctx context.Context, wire *transport.Conn, cmd fault.Command) error {
	msg, err := cmd.Marshal()
	if err != nil {
		return err
	}
	if err := wire.WriteText(ctx, msg); err != nil {
		return fmt.Errorf("client: %s: %w", cmd, err)
	}
	return nil
}
