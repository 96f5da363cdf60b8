package gateway

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"qosplayground/app/capture"
	"qosplayground/app/client"
	"qosplayground/app/fault"
	"qosplayground/app/wiretap"
	"qosplayground/internal/testenv"
)

// TestCaptureTshark records a QoS 1 exchange cut before its PUBACK (and
// resent with DUP on the next connection) and a QoS 2 exchange through
// the gateway and a real broker, exports what the client's wire tap saw
// (the page's packet list) as pcapng, and has tshark's MQTT dissector list
// the same packets, with the same type, packet id, QoS, DUP and topic, in
// the same order.
func TestCaptureTshark(t *testing.T) {
	tshark := testenv.Need(t, "tshark")
	testenv.NeedMosquitto(t)
	b := startBroker(t, "mosquitto")
	e := newEnv(t, Config{BrokerAddr: b.Addr(), Faults: true})

	topic := uniqTopic("capture")
	c, rec, tp := faultClient(t, e.url, client.Options{CleanSession: false})
	subscribe(t, c, topic, 2)
	cmd := fault.Command{Op: fault.OpCutAt, Dir: fault.Down, Packet: "PUBACK", When: fault.Before}
	arm(t, c, cmd)
	if _, err := c.PublishAsync(topic, []byte("qos1"), 1, false); err != nil {
		t.Fatal(err)
	}
	waitCut(t, c, rec, cmd)
	reconnect(t, c)
	tp.wait(t, "PUBACK of the resent PUBLISH", is(2, wiretap.Received, "PUBACK"))
	if err := c.Publish(topic, []byte("qos2"), 2, false); err != nil {
		t.Fatal(err)
	}
	// Its delivery's handshake ends with the client's PUBCOMP.
	tp.wait(t, "the QoS 2 delivery's PUBCOMP", func(p wiretap.Packet) bool {
		return p.Conn == 2 && p.Dir == wiretap.Sent && p.Type == "PUBCOMP"
	})
	seen := tp.all(func(wiretap.Packet) bool { return true })
	if !slicesContainDup(seen) {
		t.Fatal("no PUBLISH resent with DUP by the client: the cut did not happen as planned")
	}

	file := filepath.Join(t.TempDir(), "exchange.pcapng")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.WritePcapng(f, seen); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	out, err := exec.Command(tshark, "-r", file, "-Y", "mqtt", "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=;",
		"-e", "ip.src", "-e", "mqtt.msgtype", "-e", "mqtt.msgid", "-e", "mqtt.qos", "-e", "mqtt.dupflag", "-e", "mqtt.topic").Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("tshark: %v\n%s%s", err, out, stderr)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		got = append(got, line)
	}
	var want []string
	for _, p := range seen {
		want = append(want, tsharkLine(p))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tshark lists (from|type|id|QoS|DUP|topic):\n%s\nthe page's packet list:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	t.Logf("%d packets, tshark and the page agree:\n%s", len(seen), strings.Join(got, "\n"))
}

func slicesContainDup(pkts []wiretap.Packet) bool {
	for _, p := range pkts {
		if p.Type == "PUBLISH" && p.Dup && p.Dir == wiretap.Sent {
			return true
		}
	}
	return false
}

// packetTypes numbers MQTT 3.1.1's packet types, as tshark's mqtt.msgtype.
var packetTypes = map[string]int{"CONNECT": 1, "CONNACK": 2, "PUBLISH": 3, "PUBACK": 4, "PUBREC": 5, "PUBREL": 6,
	"PUBCOMP": 7, "SUBSCRIBE": 8, "SUBACK": 9, "UNSUBSCRIBE": 10, "UNSUBACK": 11, "PINGREQ": 12, "PINGRESP": 13, "DISCONNECT": 14}

// tsharkLine is the line tshark prints for p: the sender's address, its
// type, the packet id where the
// packet has one, QoS, DUP and topic for PUBLISH.
func tsharkLine(p wiretap.Packet) string {
	from := capture.TabIP.String()
	if p.Dir == wiretap.Received {
		from = capture.BrokerIP.String()
	}
	f := []string{from, strconv.Itoa(packetTypes[p.Type]), "", "", "", ""}
	switch p.Type {
	case "PUBLISH":
		if p.QoS > 0 {
			f[2] = strconv.Itoa(int(p.PacketID))
		}
		f[3] = strconv.Itoa(int(p.QoS))
		f[4] = "0"
		if p.Dup {
			f[4] = "1"
		}
		f[5] = p.Topic
	case "SUBSCRIBE", "UNSUBSCRIBE":
		f[2] = strconv.Itoa(int(p.PacketID))
		f[5] = strings.Join(p.Filters, ";")
	case "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBACK", "UNSUBACK":
		f[2] = strconv.Itoa(int(p.PacketID))
	}
	return strings.Join(f, "|")
}
