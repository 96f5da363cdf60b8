package exercises

import "qosplayground/app/topic"

// Exercise 2 lets the learner send the reliable subscriber a test message
// at any time, also while it is stopped. What becomes of such a message is
// a lesson of its own: the broker passes a message only to the
// subscriptions that exist when it arrives, and keeps it for a stopped
// client only in that client's persistent session, and only at QoS 1 and
// 2. Unheard says which happened, from what the page can see: whether the
// message arrived when the subscriber started, whether the broker had kept
// a session for it (CONNACK's session present), what that session had
// subscribed to, and the QoS.

// Fate is what became of a test message sent while the subscriber was
// stopped.
type Fate string

// Fates.
const (
	FateWaiting   Fate = "waiting"    // the subscriber has not started since
	FateKept      Fate = "kept"       // it arrived when the subscriber started: the session kept it
	FateNoSession Fate = "no-session" // dropped: the broker had no session, nobody was subscribed
	FateNoMatch   Fate = "no-match"   // dropped: no subscription of the session matches the topic
	FateQoS0      Fate = "qos0"       // dropped: QoS 0 is not kept for a stopped client
	FateMissing   Fate = "missing"    // not arrived, for none of the reasons above
)

// Dropped reports whether the broker dropped the message.
func (f Fate) Dropped() bool { return f == FateNoSession || f == FateNoMatch || f == FateQoS0 }

// Unheard is a test message sent while the subscriber was stopped.
type Unheard struct {
	Topic     string
	MessageID int64
	QoS       byte
	Key       string // its identity at the subscriber (DedupKey)
}

// Judge says what became of u once the subscriber has started and its
// queued messages have come: arrived, whether the broker said a session was
// present, and the subscriptions that session held (those of the
// subscriber's last run).
func (u Unheard) Judge(arrived, sessionPresent bool, subs []Subscription) Fate {
	if arrived {
		return FateKept
	}
	if !sessionPresent {
		return FateNoSession
	}
	matched, granted := false, byte(0)
	for _, s := range subs {
		if topic.Matches(s.Filter, u.Topic) {
			matched = true
			granted = max(granted, s.QoS)
		}
	}
	switch {
	case !matched:
		return FateNoMatch
	case min(u.QoS, granted) == 0:
		return FateQoS0
	}
	return FateMissing
}

// Unmatched reports whether none of subs matches topicName: a message sent
// there while the subscriber runs reaches nobody.
func Unmatched(topicName string, subs []Subscription) bool {
	for _, s := range subs {
		if topic.Matches(s.Filter, topicName) {
			return false
		}
	}
	return true
}
