// Package sidebyside is the fault lab's "QoS side by side" (issue 16, item
// 3): one run sends the same numbered stream (messages 1, 2, 3…) at QoS 0,
// 1 and 2 at once, under the same network conditions and random cuts, and
// measures per QoS what was sent, received, lost, copied on the wire and
// to the application, what arrived out of order, the latency from send to
// arrival at the application, and the packets and bytes on the wire per
// message delivered.
//
// Each QoS is one faultlab.RunBlips (its own publisher, reliable
// subscriber and topic), the three running concurrently; this package adds
// the order of arrival and the times (Stream) and says which of MQTT 3.1.1
// section 4.6's statements about order the run's numbers show held or not
// (Result.Findings).
//
// The package imports neither go-app nor syscall/js.
package sidebyside

import (
	"context"
	"strconv"
	"sync"
	"time"

	"qosplayground/app/faultlab"
	"qosplayground/app/netcond"
)

// DefaultMessages is the page's message count per QoS: small enough for a
// run of seconds in the tab, large enough for cuts to fall in it.
const DefaultMessages = 200

// Config configures Run.
type Config struct {
	URL string // the /mqtt endpoint
	// IDPrefix starts the client ids and the topics, so that two tabs'
	// runs never mix.
	IDPrefix string
	Messages int // per QoS; 0 means DefaultMessages
	// Net is the network conditions of all six connections; zero is the
	// server's own network.
	Net netcond.Conditions
	// CutMin and CutMax: each connection is cut after a random number of
	// packets in [CutMin, CutMax]; CutMax 0 means no cuts.
	CutMin, CutMax int
	Seed           int64 // the cuts' draws; QoS q's runs use Seed + 1000·q
	// Settle bounds the wait for a QoS 1/2 message still on its way after
	// the last one came (faultlab.BlipConfig.Settle); 0 means 30 s.
	Settle time.Duration
	// OnProgress, if set, is called from the runs' goroutines, whenever a
	// count changes; it must not block.
	OnProgress func(Progress)
}

// Progress is the three runs' counts so far, by QoS.
type Progress [3]faultlab.BlipProgress

// Row is one QoS's results.
type Row struct {
	QoS                  byte
	Sent, Received, Lost int
	// WireCopies are PUBLISH packets of a message beyond its first on
	// the subscriber's connection; AppCopies the copies handed to the
	// application.
	WireCopies, AppCopies int
	Order                 Order
	Latency               Latency
	// Packets and Bytes are every MQTT packet on the publisher's and the
	// subscriber's connections, either way, acknowledgements, reconnections
	// and resends included.
	Packets, Bytes int
	Cuts           int // connections cut, publisher's and subscriber's
	Took           time.Duration
}

// PacketsPerMessage and BytesPerMessage are the wire's cost per message
// delivered; ok is false when none was.
func (r Row) PacketsPerMessage() (float64, bool) { return per(r.Packets, r.Received) }

// BytesPerMessage: see PacketsPerMessage.
func (r Row) BytesPerMessage() (float64, bool) { return per(r.Bytes, r.Received) }

func per(n, d int) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return float64(n) / float64(d), true
}

// Result is a finished run: one row per QoS, 0, 1 and 2.
type Result struct {
	Rows           [3]Row
	Messages       int
	Net            netcond.Conditions
	CutMin, CutMax int
	Took           time.Duration
}

// Run runs the three QoS streams at once and returns their rows. A run
// that fails (a QoS 1/2 message still missing after Settle, a refused
// connection) fails the whole: the rows of the others are still returned.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Messages <= 0 {
		cfg.Messages = DefaultMessages
	}
	if cfg.Settle <= 0 {
		cfg.Settle = 30 * time.Second
	}
	start := time.Now()
	res := Result{Messages: cfg.Messages, Net: cfg.Net, CutMin: cfg.CutMin, CutMax: cfg.CutMax}
	if cfg.CutMax == 0 {
		res.CutMin = 0
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex // guards progress and errs
		progress Progress
		errs     [3]error
	)
	for q := range 3 {
		qos := byte(q)
		stream := NewStream()
		wg.Add(1)
		go func() {
			defer wg.Done()
			prefix := cfg.IDPrefix + "sbs" + strconv.Itoa(q) + "_"
			br, err := faultlab.RunBlips(ctx, faultlab.BlipConfig{
				URL: cfg.URL, IDPrefix: prefix, Topic: "sidebyside/" + prefix + "qos" + strconv.Itoa(q),
				QoS: qos, Messages: cfg.Messages, Gap: faultlab.BlipGap(qos),
				CutMin: res.CutMin, CutMax: cfg.CutMax, CutPublisher: cfg.CutMax > 0, CutSubscriber: cfg.CutMax > 0,
				Seed: cfg.Seed + 1000*int64(q), Settle: cfg.Settle, Net: cfg.Net,
				OnSent:      stream.Sent,
				OnDelivered: stream.Arrived,
				OnProgress: func(p faultlab.BlipProgress) {
					if cfg.OnProgress == nil {
						return
					}
					mu.Lock()
					progress[q] = p
					snap := progress
					mu.Unlock()
					cfg.OnProgress(snap)
				},
			})
			order, lat := stream.Summary()
			row := Row{
				QoS: qos, Sent: br.Ledger.Sent, Received: br.Ledger.Received, Lost: br.Ledger.Lost,
				WireCopies: br.Ledger.WireCopies, AppCopies: br.Ledger.DuplicatesSeen,
				Order: order, Latency: lat, Packets: br.WirePackets, Bytes: br.WireBytes,
				Cuts: br.PublisherCuts + br.SubscriberCuts, Took: br.Took,
			}
			mu.Lock()
			res.Rows[q], errs[q] = row, err
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Took = time.Since(start)
	for _, err := range errs {
		if err != nil {
			return res, err
		}
	}
	return res, nil
}
