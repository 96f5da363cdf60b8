package exercises

import (
	"slices"
	"sync"
)

// Ledger counts, per QoS level, what was sent and what arrived, judged by
// message id: the message_id field of the tutorial's JSON payload, which is
// the publisher's message counter (PublishRecord.MessageID).
//
// A delivery is attributed to the QoS level its message was sent at, looked
// up by message id, never to the QoS of the delivery (a subscription may
// downgrade it). The calls may come in any order: a delivery may be recorded
// before the publisher's Sent call for the same id, because the broker can
// deliver a message before Publish returns. The attribution is made when
// Rows or Unknown is called, so a delivery whose id is sent later is still
// counted at the right QoS. LedgerRow defines each count.
//
// A Ledger is safe for concurrent use: the publisher's goroutines and the
// subscriber's may record into it while the user interface reads it.
type Ledger struct {
	// mu guards sent, delivered and processed.
	mu        sync.Mutex
	sent      map[int64]byte             // message id → QoS it was sent at (the first Sent call)
	delivered map[int64]*ledgerDelivered // message id → what the subscriber saw
	processed map[int64]int              // message id → Processed calls
	wire      map[int64]*ledgerDelivered // message id → PUBLISH packets on the subscriber's connection
}

// ledgerDelivered is the deliveries of one message id.
type ledgerDelivered struct {
	count      int // deliveries
	dupFlagged int // deliveries that carried DUP=1
}

// LedgerRow is the ledger of one QoS level. All counts are about the
// messages sent at that QoS:
//
//   - Sent: distinct message ids sent.
//   - Received: distinct message ids delivered at least once.
//   - Lost: Sent − Received, the messages that never arrived.
//   - DuplicatesSeen: deliveries beyond the first per message id, that is,
//     the copies the subscriber saw (a QoS 1 redelivery, a resend with
//     DUP=1, or a second publish of the same id).
//   - DuplicatesProcessed: Processed calls beyond the first per message id.
//     It stays 0 while the reliable subscriber's duplicate detection works,
//     whatever DuplicatesSeen says: a non-zero value is a message the
//     application acted on twice.
//   - DupFlagged: deliveries that carried the DUP flag. The flag marks a
//     resend by the sender of that hop; it is neither necessary nor
//     sufficient for a duplicate, so it is counted apart.
//   - WireCopies: PUBLISH packets of the message on the subscriber's
//     connection beyond the first per message id (Wire calls): the
//     protocol's retries, which the client may answer without handing
//     them to the application. DuplicatesSeen counts the copies that did
//     reach the application. 0 when Wire is never called.
//   - WireDupFlagged: PUBLISH packets on the subscriber's connection that
//     carried DUP=1.
type LedgerRow struct {
	QoS                 byte
	Sent                int
	Received            int
	Lost                int
	DuplicatesSeen      int
	DuplicatesProcessed int
	DupFlagged          int
	WireCopies          int
	WireDupFlagged      int
}

// NewLedger returns an empty ledger, for one run.
func NewLedger() *Ledger {
	return &Ledger{
		sent:      make(map[int64]byte),
		delivered: make(map[int64]*ledgerDelivered),
		processed: make(map[int64]int),
		wire:      make(map[int64]*ledgerDelivered),
	}
}

// Wire records one PUBLISH of the message messageID read on the
// subscriber's connection, whether or not the client then hands it to the
// application; dup is its DUP flag.
func (l *Ledger) Wire(messageID int64, dup bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.wire[messageID]
	if d == nil {
		d = &ledgerDelivered{}
		l.wire[messageID] = d
	}
	d.count++
	if dup {
		d.dupFlagged++
	}
}

// Sent records that the publisher sent the message messageID at qos. An id
// counts once: sending it again (at any QoS) is ignored, and the message
// stays at the QoS of its first Sent call.
func (l *Ledger) Sent(qos byte, messageID int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.sent[messageID]; !ok {
		l.sent[messageID] = qos
	}
}

// Delivered records one delivery of the message messageID seen by the
// subscriber; dup is the DUP flag of the delivery. The delivery counts at
// the QoS the message was sent at; if no message with this id is ever
// sent, it counts in Unknown instead.
func (l *Ledger) Delivered(messageID int64, dup bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.delivered[messageID]
	if d == nil {
		d = &ledgerDelivered{}
		l.delivered[messageID] = d
	}
	d.count++
	if dup {
		d.dupFlagged++
	}
}

// Processed records that the application processed the message messageID:
// the reliable subscriber's successful processing (EventProcessed). A
// second call for the same id is a duplicate processed, which the reliable
// subscriber exists to prevent. Calls for an id never sent appear in no
// row.
func (l *Ledger) Processed(messageID int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.processed[messageID]++
}

// Rows returns one row per QoS level that has sent messages, ordered by QoS.
// It returns nil when nothing was sent.
func (l *Ledger) Rows() []LedgerRow {
	l.mu.Lock()
	defer l.mu.Unlock()
	rows := make(map[byte]*LedgerRow)
	for id, qos := range l.sent {
		row := rows[qos]
		if row == nil {
			row = &LedgerRow{QoS: qos}
			rows[qos] = row
		}
		row.Sent++
		if d := l.delivered[id]; d != nil {
			row.Received++
			row.DuplicatesSeen += d.count - 1
			row.DupFlagged += d.dupFlagged
		}
		if n := l.processed[id]; n > 1 {
			row.DuplicatesProcessed += n - 1
		}
		if w := l.wire[id]; w != nil {
			row.WireCopies += w.count - 1
			row.WireDupFlagged += w.dupFlagged
		}
	}
	var out []LedgerRow
	for _, row := range rows {
		row.Lost = row.Sent - row.Received
		out = append(out, *row)
	}
	slices.SortFunc(out, func(a, b LedgerRow) int { return int(a.QoS) - int(b.QoS) })
	return out
}

// Unknown returns the number of deliveries (every copy counts) of message
// ids that were never sent: messages from another publisher, an earlier run,
// or a retained message on the topic.
func (l *Ledger) Unknown() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for id, d := range l.delivered {
		if _, ok := l.sent[id]; !ok {
			n += d.count
		}
	}
	return n
}

// Event records a reliable subscriber's event: a delivery (new or
// duplicate) or a processing, by the message_id of the tutorial's payload.
// Events of other payloads are ignored.
func (l *Ledger) Event(ev SubscriberEvent) {
	id, ok := MessageIDOf([]byte(ev.Record.Payload))
	if !ok {
		return
	}
	switch ev.Kind {
	case EventReceived, EventDuplicate:
		l.Delivered(id, ev.Record.Dup)
	case EventProcessed:
		l.Processed(id)
	}
}
