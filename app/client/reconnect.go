package client

// lostReconnecting reports a lost connection that paho is reconnecting.
//
// paho calls its connection-lost and on-connect handlers on goroutines of
// their own, and starts reconnecting before either: the new connection's
// handler may run first. Whichever of the two handlers finds the
// reconnecting flag set and the connection up reports Connected, under
// reconnectMu, so the learner always sees "reconnecting" before
// "connected" and each exactly once.
func (cl *Client) lostReconnecting(err error) {
	cl.reconnectMu.Lock()
	defer cl.reconnectMu.Unlock()
	cl.reconnecting.Store(true)
	cl.setState(Event{Kind: EventState, State: Reconnecting, Err: err})
	if cl.c.IsConnectionOpen() && cl.reconnecting.CompareAndSwap(true, false) {
		cl.setState(Event{Kind: EventState, State: Connected, SessionPresent: cl.sessionPresent.Load()})
	}
}

// reconnected reports a connection paho made again by itself.
func (cl *Client) reconnected() {
	cl.reconnectMu.Lock()
	defer cl.reconnectMu.Unlock()
	if cl.reconnecting.CompareAndSwap(true, false) {
		cl.setState(Event{Kind: EventState, State: Connected, SessionPresent: cl.sessionPresent.Load()})
	}
}
