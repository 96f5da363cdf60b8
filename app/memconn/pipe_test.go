package memconn

import (
	"net"
	"testing"

	"golang.org/x/net/nettest"
)

// TestPipeConn runs the net.Conn conformance tests of golang.org/x/net on
// the pipe: reads and writes in both directions, racing methods, deadlines
// (past, present, future) and Close unblocking a reader.
func TestPipeConn(t *testing.T) {
	nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
		a, b := Pipe("a", "b")
		return a, b, func() { a.Close(); b.Close() }, nil
	})
}
