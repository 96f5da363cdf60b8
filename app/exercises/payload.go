package exercises

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Sender is the tutorial's sender name for the publisher's messages.
const Sender = "qos_publisher"

// Payload is the tutorial's JSON message. Field names and types match
// qos_publisher.py, so the tutorial's own Python scripts and the playground
// read each other's messages.
type Payload struct {
	MessageID   int64  `json:"message_id"`
	Content     string `json:"content"`
	MessageType string `json:"message_type"`
	QoS         byte   `json:"qos"`
	Timestamp   string `json:"timestamp"` // ISO 8601
	Sender      string `json:"sender"`
}

// isoFormat is ISO 8601 with microseconds and the UTC offset. Python's
// datetime.now().isoformat() writes the same without the offset; ParseTimestamp
// reads both.
const isoFormat = "2006-01-02T15:04:05.000000-07:00"

// FormatTimestamp writes t as the tutorial's timestamp field.
func FormatTimestamp(t time.Time) string { return t.Format(isoFormat) }

// ParseTimestamp reads a timestamp written by the playground or by Python
// (datetime.isoformat, with or without offset and fraction).
func ParseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("lab: timestamp %q is not ISO 8601", s)
}

// Encode returns the JSON payload.
func (p Payload) Encode() []byte {
	b, _ := json.Marshal(p) // cannot fail: only strings and numbers
	return b
}

// DedupKey returns the reliable subscriber's identity of a message, as
// generate_message_id in reliable_subscriber.py: "topic:message_id" when the
// payload is a JSON object with a message_id, otherwise the MD5 of
// "topic:payload:qos" in hex.
//
// The fallback includes the QoS of the delivery, as the tutorial's does, so
// the same bytes delivered at two QoS levels count as two messages.
func DedupKey(topic string, payload []byte, qos byte) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(payload, &obj) == nil {
		if raw, ok := obj["message_id"]; ok {
			return topic + ":" + pythonStr(raw)
		}
	}
	sum := md5.Sum([]byte(topic + ":" + string(payload) + ":" + strconv.Itoa(int(qos))))
	return hex.EncodeToString(sum[:])
}

// pythonStr renders a JSON value as Python's f"{value}" would, for the
// values a message_id holds in practice: numbers and strings.
func pythonStr(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return string(raw)
}

// MessageIDOf reads the message_id of the tutorial's payload.
func MessageIDOf(payload []byte) (int64, bool) {
	var pl Payload
	if err := json.Unmarshal(payload, &pl); err != nil || pl.MessageID == 0 {
		return 0, false
	}
	return pl.MessageID, true
}
