package mqtttest_test

import (
	"bytes"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
)

// TestCatalogueMatchesPaho: every valid packet's hand-written bytes are
// what paho's encoder writes for the same fields, and paho's decoder reads
// them back; every packet type is there.
func TestCatalogueMatchesPaho(t *testing.T) {
	seen := map[byte]bool{}
	for _, p := range mqtttest.Valid {
		t.Run(p.Name, func(t *testing.T) {
			if got, want := p.Bytes(), mqttframe.Encode(p.Paho()); !bytes.Equal(got, want) {
				t.Errorf("hand-written bytes differ from paho's encoding:\n got % x\nwant % x", head(got), head(want))
			}
			cp, err := packets.ReadPacket(bytes.NewReader(p.Bytes()))
			if err != nil {
				t.Fatalf("paho ReadPacket: %v", err)
			}
			if got, want := cp.Details(), p.Paho().Details(); got != want {
				t.Errorf("paho details: got %+v, want %+v", got, want)
			}
			if got := p.Bytes()[0]; got>>4 != p.Type || got&0x0f != p.Flags {
				t.Errorf("first byte %#02x, want type %d flags %#x", got, p.Type, p.Flags)
			}
		})
		seen[p.Type] = true
	}
	for typ := mqttframe.CONNECT; typ <= mqttframe.DISCONNECT; typ++ {
		if !seen[typ] {
			t.Errorf("catalogue has no %s packet", mqttframe.TypeName(typ))
		}
	}
}

// TestCatalogueEdgeLengths: the edge packets have the remaining lengths
// their names say, in the number of bytes the encoding takes.
func TestCatalogueEdgeLengths(t *testing.T) {
	for _, tc := range []struct {
		p         mqtttest.Packet
		remaining int
		lenBytes  int
	}{
		{mqtttest.PublishRemaining127, 127, 1},
		{mqtttest.PublishRemaining128, 128, 2},
		{mqtttest.PublishRemaining16383, 16383, 2},
		{mqtttest.PublishRemaining16384, 16384, 3},
	} {
		if got, want := tc.p.Len(), 1+tc.lenBytes+tc.remaining; got != want {
			t.Errorf("%s: %d bytes, want %d", tc.p.Name, got, want)
		}
		if got := mqtttest.PublishRemaining(tc.remaining); !bytes.Equal(got, tc.p.Bytes()) {
			t.Errorf("PublishRemaining(%d) differs from %s", tc.remaining, tc.p.Name)
		}
	}
}

// TestConnectBuilder: Connect with the fields of a catalogue CONNECT gives
// its bytes.
func TestConnectBuilder(t *testing.T) {
	if got, want := mqtttest.Connect("MQTT", 4, 0x02, "c"), mqtttest.ConnectClean.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("Connect: got % x, want % x", got, want)
	}
}

func head(b []byte) []byte {
	if len(b) > 24 {
		return b[:24]
	}
	return b
}
