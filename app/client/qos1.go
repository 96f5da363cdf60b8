package client

import (
	"hash/fnv"
	"sync"
)

// Why the broker sends a QoS 1 message to the client again. At QoS 1 that
// is the protocol working as MQTT 3.1.1 section 4.3.2 says: the sender
// keeps a message until its PUBACK comes, and after a reconnection with a
// kept session it sends every such message again, DUP set (section 4.4).
// A copy therefore reaches the application, which needs its own
// duplicate detection. The client counts, for each copy, what had become
// of the previous one, and how many messages each reconnection brought
// back at once: that is the number of messages the broker had in flight
// to the client, which its max_inflight_messages is meant to bound (20 on
// Mosquitto).

// QoS1Stats counts the QoS 1 PUBLISH packets the client read and why the
// broker sent some of them again.
type QoS1Stats struct {
	Received int // QoS 1 PUBLISH packets read, every copy
	// Resent: PUBLISH packets read with DUP=1, the broker's resends. By
	// the state of the previous copy with the same packet id when its
	// connection ended:
	Resent int
	// ResentAckLost: the client had written its PUBACK, and the cut lost
	// it on the way to the broker.
	ResentAckLost int
	// ResentAckUnsent: the application had acknowledged the message, but
	// the PUBACK was not written before the connection ended (still
	// queued, or acknowledged after the connection had gone).
	ResentAckUnsent int
	// ResentUnacked: the application had not acknowledged it yet (it
	// acknowledges after processing).
	ResentUnacked int
	// ResentUnseen: no earlier copy had reached the client (the cut
	// dropped it), or the broker marks even a first send DUP (mochi does
	// for a resumed session's queue).
	ResentUnseen int
	// CopiesAsNew: PUBLISH packets read with DUP=0 whose content the
	// client had read before: to the broker a new message, the
	// publisher's resend of a PUBLISH whose PUBACK the cut lost (at QoS 1
	// the broker cannot tell). Messages with equal content count too.
	CopiesAsNew int
	// Reconnections: CONNACKs with session present, after which the
	// broker sends again what it had in flight.
	Reconnections int
	// ResentAtReconnect: PUBLISH packets with DUP=1 read right after such
	// a CONNACK, before the connection's first DUP=0 PUBLISH: the
	// broker's burst of resends.
	ResentAtReconnect int
	// MostResentAtOnce: the largest such burst, i.e. the most messages
	// the broker had in flight to the client at a reconnection.
	MostResentAtOnce int
}

// qos1State follows the QoS 1 packets of the client's connections. A copy
// is told by its content (topic and payload), not its packet id: a broker
// reuses packet ids, and mochi sets DUP on first sends of a resumed
// session's queue.
type qos1State struct {
	mu    sync.Mutex
	last  map[uint64]*copy1 // per content, the latest copy read
	byID  map[uint16]uint64 // per packet id, the content of its latest copy
	conn  int64             // the connection whose CONNACK came last
	burst int               // DUP=1 PUBLISHes read on conn since its CONNACK, while bursting
	open  bool              // conn is still in its burst of resends
	stats QoS1Stats
}

// maxCopies1 bounds the contents remembered: past it the client forgets
// them all, and a later copy of a forgotten message counts as a first one.
const maxCopies1 = 1 << 14

// copy1 is one copy of a QoS 1 message as read from the wire.
type copy1 struct {
	conn    int64
	acked   bool // the application acknowledged it
	written bool // its PUBACK was written on conn
}

// connack1 notes the CONNACK of connection conn.
func (s *qos1State) connack1(conn int64, sessionPresent bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn, s.burst, s.open = conn, 0, sessionPresent
	if sessionPresent {
		s.stats.Reconnections++
	}
}

// read1 notes a QoS 1 PUBLISH with packet id id and content key read on
// connection conn.
func (s *qos1State) read1(conn int64, id uint16, dup bool, key uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Received++
	p := s.last[key]
	switch {
	case dup:
		s.stats.Resent++
		switch {
		case p == nil:
			s.stats.ResentUnseen++
		case p.written:
			s.stats.ResentAckLost++
		case p.acked:
			s.stats.ResentAckUnsent++
		default:
			s.stats.ResentUnacked++
		}
		if s.open && conn == s.conn {
			s.burst++
			s.stats.ResentAtReconnect++
			s.stats.MostResentAtOnce = max(s.stats.MostResentAtOnce, s.burst)
		}
	case p != nil:
		s.stats.CopiesAsNew++
		fallthrough
	default:
		if conn == s.conn {
			s.open = false
		}
	}
	if s.last == nil || len(s.last) >= maxCopies1 {
		s.last = make(map[uint64]*copy1)
		s.byID = make(map[uint16]uint64)
	}
	s.last[key] = &copy1{conn: conn}
	s.byID[id] = key
}

// acked1 notes the application's acknowledgement of the QoS 1 message
// with content key (its latest copy).
func (s *qos1State) acked1(key uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.last[key]; p != nil {
		p.acked = true
	}
}

// wrote1 notes a PUBACK written on connection conn.
func (s *qos1State) wrote1(conn int64, id uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, ok := s.byID[id]
	if !ok {
		return
	}
	if p := s.last[key]; p != nil && p.conn == conn {
		p.written = true
	}
}

// key1 is the content key of a message: a hash of its topic and payload.
func key1(topic string, payload []byte) uint64 {
	h := fnv.New64a()
	h.Write([]byte(topic))
	h.Write([]byte{0})
	h.Write(payload)
	return h.Sum64()
}

// QoS1Stats returns the counts of the QoS 1 messages read so far.
func (cl *Client) QoS1Stats() QoS1Stats {
	cl.q1.mu.Lock()
	defer cl.q1.mu.Unlock()
	return cl.q1.stats
}
