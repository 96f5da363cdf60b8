package formcheck

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"qosplayground/app/exercises"
	"qosplayground/app/topic"
)

// The reliable subscriber's checked controls (Exercise 2).
const (
	SubAttempts   Field = "max-retries"
	SubRetryDelay Field = "retry-delay"
	SubTTL        Field = "ttl"
	SubPrune      Field = "prune"
	TestID        Field = "test-id"
	TestTopic     Field = "test-topic"
)

// WorkTime is the field of a processing family's work time.
func WorkTime(family string) Field { return Field("work-" + family) }

// Family is the processing family of a WorkTime field.
func (f Field) Family() (string, bool) { return strings.CutPrefix(string(f), "work-") }

// Ranges of the subscriber's number fields.
const (
	MaxMillis   = 600_000 // a work time or a retry delay, in milliseconds
	MaxAttempts = 10
	MaxMinutes  = 1440 // a record's lifetime, the pruning's period
)

// Families are the processing families in the order the page lists their
// work times.
var Families = []string{exercises.FamilySensors, exercises.FamilyAlerts, exercises.FamilyActuators, exercises.FamilyImportant, exercises.FamilyGeneric}

// MillisError reports a time in milliseconds that is not a whole number
// from 0 to MaxMillis.
type MillisError struct{ Field Field }

func (e *MillisError) Error() string {
	return fmt.Sprintf("formcheck: %s must be a whole number of milliseconds from 0 to %d", e.Field, MaxMillis)
}

// Subscriber is the reliable subscriber's settings, as typed.
type Subscriber struct {
	Subscriptions []exercises.Subscription
	WorkMS        map[string]string // per family, in milliseconds
	MaxRetries    string            // attempts in all
	RetryMS       string
	FailAlert     bool
	TTLMin        string
	PruneMin      string
}

// Config checks the settings in the page's order and returns the
// subscriber's configuration, or the first field's error.
func (s Subscriber) Config() (exercises.SubscriberConfig, error) {
	cfg := exercises.SubscriberConfig{
		Subscriptions:        append([]exercises.Subscription(nil), s.Subscriptions...),
		WorkTimes:            make(map[string]time.Duration),
		SimulateAlertFailure: s.FailAlert,
	}
	var err error
	for _, f := range Families {
		if cfg.WorkTimes[f], err = millis(WorkTime(f), s.WorkMS[f]); err != nil {
			return cfg, err
		}
	}
	if cfg.MaxRetries, err = number(SubAttempts, s.MaxRetries, 1, MaxAttempts); err != nil {
		return cfg, err
	}
	if cfg.RetryDelay, err = millis(SubRetryDelay, s.RetryMS); err != nil {
		return cfg, err
	}
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = -1 // none: the lab's zero means "the tutorial's 2 s"
	}
	ttl, err := number(SubTTL, s.TTLMin, 1, MaxMinutes)
	if err != nil {
		return cfg, err
	}
	prune, err := number(SubPrune, s.PruneMin, 1, MaxMinutes)
	if err != nil {
		return cfg, err
	}
	cfg.RecordTTL, cfg.PruneEvery = time.Duration(ttl)*time.Minute, time.Duration(prune)*time.Minute
	return cfg, nil
}

// ErrMessageID reports a test message's message_id that is not a whole
// number.
var ErrMessageID = errors.New("formcheck: the message_id must be a whole number")

// TestMessage checks the subscriber page's test message: its message_id,
// then its topic.
func TestMessage(topicName, messageID string) (int64, error) {
	id, err := strconv.ParseInt(messageID, 10, 64)
	if err != nil {
		return 0, ErrMessageID
	}
	if err := topic.ValidateName(topicName); err != nil {
		return 0, err
	}
	return id, nil
}

// millis parses a time in whole milliseconds from 0 to MaxMillis.
func millis(f Field, s string) (time.Duration, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > MaxMillis {
		return 0, &MillisError{Field: f}
	}
	return time.Duration(n) * time.Millisecond, nil
}
