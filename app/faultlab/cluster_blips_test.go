//go:build !js

package faultlab

import (
	"testing"
	"time"

	"qosplayground/internal/teststack"
)

// TestClusterBlips runs the fault lab's "network blips, counted" on a NATS
// cluster (no node dies): both connections cut at random every 40 to 100
// packets. QoS 1 loses nothing; QoS 2 loses nothing and hands no copy to
// the application. (NATS Server v2.15.3 as released sent QoS 2 copies
// under new packet ids after such cuts and lost 0 to 5 of 300; the nodes
// run the patched copy in third_party/nats-server, docs/nats-qos2-report.md.)
func TestClusterBlips(t *testing.T) {
	c := teststack.Start(t, teststack.NATSCluster)
	for _, qos := range []byte{1, 2} {
		res, err := RunBlips(ctxFor(t, 3*time.Minute), BlipConfig{
			URL: c.URL, IDPrefix: "cl-", QoS: qos, Messages: 300, Gap: time.Millisecond,
			CutMin: 40, CutMax: 100, CutPublisher: true, CutSubscriber: true, Seed: 2000,
			Settle: 20 * time.Second,
		})
		switch {
		case err != nil:
			t.Fatalf("QoS %d: %v", qos, err)
		case res.Ledger.Lost != 0 || res.Ledger.Received != res.Ledger.Sent:
			t.Errorf("QoS %d: ledger %+v, want every message received", qos, res.Ledger)
		case qos == 2 && res.Ledger.DuplicatesSeen != 0:
			t.Errorf("QoS 2: ledger %+v, want no copy handed to the application (%+v)", res.Ledger, res.SubscriberQoS2)
		default:
			t.Logf("QoS %d: cuts %d+%d; ledger %+v", qos, res.PublisherCuts, res.SubscriberCuts, res.Ledger)
		}
	}
}
