package wiretap

import "sync"

// A Log keeps at most MaxLogPackets packets and MaxLogBytes of their bytes
// (a PUBLISH may be 256 KiB): enough for a sequence diagram to show the
// shape of a few seconds of a fast stream.
const (
	MaxLogPackets = 2000
	MaxLogBytes   = 16 << 20
)

// Log keeps a tap's newest packets for a page. Adding is cheap (an append;
// the oldest are dropped in chunks, once the log holds twice MaxLogPackets
// or more than MaxLogBytes), since a tap calls it on the connection's
// goroutines for every packet. The zero Log is empty and ready; it is safe
// for concurrent use.
type Log struct {
	mu      sync.Mutex // guards packets and bytes
	packets []Packet   // oldest first
	bytes   int        // of packets' Raw
}

// Add keeps pk.
func (l *Log) Add(pk Packet) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.packets = append(l.packets, pk)
	l.bytes += len(pk.Raw)
	if len(l.packets) <= 2*MaxLogPackets && l.bytes <= MaxLogBytes {
		return
	}
	// Down to MaxLogPackets and half the bytes, keeping the newest packet.
	drop := 0
	for drop < len(l.packets)-1 && (len(l.packets)-drop > MaxLogPackets || l.bytes > MaxLogBytes/2) {
		l.bytes -= len(l.packets[drop].Raw)
		drop++
	}
	l.packets = append(l.packets[:0:0], l.packets[drop:]...)
}

// SentQoS is SentQoS over the log's packets, without copying them.
func (l *Log) SentQoS(topicName string, payload []byte) (byte, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return SentQoS(l.packets, topicName, payload)
}

// Newest returns the newest MaxLogPackets packets at most, newest first.
func (l *Log) Newest() []Packet {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := min(len(l.packets), MaxLogPackets)
	out := make([]Packet, n)
	for i := range out {
		out[i] = l.packets[len(l.packets)-1-i]
	}
	return out
}
