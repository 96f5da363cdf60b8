package mqttframe_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
)

// catalogue is the shared catalogue's valid packets.
var catalogue = mqtttest.Valid

// readAll reads packets until an error and returns copies of them.
func readAll(r *mqttframe.Reader) ([]mqttframe.Header, [][]byte, error) {
	var hs []mqttframe.Header
	var pkts [][]byte
	for {
		h, pkt, err := r.Next()
		if err != nil {
			return hs, pkts, err
		}
		hs = append(hs, h)
		pkts = append(pkts, bytes.Clone(pkt))
	}
}

// readerWrappers feed the same stream in different chunkings.
var readerWrappers = []struct {
	scenario string
	wrap     func(io.Reader) io.Reader
	bufSize  int
}{
	{"whole", func(r io.Reader) io.Reader { return r }, 0},
	{"one byte at a time", iotest.OneByteReader, 0},
	{"half reads", iotest.HalfReader, 0},
	{"EOF with last data", iotest.DataErrReader, 0},
	{"tiny buffer", func(r io.Reader) io.Reader { return r }, 16},
	{"tiny buffer, one byte at a time", iotest.OneByteReader, 16},
}

func TestReaderCatalogue(t *testing.T) {
	for _, tc := range catalogue {
		for _, w := range readerWrappers {
			t.Run(tc.Name+"/"+w.scenario, func(t *testing.T) {
				r := mqttframe.NewReader(w.wrap(bytes.NewReader(tc.Bytes())), 0, w.bufSize)
				h, pkt, err := r.Next()
				if err != nil {
					t.Fatalf("Next: got error %v, want the packet", err)
				}
				if !bytes.Equal(pkt, tc.Bytes()) {
					t.Errorf("packet:\n got % x\nwant % x", pkt, tc.Bytes())
				}
				want := mqttframe.Header{Type: tc.Type, Flags: tc.Flags, Remaining: tc.Remaining, Size: tc.Len()}
				if h != want {
					t.Errorf("header: got %+v, want %+v", h, want)
				}
				if _, _, err := r.Next(); err != io.EOF {
					t.Errorf("Next after the last packet: got %v, want io.EOF", err)
				}
			})
		}
	}
}

func TestReaderConcatenated(t *testing.T) {
	var stream []byte
	var want [][]byte
	// Twice round the catalogue, with large packets in between so that the
	// reader's buffer is grown, dropped and reused.
	for round := 0; round < 2; round++ {
		for i, tc := range catalogue {
			stream = append(stream, tc.Bytes()...)
			want = append(want, tc.Bytes())
			if i%5 == 0 {
				big := publishWithRemaining(70_000 + i)
				stream = append(stream, big...)
				want = append(want, big)
			}
		}
	}
	for _, w := range readerWrappers {
		t.Run(w.scenario, func(t *testing.T) {
			r := mqttframe.NewReader(w.wrap(bytes.NewReader(stream)), 0, w.bufSize)
			hs, got, err := readAll(r)
			if err != io.EOF {
				t.Errorf("end of stream: got %v, want io.EOF", err)
			}
			if len(got) != len(want) {
				t.Fatalf("got %d packets, want %d", len(got), len(want))
			}
			for i := range want {
				if !bytes.Equal(got[i], want[i]) {
					t.Errorf("packet %d (%s) differs:\n got % x\nwant % x", i, hs[i], head(got[i]), head(want[i]))
				}
				if hs[i].Size != len(want[i]) {
					t.Errorf("packet %d: header size %d, want %d", i, hs[i].Size, len(want[i]))
				}
			}
		})
	}
}

// head shortens a packet for an error message.
func head(b []byte) []byte {
	if len(b) > 24 {
		return b[:24]
	}
	return b
}

// publishWithRemaining builds a QoS 0 PUBLISH to topic "t" whose remaining
// length is exactly n (n >= 3).
var publishWithRemaining = mqtttest.PublishRemaining

func TestReaderRemainingLengthBoundaries(t *testing.T) {
	tests := []struct {
		scenario  string
		remaining int
		lenBytes  []byte
	}{
		{"largest 1-byte length", 127, []byte{0x7F}},
		{"smallest 2-byte length", 128, []byte{0x80, 0x01}},
		{"largest 2-byte length", 16383, []byte{0xFF, 0x7F}},
		{"smallest 3-byte length", 16384, []byte{0x80, 0x80, 0x01}},
		{"largest 3-byte length", 2097151, []byte{0xFF, 0xFF, 0x7F}},
		{"smallest 4-byte length", 2097152, []byte{0x80, 0x80, 0x80, 0x01}},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			pkt := publishWithRemaining(tc.remaining) // paho's encoder
			if got := pkt[1 : 1+len(tc.lenBytes)]; !bytes.Equal(got, tc.lenBytes) {
				t.Fatalf("paho: length bytes % x, want % x", got, tc.lenBytes)
			}
			if got := mqttframe.AppendRemainingLength(nil, tc.remaining); !bytes.Equal(got, tc.lenBytes) {
				t.Errorf("AppendRemainingLength(%d): % x, want % x", tc.remaining, got, tc.lenBytes)
			}

			size := 1 + len(tc.lenBytes) + tc.remaining
			for _, limit := range []struct {
				name    string
				max     int
				tooBig  bool
				wantErr error
			}{
				{"limit is exactly the size", size, false, nil},
				{"limit one byte short", size - 1, true, mqttframe.ErrTooLarge},
			} {
				r := mqttframe.NewReader(bytes.NewReader(pkt), limit.max, 0)
				h, got, err := r.Next()
				if !errors.Is(err, limit.wantErr) {
					t.Fatalf("%s: Next error %v, want %v", limit.name, err, limit.wantErr)
				}
				want := mqttframe.Header{Type: mqttframe.PUBLISH, Remaining: tc.remaining, Size: size}
				if h != want {
					t.Errorf("%s: header %+v, want %+v", limit.name, h, want)
				}
				if limit.tooBig {
					if got != nil {
						t.Errorf("%s: got %d bytes with ErrTooLarge, want none", limit.name, len(got))
					}
					continue
				}
				if !bytes.Equal(got, pkt) {
					t.Errorf("%s: packet differs (len %d, want %d)", limit.name, len(got), len(pkt))
				}
			}
		})
	}
}

// failAfter is a stream whose bytes after the prefix must never be read:
// reading past the prefix reports errBodyRead.
type failAfter struct {
	prefix []byte
	read   bool // a read past the prefix happened
}

var errBodyRead = errors.New("test: read past the fixed header")

func (f *failAfter) Read(p []byte) (int, error) {
	if len(f.prefix) == 0 {
		f.read = true
		return 0, errBodyRead
	}
	n := copy(p, f.prefix)
	f.prefix = f.prefix[n:]
	return n, nil
}

func TestReaderTooLargeReadsNoBody(t *testing.T) {
	tests := []struct {
		scenario string
		header   []byte
		max      int
		wantSize int
	}{
		{"PUBLISH of 200 bytes, limit 100", []byte{0x30, 0xC5, 0x01}, 100, 200},
		{"SUBSCRIBE of 16 KiB, limit 1 KiB", []byte{0x82, 0x80, 0x80, 0x01}, 1024, 16388},
		{"largest possible PUBLISH, default-sized limit 256 KiB", []byte{0x30, 0xFF, 0xFF, 0xFF, 0x7F}, 256 << 10, mqttframe.MaxRemainingLength + 5},
		{"CONNECT one byte over the limit", []byte{0x10, 0x7F}, 128, 129},
	}
	for _, tc := range tests {
		for _, oneByte := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/one byte at a time=%v", tc.scenario, oneByte), func(t *testing.T) {
				src := &failAfter{prefix: tc.header}
				var rd io.Reader = src
				if oneByte {
					rd = iotest.OneByteReader(src)
				}
				r := mqttframe.NewReader(rd, tc.max, 0)
				h, pkt, err := r.Next()
				if !errors.Is(err, mqttframe.ErrTooLarge) {
					t.Fatalf("Next: got error %v, want ErrTooLarge", err)
				}
				if src.read {
					t.Errorf("the reader read past the fixed header before refusing the packet")
				}
				if pkt != nil {
					t.Errorf("got %d packet bytes, want none", len(pkt))
				}
				if h.Size != tc.wantSize {
					t.Errorf("header size: got %d, want %d", h.Size, tc.wantSize)
				}
				if !strings.Contains(err.Error(), fmt.Sprint(tc.max)) {
					t.Errorf("error %q does not mention the limit %d", err, tc.max)
				}
			})
		}
	}
}

// TestReaderLargestLengthAccepted shows that the four-byte maximum is a valid
// header under the default limit: the reader goes on to read the body.
func TestReaderLargestLengthAccepted(t *testing.T) {
	src := &failAfter{prefix: []byte{0x30, 0xFF, 0xFF, 0xFF, 0x7F}}
	r := mqttframe.NewReader(src, 0, 0)
	h, _, err := r.Next()
	if !errors.Is(err, errBodyRead) {
		t.Fatalf("Next: got error %v, want the body read to be attempted (%v)", err, errBodyRead)
	}
	if h.Remaining != mqttframe.MaxRemainingLength {
		t.Errorf("remaining: got %d, want %d", h.Remaining, mqttframe.MaxRemainingLength)
	}
}

func TestReaderMalformed(t *testing.T) {
	tests := []struct {
		scenario string
		stream   []byte
		mention  string // the error message must contain this
	}{
		{"reserved type 0", []byte{0x00, 0x00}, "reserved packet type 0"},
		{"reserved type 15", []byte{0xF0, 0x00}, "reserved packet type 15"},
		{"PUBREL with flags 0", []byte{0x60, 0x02, 0x00, 0x01}, "PUBREL"},
		{"SUBSCRIBE with flags 0", []byte{0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00}, "SUBSCRIBE"},
		{"UNSUBSCRIBE with flags 0", []byte{0xA0, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'}, "UNSUBSCRIBE"},
		{"CONNACK with flags", []byte{0x21, 0x02, 0x00, 0x00}, "CONNACK"},
		{"CONNECT with flags", []byte{0x12, 0x00}, "CONNECT"},
		{"PINGREQ with flags", []byte{0xC1, 0x00}, "PINGREQ"},
		{"PUBLISH QoS 3", []byte{0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01}, "QoS 3"},
		{"PUBLISH QoS 3 with DUP and retain", []byte{0x3F, 0x05, 0x00, 0x01, 't', 0x00, 0x01}, "QoS 3"},
		{"5-byte remaining length", []byte{0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, "four bytes"},
		{"5-byte remaining length of zeros", []byte{0x30, 0x80, 0x80, 0x80, 0x80, 0x00}, "four bytes"},
		{"text, not MQTT", []byte("GET / HTTP/1.1\r\n"), "PUBACK"},
	}
	for _, tc := range tests {
		for _, oneByte := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/one byte at a time=%v", tc.scenario, oneByte), func(t *testing.T) {
				var rd io.Reader = bytes.NewReader(tc.stream)
				if oneByte {
					rd = iotest.OneByteReader(rd)
				}
				r := mqttframe.NewReader(rd, 0, 0)
				_, pkt, err := r.Next()
				if !errors.Is(err, mqttframe.ErrMalformed) {
					t.Fatalf("Next: got error %v, want ErrMalformed", err)
				}
				if pkt != nil {
					t.Errorf("got a packet with ErrMalformed: % x", pkt)
				}
				if !strings.Contains(err.Error(), tc.mention) {
					t.Errorf("error %q does not mention %q", err, tc.mention)
				}
			})
		}
	}
	// A valid packet followed by a malformed one: the first still arrives.
	t.Run("valid then malformed", func(t *testing.T) {
		stream := append(bytes.Clone(mqtttest.ConnackSessionPresent.Bytes()), 0xF0, 0x00)
		r := mqttframe.NewReader(bytes.NewReader(stream), 0, 0)
		if _, pkt, err := r.Next(); err != nil || !bytes.Equal(pkt, mqtttest.ConnackSessionPresent.Bytes()) {
			t.Fatalf("first Next: got % x, %v; want % x, nil", pkt, err, mqtttest.ConnackSessionPresent.Bytes())
		}
		if _, _, err := r.Next(); !errors.Is(err, mqttframe.ErrMalformed) {
			t.Errorf("second Next: got %v, want ErrMalformed", err)
		}
	})
}

func TestReaderEOF(t *testing.T) {
	t.Run("empty stream", func(t *testing.T) {
		r := mqttframe.NewReader(bytes.NewReader(nil), 0, 0)
		if _, _, err := r.Next(); err != io.EOF {
			t.Errorf("got %v, want io.EOF", err)
		}
	})
	for _, tc := range catalogue {
		if tc.Len() > 200 {
			continue // "inside a large body" below
		}
		t.Run(tc.Name, func(t *testing.T) {
			// Every strict prefix ends inside the packet, after a whole
			// packet that precedes it.
			prev, wire := mqtttest.Disconnect.Bytes(), tc.Bytes()
			for n := 1; n < len(wire); n++ {
				for _, oneByte := range []bool{false, true} {
					stream := append(bytes.Clone(prev), wire[:n]...)
					var rd io.Reader = bytes.NewReader(stream)
					if oneByte {
						rd = iotest.OneByteReader(rd)
					}
					r := mqttframe.NewReader(rd, 0, 0)
					if _, pkt, err := r.Next(); err != nil || !bytes.Equal(pkt, prev) {
						t.Fatalf("prefix %d: first packet: got % x, %v", n, pkt, err)
					}
					if _, _, err := r.Next(); err != io.ErrUnexpectedEOF {
						t.Errorf("prefix of %d of %d bytes (one byte=%v): got %v, want io.ErrUnexpectedEOF", n, len(wire), oneByte, err)
					}
				}
			}
		})
	}
	t.Run("inside a large body", func(t *testing.T) {
		pkt := publishWithRemaining(100_000)
		r := mqttframe.NewReader(bytes.NewReader(pkt[:len(pkt)-1]), 0, 0)
		if _, _, err := r.Next(); err != io.ErrUnexpectedEOF {
			t.Errorf("got %v, want io.ErrUnexpectedEOF", err)
		}
	})
	t.Run("other read errors pass through", func(t *testing.T) {
		boom := errors.New("boom")
		for n := 0; n < 4; n++ {
			rd := io.MultiReader(bytes.NewReader(mqtttest.ConnackSessionPresent.Bytes()[:n]), iotest.ErrReader(boom))
			r := mqttframe.NewReader(rd, 0, 0)
			if _, _, err := r.Next(); !errors.Is(err, boom) {
				t.Errorf("error after %d bytes: got %v, want %v", n, err, boom)
			}
		}
	})
}

func TestReaderBuffered(t *testing.T) {
	stream := append(bytes.Clone(mqtttest.ConnackSessionPresent.Bytes()), mqtttest.Pingreq.Bytes()...)
	r := mqttframe.NewReader(bytes.NewReader(stream), 0, 0)
	if _, _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if got, want := r.Buffered(), len(mqtttest.Pingreq.Bytes()); got != want {
		t.Errorf("Buffered after the first packet: got %d, want %d", got, want)
	}
}

func TestHeaderString(t *testing.T) {
	tests := []struct {
		scenario string
		h        mqttframe.Header
		want     string
	}{
		{"publish", mqttframe.Header{Type: mqttframe.PUBLISH, Flags: 0x3, Remaining: 25, Size: 27}, "PUBLISH qos=1 (27 bytes)"},
		{"puback", mqttframe.Header{Type: mqttframe.PUBACK, Remaining: 2, Size: 4}, "PUBACK (4 bytes)"},
		{"reserved", mqttframe.Header{Type: 15, Size: 2}, "reserved(15) (2 bytes)"},
	}
	for _, tc := range tests {
		if got := tc.h.String(); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.scenario, got, tc.want)
		}
	}
	if got := mqttframe.TypeName(0); got != "reserved(0)" {
		t.Errorf("TypeName(0): got %q, want reserved(0)", got)
	}
}

// connect311 and connect31 are the catalogue's CONNECT packets.
var (
	connect311 = mqtttest.Connect311.Bytes()
	connect31  = mqtttest.Connect31.Bytes()
)

// withByte returns a copy of pkt with pkt[i] set to b.
func withByte(pkt []byte, i int, b byte) []byte {
	c := bytes.Clone(pkt)
	c[i] = b
	return c
}

// buildConnect builds a CONNECT with the given protocol name, level, flags
// and client id, and no will, username or password.
var buildConnect = mqtttest.Connect

func TestParseConnect(t *testing.T) {
	longID := strings.Repeat("x", 300) // a two-byte remaining length
	tests := []struct {
		scenario string
		pkt      []byte
		want     mqttframe.Connect
		wantErr  string // "" means valid
	}{
		{"3.1.1 with will, username and password", connect311,
			mqttframe.Connect{Protocol: "MQTT", Level: 4, CleanSession: true, KeepAlive: 60, ClientID: "cid"}, ""},
		{"3.1", connect31,
			mqttframe.Connect{Protocol: "MQIsdp", Level: 3, CleanSession: false, KeepAlive: 10, ClientID: "old"}, ""},
		{"3.1.1 empty client id", buildConnect("MQTT", 4, 0x02, ""),
			mqttframe.Connect{Protocol: "MQTT", Level: 4, CleanSession: true, KeepAlive: 30}, ""},
		{"3.1.1 long client id, 2-byte remaining length", buildConnect("MQTT", 4, 0x00, longID),
			mqttframe.Connect{Protocol: "MQTT", Level: 4, KeepAlive: 30, ClientID: longID}, ""},
		{"MQTT 5", buildConnect("MQTT", 5, 0x02, "c"), mqttframe.Connect{}, "level 5"},
		{"MQTT level 3", buildConnect("MQTT", 3, 0x02, "c"), mqttframe.Connect{}, "level 3"},
		{"MQIsdp level 4", buildConnect("MQIsdp", 4, 0x02, "c"), mqttframe.Connect{}, "MQIsdp"},
		{"wrong protocol name", buildConnect("MQTX", 4, 0x02, "c"), mqttframe.Connect{}, "MQTX"},
		{"lower-case protocol name", buildConnect("mqtt", 4, 0x02, "c"), mqttframe.Connect{}, "mqtt"},
		{"reserved flag set", withByte(connect311, 9, 0xEF), mqttframe.Connect{}, "reserved flag"},
		{"not a CONNECT", mqtttest.Pingreq.Bytes(), mqttframe.Connect{}, "must be CONNECT"},
		{"CONNECT type with flags", withByte(connect311, 0, 0x11), mqttframe.Connect{}, "must be CONNECT"},
		{"empty", nil, mqttframe.Connect{}, "must be CONNECT"},
		{"5-byte remaining length", []byte{0x10, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00, 0x04, 'M', 'Q', 'T', 'T', 4, 2, 0, 0, 0, 0}, mqttframe.Connect{}, "remaining length"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			got, err := mqttframe.ParseConnect(tc.pkt)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				if got != tc.want {
					t.Errorf("got %+v, want %+v", got, tc.want)
				}
				return
			}
			if !errors.Is(err, mqttframe.ErrMalformed) {
				t.Fatalf("got error %v (result %+v), want ErrMalformed", err, got)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not mention %q", err, tc.wantErr)
			}
		})
	}
}

// TestParseConnectTruncated cuts valid CONNECT packets at every length: no
// prefix may panic, and every prefix that ends before the end of the client
// identifier is refused.
func TestParseConnectTruncated(t *testing.T) {
	tests := []struct {
		scenario string
		pkt      []byte
		idEnd    int // index just past the client identifier
	}{
		{"3.1.1", connect311, 17},
		{"3.1", connect31, 19},
		{"long client id", buildConnect("MQTT", 4, 0x02, strings.Repeat("y", 200)), 3 + 10 + 2 + 200},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			for n := 0; n <= len(tc.pkt); n++ {
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Errorf("prefix of %d bytes: panic: %v", n, p)
						}
					}()
					_, err := mqttframe.ParseConnect(tc.pkt[:n:n])
					switch {
					case n < tc.idEnd && !errors.Is(err, mqttframe.ErrMalformed):
						t.Errorf("prefix of %d bytes (client id ends at %d): got error %v, want ErrMalformed", n, tc.idEnd, err)
					case n >= tc.idEnd && err != nil:
						t.Errorf("prefix of %d bytes holds the client id: got error %v, want none", n, err)
					}
				}()
			}
		})
	}
}

// checkPacket re-reads one packet on its own and checks that it parses to
// the same header and bytes, and that a CONNECT can be inspected.
func checkPacket(t *testing.T, h mqttframe.Header, pkt []byte) {
	t.Helper()
	if h.Size != len(pkt) || h.Size < 2 || h.Remaining > h.Size-2 {
		t.Fatalf("header %+v for %d bytes", h, len(pkt))
	}
	if pkt[0]>>4 != h.Type || pkt[0]&0x0f != h.Flags {
		t.Fatalf("header %+v does not match first byte %#02x", h, pkt[0])
	}
	r := mqttframe.NewReader(bytes.NewReader(pkt), 0, 0)
	h2, pkt2, err := r.Next()
	if err != nil {
		t.Fatalf("re-reading % x: %v", head(pkt), err)
	}
	if h2 != h || !bytes.Equal(pkt2, pkt) {
		t.Fatalf("re-reading: got %+v % x, want %+v % x", h2, head(pkt2), h, head(pkt))
	}
	if _, _, err := r.Next(); err != io.EOF {
		t.Fatalf("re-reading: after the packet got %v, want io.EOF", err)
	}
	if h.Type == mqttframe.CONNECT {
		_, _ = mqttframe.ParseConnect(pkt) // must not panic
	}
}

func FuzzReader(f *testing.F) {
	var all []byte
	for _, tc := range catalogue {
		f.Add(tc.Bytes())
		all = append(all, tc.Bytes()...)
	}
	f.Add(all)
	f.Add(publishWithRemaining(200))
	f.Add([]byte{0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})
	f.Add([]byte{0x10, 0x80, 0x80, 0x80, 0x80})
	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 4096
		r := mqttframe.NewReader(bytes.NewReader(data), max, 16)
		consumed := 0
	loop:
		for {
			h, pkt, err := r.Next()
			if err != nil {
				switch {
				case err == io.EOF:
					if consumed != len(data) {
						t.Fatalf("io.EOF after %d of %d bytes", consumed, len(data))
					}
				case err == io.ErrUnexpectedEOF, errors.Is(err, mqttframe.ErrMalformed):
				case errors.Is(err, mqttframe.ErrTooLarge):
					if h.Size <= max {
						t.Fatalf("ErrTooLarge for a packet of %d bytes, limit %d", h.Size, max)
					}
				default:
					t.Fatalf("unexpected error %v", err)
				}
				break loop
			}
			if !bytes.Equal(pkt, data[consumed:consumed+len(pkt)]) {
				t.Fatalf("packet at offset %d is not the input's bytes", consumed)
			}
			consumed += len(pkt)
			checkPacket(t, h, pkt)
		}
		// ParseConnect must not panic on any input.
		_, _ = mqttframe.ParseConnect(data)
	})
}

// chunks is a reader that returns one chunk per Read, as a socket returns
// what has arrived.
type chunks [][]byte

func (c *chunks) Read(p []byte) (int, error) {
	if len(*c) == 0 {
		return 0, io.EOF
	}
	n := copy(p, (*c)[0])
	(*c)[0] = (*c)[0][n:]
	if len((*c)[0]) == 0 {
		*c = (*c)[1:]
	}
	return n, nil
}

// TestReaderComplete: after a packet, Complete is true exactly when the
// whole next packet has arrived, whatever the length of its remaining
// length, and for a malformed length that Next refuses at once.
func TestReaderComplete(t *testing.T) {
	long := append([]byte{0x30, 0xc8, 0x01, 0x00, 0x01, 't'}, bytes.Repeat([]byte{'x'}, 197)...) // remaining 200: two length bytes
	nexts := [][]byte{mqtttest.Pingreq.Bytes(), mqtttest.ConnackSessionPresent.Bytes(), long}
	for _, next := range nexts {
		for k := 0; k <= len(next); k++ {
			c := chunks{append(bytes.Clone(mqtttest.ConnackSessionPresent.Bytes()), next[:k]...)}
			if k < len(next) {
				c = append(c, bytes.Clone(next[k:]))
			}
			r := mqttframe.NewReader(&c, 0, 4096)
			if _, _, err := r.Next(); err != nil {
				t.Fatal(err)
			}
			if got, want := r.Complete(), k == len(next); got != want {
				t.Errorf("%d of the next packet's %d bytes buffered: Complete = %v, want %v", k, len(next), got, want)
			}
		}
	}
	c := chunks{append(bytes.Clone(mqtttest.ConnackSessionPresent.Bytes()), 0x30, 0xff, 0xff, 0xff, 0xff)}
	r := mqttframe.NewReader(&c, 0, 4096)
	if _, _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if !r.Complete() {
		t.Error("a five-byte remaining length: Complete is false, but Next would refuse it without reading")
	}
	if _, _, err := r.Next(); !errors.Is(err, mqttframe.ErrMalformed) {
		t.Errorf("Next: %v, want ErrMalformed", err)
	}
}

// BenchmarkParseConnect measures the relay's check of a connection's first
// packet (go test -bench ParseConnect -benchmem).
func BenchmarkParseConnect(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mqttframe.ParseConnect(connect311); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReaderOdd: the packets MQTT 3.1.1 allows though no usual client
// writes them, a remaining length in more bytes than needed among them,
// are read whole.
func TestReaderOdd(t *testing.T) {
	for _, p := range mqtttest.Odd {
		r := mqttframe.NewReader(bytes.NewReader(p.Bytes()), 0, 0)
		if _, pkt, err := r.Next(); err != nil || !bytes.Equal(pkt, p.Bytes()) {
			t.Errorf("%s: Next = % x, %v", p.Name, pkt, err)
		}
	}
}
