package gateway_test

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"qosplayground/app/client"
	"qosplayground/internal/testenv"
	"qosplayground/server/broker"
	"qosplayground/server/gateway"
	"qosplayground/server/gateway/failovertest"
	"qosplayground/server/gateway/gatewaytest"
	"qosplayground/server/natsnode"
)

func TestMain(m *testing.M) {
	natsnode.MaybeRun() // a node of gatewaytest.StartCluster's cluster
	os.Exit(m.Run())
}

// TestClusterFailover: 99 learners with persistent sessions publish and
// receive QoS 1 and QoS 2 through the gateway in front of a three-node NATS
// cluster; one node is killed (SIGKILL) a third of the way in. Every client
// whose connection died (on the dead node, or closed by NATS on a live
// one) reconnects through the gateway to a live node with its session
// present, and no QoS 1 message is lost (failovertest.Run).
func TestClusterFailover(t *testing.T) {
	c := gatewaytest.StartCluster(t)
	failovertest.Run{
		URL: c.URL, Pairs: 33, Messages: 60, Every: 40 * time.Millisecond,
		LogLines: c.LogLines,
		Kills: []func(){func() {
			victim := c.NATS.Nodes()[1]
			t.Logf("killing NATS node %s (pid %d)", victim.Name, victim.PID)
			if err := c.NATS.KillNode(1); err != nil {
				t.Fatal(err)
			}
		}},
	}.Do(t)
}

// TestClusterGatewaySkipsDeadNode: with several broker addresses, every
// connection lands on a live one, whichever the rotation tries first.
func TestClusterGatewaySkipsDeadNode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.Config{Spec: "embedded", Logger: testenv.Logger(t), Persistence: broker.PersistenceOff})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	dead.Close() // nothing listens there now: a node that died
	gw := gateway.New(gateway.Config{BrokerAddrs: []string{deadAddr, b.Addr(), deadAddr + "0"}, Logger: testenv.Logger(t)})
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { gw.Close(context.Background()) })
	for i := range 6 {
		cl, err := client.New(client.Options{URL: "ws" + strings.TrimPrefix(srv.URL, "http"), ClientID: fmt.Sprintf("skip-%d", i), CleanSession: true}, func(client.Event) {})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cl.Connect(); err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		cl.Disconnect()
	}
}
