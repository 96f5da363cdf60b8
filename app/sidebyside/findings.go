package sidebyside

// What MQTT 3.1.1 promises, and section 4.6 says about order:
//
//   - QoS 0 is at most once (4.3.1): a message may be lost, never resent.
//   - QoS 1 is at least once (4.3.2), QoS 2 exactly once (4.3.3).
//   - 4.6: a client and a server re-send unacknowledged PUBLISHes in the
//     order they were first sent [MQTT-4.6.0-1], and a server sends a
//     subscriber the PUBLISHes of one topic at one QoS in the order it
//     received them from any one client [MQTT-4.6.0-6] (every topic is an
//     "Ordered Topic" by default [MQTT-4.6.0-5]). Its non-normative comment:
//     at QoS 1 the final copy of each message arrives in the order
//     published, but a re-send of an earlier message may arrive after a
//     later one ("1,2,3,2,3,4"); with one message in flight at a time, no
//     QoS 1 message arrives after a later one.
//
// So for one publisher, one topic and one QoS, as each stream of a run
// is: a message's first arrival never comes after a later message's, at
// any QoS; at QoS 1 a copy may. Findings says, from a run's numbers,
// which of these held.

// Point is one statement a run's numbers make about a QoS stream.
type Point int

// The points, in the order a row's findings list them.
const (
	// LostAllowed: QoS 0 lost messages, as at most once allows.
	LostAllowed Point = iota + 1
	// NoneLostQoS0: QoS 0 lost nothing this time; nothing promised it.
	NoneLostQoS0
	// NoneLost: QoS 1 or 2 lost nothing, as promised.
	NoneLost
	// LostBroken: QoS 1 or 2 lost messages: the promise did not hold.
	LostBroken
	// OnceHeld: QoS 2 handed no copy to the application.
	OnceHeld
	// OnceBroken: QoS 2 handed copies to the application.
	OnceBroken
	// InOrder: every arrival came in the order sent.
	InOrder
	// CopiesLate: copies came after later messages, which 4.6 allows at
	// QoS 1 with more than one message in flight.
	CopiesLate
	// FirstInOrder: with copies late, each message's first arrival was
	// still in order, as 4.6 requires.
	FirstInOrder
	// FirstLate: messages arrived for the first time after a later one:
	// 4.6's order did not hold.
	FirstLate
)

// Finding is a point about one QoS stream, with the row it is about.
type Finding struct {
	QoS   byte
	Point Point
	Row   Row
}

// Findings lists, QoS by QoS, what the run's numbers show about the
// promises of each QoS and 4.6's order.
func (r Result) Findings() []Finding {
	var out []Finding
	for _, row := range r.Rows {
		add := func(p Point) { out = append(out, Finding{row.QoS, p, row}) }
		switch {
		case row.QoS == 0 && row.Lost > 0:
			add(LostAllowed)
		case row.QoS == 0:
			add(NoneLostQoS0)
		case row.Lost == 0:
			add(NoneLost)
		default:
			add(LostBroken)
		}
		if row.QoS == 2 {
			if row.AppCopies == 0 {
				add(OnceHeld)
			} else {
				add(OnceBroken)
			}
		}
		o := row.Order
		switch {
		case o.OutOfOrder == 0:
			add(InOrder)
		case o.LateFirst == 0:
			add(CopiesLate)
			add(FirstInOrder)
		default:
			if o.LateCopies() > 0 {
				add(CopiesLate)
			}
			add(FirstLate)
		}
	}
	return out
}
