package checkpoints

import "qosplayground/app/exercises"

// Which facts an experiment's outcome shows. The pages call these with what
// their runs reported and record the result; a run a link started earns
// nothing (Earned), whatever it shows.

// QoSFact is the fact of a completed exchange at qos (0, 1 or 2).
func QoSFact(qos byte) Fact {
	return [...]Fact{QoS0, QoS1, QoS2}[qos%3]
}

// Published returns the facts a publish of one message earns once it
// completed (written at QoS 0, PUBACK at 1, PUBCOMP at 2).
func Published(s Starter, qos byte) []Fact { return Earned(s, QoSFact(qos)) }

// PublishFacts are the facts a publisher's records show: an exchange
// completed at each QoS among them, each once, in the order first seen.
func PublishFacts(recs []exercises.PublishRecord) []Fact {
	var out []Fact
	seen := [3]bool{}
	for _, r := range recs {
		if (r.Status == exercises.StatusConfirmed || r.Status == exercises.StatusSentQoS0) && r.QoS <= 2 && !seen[r.QoS] {
			seen[r.QoS] = true
			out = append(out, QoSFact(r.QoS))
		}
	}
	return out
}

// PersistentFacts are the facts a persistent-session run shows: the
// session found again on reconnecting, and messages published while the
// subscriber was away delivered to it (with clean session off only).
func PersistentFacts(r exercises.PersistentResult) []Fact {
	var out []Fact
	if r.SessionPresentReconnect {
		out = append(out, SessionResumed)
	}
	if !r.CleanSession && r.OfflineReceived > 0 {
		out = append(out, OfflineDelivered)
	}
	return out
}

// SubscriberFacts are the facts a reliable subscriber's statistics show;
// retried says whether it retried a processing.
func SubscriberFacts(s exercises.Stats, retried bool) []Fact {
	var out []Fact
	if s.DuplicatesDetected > 0 {
		out = append(out, DuplicateDetected)
	}
	if retried {
		out = append(out, RetryDone)
	}
	return out
}

// Duplicates returns DuplicateDetected, earned by s, when any of the
// reliable subscribers' statistics counts a duplicate it recognised.
func Duplicates(s Starter, stats ...exercises.Stats) []Fact {
	for _, st := range stats {
		if st.DuplicatesDetected > 0 {
			return Earned(s, DuplicateDetected)
		}
	}
	return nil
}

// Connack returns the facts a CONNACK earns in the playground, for a
// connection opened by s: SessionResumed when the broker said it kept the
// session (session present).
func Connack(s Starter, sessionPresent bool) []Fact {
	if !sessionPresent {
		return nil
	}
	return Earned(s, SessionResumed)
}

// Delivered returns the facts messages delivered to the playground earn,
// on a connection opened by s whose CONNACK said sessionPresent, with
// subscriptions made on this connection: with none made and the session
// kept, the messages can only come from the session the broker kept while
// the client was away (OfflineDelivered).
func Delivered(s Starter, sessionPresent bool, subscriptions int) []Fact {
	if !sessionPresent || subscriptions > 0 {
		return nil
	}
	return Earned(s, OfflineDelivered)
}
