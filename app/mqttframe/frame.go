// Package mqttframe is the project's one MQTT 3.1.1 codec: every piece of
// MQTT encoding and decoding outside paho is here, and nowhere else.
//
//   - Frames: Reader and Splitter cut a byte stream into packets (pull and
//     push), ParseHeader reads a fixed header, AppendHeader and
//     AppendRemainingLength write one, HeaderSize sizes it. They read only
//     the fixed header and hand back each packet's bytes unchanged, so they
//     are cheap enough for the server's relay, which runs them on every
//     packet in both directions without allocating.
//   - Fields, read in place without a copy: ReadString (UTF-8 strings and
//     binary fields), ParsePublish (topic, packet id, payload), AckID,
//     ParseConnect and the CONNECT flag bits; written: AppendString, Ack,
//     Build (a packet from its first byte and body, for the gateway's
//     classroom rewriting), MaskPassword (the diagram's byte view).
//   - Whole packets go through paho's own packets package: Encode writes one
//     paho builds, and the wire tap decodes with paho's ReadPacket. What is
//     written here is what paho does not offer: frame boundaries in a
//     stream, reading and rewriting fields in place on the hot path, and
//     the byte-level views.
//
// The catalogue of raw packets every test uses is in package mqtttest.
//
// The package imports neither go-app nor syscall/js: it is shared by the
// server's gateway, the browser's client and wire tap, and the bench.
package mqttframe

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// Packet types of MQTT 3.1.1 (section 2.2.1).
const (
	CONNECT     byte = 1
	CONNACK     byte = 2
	PUBLISH     byte = 3
	PUBACK      byte = 4
	PUBREC      byte = 5
	PUBREL      byte = 6
	PUBCOMP     byte = 7
	SUBSCRIBE   byte = 8
	SUBACK      byte = 9
	UNSUBSCRIBE byte = 10
	UNSUBACK    byte = 11
	PINGREQ     byte = 12
	PINGRESP    byte = 13
	DISCONNECT  byte = 14
)

var typeNames = [...]string{
	CONNECT: "CONNECT", CONNACK: "CONNACK", PUBLISH: "PUBLISH", PUBACK: "PUBACK",
	PUBREC: "PUBREC", PUBREL: "PUBREL", PUBCOMP: "PUBCOMP", SUBSCRIBE: "SUBSCRIBE",
	SUBACK: "SUBACK", UNSUBSCRIBE: "UNSUBSCRIBE", UNSUBACK: "UNSUBACK",
	PINGREQ: "PINGREQ", PINGRESP: "PINGRESP", DISCONNECT: "DISCONNECT",
}

// TypeName returns the name of packet type t, such as "PUBLISH", or
// "reserved(15)" for a type MQTT 3.1.1 does not define.
func TypeName(t byte) string {
	if t >= CONNECT && t <= DISCONNECT {
		return typeNames[t]
	}
	return fmt.Sprintf("reserved(%d)", t)
}

// MaxRemainingLength is the largest remaining length the four-byte variable
// length encoding can carry (section 2.2.3): 256 MB less one byte.
const MaxRemainingLength = 268_435_455

var (
	// ErrMalformed reports bytes that are not an MQTT 3.1.1 fixed header: a
	// reserved packet type, flags the type forbids, or a remaining length
	// encoded in more than four bytes.
	ErrMalformed = errors.New("mqttframe: malformed packet")

	// ErrTooLarge reports a packet whose size exceeds the reader's limit.
	ErrTooLarge = errors.New("mqttframe: packet too large")
)

// Header is a decoded fixed header.
type Header struct {
	Type      byte // packet type, 1 (CONNECT) to 14 (DISCONNECT)
	Flags     byte // the low four bits of the first byte
	Remaining int  // remaining length: bytes after the fixed header
	Size      int  // whole packet: fixed header plus Remaining
}

// String describes the header for logs, e.g. "PUBLISH qos=1 (27 bytes)".
func (h Header) String() string {
	if h.Type == PUBLISH {
		return fmt.Sprintf("PUBLISH qos=%d (%d bytes)", (h.Flags>>1)&3, h.Size)
	}
	return fmt.Sprintf("%s (%d bytes)", TypeName(h.Type), h.Size)
}

// checkFirstByte validates the packet type and its flags (section 2.2.2).
func checkFirstByte(b byte) (typ, flags byte, err error) {
	typ, flags = b>>4, b&0x0f
	switch typ {
	case PUBLISH:
		if (flags>>1)&3 == 3 {
			return typ, flags, fmt.Errorf("%w: PUBLISH with QoS 3", ErrMalformed)
		}
	case PUBREL, SUBSCRIBE, UNSUBSCRIBE:
		if flags != 0x2 {
			return typ, flags, fmt.Errorf("%w: %s flags %#x, want 0x2", ErrMalformed, TypeName(typ), flags)
		}
	case CONNECT, CONNACK, PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT:
		if flags != 0 {
			return typ, flags, fmt.Errorf("%w: %s flags %#x, want 0", ErrMalformed, TypeName(typ), flags)
		}
	default:
		return typ, flags, fmt.Errorf("%w: reserved packet type %d (first byte %#02x)", ErrMalformed, typ, b)
	}
	return typ, flags, nil
}

// Reader reads whole MQTT packets from a byte stream.
type Reader struct {
	r   *bufio.Reader
	max int
	buf []byte
}

// NewReader returns a Reader of packets from r. A packet larger than max bytes
// (fixed header included) is refused with ErrTooLarge before its body is read,
// so a hostile length costs no memory. max <= 0 means MaxRemainingLength + 5.
// bufSize sets the size of the read buffer (0 means 4096).
func NewReader(r io.Reader, max, bufSize int) *Reader {
	if max <= 0 {
		max = MaxRemainingLength + 5
	}
	if bufSize <= 0 {
		bufSize = 4096
	}
	return &Reader{r: bufio.NewReaderSize(r, bufSize), max: max}
}

// Next reads the next packet and returns its header and its bytes, fixed
// header included, exactly as they were on the wire. The returned slice is
// only valid until the next call to Next.
//
// Next returns io.EOF when the stream ends cleanly between packets and
// io.ErrUnexpectedEOF when it ends inside one.
func (r *Reader) Next() (Header, []byte, error) {
	first, err := r.r.ReadByte()
	if err != nil {
		return Header{}, nil, err
	}
	typ, flags, err := checkFirstByte(first)
	if err != nil {
		return Header{}, nil, err
	}
	var lenBytes [4]byte
	remaining, n := 0, 0
	for mult := 1; ; mult *= 128 {
		if n == 4 {
			return Header{}, nil, fmt.Errorf("%w: remaining length longer than four bytes", ErrMalformed)
		}
		b, err := r.r.ReadByte()
		if err != nil {
			return Header{}, nil, unexpected(err)
		}
		lenBytes[n] = b
		n++
		remaining += int(b&0x7f) * mult
		if b&0x80 == 0 {
			break
		}
	}
	h := Header{Type: typ, Flags: flags, Remaining: remaining, Size: 1 + n + remaining}
	if h.Size > r.max {
		return h, nil, fmt.Errorf("%w: %s is %d bytes, the limit is %d", ErrTooLarge, TypeName(typ), h.Size, r.max)
	}
	if cap(r.buf) < h.Size {
		r.buf = make([]byte, h.Size)
	}
	pkt := r.buf[:h.Size]
	pkt[0] = first
	copy(pkt[1:], lenBytes[:n])
	if _, err := io.ReadFull(r.r, pkt[1+n:]); err != nil {
		return h, nil, unexpected(err)
	}
	// Do not keep a large buffer alive for the rest of a long connection.
	if cap(r.buf) > 64<<10 {
		r.buf = nil
	}
	return h, pkt, nil
}

// Buffered returns the number of bytes read from the stream but not yet
// returned as a packet.
func (r *Reader) Buffered() int { return r.r.Buffered() }

// Complete reports whether Next would return without reading the stream:
// a whole packet is buffered (or the start of a malformed one, which Next
// refuses at once).
func (r *Reader) Complete() bool {
	n := r.r.Buffered()
	if n < 2 {
		return false
	}
	head, _ := r.r.Peek(min(n, 5)) // buffered bytes: Peek does not read
	remaining := 0
	for i, mult := 1, 1; i < len(head); i, mult = i+1, mult*128 {
		remaining += int(head[i]&0x7f) * mult
		if head[i]&0x80 == 0 {
			return n >= 1+i+remaining
		}
	}
	return len(head) == 5 // a fifth length byte: malformed, Next says so
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
