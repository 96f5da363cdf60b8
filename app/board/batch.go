package board

import "sync"

// Message is one message of the teacher's connection.
type Message struct {
	Topic   string
	Payload []byte
}

// Batch gathers the messages that reach the teacher's connection together
// (a class that just ran the same experiment sends its reports in a
// burst), so that the board is redrawn once per burst rather than once per
// message. Add runs on the MQTT client's goroutine, Take on the page's;
// it is safe for that concurrent use.
type Batch struct {
	mu  sync.Mutex
	q   []Message
	due bool // a Take is scheduled
}

// Add queues m, and says whether it is the first of a burst: the caller
// then schedules one Take a moment later.
func (b *Batch) Add(m Message) (first bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.q = append(b.q, m)
	first = !b.due
	b.due = true
	return first
}

// Take returns the burst's messages in arrival order and starts a new
// burst.
func (b *Batch) Take() []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	q := b.q
	b.q, b.due = nil, false
	return q
}

// OfferState is the room's offer as the board knows it.
type OfferState struct {
	Offer Offer
	OK    bool // an offer is set (and is one of pages)
}

// ApplyAll applies a burst to the board in order: reports set or clear
// rows, and the last message on "offer" sets the offer (an empty or
// invalid one, or one leading off pages, clears it). It returns the offer
// as it stands after the burst, starting from cur.
func (b *Board) ApplyAll(msgs []Message, cur OfferState, pages []string) OfferState {
	for _, m := range msgs {
		if m.Topic == "offer" {
			cur = OfferState{}
			if o, err := DecodeOffer(m.Payload, pages); err == nil {
				cur = OfferState{Offer: o, OK: true}
			}
			continue
		}
		b.Apply(m.Topic, m.Payload)
	}
	return cur
}
