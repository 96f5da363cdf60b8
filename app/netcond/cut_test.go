package netcond

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"qosplayground/app/memconn"
	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
)

func TestCutCountsAllButResends(t *testing.T) {
	head := func(p mqtttest.Packet) mqttframe.Header {
		h, ok, err := mqttframe.ParseHeader(p.Bytes())
		if !ok || err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		return h
	}
	c := Cut{Left: 2}
	for _, p := range []mqtttest.Packet{mqtttest.Publish1, mqtttest.Publish1Dup, mqtttest.Publish2DupRetain, mqtttest.Puback} {
		if !c.Pass(head(p)) {
			t.Fatalf("%s was cut with %d left", p.Name, c.Left)
		}
	}
	if c.Pass(head(mqtttest.Publish1Dup)) {
		t.Error("a resend passed after the count ran out: the cut drops the next packet, whatever it is")
	}
}

// TestConnCutOnInMemoryLink: the in-tab broker's in-memory link, shaped
// for MQTT with a cut armed after 3 packets, lets 3 packets through (both
// ways counted, a resend not), then drops the next and ends the
// connection at both ends, as the gateway's random cut does.
func TestConnCutOnInMemoryLink(t *testing.T) {
	tab, broker := memconn.Pipe("tab", "broker")
	c := ShapeMQTT(tab, func() Conditions { return Conditions{} })
	defer c.Close()
	c.ArmCut(3)

	// brokerGets reads one packet at the broker's end.
	r := mqttframe.NewReader(broker, 0, 4096)
	brokerGets := func(want mqtttest.Packet) {
		t.Helper()
		_, pkt, err := r.Next()
		if err != nil || !bytes.Equal(pkt, want.Bytes()) {
			t.Fatalf("the broker read %x, %v; want %s", pkt, err, want.Name)
		}
	}
	write := func(p mqtttest.Packet) {
		t.Helper()
		if _, err := c.Write(p.Bytes()); err != nil {
			t.Fatalf("write %s: %v", p.Name, err)
		}
	}
	// A packet split over two writes goes as one.
	pub := mqtttest.Publish1.Bytes()
	c.Write(pub[:3])
	c.Write(pub[3:])
	brokerGets(mqtttest.Publish1) // 1
	broker.Write(mqtttest.Puback.Bytes())
	got := make([]byte, mqtttest.Puback.Len())
	if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, mqtttest.Puback.Bytes()) {
		t.Fatalf("the tab read %x, %v; want the PUBACK", got, err)
	} // 2
	write(mqtttest.Publish1Dup) // a resend: not counted
	brokerGets(mqtttest.Publish1Dup)
	write(mqtttest.Pingreq) // 3
	brokerGets(mqtttest.Pingreq)
	write(mqtttest.Publish1) // the 4th: dropped, and the connection cut

	broker.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, pkt, err := r.Next(); err == nil || errors.Is(err, mqttframe.ErrMalformed) {
		t.Fatalf("the broker read %x, %v after the cut; want the end of the connection", pkt, err)
	}
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, ErrCut) {
		t.Errorf("the tab's Read after the cut: %v, want ErrCut", err)
	}
	if _, err := c.Write(mqtttest.Pingreq.Bytes()); !errors.Is(err, ErrCut) {
		t.Errorf("the tab's Write after the cut: %v, want ErrCut", err)
	}
}

// TestConnCutDown: a cut counts what comes from the broker too, and a
// disarmed cut never comes.
func TestConnCutDown(t *testing.T) {
	tab, broker := memconn.Pipe("tab", "broker")
	c := ShapeMQTT(tab, func() Conditions { return Conditions{LatencyMS: 1} })
	defer c.Close()
	c.ArmCut(0)
	c.ArmCut(-1) // disarmed
	for range 3 {
		broker.Write(mqtttest.Pingresp.Bytes())
	}
	got := make([]byte, 3*mqtttest.Pingresp.Len())
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("disarmed: %v", err)
	}
	c.ArmCut(1)
	broker.Write(mqtttest.Pingresp.Bytes())
	if _, err := io.ReadFull(c, got[:mqtttest.Pingresp.Len()]); err != nil {
		t.Fatalf("the packet before the cut: %v", err)
	}
	broker.Write(mqtttest.Suback.Bytes())
	if n, err := c.Read(got); !errors.Is(err, ErrCut) {
		t.Errorf("Read after the cut: %d bytes, %v; want ErrCut (the SUBACK dropped)", n, err)
	}
	broker.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := broker.Read(got); err == nil {
		t.Error("the broker's end is still open after the cut")
	}
}
