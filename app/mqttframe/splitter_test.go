package mqttframe_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"testing"

	. "qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
)

// splitPackets are packets of the catalogue and larger ones built with
// paho's encoder (one-, two- and three-byte remaining lengths, and
// header-only packets).
func splitPackets(t *testing.T) [][]byte {
	t.Helper()
	pub := func(qos byte, id uint16, n int) []byte {
		return mqtttest.Publish(qos, id, "sensors/x", bytes.Repeat([]byte{byte(n)}, n))
	}
	return [][]byte{
		mqtttest.Connect311.Bytes(),
		mqtttest.Pingreq.Bytes(),
		pub(0, 0, 0),
		pub(1, 1, 200),
		mqtttest.Puback.Bytes(),
		mqtttest.Pingresp.Bytes(),
		pub(2, 2, 20_000),
		mqtttest.Subscribe.Bytes(),
		pub(1, 3, 70_000), // larger than the 64 KiB kept between packets
		mqtttest.Disconnect.Bytes(),
	}
}

// chunker cuts a stream into pieces.
type chunker struct {
	scenario string
	cut      func(stream []byte, rng *rand.Rand) [][]byte
}

var chunkers = []chunker{
	{"whole stream in one piece", func(s []byte, _ *rand.Rand) [][]byte { return [][]byte{s} }},
	{"one byte at a time", func(s []byte, _ *rand.Rand) [][]byte { return fixedChunks(s, 1) }},
	{"two bytes at a time", func(s []byte, _ *rand.Rand) [][]byte { return fixedChunks(s, 2) }},
	{"seven bytes at a time", func(s []byte, _ *rand.Rand) [][]byte { return fixedChunks(s, 7) }},
	{"4 KiB pieces", func(s []byte, _ *rand.Rand) [][]byte { return fixedChunks(s, 4096) }},
	{"random sizes up to 10", func(s []byte, rng *rand.Rand) [][]byte { return randomChunks(s, rng, 10) }},
	{"random sizes up to 5000", func(s []byte, rng *rand.Rand) [][]byte { return randomChunks(s, rng, 5000) }},
	{"empty pieces in between", func(s []byte, rng *rand.Rand) [][]byte {
		var out [][]byte
		for _, c := range randomChunks(s, rng, 300) {
			out = append(out, nil, c, []byte{})
		}
		return out
	}},
}

func fixedChunks(s []byte, n int) [][]byte {
	var out [][]byte
	for len(s) > 0 {
		k := min(n, len(s))
		out = append(out, s[:k])
		s = s[k:]
	}
	return out
}

func randomChunks(s []byte, rng *rand.Rand, max int) [][]byte {
	var out [][]byte
	for len(s) > 0 {
		k := min(1+rng.Intn(max), len(s))
		out = append(out, s[:k])
		s = s[k:]
	}
	return out
}

// pushAll pushes the pieces and collects copies of the packets emitted, up
// to the first error.
func pushAll(s *Splitter, pieces [][]byte) (hs []Header, pkts [][]byte, err error) {
	for _, piece := range pieces {
		err = s.Push(piece, func(h Header, pkt []byte) {
			hs = append(hs, h)
			pkts = append(pkts, bytes.Clone(pkt))
		})
		if err != nil {
			return hs, pkts, err
		}
	}
	return hs, pkts, nil
}

func TestSplitterChunks(t *testing.T) {
	want := splitPackets(t)
	stream := bytes.Join(want, nil)
	for _, c := range chunkers {
		t.Run(c.scenario, func(t *testing.T) {
			s := NewSplitter(0)
			hs, got, err := pushAll(s, c.cut(stream, rand.New(rand.NewSource(1))))
			if err != nil {
				t.Fatalf("Push: got error %v, want none", err)
			}
			if len(got) != len(want) {
				t.Fatalf("got %d packets, want %d", len(got), len(want))
			}
			for i := range want {
				if !bytes.Equal(got[i], want[i]) {
					t.Errorf("packet %d: got % x…, want % x…", i, got[i][:min(len(got[i]), 16)], want[i][:min(len(want[i]), 16)])
				}
				wh, _, _ := ParseHeader(want[i])
				if hs[i] != wh || hs[i].Size != len(want[i]) {
					t.Errorf("packet %d: header %+v, want %+v of size %d", i, hs[i], wh, len(want[i]))
				}
			}
			if s.Buffered() != 0 || s.Err() != nil {
				t.Errorf("after the stream: Buffered %d, Err %v; want 0, nil", s.Buffered(), s.Err())
			}
		})
	}
}

// TestSplitterEmitsOnLastByte checks that a packet is handed out with the
// piece that completes it, not with the next one.
func TestSplitterEmitsOnLastByte(t *testing.T) {
	for _, pkt := range splitPackets(t) {
		s := NewSplitter(0)
		emitted := 0
		for i, b := range pkt {
			if err := s.Push([]byte{b}, func(Header, []byte) { emitted++ }); err != nil {
				t.Fatalf("%x: Push byte %d: %v", pkt[0], i, err)
			}
			want := 0
			if i == len(pkt)-1 {
				want = 1
			}
			if emitted != want {
				t.Fatalf("%x: after byte %d of %d, %d packets emitted, want %d", pkt[0], i+1, len(pkt), emitted, want)
			}
			if wantBuf := (i + 1) % len(pkt); s.Buffered() != wantBuf {
				t.Fatalf("%x: after byte %d, Buffered %d, want %d", pkt[0], i+1, s.Buffered(), wantBuf)
			}
		}
	}
}

func TestSplitterMalformed(t *testing.T) {
	good := splitPackets(t)[:3]
	prefix := bytes.Join(good, nil)
	tests := []struct {
		scenario string
		max      int
		bad      []byte // follows the good packets
		want     error
		// Whole bad packet or 5 bytes of its header: what Rejected holds
		// at least when the piece ends with it.
		rejected []byte
	}{
		{"reserved type 0", 0, mqtttest.ReservedType0.Bytes(), ErrMalformed, []byte{0x00}},
		{"reserved type 15", 0, mqtttest.ReservedType15.Bytes(), ErrMalformed, []byte{0xF0}},
		{"PUBACK with flags", 0, mqtttest.Puback.With(0, 0x42), ErrMalformed, []byte{0x42}},
		{"PUBREL without its flags", 0, mqtttest.PubrelFlags0.Bytes(), ErrMalformed, []byte{0x60}},
		{"SUBSCRIBE without its flags", 0, mqtttest.SubscribeFlags0.Bytes(), ErrMalformed, []byte{0x80}},
		{"PUBLISH QoS 3", 0, mqtttest.PublishQoS3.Bytes(), ErrMalformed, []byte{0x36}},
		{"PINGREQ with flags", 0, mqtttest.PingreqFlags.Bytes(), ErrMalformed, []byte{0xC1}},
		{"five-byte remaining length", 0, mqtttest.BadRemainingLength.Bytes(), ErrMalformed, []byte{0x30, 0x80, 0x80, 0x80, 0x80}},
		{"packet over the limit", 100, mqtttest.PublishRemaining(99), ErrTooLarge, []byte{0x30, 99}},
		{"largest length over a 256 KiB limit", 256<<10 + 5, []byte{0x30, 0xFF, 0xFF, 0xFF, 0x7F}, ErrTooLarge, []byte{0x30, 0xFF, 0xFF, 0xFF, 0x7F}},
	}
	for _, tc := range tests {
		for _, c := range chunkers {
			t.Run(tc.scenario+"/"+c.scenario, func(t *testing.T) {
				stream := append(bytes.Clone(prefix), tc.bad...)
				stream = append(stream, prefix...) // never reached
				s := NewSplitter(tc.max)
				_, got, err := pushAll(s, c.cut(stream, rand.New(rand.NewSource(2))))
				if !errors.Is(err, tc.want) {
					t.Fatalf("Push: got error %v, want %v", err, tc.want)
				}
				if len(got) != len(good) {
					t.Errorf("got %d packets before the error, want %d", len(got), len(good))
				}
				rej := s.Rejected()
				if !bytes.HasPrefix(rej, tc.rejected) && !bytes.HasPrefix(tc.rejected, rej) {
					t.Errorf("Rejected: got % x, want it to start like % x", rej, tc.rejected)
				}
				if len(rej) == 0 || rej[0] != tc.bad[0] {
					t.Errorf("Rejected: got % x, want the bad packet's first byte %#02x first", rej, tc.bad[0])
				}
				limit := tc.max
				if limit == 0 {
					limit = MaxRemainingLength + 5
				}
				if len(rej) > limit {
					t.Errorf("Rejected holds %d bytes, more than the limit %d", len(rej), limit)
				}
				// Sticky: the next piece is refused with the same error,
				// and nothing is emitted.
				err2 := s.Push(prefix, func(Header, []byte) { t.Error("emitted a packet after an error") })
				if err2 != err || s.Err() != err {
					t.Errorf("after the error: Push gives %v, Err %v; want %v", err2, s.Err(), err)
				}
			})
		}
	}
}

// TestSplitterRejectedWhole checks the bytes Rejected holds when the bad
// packet arrives in one piece: all of them, up to the limit.
func TestSplitterRejectedWhole(t *testing.T) {
	s := NewSplitter(10)
	bad := []byte{0x30, 20, 0, 1, 't', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}
	if err := s.Push(bad, func(Header, []byte) {}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Push: got %v, want ErrTooLarge", err)
	}
	if got, want := s.Rejected(), bad[:10]; !bytes.Equal(got, want) {
		t.Errorf("Rejected: got % x, want % x (the limit)", got, want)
	}
	s = NewSplitter(0)
	bad = []byte{0xF0, 1, 2, 3}
	if err := s.Push(bad, func(Header, []byte) {}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("Push: got %v, want ErrMalformed", err)
	}
	if got := s.Rejected(); !bytes.Equal(got, bad) {
		t.Errorf("Rejected: got % x, want % x", got, bad)
	}
}

func TestSplitterTruncatedStream(t *testing.T) {
	pkts := splitPackets(t)
	for i, cut := range []int{1, 2, 5, 300} {
		last := pkts[6] // 20 kB PUBLISH
		stream := append(bytes.Join(pkts[:6], nil), last[:cut]...)
		s := NewSplitter(0)
		_, got, err := pushAll(s, randomChunks(stream, rand.New(rand.NewSource(int64(i))), 100))
		if err != nil {
			t.Fatalf("cut %d: Push: %v", cut, err)
		}
		if len(got) != 6 || s.Buffered() != cut || !bytes.Equal(s.Pending(), last[:cut]) {
			t.Errorf("cut %d: got %d packets, Buffered %d, Pending % x…; want 6, %d, % x…",
				cut, len(got), s.Buffered(), s.Pending()[:min(8, s.Buffered())], cut, last[:min(8, cut)])
		}
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		scenario string
		b        []byte
		want     Header
		ok       bool
		err      error
	}{
		{"nothing", nil, Header{}, false, nil},
		{"first byte only", []byte{0x30}, Header{}, false, nil},
		{"PINGREQ", []byte{0xC0, 0x00}, Header{Type: PINGREQ, Size: 2}, true, nil},
		{"body not needed", []byte{0x32, 0x05}, Header{Type: PUBLISH, Flags: 2, Remaining: 5, Size: 7}, true, nil},
		{"largest 1-byte length", []byte{0x30, 0x7F}, Header{Type: PUBLISH, Remaining: 127, Size: 129}, true, nil},
		{"length cut after one byte", []byte{0x30, 0x80}, Header{}, false, nil},
		{"smallest 2-byte length", []byte{0x30, 0x80, 0x01}, Header{Type: PUBLISH, Remaining: 128, Size: 131}, true, nil},
		{"largest 3-byte length", []byte{0x30, 0xFF, 0xFF, 0x7F}, Header{Type: PUBLISH, Remaining: 2097151, Size: 2097155}, true, nil},
		{"largest 4-byte length", []byte{0x30, 0xFF, 0xFF, 0xFF, 0x7F}, Header{Type: PUBLISH, Remaining: MaxRemainingLength, Size: MaxRemainingLength + 5}, true, nil},
		{"length cut after four bytes is already malformed", []byte{0x30, 0xFF, 0xFF, 0xFF, 0xFF}, Header{}, false, ErrMalformed},
		{"reserved type 0", []byte{0x00}, Header{}, false, ErrMalformed},
		{"reserved type 15", []byte{0xF0, 0x00}, Header{}, false, ErrMalformed},
		{"bad flags", []byte{0x11, 0x00}, Header{}, false, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			h, ok, err := ParseHeader(tc.b)
			if h != tc.want || ok != tc.ok || !errors.Is(err, tc.err) {
				t.Errorf("ParseHeader(% x) = %+v, %t, %v; want %+v, %t, %v", tc.b, h, ok, err, tc.want, tc.ok, tc.err)
			}
		})
	}
}

// TestSplitterAgreesWithReader feeds the same random streams, mostly made
// of plausible headers, to a Reader and a Splitter: they must find the same
// packets and the same kind of error.
func TestSplitterAgreesWithReader(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	firstBytes := []byte{0x10, 0x20, 0x30, 0x32, 0x3D, 0x36, 0x40, 0x62, 0x82, 0xA2, 0xC0, 0xE0, 0x00, 0xF0, 0x41}
	for i := 0; i < 3000; i++ {
		var stream []byte
		for n := rng.Intn(8); n > 0; n-- {
			stream = append(stream, firstBytes[rng.Intn(len(firstBytes))])
			rl := rng.Intn(300)
			if rng.Intn(20) == 0 {
				stream = append(stream, 0x80, 0x80, 0x80, 0x80) // too long a length
			}
			stream = AppendRemainingLength(stream, rl)
			body := make([]byte, rng.Intn(300))
			rng.Read(body)
			stream = append(stream, body...)
		}
		max := 50 + rng.Intn(300)
		r := NewReader(bytes.NewReader(stream), max, 16)
		var want [][]byte
		var wantErr error
		for {
			_, pkt, err := r.Next()
			if err != nil {
				wantErr = err
				break
			}
			want = append(want, bytes.Clone(pkt))
		}
		s := NewSplitter(max)
		_, got, err := pushAll(s, randomChunks(stream, rng, 40))
		switch {
		case len(got) != len(want):
			t.Fatalf("stream %d: Splitter found %d packets, Reader %d", i, len(got), len(want))
		case !bytes.Equal(bytes.Join(got, nil), bytes.Join(want, nil)):
			t.Fatalf("stream %d: Splitter and Reader packets differ", i)
		case wantErr == io.EOF && (err != nil || s.Buffered() != 0):
			t.Fatalf("stream %d: Reader ended cleanly, Splitter error %v, Buffered %d", i, err, s.Buffered())
		case wantErr == io.ErrUnexpectedEOF && (err != nil || s.Buffered() == 0):
			t.Fatalf("stream %d: Reader ended inside a packet, Splitter error %v, Buffered %d", i, err, s.Buffered())
		case errors.Is(wantErr, ErrMalformed) && !errors.Is(err, ErrMalformed),
			errors.Is(wantErr, ErrTooLarge) && !errors.Is(err, ErrTooLarge):
			t.Fatalf("stream %d: Reader error %v, Splitter error %v", i, wantErr, err)
		}
	}
}

// TestSplitterAllocations checks that whole packets within a piece are not
// copied, and that the pieces of a large packet after the first cost no
// allocation.
func TestSplitterAllocations(t *testing.T) {
	pkts := splitPackets(t)
	stream := bytes.Join(pkts[:8], nil) // up to the 20 kB PUBLISH and SUBSCRIBE
	s := NewSplitter(0)
	emit := func(Header, []byte) {}
	if got := testing.AllocsPerRun(100, func() {
		if err := s.Push(stream, emit); err != nil {
			t.Fatal(err)
		}
	}); got != 0 {
		t.Errorf("Push of whole packets: %v allocations per run, want 0", got)
	}
	big := pkts[6]
	pieces := fixedChunks(big, 1000)
	s = NewSplitter(0)
	if err := s.Push(pieces[0], emit); err != nil {
		t.Fatal(err)
	}
	if err := s.Push(pieces[1], emit); err != nil { // allocates the packet's buffer
		t.Fatal(err)
	}
	i := 2
	got := testing.AllocsPerRun(len(pieces)-4, func() {
		if err := s.Push(pieces[i], emit); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if got != 0 {
		t.Errorf("Push of the middle of a packet: %v allocations per piece, want 0", got)
	}
}

// TestSplitterHostileLength checks that a header announcing the largest
// length the encoding allows, within the default limit, does not make the
// Splitter reserve the memory it announces.
func TestSplitterHostileLength(t *testing.T) {
	s := NewSplitter(0)
	emit := func(Header, []byte) { t.Error("emitted a packet that never ended") }
	for _, piece := range [][]byte{{0x30, 0xFF}, {0xFF, 0xFF, 0x7F}, {0x00, 0x01}, []byte("t and a few bytes")} {
		if err := s.Push(piece, emit); err != nil {
			t.Fatalf("Push: %v", err)
		}
	}
	if got := cap(s.Pending()); got > 64<<10 {
		t.Errorf("buffer capacity %d after 24 bytes of a packet announcing 256 MB, want at most 64 KiB", got)
	}
}
