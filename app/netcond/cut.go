package netcond

import "qosplayground/app/mqttframe"

// Cut is a link's cut rate: the connection is cut after Left more
// packets, both directions counted, resends (PUBLISH with DUP=1) passing
// uncounted; the packet after them is dropped with the cut. It is the one
// rule of a random cut (fault command "random", fault.Command.Draw picks
// Left): the server's gateway applies it to a tab's connection
// (server/gateway/fault.go) and Conn to the in-tab broker's in-memory link,
// so that the offline page teaches the same lesson.
//
// Resends are not counted so that every connection makes progress: a
// broker that resends its whole queue on reconnection, or a client
// resending its window, would otherwise get every connection cut before the
// other side could acknowledge anything.
//
// A Cut is not safe for concurrent use.
type Cut struct {
	Left int
}

// Pass counts packet h and reports whether it goes through; false means
// the connection is cut before it.
func (c *Cut) Pass(h mqttframe.Header) bool {
	if c.Left <= 0 {
		return false
	}
	if h.Type != mqttframe.PUBLISH || !h.Dup() {
		c.Left--
	}
	return true
}
