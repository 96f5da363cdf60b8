package exercises

import (
	"strings"
	"time"

	"qosplayground/app/i18n"
)

// What the exercises' pages say of their runs.

// CountStatuses counts publish records by status.
func CountStatuses(recs []PublishRecord) map[Status]int {
	m := make(map[Status]int)
	for _, r := range recs {
		m[r.Status]++
	}
	return m
}

// PublisherSummary says where the publisher page's run stands: before it
// has recorded anything, that it is running (its name) or that none has
// run; then how many messages it sent, by status, and how long it took,
// with, when the table shows only the newest shown of them, a note that
// says so.
func PublisherSummary(name i18n.Sentence, running bool, recs []PublishRecord, took time.Duration, shown int) []i18n.Sentence {
	if len(recs) == 0 {
		if running {
			return []i18n.Sentence{i18n.Say(i18n.RunningEllipsis, name)}
		}
		return []i18n.Sentence{i18n.Say(i18n.NoRunYet)}
	}
	c := CountStatuses(recs)
	out := []i18n.Sentence{i18n.Say(i18n.RunSummary, len(recs), c[StatusConfirmed], c[StatusSentQoS0], c[StatusPending], c[StatusFailed],
		took.Round(time.Millisecond).String())}
	if len(recs) > shown {
		out = append(out, i18n.Say(i18n.TableShowsLast, shown))
	}
	return out
}

// Text says the step of the persistent-session run in the page's log; ok
// is false for a step the log does not show.
func (s PersistentStep) Text() (text i18n.Sentence, ok bool) {
	switch s.Step {
	case "connect":
		return i18n.Say(i18n.StepConnect, s.SessionPresent), true
	case "publish-online":
		return i18n.Say(i18n.StepPublishOnline, s.Content), true
	case "disconnect":
		return i18n.Say(i18n.StepDisconnect), true
	case "publish-offline":
		return i18n.Say(i18n.StepPublishOffline, s.Content), true
	case "reconnect":
		return i18n.Say(i18n.StepReconnect, s.SessionPresent), true
	case "received":
		return i18n.Say(i18n.StepReceived, s.Content), true
	case "done":
		return i18n.Say(i18n.StepDone), true
	}
	return i18n.Sentence{}, false
}

// Verdict says what the persistent-session run shows: how many of the
// messages sent while the subscriber was away it received, and so whether
// they were kept or lost.
func (r PersistentResult) Verdict() []i18n.Sentence {
	kept := i18n.VerdictKept
	if r.OfflineReceived < r.OfflineSent {
		kept = i18n.VerdictLost
	}
	return []i18n.Sentence{i18n.Say(i18n.VerdictReceived, r.OfflineReceived, r.OfflineSent), i18n.Say(kept)}
}

// RedeliveredText says how many messages came again after the
// reconnection.
func (r PersistentResult) RedeliveredText() i18n.Sentence {
	if r.Redelivered > 0 {
		return i18n.Say(i18n.RedeliveredSome, r.Redelivered)
	}
	return i18n.Say(i18n.RedeliveredNone)
}

// integrationSteps say each step of the integration run.
var integrationSteps = map[string]i18n.Msg{
	StepStartSubscriber:  i18n.IntStepStart,
	StepConnectPublisher: i18n.IntStepPublisher,
	StepComparison:       i18n.IntStepCompare,
	StepPersistent:       i18n.IntStepPersist,
	StepWaitSubscriber:   i18n.IntStepWait,
	StepDone:             i18n.IntStepDone,
}

// IntegrationStepText says a step of the integration run (OnStep's) in
// the page's log.
func IntegrationStepText(step string) i18n.Sentence {
	return i18n.Say(i18n.IntStep, integrationSteps[step])
}

// IntegrationStatus says where the integration page's run stands: running,
// not run yet, stopped by err, or what it sent and received.
func IntegrationStatus(running bool, res *IntegrationResult, err error) i18n.Sentence {
	switch {
	case running:
		return i18n.Say(i18n.IntRunning)
	case res == nil:
		return i18n.Say(i18n.IntNotRun)
	case err != nil:
		return i18n.Say(i18n.IntStoppedErr)
	}
	return i18n.Say(i18n.IntDone, len(res.Published), res.Stats.TotalReceived)
}

// DurationText says d in milliseconds below a second, else in seconds.
func DurationText(d time.Duration) i18n.Sentence {
	if d < time.Second {
		return i18n.Say(i18n.DurMillis, int(d/time.Millisecond))
	}
	return i18n.Say(i18n.DurSeconds, d.Seconds())
}

// SubscriberStatus says whether the subscriber page's subscriber runs:
// stopped, or listening as clientID, with whether the broker kept its
// session (a bool argument: the page says yes or no).
func SubscriberStatus(running bool, clientID string, sessionPresent bool) i18n.Sentence {
	if !running {
		return i18n.Say(i18n.Stopped)
	}
	return i18n.Say(i18n.Listening, clientID, sessionPresent)
}

// WithoutWaits is cfg with no processing time and no delay between
// attempts: the integration run's fast mode.
func WithoutWaits(cfg SubscriberConfig) SubscriberConfig {
	cfg.WorkTimes = map[string]time.Duration{}
	cfg.RetryDelay = -1 // none: the lab's zero means "the tutorial's 2 s"
	return cfg
}

// ResultText says what processing a record did (the topic's second level
// is data). The lab's own words (the tutorial's English, Record.Result)
// stay beside it on an English page.
func (r Record) ResultText() i18n.Sentence {
	subject := ""
	if parts := strings.Split(r.Topic, "/"); len(parts) > 1 {
		subject = parts[1]
	}
	switch {
	case r.Failed:
		return i18n.Say(i18n.ResultFailed, r.Attempts)
	case !r.Processed:
		return i18n.Say(i18n.ResultPending)
	}
	switch Family(r.Topic) {
	case FamilySensors:
		return i18n.Say(i18n.ResultSensor, subject)
	case FamilyAlerts:
		return i18n.Say(i18n.ResultAlert, subject)
	case FamilyActuators:
		if r.QoS == 2 {
			return i18n.Say(i18n.ResultActuatorQoS2, subject)
		}
		return i18n.Say(i18n.ResultActuator, subject)
	case FamilyImportant:
		return i18n.Say(i18n.ResultImportant)
	}
	return i18n.Say(i18n.ResultGeneric)
}

// ProcessingError says a reliable subscriber's processing error (a
// SubscriberEvent's Err, the lab's English) as the learner reads it: a
// message for the errors the lab names, else the text as it is, shown as
// data.
func ProcessingError(err string) any {
	switch {
	case err == ErrSimulatedAlert.Error():
		return i18n.SimulatedErr
	case strings.Contains(err, ErrPayloadNotJSON.Error()):
		return i18n.ErrPayloadNotJSON
	}
	return err
}
