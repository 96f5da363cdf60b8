package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
)

// learner is one simulated learner of measurement 4: an MQTT 3.1.1 client
// written for the load alone, that publishes at QoS 1 to its own topic and
// is subscribed to it. It is not paho: 8,000 paho clients would spend the
// machine's two cores on themselves, and the measurement is of the server.
// It speaks the same packets a tab's client sends.
//
// Each PUBLISH carries its send time, so the delivery back gives the
// latency; the same process sends and receives, so one clock serves both.
type learner struct {
	conn  net.Conn
	topic string

	wmu    sync.Mutex // guards writes to conn and nextID
	nextID uint16

	// Written by the read loop alone; read after it has ended.
	latencies []time.Duration
	received  int

	acked atomic.Int64
	sent  atomic.Int64  // inside the window
	done  chan struct{} // closed when the read loop has ended
	err   error         // why the read loop ended, once done
}

// payloadSize is the size of each learner's message: a send time and
// padding, about a lab message's size.
const payloadSize = 64

// window is the measurement window: messages sent inside it count.
type window struct {
	start, end atomic.Int64 // unix nanoseconds; end 0 means open
}

func (w *window) contains(t int64) bool {
	s, e := w.start.Load(), w.end.Load()
	return s != 0 && t >= s && (e == 0 || t < e)
}

// connectLearner opens conn as an MQTT session for client id, subscribes
// to its topic at QoS 1 and starts its read loop.
func connectLearner(conn net.Conn, id string, w *window) (*learner, error) {
	l := &learner{conn: conn, topic: "learners/" + id, done: make(chan struct{})}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := conn.Write(connectPacket(id, 60)); err != nil {
		return nil, fmt.Errorf("sending CONNECT: %w", err)
	}
	in := mqttframe.NewReader(conn, 1<<16, 512)
	h, pkt, err := in.Next()
	if err != nil {
		return nil, fmt.Errorf("waiting for CONNACK: %w", err)
	}
	if h.Type != mqttframe.CONNACK || len(pkt) < 4 || pkt[3] != 0 {
		return nil, fmt.Errorf("CONNECT refused: % x", pkt)
	}
	if _, err := conn.Write(subscribePacket(1, l.topic, 1)); err != nil {
		return nil, fmt.Errorf("sending SUBSCRIBE: %w", err)
	}
	h, pkt, err = in.Next()
	if err != nil {
		return nil, fmt.Errorf("waiting for SUBACK: %w", err)
	}
	if h.Type != mqttframe.SUBACK || len(pkt) < 5 || pkt[4] != 1 {
		return nil, fmt.Errorf("SUBSCRIBE refused: % x", pkt)
	}
	conn.SetDeadline(time.Time{})
	l.nextID = 1
	go l.readLoop(in, w)
	return l, nil
}

func (l *learner) readLoop(in *mqttframe.Reader, w *window) {
	defer close(l.done)
	for {
		h, pkt, err := in.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				l.err = err
			}
			return
		}
		switch h.Type {
		case mqttframe.PUBACK:
			l.acked.Add(1)
		case mqttframe.PUBLISH:
			now := time.Now()
			sentAt, packetID, ok := parseLearnerPublish(h, pkt)
			if !ok {
				l.err = fmt.Errorf("a PUBLISH that is not ours: % x", pkt)
				return
			}
			if w.contains(sentAt) {
				l.latencies = append(l.latencies, now.Sub(time.Unix(0, sentAt)))
				l.received++
			}
			if h.Flags&0x06 != 0 { // QoS 1: acknowledge
				l.wmu.Lock()
				_, err := l.conn.Write([]byte{mqttframe.PUBACK << 4, 2, byte(packetID >> 8), byte(packetID)})
				l.wmu.Unlock()
				if err != nil {
					return
				}
			}
		}
	}
}

// publish sends one QoS 1 PUBLISH stamped with the time now.
func (l *learner) publish(w *window) error {
	l.wmu.Lock()
	defer l.wmu.Unlock()
	id := l.nextID
	if l.nextID++; l.nextID == 0 {
		l.nextID = 1
	}
	now := time.Now().UnixNano()
	if w.contains(now) {
		l.sent.Add(1)
	}
	_, err := l.conn.Write(publishPacket(l.topic, id, now))
	return err
}

// run publishes once a second, the first at first, until ctx is done.
func (l *learner) run(ctx context.Context, first time.Time, w *window) {
	next := first
	t := time.NewTimer(time.Until(next))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.done:
			return
		case <-t.C:
		}
		if err := l.publish(w); err != nil {
			return
		}
		next = next.Add(time.Second)
		t.Reset(time.Until(next))
	}
}

// close sends DISCONNECT and closes the connection.
func (l *learner) close() {
	l.wmu.Lock()
	l.conn.SetWriteDeadline(time.Now().Add(time.Second))
	l.conn.Write([]byte{mqttframe.DISCONNECT << 4, 0})
	l.wmu.Unlock()
	l.conn.Close()
	<-l.done
}

// The packets, MQTT 3.1.1 section 3.

func connectPacket(clientID string, keepAlive uint16) []byte {
	p := packets.NewControlPacket(packets.Connect).(*packets.ConnectPacket)
	p.ProtocolName, p.ProtocolVersion = "MQTT", 4 // 3.1.1
	p.CleanSession, p.Keepalive, p.ClientIdentifier = true, keepAlive, clientID
	return mqttframe.Encode(p)
}

func subscribePacket(packetID uint16, filter string, qos byte) []byte {
	p := packets.NewControlPacket(packets.Subscribe).(*packets.SubscribePacket)
	p.MessageID, p.Topics, p.Qoss = packetID, []string{filter}, []byte{qos}
	return mqttframe.Encode(p)
}

// publishPacket is a QoS 1 PUBLISH whose payload starts with sentAt (unix
// nanoseconds, big-endian).
func publishPacket(topic string, packetID uint16, sentAt int64) []byte {
	remaining := 2 + len(topic) + 2 + payloadSize
	b := make([]byte, 0, 5+remaining)
	b = mqttframe.AppendHeader(b, mqttframe.PUBLISH<<4|0x02, remaining)
	b = mqttframe.AppendString(b, topic)
	b = binary.BigEndian.AppendUint16(b, packetID)
	b = binary.BigEndian.AppendUint64(b, uint64(sentAt))
	return append(b, make([]byte, payloadSize-8)...)
}

// parseLearnerPublish returns the send time and packet id of a PUBLISH made
// by publishPacket (packet id 0 at QoS 0).
func parseLearnerPublish(h mqttframe.Header, pkt []byte) (sentAt int64, packetID uint16, ok bool) {
	_, body, ok := mqttframe.ReadString(h.Body(pkt)) // the topic
	if !ok {
		return 0, 0, false
	}
	if h.QoS() > 0 {
		if len(body) < 2 {
			return 0, 0, false
		}
		packetID, body = binary.BigEndian.Uint16(body), body[2:]
	}
	if len(body) < 8 {
		return 0, 0, false
	}
	return int64(binary.BigEndian.Uint64(body)), packetID, true
}
