package classroom

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"qosplayground/app/topic"
)

// Notice is what the gateway tells a tab about something it refused in
// classroom mode, as a WebSocket text message (JSON) on /mqtt, in between
// the MQTT packets. MQTT 3.1.1 has no way to say why a PUBLISH was dropped
// or a filter refused; this is how the learner learns it.
type Notice struct {
	// Kind is what happened: KindDropped, KindRefusedFilter or
	// KindRefusedConnect.
	Kind string `json:"classroom"`
	// Topic is the topic, filter or client id as the learner wrote it.
	Topic string `json:"topic,omitempty"`
	// Reason is a Reason* code, for the tab to say it in the learner's
	// language.
	Reason string `json:"reason"`
	// Detail is the reason in English, for logs and for other clients.
	Detail string `json:"detail,omitempty"`
}

// Notice kinds.
const (
	// KindDropped: a PUBLISH never reached the broker. At QoS 1 and 2 the
	// gateway acknowledged it itself (PUBACK, or PUBREC then PUBCOMP),
	// so that the tab's in-flight window does not wait for an answer that
	// would never come.
	KindDropped = "dropped"
	// KindRefusedFilter: a filter of a SUBSCRIBE got 0x80 in the SUBACK
	// (or a filter of an UNSUBSCRIBE was left out) without reaching the
	// broker.
	KindRefusedFilter = "refused-filter"
	// KindRefusedConnect: a CONNECT was answered with a refusing CONNACK
	// by the gateway; the broker never saw it.
	KindRefusedConnect = "refused-connect"
)

// Reason codes.
const (
	ReasonDollar   = "dollar"    // ErrDollar
	ReasonInvalid  = "invalid"   // not a valid topic name or filter
	ReasonTooLong  = "too-long"  // ErrTooLong
	ReasonClientID = "client-id" // ErrForeignID
	// The teacher's board (teacher.go).
	ReasonNoRoom        = "no-room"        // ErrNoRoom
	ReasonTeacherTopic  = "teacher-topic"  // ErrTeacherTopic
	ReasonProgressLarge = "progress-large" // ErrProgressTooLarge
)

// ReasonOf returns the reason code of an error of Space.Name, Space.Filter
// or CheckClientID.
func ReasonOf(err error) string {
	switch {
	case errors.Is(err, ErrDollar):
		return ReasonDollar
	case errors.Is(err, ErrTooLong), errors.Is(err, topic.ErrTooLong):
		return ReasonTooLong
	case errors.Is(err, ErrForeignID):
		return ReasonClientID
	case errors.Is(err, ErrNoRoom):
		return ReasonNoRoom
	case errors.Is(err, ErrTeacherTopic):
		return ReasonTeacherTopic
	case errors.Is(err, ErrProgressTooLarge):
		return ReasonProgressLarge
	}
	return ReasonInvalid
}

// MaxNoticeTopic bounds the topic a notice repeats: a refused topic may be
// 64 KiB long, and a notice is a short message (the tab takes at most
// 4 KiB, transport.MaxTextMessage).
const MaxNoticeTopic = 200

// NewNotice describes a refusal of what (a topic, filter or client id)
// because of err. A long topic is cut to MaxNoticeTopic bytes and "…".
func NewNotice(kind, what string, err error) Notice {
	if len(what) > MaxNoticeTopic {
		what = strings.ToValidUTF8(what[:MaxNoticeTopic], "") + "…"
	}
	return Notice{Kind: kind, Topic: what, Reason: ReasonOf(err), Detail: err.Error()}
}

// JSON encodes the notice for the wire.
func (n Notice) JSON() []byte {
	b, _ := json.Marshal(n) // strings only: cannot fail
	return b
}

// ParseNotice decodes a text message from the gateway. It fails for a text
// message that is not a classroom notice.
func ParseNotice(msg []byte) (Notice, error) {
	var n Notice
	if err := json.Unmarshal(msg, &n); err != nil {
		return n, fmt.Errorf("classroom: not a notice: %w", err)
	}
	switch n.Kind {
	case KindDropped, KindRefusedFilter, KindRefusedConnect:
		return n, nil
	}
	return n, fmt.Errorf("classroom: not a notice: kind %q", n.Kind)
}
