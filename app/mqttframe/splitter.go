package mqttframe

import "fmt"

// ParseHeader decodes the fixed header at the start of b with the same rules
// as Reader: a defined packet type, the flags that type requires, and a
// remaining length of at most four bytes. It does not look past the fixed
// header, so b may hold only the start of a packet.
//
// ok is false, with a nil error, when b ends before the fixed header does;
// the header is then unknown. err wraps ErrMalformed when the bytes are not
// an MQTT 3.1.1 fixed header. The length of the fixed header itself is
// h.Size - h.Remaining.
func ParseHeader(b []byte) (h Header, ok bool, err error) {
	if len(b) == 0 {
		return Header{}, false, nil
	}
	typ, flags, err := checkFirstByte(b[0])
	if err != nil {
		return Header{}, false, err
	}
	remaining := 0
	for n, mult := 0, 1; ; n, mult = n+1, mult*128 {
		if n == 4 {
			return Header{}, false, fmt.Errorf("%w: remaining length longer than four bytes", ErrMalformed)
		}
		if 1+n >= len(b) {
			return Header{}, false, nil
		}
		d := b[1+n]
		remaining += int(d&0x7f) * mult
		if d&0x80 == 0 {
			return Header{Type: typ, Flags: flags, Remaining: remaining, Size: 2 + n + remaining}, true, nil
		}
	}
}

// Splitter splits a byte stream into MQTT packets as the stream arrives, in
// pieces of any size: it is the push-based counterpart of Reader, for code
// that sees bytes go by (a wire tap wrapping a connection's Read and Write)
// rather than reading them itself. A piece may hold part of a packet, one
// packet or several; MQTT over WebSocket does not align frames and packets.
//
// Only the bytes of an incomplete packet are kept between pieces; a packet
// that lies whole within a piece is handed out without being copied.
//
// A Splitter is not safe for concurrent use.
type Splitter struct {
	max      int
	buf      []byte // start of a packet whose end has not arrived yet
	err      error  // sticky: set once the stream is malformed
	rejected []byte // with err: the bytes of the refused packet, as far as seen
}

// NewSplitter returns a Splitter that refuses, with ErrTooLarge, a packet
// larger than max bytes (fixed header included) as soon as its fixed header
// is complete, so a hostile length costs no memory; within the limit, the
// memory kept grows with the bytes that arrive, not with the length a
// header announces. max <= 0 means MaxRemainingLength + 5.
func NewSplitter(max int) *Splitter {
	if max <= 0 {
		max = MaxRemainingLength + 5
	}
	return &Splitter{max: max}
}

// Push adds the next piece p of the stream and calls emit, in stream order,
// with the header and the bytes of every packet p completes. The bytes are
// exactly those of the stream, fixed header included; they are only valid
// during the call to emit (they may be part of p or of the Splitter's
// buffer), so emit must copy what it keeps. Push does not keep p.
//
// When the stream turns out to be malformed (an error wrapping ErrMalformed)
// or a packet exceeds the limit (ErrTooLarge), Push stops, returns the error
// and returns it again on every later call without looking at the bytes:
// after an error there is no telling where the next packet starts. Packets
// complete before the bad one have been emitted; Rejected returns the bytes
// of the bad one.
func (s *Splitter) Push(p []byte, emit func(h Header, pkt []byte)) error {
	if s.err != nil {
		return s.err
	}
	// Finish the packet begun in earlier pieces.
	for len(s.buf) > 0 {
		h, ok, err := ParseHeader(s.buf)
		if err == nil && ok && h.Size > s.max {
			err = tooLarge(h, s.max)
		}
		if err != nil {
			return s.fail(err, s.buf, p)
		}
		if !ok {
			// Not even the fixed header yet: add header bytes one by one,
			// so that a too-large or malformed packet is refused before
			// the piece's body bytes are buffered.
			if len(p) == 0 {
				return nil
			}
			s.buf = append(s.buf, p[0])
			p = p[1:]
			continue
		}
		if c := min(h.Size, 64<<10); cap(s.buf) < c && len(p) > 0 {
			// One allocation for a packet of up to 64 KiB; beyond,
			// append grows the buffer with the bytes that really
			// arrive, not with what a hostile length announces.
			s.buf = append(make([]byte, 0, c), s.buf...)
		}
		n := min(h.Size-len(s.buf), len(p))
		s.buf = append(s.buf, p[:n]...)
		p = p[n:]
		if len(s.buf) < h.Size {
			return nil // p is used up
		}
		emit(h, s.buf)
		s.buf = s.buf[:0]
		// Do not keep a large buffer alive for the rest of a long
		// connection.
		if cap(s.buf) > 64<<10 {
			s.buf = nil
		}
	}
	// Whole packets within p: no copy.
	for len(p) > 0 {
		h, ok, err := ParseHeader(p)
		if err == nil && ok && h.Size > s.max {
			err = tooLarge(h, s.max)
		}
		if err != nil {
			return s.fail(err, nil, p)
		}
		if !ok || h.Size > len(p) {
			s.buf = append(s.buf, p...)
			return nil
		}
		emit(h, p[:h.Size])
		p = p[h.Size:]
	}
	return nil
}

// Buffered returns the number of bytes of the stream kept for a packet that
// is not complete yet. At the end of a stream, a non-zero count means the
// stream ended inside a packet.
func (s *Splitter) Buffered() int { return len(s.buf) }

// Pending returns the bytes kept for a packet that is not complete yet (see
// Buffered). The slice is only valid until the next call to Push.
func (s *Splitter) Pending() []byte { return s.buf }

// Err returns the error that stopped the Splitter, or nil.
func (s *Splitter) Err() error { return s.err }

// Rejected returns, once Push has failed, the bytes of the stream from the
// start of the refused packet to the end of the piece in which the error
// was found, at most the Splitter's limit; nil before an error.
func (s *Splitter) Rejected() []byte { return s.rejected }

func (s *Splitter) fail(err error, head, rest []byte) error {
	s.err = err
	bad := make([]byte, 0, min(len(head)+len(rest), s.max))
	bad = append(bad, head[:min(len(head), s.max)]...)
	bad = append(bad, rest[:min(len(rest), s.max-len(bad))]...)
	s.rejected = bad
	s.buf = nil
	return err
}

func tooLarge(h Header, max int) error {
	return fmt.Errorf("%w: %s is %d bytes, the limit is %d", ErrTooLarge, TypeName(h.Type), h.Size, max)
}
