package client

import (
	"sync"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
)

// Exactly once at QoS 2, as MQTT 3.1.1 section 4.3.3 (Method B) says, on
// top of paho.mqtt.golang v1.5.1, which gets both ends of it wrong:
//
//   - Receiver (paho issues #768 and #791,
//     https://github.com/eclipse/paho.mqtt.golang/issues/768,
//     https://github.com/eclipse/paho.mqtt.golang/issues/791): paho hands
//     every QoS 2 PUBLISH to the application, also a copy the broker sends
//     again because our PUBREC never reached it. The spec: "until it has
//     received the corresponding PUBREL packet, the Receiver MUST
//     acknowledge any subsequent PUBLISH packet with the same Packet
//     Identifier by sending a PUBREC. It MUST NOT cause duplicate messages
//     to be delivered to any onward recipients in this case"
//     [MQTT-4.3.3-2]. The client holds the packet ids it has handed to the
//     application and not yet seen released (inbound, below), across the
//     reconnections of a persistent session, and answers a copy with
//     PUBREC instead of handing it over again.
//   - Sender (paho issue #788,
//     https://github.com/eclipse/paho.mqtt.golang/issues/788): after PUBREC
//     paho sends PUBREL but keeps the PUBLISH in its store, so after a
//     reconnection it sends the PUBLISH again instead of the PUBREL. A
//     broker that had already completed the exchange (the PUBCOMP was lost
//     in the cut) takes it for a new message and delivers it again, with a
//     new packet id no receiver can recognise. The client replaces the
//     stored PUBLISH with a PUBREL when it reads the PUBREC from the wire,
//     before paho sees it, so paho's resume (client.go) sends the PUBREL,
//     as the spec says [MQTT-4.3.3-1] ("MUST NOT re-send the PUBLISH once
//     it has sent the corresponding PUBREL packet").

// QoS2Stats counts what the client's QoS 2 state did, on the wire and for
// the application. The Resent* counts say why the broker had to send a
// message again, from the state of its previous copy when that copy's
// connection ended.
type QoS2Stats struct {
	// Receiver side.
	Received  int // QoS 2 PUBLISH packets read, every copy
	Delivered int // handed to the application
	// Withheld: copies of a message the application already has (its
	// packet id not yet released by PUBREL), answered with PUBREC and not
	// handed over again. 0 with Options.NoQoS2Fix, where paho hands them
	// over.
	Withheld int
	// Copies: PUBLISH packets with a packet id the client holds, however
	// they were then handled: the broker's resends of messages the client
	// had. Its causes, by the state of the previous copy when its
	// connection ended:
	Copies int
	// ResentUnacked: the application had not acknowledged the message
	// yet: its acknowledgement was waiting behind processing (the
	// reliable subscriber acknowledges after processing).
	ResentUnacked int
	// ResentAckLate: the application acknowledged it only after its
	// connection was gone; paho drops such an acknowledgement.
	ResentAckLate int
	// ResentAckQueued: acknowledged on a live connection, but the PUBREC
	// was still in paho's queue when the connection was cut.
	ResentAckQueued int
	// ResentAckLost: the PUBREC was written, and lost with the
	// connection.
	ResentAckLost int
	// ResentUnheld: PUBLISH packets with DUP=1 whose packet id the client
	// did not hold: no earlier copy had reached it (the cut dropped it),
	// or the broker marks even a first send DUP (mochi does, for a
	// resumed session's queue).
	ResentUnheld int
	// MostHeld: the most packet ids held at once, that is, messages the
	// broker had in flight to the client without their PUBREL: what a
	// reconnection brings again at once, at worst.
	MostHeld int
	// NewOnHeldID: PUBLISH packets with DUP=0 and a packet id the client
	// held, taken for new messages (a resend must carry DUP=1). 0 with a
	// broker that keeps the protocol.
	NewOnHeldID int
	// SessionLost: CONNACKs without session present that made the client
	// forget packet ids it held: the broker kept no session (clean
	// session on, or a broker that lost it), and a copy of such a message
	// would be a new message to both sides.
	SessionLost int

	// Sender side.
	PubrecRead int // PUBREC packets read
	// PubrelStored: stored PUBLISHes replaced by their PUBREL on PUBREC.
	PubrelStored int
	// PubrelResent: PUBREL packets sent again on a later connection.
	PubrelResent int
	// PublishDropped: PUBLISH packets paho was about to send again after
	// their PUBREC had come, not sent (sendPublish2).
	PublishDropped int
	// PublishAfterPubrec: PUBLISH packets written for a packet id whose
	// PUBREC had come (and no PUBCOMP yet). The broker still holds the
	// id and answers PUBREC without delivering again, unless the PUBREL
	// had reached it: see PublishAfterPubrel. 0 unless
	// Options.NoQoS2Fix.
	PublishAfterPubrec int
	// PublishAfterPubrel: PUBLISH packets written again after their PUBREL
	// was written ([MQTT-4.3.3-1] forbids it): a broker that had
	// completed the exchange takes it for a new message, delivered again.
	// 0 unless Options.NoQoS2Fix.
	PublishAfterPubrel int
}

// inbound is the client's QoS 2 state: the receiver's held packet ids and
// the sender's exchanges past PUBREC.
type inbound struct {
	mu       sync.Mutex
	held     map[uint16]*heldID
	wireConn map[uint16][]int64 // connection of each QoS 2 PUBLISH read, in order, until handled
	pubrec   map[uint16]int64   // sender: ids whose PUBREC came (and no PUBCOMP yet) → connection of the last PUBREL written
	sent     map[uint16]uint64  // sender: the last QoS 2 PUBLISH written with each id → hash of what follows its first byte
	done     map[uint16]uint64  // sender: the same, for exchanges completed by PUBCOMP
	stats    QoS2Stats
}

// heldID is a QoS 2 message handed to the application whose PUBREL has
// not come yet.
type heldID struct {
	appAcked bool    // the application acknowledged the message (any copy)
	copy     *copyOf // the latest copy
}

// copyOf is one copy of a held message, as paho delivered it.
type copyOf struct {
	m       mqtt.Message
	conn    int64 // connection it arrived on (0: unknown)
	acked   bool  // its PUBREC was handed to paho
	ackLive bool  // ... while its connection was the live one
	written bool  // its PUBREC was written on the wire
}

// receivedQoS2 handles a QoS 2 PUBLISH from paho: it returns whether to hand
// it to the application, and the acknowledgement the application's Ack
// calls. A copy of a held message is answered here (PUBREC at once if the
// application has acknowledged the message, else when it does).
func (cl *Client) receivedQoS2(m mqtt.Message) (deliver bool, ack func()) {
	in := &cl.in
	id := m.MessageID()
	in.mu.Lock()
	var conn int64
	if q := in.wireConn[id]; len(q) > 0 {
		conn = q[0]
		if len(q) == 1 {
			delete(in.wireConn, id)
		} else {
			in.wireConn[id] = q[1:]
		}
	}
	in.stats.Received++
	c := &copyOf{m: m, conn: conn}
	h := in.held[id]
	if h != nil && !m.Duplicate() {
		// A resend carries DUP=1 [MQTT-3.3.1-1]; with DUP=0 this is a
		// first attempt, so the id was released without our seeing it.
		// Losing a new message would be worse than a copy: it goes to
		// the application.
		in.stats.NewOnHeldID++
		h = nil
	}
	if h == nil {
		if m.Duplicate() {
			in.stats.ResentUnheld++
		}
		h = &heldID{copy: c}
		if in.held == nil {
			in.held = make(map[uint16]*heldID)
		}
		in.held[id] = h
		in.stats.MostHeld = max(in.stats.MostHeld, len(in.held))
		in.stats.Delivered++
		in.mu.Unlock()
		return true, func() { cl.appAck(h, c) }
	}
	// A copy of a message the application has: why did the broker send
	// it again?
	in.stats.Copies++
	p := h.copy
	switch {
	case p.written:
		in.stats.ResentAckLost++
	case p.acked && p.ackLive:
		in.stats.ResentAckQueued++
	case p.acked:
		in.stats.ResentAckLate++
	default:
		in.stats.ResentUnacked++
	}
	h.copy = c
	if cl.opts.NoQoS2Fix {
		// paho's own behaviour: every copy goes to the application,
		// which acknowledges each.
		in.stats.Delivered++
		in.mu.Unlock()
		return true, func() { cl.appAck(h, c) }
	}
	in.stats.Withheld++
	ackNow := h.appAcked
	if ackNow {
		cl.markAcked(c)
	}
	in.mu.Unlock()
	if ackNow {
		cl.acking(m)
	}
	return false, nil
}

// appAck is the application's acknowledgement of a QoS 2 message, through
// its copy c. It sends the PUBREC through the latest copy, the one of the
// newest connection: paho drops an acknowledgement whose connection is
// gone, and the broker sends the message again only once. (With
// NoQoS2Fix, each copy acknowledges itself, as in paho.)
func (cl *Client) appAck(h *heldID, c *copyOf) {
	in := &cl.in
	in.mu.Lock()
	target := c
	if !cl.opts.NoQoS2Fix {
		if h.appAcked {
			in.mu.Unlock()
			return
		}
		h.appAcked = true
		target = h.copy
	}
	if target.acked {
		in.mu.Unlock()
		return
	}
	cl.markAcked(target)
	in.mu.Unlock()
	cl.acking(target.m)
}

// markAcked notes that c's PUBREC is handed to paho now; in.mu is held.
func (cl *Client) markAcked(c *copyOf) {
	c.acked = true
	c.ackLive = c.conn != 0 && cl.liveConn.Load() == c.conn
}

// readQoS2 notes, in wire order, the QoS 2 packets read on connection
// conn, before paho sees them. It runs on paho's reading goroutine.
func (cl *Client) readQoS2(conn int64, typ byte, id uint16, sessionPresent bool) {
	in := &cl.in
	in.mu.Lock()
	defer in.mu.Unlock()
	switch typ {
	case mqttframe.CONNACK:
		if !sessionPresent {
			// The broker has no session: no message of ours is held
			// there, and a packet id it uses next is a new message.
			if len(in.held) > 0 {
				in.stats.SessionLost++
			}
			in.held = nil
			in.pubrec = nil
		}
	case mqttframe.PUBLISH:
		if in.wireConn == nil {
			in.wireConn = make(map[uint16][]int64)
		}
		in.wireConn[id] = append(in.wireConn[id], conn)
	case mqttframe.PUBREL:
		// Released: the next PUBLISH with this id is a new message
		// (Method B: discard the packet id on PUBREL).
		delete(in.held, id)
	case mqttframe.PUBREC:
		in.stats.PubrecRead++
		if in.pubrec == nil {
			in.pubrec = make(map[uint16]int64)
		}
		if _, ok := in.pubrec[id]; !ok {
			in.pubrec[id] = 0
		}
		if !cl.opts.NoQoS2Fix && cl.store.pubrec(id) {
			in.stats.PubrelStored++
		}
	case mqttframe.PUBCOMP:
		delete(in.pubrec, id)
		if h, ok := in.sent[id]; ok {
			if in.done == nil {
				in.done = make(map[uint16]uint64)
			}
			in.done[id] = h
			delete(in.sent, id)
		}
	}
}

// wroteQoS2 notes a PUBREC written on connection conn, or a PUBREL about
// to be written.
func (cl *Client) wroteQoS2(conn int64, typ byte, id uint16) {
	in := &cl.in
	in.mu.Lock()
	defer in.mu.Unlock()
	switch typ {
	case mqttframe.PUBREC:
		if h := in.held[id]; h != nil && h.copy.conn == conn {
			h.copy.written = true
		}
	case mqttframe.PUBREL:
		if last, ok := in.pubrec[id]; ok {
			if last != 0 && last != conn {
				in.stats.PubrelResent++
			}
			in.pubrec[id] = conn
		}
	}
}

// sendPublish2 decides, just before paho's writer sends a QoS 2 PUBLISH
// with packet id id and DUP flag dup, whether it may go; sum is a hash of
// the packet after its first byte (packet id, topic and payload). It may
// not once the PUBREC of that id has come: the exchange has moved on to
// PUBREL, which paho sends in answer to that PUBREC. Nor may a resend of a
// PUBLISH whose exchange is over (its PUBCOMP came): to the broker it would
// be a new message.
//
// The store's PUBREL (pubrec) is not enough on its own. After a
// reconnection the broker may send its PUBREC again at once (mochi does,
// for a PUBLISH of the last connection; Mosquitto waits for the resend),
// while paho's resume, which read the store a moment before, is about to
// send the PUBLISH: paho answers the PUBREC with PUBREL, and the PUBLISH
// can follow, even after the PUBCOMP. Seen once in a 1,000-message run on
// the embedded broker (TestBlips), and in TestQoS2NoPublishAfterPubrel.
// A new message that reuses the id is told from that stale resend by its
// DUP flag (0 on a first attempt) or, if paho first sends it as a resend
// after a reconnection, by its content.
func (cl *Client) sendPublish2(id uint16, dup bool, sum uint64) bool {
	in := &cl.in
	in.mu.Lock()
	defer in.mu.Unlock()
	last, pubrecd := in.pubrec[id]
	stale := pubrecd || (dup && in.done != nil && in.done[id] == sum)
	if stale && !cl.opts.NoQoS2Fix {
		in.stats.PublishDropped++
		return false
	}
	if stale {
		in.stats.PublishAfterPubrec++
		if last != 0 || !pubrecd {
			in.stats.PublishAfterPubrel++
		}
	}
	if !dup {
		delete(in.done, id)
	}
	if in.sent == nil {
		in.sent = make(map[uint16]uint64)
	}
	in.sent[id] = sum
	return true
}

// QoS2Stats returns the counts of the client's QoS 2 state so far.
func (cl *Client) QoS2Stats() QoS2Stats {
	cl.in.mu.Lock()
	defer cl.in.mu.Unlock()
	return cl.in.stats
}

// pubrec replaces the stored QoS 2 PUBLISH with packet id id by its PUBREL
// (paho issue #788, https://github.com/eclipse/paho.mqtt.golang/issues/788):
// paho's resume then sends the PUBREL after a reconnection, never the
// PUBLISH again. It reports whether it replaced one. paho stores a PUBLISH
// before writing it, so its PUBREC cannot come first; paho deletes the
// PUBREL when the PUBCOMP comes (store.go persistInbound).
func (s copyingStore) pubrec(id uint16) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := outboundKey(id)
	pub, ok := s.MemoryStore.Get(key).(*packets.PublishPacket)
	if !ok || pub.Qos != 2 {
		return false
	}
	rel := packets.NewControlPacket(packets.Pubrel).(*packets.PubrelPacket)
	rel.MessageID = id
	s.MemoryStore.Put(key, rel)
	return true
}
