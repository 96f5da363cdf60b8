package capworker

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"qosplayground/app/wiretap"
)

// TestPacketListRoundTrip: the packet list survives its JSON (the worker's
// messages, the export's "packets") with each packet decoded again from
// its bytes, renumbered 1, 2, 3…
func TestPacketListRoundTrip(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 123456789, time.UTC)
	in := []wiretap.Packet{
		wiretap.Decode([]byte{0x3a, 0x08, 0, 3, 'a', '/', 'b', 0, 7, 'x'}), // PUBLISH QoS 1 DUP, id 7
		wiretap.Decode([]byte{0x40, 0x02, 0, 7}),                           // PUBACK
	}
	in[0].Seq, in[0].Conn, in[0].Dir, in[0].At = 40, 2, wiretap.Sent, t0
	in[1].Seq, in[1].Conn, in[1].Dir, in[1].At = 41, 2, wiretap.Received, t0.Add(time.Millisecond)
	b, err := json.Marshal(FromWire(in))
	if err != nil {
		t.Fatal(err)
	}
	var list []Packet
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	if list[0].Type != "PUBLISH" || !list[0].Dup || list[0].QoS != 1 || list[0].PacketID != 7 || list[0].Topic != "a/b" || list[0].Length != 10 || list[0].Dir != "sent" {
		t.Errorf("the list's PUBLISH: %+v", list[0])
	}
	out := ToWire(list)
	for i, p := range out {
		if p.Seq != i+1 || p.Conn != 2 || p.Dir != in[i].Dir || !p.At.Equal(in[i].At) || p.Type != in[i].Type || p.PacketID != 7 {
			t.Errorf("packet %d back as %+v", i, p)
		}
	}
}

// TestAsError: a capture's own error keeps its kind; any other is Failed.
func TestAsError(t *testing.T) {
	e := &Error{Kind: NoMQTT, Port: 1883, Ports: []int{8883}}
	if got := AsError(e); got != e || got.Error() != "capture: no-mqtt (port 1883)" {
		t.Errorf("%v", got)
	}
	if got := AsError(errors.New("boom")); got.Kind != Failed || got.Detail != "boom" {
		t.Errorf("%+v", got)
	}
	if AsError(nil) != nil {
		t.Error("nil is not an error")
	}
}
