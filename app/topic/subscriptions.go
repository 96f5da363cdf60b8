package topic

// Subscription is a filter a client subscribed to: the QoS it asked for and
// the QoS the broker granted in its SUBACK.
type Subscription struct {
	Filter    string
	Requested byte
	Granted   byte
}

// Granted returns the QoS granted to the subscriptions whose filter matches
// name: the highest one when several overlap (the broker delivers one copy
// at the highest granted QoS, [MQTT-3.3.5-1]), -1 when none matches (the
// message came from a session the broker kept, or the subscription is gone).
func Granted(subs []Subscription, name string) int {
	granted := -1
	for _, s := range subs {
		if Matches(s.Filter, name) && int(s.Granted) > granted {
			granted = int(s.Granted)
		}
	}
	return granted
}

// Replace returns subs with s in place of any subscription to the same
// filter, added last: a new SUBSCRIBE to a filter replaces the old one
// ([MQTT-3.8.4-3]). subs is not modified.
func Replace(subs []Subscription, s Subscription) []Subscription {
	return append(Without(subs, s.Filter), s)
}

// Without returns subs without the subscription to filter. subs is not
// modified.
func Without(subs []Subscription, filter string) []Subscription {
	out := subs[:0:0]
	for _, s := range subs {
		if s.Filter != filter {
			out = append(out, s)
		}
	}
	return out
}
