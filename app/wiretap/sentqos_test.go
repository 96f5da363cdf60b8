package wiretap

import "testing"

func TestSentQoS(t *testing.T) {
	pkts := []Packet{
		{Seq: 5, Dir: Received, Type: "PUBLISH", Topic: "a/b", QoS: 1, Payload: []byte("x")},
		{Seq: 4, Dir: Sent, Type: "PUBLISH", Topic: "a/b", QoS: 2, Payload: []byte("x")},
		{Seq: 2, Dir: Sent, Type: "PUBLISH", Topic: "a/b", QoS: 0, Payload: []byte("x")},
		{Seq: 3, Dir: Sent, Type: "PUBLISH", Topic: "a/b", QoS: 1, Payload: []byte("y")},
		{Seq: 1, Dir: Sent, Type: "SUBSCRIBE", Topic: "", QoS: 0},
	}
	tests := []struct {
		scenario string
		topic    string
		payload  string
		want     byte
		found    bool
	}{
		{"the newest of two sends wins", "a/b", "x", 2, true},
		{"the payload must match", "a/b", "y", 1, true},
		{"a received PUBLISH is not a send", "a/c", "x", 0, false},
		{"no such payload", "a/b", "z", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			got, ok := SentQoS(pkts, tt.topic, []byte(tt.payload))
			if got != tt.want || ok != tt.found {
				t.Errorf("SentQoS = %d, %v; want %d, %v", got, ok, tt.want, tt.found)
			}
		})
	}
}
