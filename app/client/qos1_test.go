package client

import "testing"

// TestQoS1Causes feeds the QoS 1 bookkeeping a reconnection's worth of
// packets and checks why each copy is said to have come.
func TestQoS1Causes(t *testing.T) {
	var s qos1State
	a, b, c, d, e := key1("t", []byte("a")), key1("t", []byte("b")), key1("t", []byte("c")), key1("t", []byte("d")), key1("t", []byte("e"))
	s.connack1(1, false)
	s.read1(1, 1, false, a)
	s.acked1(a)
	s.wrote1(1, 1) // PUBACK written, then lost in the cut
	s.read1(1, 2, false, b)
	s.acked1(b) // acknowledged, PUBACK never written
	s.read1(1, 3, false, c)
	// The cut; the broker resends its four in flight, d never seen.
	s.connack1(2, true)
	s.read1(2, 1, true, a)
	s.read1(2, 2, true, b)
	s.read1(2, 3, true, c)
	s.read1(2, 4, true, d)
	s.read1(2, 5, false, e) // a new message ends the burst
	s.read1(2, 3, true, c)  // not part of the burst
	s.read1(2, 6, false, b) // the publisher's resend: a new message to the broker
	s.wrote1(1, 5)          // a PUBACK on a connection the copy did not come on changes nothing
	want := QoS1Stats{
		Received: 10, Resent: 5, ResentAckLost: 1, ResentAckUnsent: 1, ResentUnacked: 2, ResentUnseen: 1,
		CopiesAsNew: 1, Reconnections: 1, ResentAtReconnect: 4, MostResentAtOnce: 4,
	}
	if s.stats != want {
		t.Errorf("stats\n got %+v\nwant %+v", s.stats, want)
	}
}
