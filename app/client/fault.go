package client

import (
	"context"
	"fmt"
	"net"

	"qosplayground/app/fault"
	"qosplayground/app/transport"
)

// setWire records the connection paho has just dialled, before WrapConn
// hides it, so that Fault sends on the client's current connection.
func (cl *Client) setWire(c net.Conn) {
	tc, _ := c.(*transport.Conn)
	cl.mu.Lock()
	cl.wire = tc
	cl.mu.Unlock()
}

// Fault sends a fault command to the server's gateway on the client's
// current connection, the only connection it can act on: the gateway
// reads it in order with the MQTT packets, so it applies to the packets
// sent after Fault returns, and, for packets from the broker, to those the
// gateway receives after it read the command. It returns ErrNotConnected
// when there is no live connection.
//
// An armed command lives as long as its connection: after a cut (or any
// other end of the connection) the next connection starts with none.
//
// The cut arrives as a lost connection: an EventState Disconnected whose
// Err, natively, is the websocket.CloseError with code fault.CloseCode and
// the command's description (in the browser, transport.ErrClosedByServer;
// see transport.Conn.Read).
func (cl *Client) Fault(cmd fault.Command) error {
	msg, err := cmd.Marshal()
	if err != nil {
		return err
	}
	cl.mu.Lock()
	wire := cl.wire
	cl.mu.Unlock()
	if wire == nil || !cl.c.IsConnectionOpen() {
		return ErrNotConnected
	}
	ctx, cancel := context.WithTimeout(context.Background(), cl.opts.Timeout)
	defer cancel()
	if err := wire.WriteText(ctx, msg); err != nil {
		return fmt.Errorf("client: fault %q: %w", cmd, err)
	}
	return nil
}
