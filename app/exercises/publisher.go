package exercises

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"qosplayground/app/client"
)

// DefaultWindow is the publisher's default limit of unacknowledged messages:
// Mosquitto's max_inflight_messages. An unbounded burst of QoS 1 or 2
// publishes overflows the broker's queue or makes it drop the client.
const DefaultWindow = 20

// Status is the state of one publish, as the tutorial's results table shows
// it.
type Status string

// Publish states.
const (
	StatusSentQoS0  Status = "sent (QoS 0)" // written; QoS 0 has no acknowledgement
	StatusPending   Status = "pending"      // QoS 1/2 sent, acknowledgement not yet received
	StatusConfirmed Status = "confirmed"    // PUBACK (QoS 1) or PUBCOMP (QoS 2) received
	StatusFailed    Status = "failed"       // not sent, or the connection was lost before the acknowledgement
)

// PublishRecord is one row of the publisher's results: what
// publish_results holds in qos_publisher.py.
type PublishRecord struct {
	MessageID   int64  // the publisher's message counter, message_id in the payload
	PacketID    uint16 // the MQTT packet id; 0 at QoS 0
	Topic       string
	QoS         byte
	MessageType string
	Content     string
	SentAt      time.Time
	Status      Status
	ConfirmedAt time.Time     // zero unless confirmed
	Latency     time.Duration // ConfirmedAt - SentAt
	Err         string        // why it failed
}

// Publisher is the tutorial's QoSPublisher: it publishes the tutorial's JSON
// messages and records each one's fate, with at most Window messages
// awaiting acknowledgement at once.
type Publisher struct {
	cl       *client.Client
	clock    Clock
	window   chan struct{} // one token per unacknowledged message
	inflight sync.WaitGroup
	onChange func(PublishRecord)

	// mu guards counter and records.
	mu      sync.Mutex
	counter int64
	records []*PublishRecord
}

// PublisherConfig configures a Publisher.
type PublisherConfig struct {
	Window   int                 // unacknowledged messages at most; 0 means DefaultWindow
	Clock    Clock               // nil means RealClock
	OnChange func(PublishRecord) // called on every new or changed record; must not block
}

// NewPublisher returns a Publisher sending through cl, which the caller
// connects and disconnects.
func NewPublisher(cl *client.Client, cfg PublisherConfig) *Publisher {
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.OnChange == nil {
		cfg.OnChange = func(PublishRecord) {}
	}
	return &Publisher{cl: cl, clock: cfg.Clock, window: make(chan struct{}, cfg.Window), onChange: cfg.OnChange}
}

// Publish sends content in the tutorial's JSON payload at qos and returns
// the new record. It waits for a free slot in the window first (or ctx), and
// returns once the message is handed to the client: the record's status
// moves on as the acknowledgement arrives.
func (p *Publisher) Publish(ctx context.Context, topic, content string, qos byte, messageType string) (PublishRecord, error) {
	select {
	case p.window <- struct{}{}:
	case <-ctx.Done():
		return PublishRecord{}, ctx.Err()
	}
	p.mu.Lock()
	p.counter++
	now := p.clock.Now()
	rec := &PublishRecord{
		MessageID: p.counter, Topic: topic, QoS: qos, MessageType: messageType,
		Content: content, SentAt: now, Status: StatusPending,
	}
	p.records = append(p.records, rec)
	p.mu.Unlock()

	payload := Payload{
		MessageID: rec.MessageID, Content: content, MessageType: messageType,
		QoS: qos, Timestamp: FormatTimestamp(now), Sender: Sender,
	}.Encode()
	pending, err := p.cl.PublishAsync(topic, payload, qos, false)
	if err != nil {
		<-p.window
		p.update(rec, func(r *PublishRecord) { r.Status, r.Err = StatusFailed, err.Error() })
		return p.snapshot(rec), err
	}
	p.update(rec, func(r *PublishRecord) { r.PacketID = pending.PacketID() })
	p.inflight.Add(1)
	go func() {
		defer p.inflight.Done()
		<-pending.Done()
		<-p.window
		err := pending.Err()
		at := p.clock.Now()
		p.update(rec, func(r *PublishRecord) {
			switch {
			case err != nil:
				r.Status, r.Err = StatusFailed, err.Error()
			case r.QoS == 0:
				r.Status = StatusSentQoS0
			default:
				r.Status, r.ConfirmedAt, r.Latency = StatusConfirmed, at, at.Sub(r.SentAt)
			}
		})
	}()
	return p.snapshot(rec), nil
}

func (p *Publisher) update(rec *PublishRecord, f func(*PublishRecord)) {
	p.mu.Lock()
	f(rec)
	r := *rec
	p.mu.Unlock()
	p.onChange(r)
}

func (p *Publisher) snapshot(rec *PublishRecord) PublishRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	return *rec
}

// Wait waits until every message sent so far is acknowledged, has failed,
// or (QoS 0) is written, or until ctx is done.
func (p *Publisher) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { p.inflight.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Records returns a copy of every record, in the order sent.
func (p *Publisher) Records() []PublishRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]PublishRecord, len(p.records))
	for i, r := range p.records {
		out[i] = *r
	}
	return out
}

// Counts tallies the records by status.
func (p *Publisher) Counts() map[Status]int {
	counts := make(map[Status]int)
	for _, r := range p.Records() {
		counts[r.Status]++
	}
	return counts
}

// Burst publishes n messages to topic at qos as fast as the window allows
// and waits for all of them to be acknowledged. Each message's content is
// "burst i/n".
func (p *Publisher) Burst(ctx context.Context, topic string, qos byte, n int) error {
	p.mu.Lock()
	first := len(p.records)
	p.mu.Unlock()
	for i := 1; i <= n; i++ {
		if _, err := p.Publish(ctx, topic, fmt.Sprintf("burst %d/%d", i, n), qos, "burst"); err != nil {
			return fmt.Errorf("lab: burst message %d of %d: %w", i, n, err)
		}
	}
	if err := p.Wait(ctx); err != nil {
		return err
	}
	var failed int
	for _, r := range p.Records()[first:] {
		if r.Status == StatusFailed {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("lab: %d of %d burst messages failed", failed, n)
	}
	return nil
}

// ErrNotConfirmed reports QoS 1/2 messages still unacknowledged when a run's
// wait for confirmations ended.
var ErrNotConfirmed = errors.New("lab: messages still unconfirmed")
