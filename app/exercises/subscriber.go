package exercises

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"qosplayground/app/client"
)

// Subscription is a topic filter and the QoS asked for it.
type Subscription struct {
	Filter string
	QoS    byte
}

// DefaultSubscriptions are reliable_subscriber.py's.
func DefaultSubscriptions() []Subscription {
	return []Subscription{
		{"sensors/+", 0},          // sensor data
		{"alerts/+", 1},           // alerts
		{"actuators/+/+", 2},      // control commands
		{"important/messages", 1}, // important messages
	}
}

// Topic families, as process_message dispatches on them.
const (
	FamilySensors   = "sensors"
	FamilyAlerts    = "alerts"
	FamilyActuators = "actuators"
	FamilyImportant = "important"
	FamilyGeneric   = "generic"
)

// Family returns the processing family of a topic.
func Family(topic string) string {
	first, _, _ := strings.Cut(topic, "/")
	switch {
	case first == FamilySensors, first == FamilyAlerts, first == FamilyActuators:
		return first
	case topic == "important/messages":
		return FamilyImportant
	}
	return FamilyGeneric
}

// DefaultWorkTimes are the tutorial's simulated processing times
// (time.sleep in each process_* function).
func DefaultWorkTimes() map[string]time.Duration {
	return map[string]time.Duration{
		FamilySensors:   100 * time.Millisecond,
		FamilyAlerts:    200 * time.Millisecond,
		FamilyActuators: 300 * time.Millisecond,
		FamilyImportant: 150 * time.Millisecond,
		FamilyGeneric:   0,
	}
}

// SubscriberConfig configures a ReliableSubscriber. New fills in the
// tutorial's values for zero fields; use a negative duration for "none".
type SubscriberConfig struct {
	Subscriptions []Subscription           // nil means DefaultSubscriptions
	WorkTimes     map[string]time.Duration // per family; nil means DefaultWorkTimes
	MaxRetries    int                      // attempts per message; 0 means 3
	RetryDelay    time.Duration            // between attempts; 0 means 2 s, negative none
	// SimulateAlertFailure turns on the tutorial's failure: an alert on a
	// topic containing "high" whose key ends in "3" fails every attempt
	// (SimulatedAlertFailure).
	SimulateAlertFailure bool
	RecordTTL            time.Duration // processed records older than this are pruned; 0 means 10 min
	PruneEvery           time.Duration // 0 means 5 min
	Clock                Clock         // nil means RealClock
	// OnEvent receives every step; it must not block.
	OnEvent func(SubscriberEvent)
}

// Stats are the subscriber's statistics, as its stats dict.
type Stats struct {
	TotalReceived         int
	DuplicatesDetected    int
	ProcessingErrors      int
	SuccessfullyProcessed int
}

// Percent returns n as a percentage of the total received, as
// display_statistics shows it.
func (s Stats) Percent(n int) float64 {
	if s.TotalReceived == 0 {
		return 0
	}
	return float64(n) * 100 / float64(s.TotalReceived)
}

// Record is one received message: MessageRecord in reliable_subscriber.py.
type Record struct {
	Seq        int    // arrival order, from 1
	Key        string // DedupKey
	Topic      string
	Payload    string
	QoS        byte
	Dup        bool // the DUP flag of the delivery
	ReceivedAt time.Time
	Processed  bool
	Failed     bool // every attempt failed
	Attempts   int
	Result     string // what processing said, or each failed attempt's error
}

// SubscriberEventKind says what a SubscriberEvent reports.
type SubscriberEventKind string

// Subscriber event kinds.
const (
	EventReceived  SubscriberEventKind = "received"  // a new message is being processed
	EventDuplicate SubscriberEventKind = "duplicate" // already processed: counted, not processed again
	EventRetry     SubscriberEventKind = "retry"     // an attempt failed; another follows after RetryDelay
	EventProcessed SubscriberEventKind = "processed" // processing succeeded
	EventFailed    SubscriberEventKind = "failed"    // every attempt failed
	EventPruned    SubscriberEventKind = "pruned"    // old records were removed (Count)
)

// SubscriberEvent is one step of the subscriber's work.
type SubscriberEvent struct {
	Kind   SubscriberEventKind
	Record Record
	Err    string
	Count  int // with EventPruned
	// Delay is, with EventRetry, the wait before the next attempt (0 for
	// none); Attempts, with EventRetry and EventFailed, how many attempts a
	// message gets in all (MaxRetries).
	Delay    time.Duration
	Attempts int
	Stats    Stats
}

// ReliableSubscriber is the tutorial's ReliableSubscriber: it detects
// duplicates by message identity, processes each message once with retries,
// and keeps statistics. It processes on its own goroutine, in arrival order,
// and acknowledges each message after processing it.
type ReliableSubscriber struct {
	cfg   SubscriberConfig
	queue chan client.Message
	done  chan struct{}
	stop  context.CancelFunc

	// mu guards seq, stats, processed and history.
	mu        sync.Mutex
	seq       int
	stats     Stats
	processed map[string]bool    // keys processed successfully
	history   map[string]*Record // by key
}

// NewReliableSubscriber returns a subscriber ready to be fed; Handle is its
// message handler. Close stops it.
func NewReliableSubscriber(cfg SubscriberConfig) *ReliableSubscriber {
	if cfg.Subscriptions == nil {
		cfg.Subscriptions = DefaultSubscriptions()
	}
	if cfg.WorkTimes == nil {
		cfg.WorkTimes = DefaultWorkTimes()
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 3
	}
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = 2 * time.Second
	}
	if cfg.RecordTTL == 0 {
		cfg.RecordTTL = 10 * time.Minute
	}
	if cfg.PruneEvery == 0 {
		cfg.PruneEvery = 5 * time.Minute
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.OnEvent == nil {
		cfg.OnEvent = func(SubscriberEvent) {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &ReliableSubscriber{
		cfg: cfg,
		// Deep enough for Mosquitto's whole queue of a session (1000) and
		// its in-flight window, so paho's handler never waits here.
		queue:     make(chan client.Message, 4096),
		done:      make(chan struct{}),
		stop:      cancel,
		processed: make(map[string]bool),
		history:   make(map[string]*Record),
	}
	go s.work(ctx)
	go s.pruneLoop(ctx)
	return s
}

// Config returns the configuration in force, defaults filled in.
func (s *ReliableSubscriber) Config() SubscriberConfig { return s.cfg }

// Handle takes a message from the client. It never blocks for long: paho
// calls it on its only delivery goroutine.
//
// A message already processed is counted as a duplicate and acknowledged
// at once, without waiting its turn behind messages still to process: a
// broker resends whatever the last connection did not acknowledge, and an
// acknowledgement that waits in the queue may be lost with the next
// connection again (paho drops acknowledgements made after their
// connection is gone), so over a flaky network the same messages would
// come back on every reconnection.
func (s *ReliableSubscriber) Handle(m client.Message) {
	if s.duplicate(m, DedupKey(m.Topic, m.Payload, m.QoS)) {
		m.Ack()
		return
	}
	select {
	case s.queue <- m:
	case <-s.done:
	}
}

// Subscribe subscribes cl to every configured subscription.
func (s *ReliableSubscriber) Subscribe(cl *client.Client) error {
	for _, sub := range s.cfg.Subscriptions {
		if _, err := cl.Subscribe(sub.Filter, sub.QoS); err != nil {
			return err
		}
	}
	return nil
}

// Close stops processing; messages not yet processed stay unacknowledged,
// so a persistent session gets them again.
func (s *ReliableSubscriber) Close() {
	s.stop()
	<-s.done
}

// Stats returns the statistics so far.
func (s *ReliableSubscriber) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// History returns a copy of the records kept, oldest first.
func (s *ReliableSubscriber) History() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Record, 0, len(s.history))
	for _, r := range s.history {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Record) int { return a.Seq - b.Seq })
	return out
}

// Processed reports whether the message with this key was processed.
func (s *ReliableSubscriber) Processed(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.processed[key]
}

func (s *ReliableSubscriber) emit(ev SubscriberEvent) {
	s.mu.Lock()
	ev.Stats = s.stats
	s.mu.Unlock()
	s.cfg.OnEvent(ev)
}

// duplicate counts and reports m if the message with this key was
// processed already, and says whether it was.
func (s *ReliableSubscriber) duplicate(m client.Message, key string) bool {
	s.mu.Lock()
	if !s.processed[key] {
		s.mu.Unlock()
		return false
	}
	s.seq++
	s.stats.TotalReceived++
	s.stats.DuplicatesDetected++
	rec := Record{Seq: s.seq, Key: key, Topic: m.Topic, Payload: string(m.Payload), QoS: m.QoS, Dup: m.Duplicate, ReceivedAt: s.cfg.Clock.Now(), Processed: true}
	s.mu.Unlock()
	s.emit(SubscriberEvent{Kind: EventDuplicate, Record: rec})
	return true
}

func (s *ReliableSubscriber) work(ctx context.Context) {
	defer close(s.done)
	for {
		select {
		case m := <-s.queue:
			if !s.handle(ctx, m) {
				return
			}
			m.Ack()
		case <-ctx.Done():
			return
		}
	}
}

// handle is on_message: count, check for a duplicate, process with retries.
// It returns false when the subscriber was closed mid-way (the message is
// then left unacknowledged).
func (s *ReliableSubscriber) handle(ctx context.Context, m client.Message) bool {
	key := DedupKey(m.Topic, m.Payload, m.QoS)
	// A copy that arrived while the first was being processed.
	if s.duplicate(m, key) {
		return true
	}
	s.mu.Lock()
	s.seq++
	s.stats.TotalReceived++
	rec := &Record{Seq: s.seq, Key: key, Topic: m.Topic, Payload: string(m.Payload), QoS: m.QoS, Dup: m.Duplicate, ReceivedAt: s.cfg.Clock.Now()}
	s.history[key] = rec
	snap := *rec
	s.mu.Unlock()
	s.emit(SubscriberEvent{Kind: EventReceived, Record: snap})

	var lastErr error
	for attempt := 1; attempt <= s.cfg.MaxRetries; attempt++ {
		result, err := s.process(ctx, m, key)
		s.mu.Lock()
		rec.Attempts = attempt
		if err == nil {
			rec.Processed, rec.Result = true, result
			s.processed[key] = true
			s.stats.SuccessfullyProcessed++
			snap = *rec
			s.mu.Unlock()
			s.emit(SubscriberEvent{Kind: EventProcessed, Record: snap})
			return true
		}
		if errors.Is(err, context.Canceled) {
			s.mu.Unlock()
			return false
		}
		lastErr = err
		rec.Result += fmt.Sprintf("Attempt %d failed: %v; ", attempt, err)
		snap = *rec
		s.mu.Unlock()
		if attempt < s.cfg.MaxRetries {
			s.emit(SubscriberEvent{Kind: EventRetry, Record: snap, Err: err.Error(), Delay: max(s.cfg.RetryDelay, 0), Attempts: s.cfg.MaxRetries})
			if !s.sleep(ctx, s.cfg.RetryDelay) {
				return false
			}
		}
	}
	s.mu.Lock()
	s.stats.ProcessingErrors++
	rec.Failed = true
	snap = *rec
	s.mu.Unlock()
	s.emit(SubscriberEvent{Kind: EventFailed, Record: snap, Err: lastErr.Error(), Attempts: s.cfg.MaxRetries})
	return true
}

func (s *ReliableSubscriber) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	select {
	case <-s.cfg.Clock.After(d):
		return true
	case <-ctx.Done():
		return false
	}
}

// The processing errors of process, the tutorial's words. A subscriber
// event carries an error as its text: pages match these to say them in
// the learner's language.
var (
	// ErrSimulatedAlert is the error of an alert failed on purpose
	// (SimulatedAlertFailure).
	ErrSimulatedAlert = errors.New("alert processing error: simulated alert processing failure")
	// ErrPayloadNotJSON: a family that reads JSON got something else.
	ErrPayloadNotJSON = errors.New("payload is not JSON")
)

// process is process_message: the work of each topic family.
func (s *ReliableSubscriber) process(ctx context.Context, m client.Message, key string) (string, error) {
	family := Family(m.Topic)
	if family != FamilyGeneric {
		// Every family but the generic one reads the payload as JSON.
		var data any
		if err := json.Unmarshal(m.Payload, &data); err != nil {
			return "", fmt.Errorf("%s processing error: %w: %v", family, ErrPayloadNotJSON, err)
		}
	}
	if !s.sleep(ctx, s.cfg.WorkTimes[family]) {
		return "", context.Canceled
	}
	second := ""
	if parts := strings.Split(m.Topic, "/"); len(parts) > 1 {
		second = parts[1]
	}
	switch family {
	case FamilySensors:
		return "Sensor data stored for " + second, nil
	case FamilyAlerts:
		if s.cfg.SimulateAlertFailure && SimulatedAlertFailure(m.Topic, key) {
			return "", ErrSimulatedAlert
		}
		return "Alert processed for " + second, nil
	case FamilyActuators:
		if m.QoS == 2 {
			return "Actuator command executed for " + second + " (QoS 2: exactly once)", nil
		}
		return "Actuator command executed for " + second, nil
	case FamilyImportant:
		return "Important message processed", nil
	}
	return "Generic message processed", nil
}

// SimulatedAlertFailure is the tutorial's test of its retries
// (process_alert in reliable_subscriber.py): with the failure simulated, an
// alert whose topic's second level contains "high" and whose identity (key,
// "topic:message_id") ends in "3" fails every attempt, so message_id 3, 13,
// 23… on alerts/temperature_high fail, and message_id 2 does not.
func SimulatedAlertFailure(topic, key string) bool {
	parts := strings.Split(topic, "/")
	return Family(topic) == FamilyAlerts && len(parts) > 1 && strings.Contains(parts[1], "high") && strings.HasSuffix(key, "3")
}

func (s *ReliableSubscriber) pruneLoop(ctx context.Context) {
	for {
		select {
		case <-s.cfg.Clock.After(s.cfg.PruneEvery):
			s.Prune()
		case <-ctx.Done():
			return
		}
	}
}

// Prune removes processed records older than RecordTTL, and forgets their
// keys: cleanup_old_records. It returns how many it removed.
func (s *ReliableSubscriber) Prune() int {
	cutoff := s.cfg.Clock.Now().Add(-s.cfg.RecordTTL)
	s.mu.Lock()
	n := 0
	for key, r := range s.history {
		if r.Processed && r.ReceivedAt.Before(cutoff) {
			delete(s.history, key)
			delete(s.processed, key)
			n++
		}
	}
	s.mu.Unlock()
	if n > 0 {
		s.emit(SubscriberEvent{Kind: EventPruned, Count: n})
	}
	return n
}
