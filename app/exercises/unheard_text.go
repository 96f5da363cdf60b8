package exercises

import (
	"strconv"
	"time"

	"qosplayground/app/i18n"
)

// UnheardSettle is how long a page waits, once the subscriber has
// subscribed, before it judges the test messages sent while it was
// stopped: the broker sends a kept session's messages right after CONNACK,
// before it answers the subscriptions, and a second more lets the last of
// them through paho.
const UnheardSettle = time.Second

// Followed is a test message sent while the subscriber was stopped, and
// what became of it so far.
type Followed struct {
	Msg  Unheard
	Fate Fate
}

// Waiting says whether any of fs is still waiting for the subscriber.
func Waiting(fs []Followed) bool {
	for _, f := range fs {
		if f.Fate == FateWaiting {
			return true
		}
	}
	return false
}

// JudgeWaiting judges those of fs still waiting (Unheard.Judge), now that
// the subscriber has started: arrived says whether a message of that key
// came. It returns the indexes of those it judged, in order.
func JudgeWaiting(fs []Followed, arrived func(key string) bool, sessionPresent bool, subs []Subscription) []int {
	var judged []int
	for i := range fs {
		f := &fs[i]
		if f.Fate != FateWaiting {
			continue
		}
		f.Fate = f.Msg.Judge(arrived(f.Msg.Key), sessionPresent, subs)
		judged = append(judged, i)
	}
	return judged
}

// Text says what became of the message.
func (f Followed) Text() i18n.Sentence {
	u := f.Msg
	id := int(u.MessageID)
	switch f.Fate {
	case FateKept:
		return i18n.Say(i18n.FateKept, id)
	case FateNoSession:
		return i18n.Say(i18n.FateNoSession, id, u.Topic)
	case FateNoMatch:
		return i18n.Say(i18n.FateNoMatch, id, u.Topic)
	case FateQoS0:
		return i18n.Say(i18n.FateQoS0, id)
	case FateMissing:
		return i18n.Say(i18n.FateMissing, id)
	}
	return i18n.Say(i18n.FateWaiting, id, u.Topic, int(u.QoS))
}

// State is the fate in one word, for a page's data-state: waiting, kept,
// dropped or missing.
func (f Fate) State() string {
	if f.Dropped() {
		return "dropped"
	}
	return string(f)
}

// TestWillFail says whether the reliable subscriber, simulating the alert
// failure, fails on the test message of this topic and message_id (the key
// it judges is the topic and the id).
func TestWillFail(topicName string, messageID int64) bool {
	return SimulatedAlertFailure(topicName, topicName+":"+strconv.FormatInt(messageID, 10))
}

// Sent says what a page follows of a test message u it has sent to the
// subscriber: one sent while the subscriber was stopped waits for it
// (follow, FateWaiting); one sent while it ran, to a topic none of its
// subscriptions subs matches, reached nobody (unmatched).
func Sent(u Unheard, running bool, subs []Subscription) (follow *Followed, unmatched bool) {
	switch {
	case !running:
		return &Followed{Msg: u, Fate: FateWaiting}, false
	case Unmatched(u.Topic, subs):
		return nil, true
	}
	return nil, false
}
