package exercises

import (
	"encoding/json"
	"testing"
	"time"
)

// pythonPayload is what qos_publisher.py sends (json.dumps of its dict).
const pythonPayload = `{"message_id": 3, "content": "23.5\u00b0C", "message_type": "sensor_data", "qos": 0, "timestamp": "2026-11-25T21:00:00.123456", "sender": "qos_publisher"}`

func TestPayloadReadsPython(t *testing.T) {
	var p Payload
	if err := json.Unmarshal([]byte(pythonPayload), &p); err != nil {
		t.Fatal(err)
	}
	want := Payload{MessageID: 3, Content: "23.5°C", MessageType: "sensor_data", QoS: 0, Timestamp: "2026-11-25T21:00:00.123456", Sender: "qos_publisher"}
	if p != want {
		t.Errorf("decoded %+v, want %+v", p, want)
	}
	ts, err := ParseTimestamp(p.Timestamp)
	if err != nil {
		t.Fatal(err)
	}
	if ts.Nanosecond() != 123456000 || ts.Hour() != 21 {
		t.Errorf("timestamp %v, want 21:00:00.123456", ts)
	}
}

func TestPayloadForPython(t *testing.T) {
	at := time.Date(2026, 11, 25, 21, 0, 0, 123456789, time.FixedZone("JST", 9*3600))
	p := Payload{MessageID: 7, Content: "CLOSE_VALVE", MessageType: "control_command", QoS: 2, Timestamp: FormatTimestamp(at), Sender: Sender}
	var m map[string]any
	if err := json.Unmarshal(p.Encode(), &m); err != nil {
		t.Fatal(err)
	}
	// The keys and JSON types reliable_subscriber.py and the Python publisher use.
	for key, want := range map[string]any{
		"message_id": float64(7), "content": "CLOSE_VALVE", "message_type": "control_command",
		"qos": float64(2), "timestamp": "2026-11-25T21:00:00.123456+09:00", "sender": "qos_publisher",
	} {
		if m[key] != want {
			t.Errorf("%s = %#v, want %#v", key, m[key], want)
		}
	}
	back, err := ParseTimestamp(p.Timestamp)
	if err != nil || !back.Equal(at.Truncate(time.Microsecond)) {
		t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", p.Timestamp, back, err, at)
	}
	if _, err := ParseTimestamp("yesterday"); err == nil {
		t.Error("ParseTimestamp accepted a non-ISO 8601 string")
	}
}

func TestDedupKey(t *testing.T) {
	tests := []struct {
		scenario string
		topic    string
		payload  string
		qos      byte
		want     string
	}{
		{"JSON with a numeric message_id", "alerts/temperature_high", `{"message_id": 3, "content": "x"}`, 1, "alerts/temperature_high:3"},
		{"JSON with a string message_id", "a/b", `{"message_id": "abc"}`, 1, "a/b:abc"},
		{"the same id on another topic differs", "a/c", `{"message_id": "abc"}`, 1, "a/c:abc"},
		// hashlib.md5("sensors/raw:hello world:0".encode()).hexdigest()
		{"plain text falls back to Python's MD5", "sensors/raw", "hello world", 0, "17d07fcc1d5e4707636491d8a893c201"},
		{"JSON without message_id falls back too", "x", `{"id": 1}`, 0, "ca346f484f202fd34a2704af0a5317b6"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := DedupKey(tt.topic, []byte(tt.payload), tt.qos); got != tt.want {
				t.Errorf("DedupKey = %q, want %q", got, tt.want)
			}
		})
	}
	if DedupKey("t", []byte("p"), 0) == DedupKey("t", []byte("p"), 1) {
		t.Error("the fallback key ignores the QoS, unlike the tutorial's")
	}
}
