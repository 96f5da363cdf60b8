package faultlab

import (
	"testing"
	"time"

	"qosplayground/app/netcond"
	"qosplayground/internal/teststack"
)

// TestBlipsSlowLink: on a 200 ms / 2 Mbit/s link (each way), with both
// clients cut every few dozen packets, the ledger is still right: QoS 1
// and 2 lose nothing, and the reliable subscriber processes each message
// once.
func TestBlipsSlowLink(t *testing.T) {
	env := teststack.Start(t, teststack.Mosquitto)
	link := netcond.Conditions{LatencyMS: 200, UpKbps: 2000, DownKbps: 2000}
	for _, qos := range []byte{1, 2} {
		res, err := RunBlips(ctxFor(t, 3*time.Minute), BlipConfig{
			URL: env.URL, IDPrefix: "blips-slow-", QoS: qos, Messages: 100, Gap: BlipGap(qos),
			CutMin: 40, CutMax: 100, CutPublisher: true, CutSubscriber: true, Seed: int64(qos) * 31,
			Settle: 30 * time.Second, Net: link,
		})
		if err != nil {
			t.Fatalf("QoS %d: %v (%+v)", qos, err, res)
		}
		row := res.Ledger
		t.Logf("QoS %d over %s: %+v; publisher cut %d times, subscriber %d; %v", qos, link, row, res.PublisherCuts, res.SubscriberCuts, res.Took.Round(time.Millisecond))
		if row.Sent != 100 || row.Lost != 0 || row.DuplicatesProcessed != 0 || row.Received != 100 {
			t.Errorf("QoS %d: ledger %+v, want 100 sent, 100 received, none lost, none processed twice", qos, row)
		}
		if res.PublisherCuts+res.SubscriberCuts == 0 {
			t.Errorf("QoS %d: no cut: the run did not test the slow link under faults", qos)
		}
		// The link was slow: 100 messages in windows of 20 take at least a
		// few round trips of 400 ms.
		if res.Took < 2*time.Second {
			t.Errorf("QoS %d: the run took %v: the conditions did not apply", qos, res.Took)
		}
	}
}
