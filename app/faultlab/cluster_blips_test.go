//go:build !js

package faultlab

import (
	"os"
	"strings"
	"testing"
	"time"

	"qosplayground/internal/teststack"
)

// TestClusterBlips runs the fault lab's "network blips, counted" on a NATS
// cluster (no node dies): both connections cut at random every 40 to 100
// packets. QoS 1 loses nothing. NATS Server v2.15.3 sends QoS 2 copies
// under new packet ids (the reliable subscriber catches them) and loses a
// few QoS 2 messages across such cuts (0, 2 and 5 of 300 in three runs,
// docs/pitfalls.md): logged, and an error only with
// QOSPLAYGROUND_STRICT_QOS2 set.
func TestClusterBlips(t *testing.T) {
	c := teststack.Start(t, teststack.NATSCluster)
	for _, qos := range []byte{1, 2} {
		res, err := RunBlips(ctxFor(t, 3*time.Minute), BlipConfig{
			URL: c.URL, IDPrefix: "cl-", QoS: qos, Messages: 300, Gap: time.Millisecond,
			CutMin: 40, CutMax: 100, CutPublisher: true, CutSubscriber: true, Seed: 2000,
			Settle: 20 * time.Second,
		})
		switch {
		case err != nil && qos == 2 && strings.Contains(err.Error(), "still missing") && os.Getenv("QOSPLAYGROUND_STRICT_QOS2") == "":
			t.Logf("NATS Server v2.15.3, known (docs/pitfalls.md): QoS 2 across connection cuts: %v", err)
		case err != nil:
			t.Fatalf("QoS %d: %v", qos, err)
		case res.Ledger.Lost != 0 || res.Ledger.Received != res.Ledger.Sent:
			t.Errorf("QoS %d: ledger %+v, want every message received", qos, res.Ledger)
		default:
			t.Logf("QoS %d: cuts %d+%d; ledger %+v", qos, res.PublisherCuts, res.SubscriberCuts, res.Ledger)
		}
	}
}
