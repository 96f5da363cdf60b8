package gateway

import (
	"bufio"
	"net"
	"testing"
	"time"

	"github.com/coder/websocket"

	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
)

// TestWriteTimeoutToBrowser: a browser that stops reading cannot hold its
// relay forever; once a write to it has waited WriteTimeout, the relay
// ends and the broker's connection is closed.
func TestWriteTimeoutToBrowser(t *testing.T) {
	// A broker that answers CONNECT and then sends 64 KiB PUBLISHes as
	// fast as it can, until its connection is closed.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	brokerDone := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			brokerDone <- err
			return
		}
		defer c.Close()
		r := mqttframe.NewReader(bufio.NewReader(c), 0, 0)
		if _, _, err := r.Next(); err != nil {
			brokerDone <- err
			return
		}
		publish := mqtttest.PublishRemaining(64 << 10)
		if _, err := c.Write(append(mqtttest.ConnackAccepted.Bytes(), publish...)); err != nil {
			brokerDone <- err
			return
		}
		for {
			if _, err := c.Write(publish); err != nil {
				brokerDone <- err
				return
			}
		}
	}()

	e := newEnv(t, Config{BrokerAddr: l.Addr().String(), WriteTimeout: 300 * time.Millisecond})
	ws := rawDial(t, e.url)
	rawWrite(t, ws, websocket.MessageBinary, connectPacket(t, "never-reads"))
	// The browser reads nothing from here on.

	select {
	case err := <-brokerDone:
		t.Logf("the broker's connection ended: %v", err)
	case <-time.After(waitTimeout):
		t.Fatalf("the broker is still writing %v after the browser stopped reading, with a %v write timeout", waitTimeout, 300*time.Millisecond)
	}
	deadline := time.Now().Add(waitTimeout)
	for e.gw.Conns() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("Conns: %d, want the stalled relay gone", e.gw.Conns())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
