package wiretap

import (
	"sync"
	"testing"
)

func TestLogBounds(t *testing.T) {
	for _, tc := range []struct {
		scenario  string
		n, size   int // packets added, bytes each
		wantFirst int // the Seq of the oldest packet Newest returns
		wantLen   int
	}{
		{"a few", 3, 10, 1, 3},
		{"exactly the most", MaxLogPackets, 10, 1, MaxLogPackets},
		{"more than the most: the newest shown", MaxLogPackets + 5, 10, 6, MaxLogPackets},
		{"twice the most, then one", 2*MaxLogPackets + 1, 10, MaxLogPackets + 2, MaxLogPackets},
		// 256 KiB PUBLISHes: over MaxLogBytes (the 65th, the 98th) the log
		// goes down to half (32 packets), then grows again.
		{"large packets", 100, 256 << 10, 67, 34},
		{"one packet larger than the limit is still kept", 1, MaxLogBytes + 1, 1, 1},
	} {
		var l Log
		raw := make([]byte, tc.size)
		for i := 1; i <= tc.n; i++ {
			l.Add(Packet{Seq: i, Raw: raw})
		}
		got := l.Newest()
		if len(got) != tc.wantLen || got[0].Seq != tc.n || got[len(got)-1].Seq != tc.wantFirst {
			t.Errorf("%s: %d packets, newest %d, oldest %d; want %d, %d, %d", tc.scenario, len(got), got[0].Seq, got[len(got)-1].Seq, tc.wantLen, tc.n, tc.wantFirst)
		}
		l.mu.Lock()
		if l.bytes > MaxLogBytes && len(l.packets) > 1 {
			t.Errorf("%s: %d bytes kept", tc.scenario, l.bytes)
		}
		l.mu.Unlock()
	}
}

func TestLogSentQoS(t *testing.T) {
	var l Log
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Add(Packet{Type: "PINGREQ"})
		}()
	}
	wg.Wait()
	l.Add(Packet{Type: "PUBLISH", Dir: Sent, Topic: "a/b", QoS: 2, Payload: []byte("x")})
	if q, ok := l.SentQoS("a/b", []byte("x")); !ok || q != 2 {
		t.Errorf("SentQoS = %d, %v; want 2", q, ok)
	}
	if _, ok := l.SentQoS("a/b", []byte("y")); ok {
		t.Error("SentQoS found a payload never sent")
	}
}
