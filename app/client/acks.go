package client

import (
	"hash/fnv"
	"net"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"qosplayground/app/mqttframe"
)

// Pending is a publish on its way: Done is closed when the exchange its QoS
// calls for is over, or has failed.
//
// A QoS 1 or 2 publish is complete when its PUBACK or PUBCOMP is read from
// the wire, not when paho says so: when paho resends a stored PUBLISH after
// reconnecting it completes the original token at once, without error and
// without any acknowledgement (paho.mqtt.golang v1.5.1, messageIds.claimID).
// Trusting that, a publisher would count unacknowledged messages as
// confirmed and, its window freed, pile up more and more unacknowledged
// messages that every reconnection resends.
type Pending struct {
	id   uint16
	qos  byte
	done chan struct{}
	once sync.Once
	err  error // set before done is closed
}

// Done is closed when the publish is complete or has failed.
func (p *Pending) Done() <-chan struct{} { return p.done }

// Err returns why the publish failed, once Done is closed: nil means
// written (QoS 0), PUBACK received (QoS 1) or PUBCOMP received (QoS 2).
// With clean session on, a lost connection fails the publish; with clean
// session off, a QoS 1/2 publish stays pending until a later connection of
// the same Client resends it and its acknowledgement arrives.
func (p *Pending) Err() error {
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}

// PacketID returns the packet id of the PUBLISH; 0 at QoS 0.
func (p *Pending) PacketID() uint16 { return p.id }

func (p *Pending) finish(err error) {
	p.once.Do(func() {
		p.err = err
		close(p.done)
	})
}

// acks matches the acknowledgements read from the wire to the publishes
// waiting for them, by packet id. paho does not reuse a packet id before
// the message that holds it is acknowledged, so one id has at most one
// publish waiting at a time.
type acks struct {
	publishMu sync.Mutex // one publish at a time: see publish
	// publishing is set while publish waits for paho to give the packet
	// id: only then can an acknowledgement come before its publish is
	// registered. Another one with no publish waiting (a second PUBCOMP
	// answering a PUBREL sent twice after a reconnection) is not kept,
	// or a later publish that gets the same id would complete at once.
	publishing atomic.Bool

	mu      sync.Mutex // guards waiting and early
	waiting map[uint16]*Pending
	early   map[uint16]byte // acknowledgements read before their publish was registered
}

// publish hands the message to paho and registers what completes it.
func (a *acks) publish(c mqtt.Client, clean bool, name string, qos byte, retain bool, payload []byte) *Pending {
	// The acknowledgement can be read before paho's Publish returns the
	// packet id; it then waits in early. Publishing one at a time keeps a
	// later publish from taking the id in between.
	a.publishMu.Lock()
	defer a.publishMu.Unlock()
	a.publishing.Store(true)
	defer a.publishing.Store(false)
	t := c.Publish(name, qos, retain, payload)
	p := &Pending{id: t.(*mqtt.PublishToken).MessageID(), qos: qos, done: make(chan struct{})}
	if qos == 0 || p.id == 0 {
		// QoS 0, or refused before an id was taken: paho's token is
		// the whole story.
		go func() {
			<-t.Done()
			p.finish(t.Error())
		}()
		return p
	}
	a.mu.Lock()
	early, ok := a.early[p.id]
	a.early = nil
	if ok && early == ackType(qos) {
		a.mu.Unlock()
		p.finish(nil)
		return p
	}
	if a.waiting == nil {
		a.waiting = make(map[uint16]*Pending)
	}
	a.waiting[p.id] = p
	a.mu.Unlock()
	// With clean session on, paho fails the token when it gives the
	// message up (a lost connection). With clean session off it also
	// fails it when a write fails on a dying connection ("use of closed
	// network connection"), yet keeps the message in its store and sends it
	// again on the next connection: that failure is not final, and the
	// publish stays pending. paho's success is never trusted (see
	// Pending).
	go func() {
		<-t.Done()
		if err := t.Error(); err != nil && clean {
			a.mu.Lock()
			if a.waiting[p.id] == p {
				delete(a.waiting, p.id)
			}
			a.mu.Unlock()
			p.finish(err)
		}
	}()
	return p
}

// failAll fails every publish still waiting: the client disconnected on
// purpose, and no acknowledgement will come to it.
func (a *acks) failAll(err error) {
	a.mu.Lock()
	waiting := a.waiting
	a.waiting = nil
	a.mu.Unlock()
	for _, p := range waiting {
		p.finish(err)
	}
}

// ackType is the packet that completes a publish at qos.
func ackType(qos byte) byte {
	if qos == 2 {
		return mqttframe.PUBCOMP
	}
	return mqttframe.PUBACK
}

// acked completes the publish waiting for a PUBACK or PUBCOMP with this id.
func (a *acks) acked(typ byte, id uint16) {
	a.mu.Lock()
	p := a.waiting[id]
	if p != nil && ackType(p.qos) == typ {
		delete(a.waiting, id)
	} else {
		p = nil
		if a.publishing.Load() {
			if a.early == nil {
				a.early = make(map[uint16]byte)
			}
			a.early[id] = typ
		}
	}
	a.mu.Unlock()
	if p != nil {
		p.finish(nil)
	}
}

// watch wraps a freshly dialled connection to read, on their way to paho,
// the packets the client tracks itself: CONNACK's session present flag
// (paho tells it for the first connection only) and the acknowledgements
// of publishes.
func (cl *Client) watch(c net.Conn) net.Conn {
	// An acknowledgement read early belongs to its connection.
	cl.acks.mu.Lock()
	cl.acks.early = nil
	cl.acks.mu.Unlock()
	cl.acksOut.Store(0) // the last connection's unwritten ones are gone with it
	num := cl.connSeq.Add(1)
	cl.liveConn.Store(num)
	cl.store.gate.dialled(num) // new publishes wait for this connection's re-sends (resume.go)
	// paho has stopped the last connection's workers before it dials:
	// a PUBLISH of that connection not handled by now never will be.
	cl.in.mu.Lock()
	cl.in.wireConn = nil
	cl.in.mu.Unlock()
	return &watchedConn{Conn: c, cl: cl, num: num, split: mqttframe.NewSplitter(0)}
}

type watchedConn struct {
	net.Conn
	cl    *Client
	num   int64 // the connection's number (Client.connSeq)
	split *mqttframe.Splitter
}

func (w *watchedConn) Read(p []byte) (int, error) {
	n, err := w.Conn.Read(p)
	if n > 0 && w.split.Err() == nil {
		// A malformed stream is paho's to report; the watch just stops.
		w.split.Push(p[:n], w.packet)
	}
	if err != nil {
		w.cl.liveConn.CompareAndSwap(w.num, 0)
	}
	return n, err
}

// Write notes the acknowledgements of received messages as they go out,
// the QoS 1/2 PUBLISHes for the resume gate (resume.go), and the QoS 2
// packets (qos2.go); a QoS 2 PUBLISH whose PUBREC has come is not sent at
// all (sendPublish2). paho writes each packet in one Write.
func (w *watchedConn) Write(p []byte) (int, error) {
	if len(p) > 0 && p[0]>>4 == mqttframe.PUBLISH && (p[0]>>1)&3 != 0 {
		if h, ok, _ := mqttframe.ParseHeader(p); ok {
			if pub, ok := mqttframe.ParsePublish(h, p); ok {
				id := pub.PacketID
				if p[0]&0x08 == 0 && w.cl.store.staleFirstAttempt(id, w.num) {
					return len(p), nil // resume sends it, in its place (store.go)
				}
				w.cl.store.gate.wrote(w.num, id)
				if (p[0]>>1)&3 == 2 {
					sum := fnv.New64a()
					sum.Write(p[1:])
					if !w.cl.sendPublish2(id, p[0]&0x08 != 0, sum.Sum64()) {
						return len(p), nil
					}
				}
			}
		}
	}
	id, isAck := mqttframe.AckID(p)
	if isAck && p[0] == mqttframe.PUBREL<<4|2 {
		// Noted before the write: its PUBCOMP may be read before Write
		// returns.
		w.cl.wroteQoS2(w.num, mqttframe.PUBREL, id)
	}
	n, err := w.Conn.Write(p)
	if err != nil || !isAck {
		return n, err
	}
	switch typ := p[0] >> 4; typ {
	case mqttframe.PUBACK:
		w.cl.acksOut.Add(-1)
		w.cl.q1.wrote1(w.num, id)
	case mqttframe.PUBREC:
		w.cl.acksOut.Add(-1)
		w.cl.wroteQoS2(w.num, typ, id)
	}
	return n, err
}

// acking acknowledges a received QoS 1 or 2 message through paho and
// counts the acknowledgement until it is written.
func (cl *Client) acking(m mqtt.Message) {
	if m.Qos() > 0 {
		cl.acksOut.Add(1)
	}
	if m.Qos() == 1 {
		cl.q1.acked1(key1(m.Topic(), m.Payload()))
	}
	m.Ack()
}

// flushAcks waits, a second at most, until the acknowledgements handed to
// paho are written. paho sends DISCONNECT on a priority queue that can
// overtake them; the broker would then send those messages again to a
// persistent session, as if they had never arrived.
func (cl *Client) flushAcks() {
	deadline := time.Now().Add(time.Second)
	for cl.acksOut.Load() > 0 && cl.c.IsConnectionOpen() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}

func (w *watchedConn) packet(h mqttframe.Header, pkt []byte) {
	switch h.Type {
	case mqttframe.CONNACK:
		if len(pkt) == 4 {
			w.cl.sessionPresent.Store(pkt[2]&1 == 1)
			now := time.Now() // with its monotonic reading: finer than the wall clock in a browser
			w.cl.connackAt.Store(&now)
			w.cl.readQoS2(w.num, h.Type, 0, pkt[2]&1 == 1)
			w.cl.q1.connack1(w.num, pkt[2]&1 == 1)
		}
	case mqttframe.PUBLISH:
		pub, ok := mqttframe.ParsePublish(h, pkt)
		switch {
		case ok && h.QoS() == 1:
			w.cl.q1.read1(w.num, pub.PacketID, h.Dup(), key1(string(pub.Topic), pub.Payload))
		case ok && h.QoS() == 2:
			w.cl.readQoS2(w.num, h.Type, pub.PacketID, false)
		}
	case mqttframe.PUBREC, mqttframe.PUBREL:
		if id, ok := mqttframe.AckID(pkt); ok {
			w.cl.readQoS2(w.num, h.Type, id, false)
		}
	case mqttframe.PUBACK, mqttframe.PUBCOMP:
		if id, ok := mqttframe.AckID(pkt); ok {
			w.cl.acks.acked(h.Type, id)
			if h.Type == mqttframe.PUBCOMP {
				w.cl.readQoS2(w.num, h.Type, id, false)
			}
		}
	}
}
