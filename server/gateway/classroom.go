package gateway

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/coder/websocket"

	"qosplayground/app/classroom"
	"qosplayground/app/mqttframe"
)

// Classroom mode (Config.Classroom).
//
// Each connection carries the tab's learner token and, optionally, a room
// code in its URL (/mqtt?learner=TOKEN&room=CODE; package
// qosplayground/app/classroom says what they entitle to). The gateway then
// stops being byte-transparent for the packets that name a client id or a
// topic, and enforces the rules on them before anything reaches the
// broker:
//
//   - CONNECT: the client id must start with the tab's prefix, and the
//     will topic is put in the room like a PUBLISH topic. Otherwise the
//     gateway answers CONNACK itself (2, identifier rejected, for the id; 5,
//     not authorized, for the will) and closes: the broker never sees it.
//   - PUBLISH (tab to broker): the topic goes under the room's prefix. A
//     forbidden one ($SYS/..., invalid, too long once prefixed) is dropped.
//     Its QoS 1 or 2 exchange is finished by the gateway (PUBACK; PUBREC,
//     then PUBCOMP for the tab's PUBREL), because paho keeps an
//     unanswered message in its in-flight window for the whole
//     connection: a drop the broker never acknowledges would hang the
//     tab's later publishes.
//   - SUBSCRIBE: each filter goes under the prefix; a forbidden one gets
//     0x80 in the SUBACK. The gateway forwards only the allowed filters
//     and, when the broker's SUBACK comes back, puts 0x80 in the places of
//     the refused ones (remembered by packet id), so a valid filter in the
//     same SUBSCRIBE is still granted. With no allowed filter left (a
//     SUBSCRIBE must carry one) the gateway answers the SUBACK itself.
//   - UNSUBSCRIBE: forbidden filters are left out (UNSUBACK has no return
//     codes in 3.1.1); with none left the gateway answers the UNSUBACK.
//   - PUBLISH (broker to tab): the prefix is stripped, so the tab sees the
//     topics it used, and its wire tap shows what it sent. A PUBLISH
//     outside the room (only the room's prefix itself can match PREFIX/#,
//     and only a client outside the gateway can publish there) is
//     acknowledged to the broker by the gateway and not delivered.
//
// Every refusal is also reported to the tab as a WebSocket text message
// (classroom.Notice, JSON), since MQTT 3.1.1 cannot say why.
//
// Known limit: a QoS 2 exchange the gateway finishes by itself lives in
// the relay. If the connection ends between the gateway's PUBREC and the
// tab's PUBREL, the tab sends that PUBREL again on its next connection,
// and the broker, which never had the message, gets a PUBREL for a packet
// id it does not know; mochi answers it with PUBCOMP all the same
// (processPubrel in mochi-mqtt v2), so the tab's exchange still ends.

// topicSpace is where a connection's topics live: a learner's
// classroom.Space or a teacher's classroom.TeacherSpace.
type topicSpace interface {
	Name(string) (string, error)
	Filter(string) (string, error)
	Strip(string) (string, bool)
	Prefix() string
}

// classroomConn is the classroom state of one relay.
type classroomConn struct {
	token   string // "" on a teacher's connection
	room    string // "" for the tab's private room
	teacher bool   // a teacher's connection (Config.Teacher said so)
	session string // the teacher's session it was opened with (EndTeacherSession)
	space   topicSpace

	// mu guards the maps: the tab's pump writes them and the broker's
	// pump reads them.
	mu sync.Mutex
	// refused holds, per SUBSCRIBE packet id, which filters the gateway
	// refused (true) while the others went to the broker.
	refused map[uint16][]bool
	// upHeld holds the packet ids of the tab's dropped QoS 2 PUBLISHes,
	// whose PUBREL the gateway answers; downHeld the same for the
	// broker's PUBLISHes outside the room.
	upHeld, downHeld map[uint16]bool
}

// errNotTeacher refuses a teacher's URL without the teacher's session.
var errNotTeacher = errors.New("gateway: classroom mode: a teacher's connection needs the teacher's session (sign in at /teacher)")

// newClassroomConn reads the learner token and the room code of a /mqtt
// URL's query; with Config.Teacher, ?teacher=1&room=CODE is a teacher's
// connection, allowed only when isTeacher says the request carries the
// teacher's session.
func newClassroomConn(q url.Values, r *http.Request, isTeacher func(*http.Request) (string, bool)) (*classroomConn, error) {
	if isTeacher != nil && q.Has(classroom.TeacherParam) {
		session, ok := isTeacher(r)
		if !ok {
			return nil, errNotTeacher
		}
		room, err := classroom.NormalizeRoom(q.Get(classroom.RoomParam))
		if err != nil || room == "" {
			return nil, fmt.Errorf("gateway: classroom mode: a teacher's connection needs ?%s=CODE: %w", classroom.RoomParam, classroom.ErrBadRoom)
		}
		return &classroomConn{
			room: room, teacher: true, session: session, space: classroom.NewTeacherSpace(room),
			refused: make(map[uint16][]bool), upHeld: make(map[uint16]bool), downHeld: make(map[uint16]bool),
		}, nil
	}
	token := q.Get(classroom.LearnerParam)
	if token == "" {
		return nil, fmt.Errorf("gateway: classroom mode: the /mqtt URL needs ?%s=TOKEN (the playground's pages add it)", classroom.LearnerParam)
	}
	if err := classroom.CheckToken(token); err != nil {
		return nil, fmt.Errorf("gateway: classroom mode: %s: %w", classroom.LearnerParam, err)
	}
	room, err := classroom.NormalizeRoom(q.Get(classroom.RoomParam))
	if err != nil {
		return nil, fmt.Errorf("gateway: classroom mode: %s %q: %w", classroom.RoomParam, q.Get(classroom.RoomParam), err)
	}
	return &classroomConn{
		token: token, room: room, space: classroom.NewSpace(token, room),
		refused: make(map[uint16][]bool), upHeld: make(map[uint16]bool), downHeld: make(map[uint16]bool),
	}, nil
}

// CONNACK return codes the gateway answers with (MQTT 3.1.1 section 3.2.2.3).
const (
	connackIdentifierRejected = 2
	connackNotAuthorized      = 5
)

// classroomConnect checks and rewrites the CONNECT. It returns the packet
// to forward, or refuses: then it has answered the tab with a notice and a
// CONNACK, and returns the reason to close with.
func (rl *relay) classroomConnect(c mqttframe.Connect, h mqttframe.Header, pkt []byte) (mqttframe.Header, []byte, closeReason, bool) {
	cls := rl.cls
	refuse := func(code byte, what string, err error) (mqttframe.Header, []byte, closeReason, bool) {
		rl.log.Warn("classroom: CONNECT refused", "what", logTopic(what), "err", err)
		rl.writeLocal(websocket.MessageText, classroom.NewNotice(classroom.KindRefusedConnect, what, err).JSON())
		rl.writeLocal(websocket.MessageBinary, []byte{mqttframe.CONNACK << 4, 2, 0, code})
		return h, nil, closeReason{websocket.StatusPolicyViolation, "classroom: " + trimClassroom(err)}, false
	}
	checkID := func(id string) error { return classroom.CheckClientID(cls.token, id) }
	if cls.teacher {
		checkID = classroom.CheckTeacherID
	}
	if err := checkID(c.ClientID); err != nil {
		return refuse(connackIdentifierRejected, c.ClientID, err)
	}
	h, out, will, err := rewriteWill(h, pkt, cls.space)
	if err != nil {
		if errors.Is(err, mqttframe.ErrMalformed) {
			return h, nil, closeReason{websocket.StatusProtocolError, "not MQTT: " + strings.TrimPrefix(err.Error(), "mqttframe: malformed packet: ")}, false
		}
		return refuse(connackNotAuthorized, will, err)
	}
	return h, out, closeReason{}, true
}

// classroomUp applies the rules to a packet from the tab. It returns the
// packet to forward to the broker, or nil when the gateway has dealt with
// it itself.
func (rl *relay) classroomUp(h mqttframe.Header, pkt []byte) (mqttframe.Header, []byte, error) {
	cls := rl.cls
	body := pkt[len(pkt)-h.Remaining:]
	switch h.Type {
	case mqttframe.PUBLISH:
		name, rest, err := publishTopic(body, "PUBLISH")
		if err != nil {
			return h, nil, err
		}
		full, err := cls.space.Name(name)
		if err == nil && name == classroom.ProgressTopic && !cls.teacher {
			// The board reads every learner's progress: keep each small.
			payload := len(rest)
			if h.QoS() > 0 {
				payload -= 2
			}
			if payload > classroom.MaxProgress {
				err = classroom.ErrProgressTooLarge
			}
		}
		if err == nil {
			return mqttframe.Build(pkt[0], stringBytes(full), rest)
		}
		rl.log.Info("classroom: PUBLISH dropped", "topic", logTopic(name), "err", err)
		rl.writeLocal(websocket.MessageText, classroom.NewNotice(classroom.KindDropped, name, err).JSON())
		switch qos := h.QoS(); {
		case qos == 1 && len(rest) >= 2:
			rl.writeLocal(websocket.MessageBinary, mqttframe.Ack(mqttframe.PUBACK, binary.BigEndian.Uint16(rest)))
		case qos == 2 && len(rest) >= 2:
			id := binary.BigEndian.Uint16(rest)
			cls.mu.Lock()
			cls.upHeld[id] = true
			cls.mu.Unlock()
			rl.writeLocal(websocket.MessageBinary, mqttframe.Ack(mqttframe.PUBREC, id))
		}
		return h, nil, nil

	case mqttframe.PUBREL:
		if len(body) >= 2 && cls.take(cls.upHeld, binary.BigEndian.Uint16(body)) {
			rl.writeLocal(websocket.MessageBinary, mqttframe.Ack(mqttframe.PUBCOMP, binary.BigEndian.Uint16(body)))
			return h, nil, nil
		}

	case mqttframe.SUBSCRIBE, mqttframe.UNSUBSCRIBE:
		if len(body) < 2 {
			return h, nil, fmt.Errorf("%w: %s without a packet id", mqttframe.ErrMalformed, mqttframe.TypeName(h.Type))
		}
		id, list := body[:2], body[2:]
		var kept []byte
		var refused []bool
		anyRefused := false
		for len(list) > 0 {
			f, rest, ok := mqttframe.ReadString(list)
			if !ok || (h.Type == mqttframe.SUBSCRIBE && len(rest) < 1) {
				return h, nil, fmt.Errorf("%w: %s cut inside a filter", mqttframe.ErrMalformed, mqttframe.TypeName(h.Type))
			}
			var qos []byte
			if h.Type == mqttframe.SUBSCRIBE {
				qos, rest = rest[:1], rest[1:]
			}
			list = rest
			filter := string(f)
			full, err := cls.space.Filter(filter)
			refused = append(refused, err != nil)
			if err != nil {
				anyRefused = true
				rl.log.Info("classroom: filter refused", "packet", mqttframe.TypeName(h.Type), "filter", logTopic(filter), "err", err)
				rl.writeLocal(websocket.MessageText, classroom.NewNotice(classroom.KindRefusedFilter, filter, err).JSON())
				continue
			}
			kept = append(append(kept, stringBytes(full)...), qos...)
		}
		if len(refused) == 0 {
			return h, nil, fmt.Errorf("%w: %s without a filter", mqttframe.ErrMalformed, mqttframe.TypeName(h.Type))
		}
		if len(kept) == 0 { // every filter refused: answer here
			if h.Type == mqttframe.UNSUBSCRIBE {
				rl.writeLocal(websocket.MessageBinary, mqttframe.Ack(mqttframe.UNSUBACK, binary.BigEndian.Uint16(id)))
				return h, nil, nil
			}
			codes := make([]byte, len(refused))
			for i := range codes {
				codes[i] = mqttframe.SubackFailure
			}
			_, ack, _ := mqttframe.Build(mqttframe.SUBACK<<4, id, codes) // shorter than the SUBSCRIBE: fits
			rl.writeLocal(websocket.MessageBinary, ack)
			return h, nil, nil
		}
		if anyRefused && h.Type == mqttframe.SUBSCRIBE {
			cls.mu.Lock()
			cls.refused[binary.BigEndian.Uint16(id)] = refused
			cls.mu.Unlock()
		}
		return mqttframe.Build(pkt[0], id, kept)
	}
	return h, pkt, nil
}

// classroomDown applies the rules to a packet from the broker. It returns
// the packet to forward to the tab, or nil when the gateway has dealt with
// it itself.
func (rl *relay) classroomDown(h mqttframe.Header, pkt []byte) (mqttframe.Header, []byte, error) {
	cls := rl.cls
	body := pkt[len(pkt)-h.Remaining:]
	switch h.Type {
	case mqttframe.PUBLISH:
		full, rest, err := publishTopic(body, "PUBLISH from the broker")
		if err != nil {
			return h, nil, err
		}
		if name, ok := cls.space.Strip(full); ok {
			return mqttframe.Build(pkt[0], stringBytes(name), rest)
		}
		rl.log.Warn("classroom: PUBLISH from the broker outside the room not delivered", "topic", logTopic(full), "prefix", cls.space.Prefix())
		switch qos := h.QoS(); {
		case qos == 1 && len(rest) >= 2:
			return h, nil, rl.writeBroker(mqttframe.Ack(mqttframe.PUBACK, binary.BigEndian.Uint16(rest)))
		case qos == 2 && len(rest) >= 2:
			id := binary.BigEndian.Uint16(rest)
			cls.mu.Lock()
			cls.downHeld[id] = true
			cls.mu.Unlock()
			return h, nil, rl.writeBroker(mqttframe.Ack(mqttframe.PUBREC, id))
		}
		return h, nil, nil

	case mqttframe.PUBREL:
		if len(body) >= 2 && cls.take(cls.downHeld, binary.BigEndian.Uint16(body)) {
			return h, nil, rl.writeBroker(mqttframe.Ack(mqttframe.PUBCOMP, binary.BigEndian.Uint16(body)))
		}

	case mqttframe.SUBACK:
		if len(body) < 2 {
			break
		}
		id := binary.BigEndian.Uint16(body)
		cls.mu.Lock()
		refused, ok := cls.refused[id]
		delete(cls.refused, id)
		cls.mu.Unlock()
		if !ok {
			break
		}
		codes, merged := body[2:], make([]byte, 0, len(refused))
		for _, r := range refused {
			switch {
			case r:
				merged = append(merged, mqttframe.SubackFailure)
			case len(codes) > 0:
				merged, codes = append(merged, codes[0]), codes[1:]
			default: // the broker answered fewer filters than it was sent
				merged = append(merged, mqttframe.SubackFailure)
			}
		}
		return mqttframe.Build(pkt[0], body[:2], merged)
	}
	return h, pkt, nil
}

// take removes id from set and reports whether it was there.
func (c *classroomConn) take(set map[uint16]bool, id uint16) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !set[id] {
		return false
	}
	delete(set, id)
	return true
}

// writeLocal writes a packet or a notice the gateway made itself to the
// tab. It may run on the tab's pump while the broker's pump writes too:
// coder/websocket lets writes run concurrently, each message whole. Its own
// timeout (not the shared writeTimer, which belongs to the broker's pump)
// bounds it; a failed write ends the relay through the pumps, as any
// failed write to the tab does.
func (rl *relay) writeLocal(typ websocket.MessageType, msg []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), rl.g.cfg.WriteTimeout)
	defer cancel()
	if err := rl.ws.Write(ctx, typ, msg); err != nil {
		rl.log.Debug("classroom: write to browser failed", "err", err)
	}
}

// writeBroker writes a packet the gateway made itself to the broker (an
// acknowledgement). It runs on the broker's pump while the tab's pump
// writes too: a TCP connection's Write is whole, one caller at a time, and
// it goes straight to the socket, not through the tab's pump's batch.
func (rl *relay) writeBroker(pkt []byte) error {
	if why, end := rl.sendBroker(pkt); end {
		rl.stop(why)
		return errors.New(why.reason)
	}
	return nil
}

// publishTopic reads the topic at the start of a PUBLISH's body; what names
// the packet in the error.
func publishTopic(body []byte, what string) (string, []byte, error) {
	topic, rest, ok := mqttframe.ReadString(body)
	if !ok {
		return "", nil, fmt.Errorf("%w: %s too short for its topic", mqttframe.ErrMalformed, what)
	}
	return string(topic), rest, nil
}

// stringBytes encodes s with its two-byte length (s fits: Space checks).
func stringBytes(s string) []byte {
	return mqttframe.AppendString(make([]byte, 0, 2+len(s)), s)
}

// rewriteWill puts the will topic of a CONNECT in the space, and returns
// the CONNECT to forward. With an error about the will, the will topic as
// the tab wrote it is returned too.
func rewriteWill(h mqttframe.Header, pkt []byte, space topicSpace) (mqttframe.Header, []byte, string, error) {
	body := h.Body(pkt)
	_, rest, ok := mqttframe.ReadString(body) // protocol name
	if !ok || len(rest) < 4 {
		return h, nil, "", fmt.Errorf("%w: CONNECT too short", mqttframe.ErrMalformed)
	}
	if rest[1]&mqttframe.ConnectWill == 0 {
		return h, pkt, "", nil
	}
	_, afterID, ok := mqttframe.ReadString(rest[4:]) // client id
	if !ok {
		return h, nil, "", fmt.Errorf("%w: CONNECT too short for its client id", mqttframe.ErrMalformed)
	}
	topic, afterWill, ok := mqttframe.ReadString(afterID)
	if !ok {
		return h, nil, "", fmt.Errorf("%w: CONNECT too short for its will topic", mqttframe.ErrMalformed)
	}
	will := string(topic)
	full, err := space.Name(will)
	if err != nil {
		return h, nil, will, err
	}
	head := body[:len(body)-len(afterID)]
	nh, out, err := mqttframe.Build(pkt[0], head, stringBytes(full), afterWill)
	return nh, out, will, err
}

// trimClassroom drops the package prefix of a classroom error for a close
// reason.
func trimClassroom(err error) string { return strings.TrimPrefix(err.Error(), "classroom: ") }

// logTopic shortens a topic for a log line: a refused one may be 64 KiB.
func logTopic(t string) string {
	if len(t) <= 200 {
		return t
	}
	return strings.ToValidUTF8(t[:200], "") + fmt.Sprintf("... (%d bytes)", len(t))
}
