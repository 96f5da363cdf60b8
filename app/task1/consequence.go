package task1

// Consequence is one thing a stream's QoS choice meant in a run: what
// happened (messages lost, duplicates seen), what could have happened
// (the verdict), or what it cost. The page says each in the learner's
// language.
type Consequence struct {
	Kind ConsequenceKind
	// N is the messages lost (ConseqLostOK, ConseqLostBad) or the
	// duplicates seen (ConseqQoS2Dups, ConseqDupOK, ConseqDupBad); 0 for
	// the other kinds.
	N int
}

// ConsequenceKind names a Consequence.
type ConsequenceKind string

// The kinds of Consequence.
const (
	ConseqLostOK    ConsequenceKind = "lost-ok"    // messages lost, which the stream can afford
	ConseqLostBad   ConsequenceKind = "lost-bad"   // messages lost that mattered
	ConseqCanLose   ConsequenceKind = "can-lose"   // none lost this time, but QoS 0 can lose what matters
	ConseqQoS2Dups  ConsequenceKind = "qos2-dups"  // duplicates seen at QoS 2 (paho's receive side)
	ConseqDupOK     ConsequenceKind = "dup-ok"     // duplicates seen, which the stream can afford
	ConseqDupBad    ConsequenceKind = "dup-bad"    // duplicates seen that mattered
	ConseqCanDouble ConsequenceKind = "can-double" // none doubled this time, but QoS 1 can double what matters
	ConseqCostly    ConsequenceKind = "costly"     // more packets than the stream needs
	ConseqFits      ConsequenceKind = "fits"       // nothing to say: the choice fits
)

// Consequences says what r's choice meant in its run, in the order the
// page tells them: losses, then duplicates, then cost; ConseqFits alone
// when there is nothing else to say.
func Consequences(r StreamResult) []Consequence {
	row := r.Blips.Ledger
	var out []Consequence
	add := func(k ConsequenceKind, n int) { out = append(out, Consequence{Kind: k, N: n}) }
	switch {
	case row.Lost > 0 && r.Stream.LossOK:
		add(ConseqLostOK, row.Lost)
	case row.Lost > 0:
		add(ConseqLostBad, row.Lost)
	case r.Verdict == VerdictCanLose:
		add(ConseqCanLose, 0)
	}
	switch {
	case row.DuplicatesSeen > 0 && r.QoS == 2:
		add(ConseqQoS2Dups, row.DuplicatesSeen)
	case row.DuplicatesSeen > 0 && r.Stream.DupOK:
		add(ConseqDupOK, row.DuplicatesSeen)
	case row.DuplicatesSeen > 0:
		add(ConseqDupBad, row.DuplicatesSeen)
	case r.Verdict == VerdictCanDouble:
		add(ConseqCanDouble, 0)
	}
	if r.Verdict == VerdictCostly {
		add(ConseqCostly, 0)
	}
	if len(out) == 0 {
		add(ConseqFits, 0)
	}
	return out
}
