package wiretap

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"

	"qosplayground/app/mqttframe"
	"qosplayground/app/mqttframe/mqtttest"
)

// waitTimeout bounds every wait for something that should happen at once.
const waitTimeout = 10 * time.Second

// collector records what a Tap reports, and notices calls that overlap.
type collector struct {
	mu      sync.Mutex
	pkts    []Packet
	changed chan struct{}

	inside  atomic.Bool
	overlap atomic.Bool
}

func newCollector() *collector { return &collector{changed: make(chan struct{}, 1)} }

func (c *collector) add(p Packet) {
	if c.inside.Swap(true) {
		c.overlap.Store(true)
	}
	c.mu.Lock()
	c.pkts = append(c.pkts, p)
	c.mu.Unlock()
	c.inside.Store(false)
	select {
	case c.changed <- struct{}{}:
	default:
	}
}

func (c *collector) packets() []Packet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Packet(nil), c.pkts...)
}

// waitFor waits until done holds for the packets reported so far.
func (c *collector) waitFor(t *testing.T, what string, done func([]Packet) bool) []Packet {
	t.Helper()
	timer := time.NewTimer(waitTimeout)
	defer timer.Stop()
	for {
		if pkts := c.packets(); done(pkts) {
			return pkts
		}
		select {
		case <-c.changed:
		case <-timer.C:
			t.Fatalf("%s: not within %v; the tap saw:\n%s", what, waitTimeout, listing(c.packets()))
		}
	}
}

// check fails t if the packets are not numbered 1, 2, 3… or the callback
// was ever called twice at once.
func (c *collector) check(t *testing.T) {
	t.Helper()
	if c.overlap.Load() {
		t.Error("the tap called onPacket from two goroutines at once")
	}
	for i, p := range c.packets() {
		if p.Seq != i+1 {
			t.Errorf("packet %d reported with Seq %d, want %d", i, p.Seq, i+1)
		}
	}
}

// listing shows packets one a line for a failure message.
func listing(pkts []Packet) string {
	var b strings.Builder
	for _, p := range pkts {
		fmt.Fprintf(&b, "  %3d conn %d %s %s\n", p.Seq, p.Conn, p.Dir.Arrow(), p.Summary())
	}
	return b.String()
}

// byDir returns the raw bytes of the packets reported in direction d.
func byDir(pkts []Packet, d Direction) [][]byte {
	var out [][]byte
	for _, p := range pkts {
		if p.Dir == d {
			out = append(out, p.Raw)
		}
	}
	return out
}

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			t.Error(err)
		}
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		t.FailNow()
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

func pipePair(t *testing.T) (client, server net.Conn) {
	client, server = net.Pipe()
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

var transports = []struct {
	scenario string
	pair     func(t *testing.T) (client, server net.Conn)
}{
	{"TCP loopback", tcpPair},
	{"net.Pipe", pipePair},
}

// streamPackets returns every catalogue packet and a 70 kB PUBLISH, which
// spans many reads and writes and is larger than the buffer the tap keeps
// between packets.
func streamPackets(t *testing.T) [][]byte {
	var out [][]byte
	for i, tc := range catalogue {
		out = append(out, mqttframe.Encode(tc.build()))
		if i == 5 {
			out = append(out, mqttframe.Encode(publishPacket(1, 99, false, false, "big/one", bytes.Repeat([]byte{0xAB}, 70_000))()))
		}
	}
	return out
}

// sizes says how big each write, or each read buffer, is.
type sizes func(rng *rand.Rand) int

func fixed(n int) sizes       { return func(*rand.Rand) int { return n } }
func upTo(n int) sizes        { return func(rng *rand.Rand) int { return 1 + rng.Intn(n) } }
func cut(s []byte, n int) int { return min(n, len(s)) }

// writeIn writes s to w in pieces of the given sizes.
func writeIn(w io.Writer, s []byte, size sizes, rng *rand.Rand) error {
	for len(s) > 0 {
		n := cut(s, size(rng))
		if _, err := w.Write(s[:n]); err != nil {
			return err
		}
		s = s[n:]
	}
	return nil
}

// readIn reads n bytes from r with read buffers of the given sizes.
func readIn(r io.Reader, n int, size sizes, rng *rand.Rand) ([]byte, error) {
	got := make([]byte, 0, n)
	buf := make([]byte, 64<<10)
	for len(got) < n {
		k, err := r.Read(buf[:min(size(rng), n-len(got))])
		got = append(got, buf[:k]...)
		if err != nil {
			return got, err
		}
	}
	return got, nil
}

// TestTapPassesBytes sends packets both ways at once through a tapped
// connection, written and read in pieces of all sizes: every byte arrives
// unchanged, and every packet is reported once, in order, with its
// direction.
func TestTapPassesBytes(t *testing.T) {
	pkts := streamPackets(t)
	stream := bytes.Join(pkts, nil)
	// What the broker sends: the same packets in reverse order.
	var back [][]byte
	for i := len(pkts) - 1; i >= 0; i-- {
		back = append(back, pkts[i])
	}
	backStream := bytes.Join(back, nil)
	patterns := []struct {
		scenario    string
		write, read sizes
	}{
		{"one byte at a time", fixed(1), fixed(1)},
		{"random sizes up to 20 bytes", upTo(20), upTo(20)},
		{"random sizes up to 5000 bytes", upTo(5000), upTo(5000)},
		{"several packets per write, large reads", fixed(1 << 20), fixed(64 << 10)},
		{"three-byte writes, 64 KiB reads", fixed(3), fixed(64 << 10)},
		{"whole writes, one-byte reads", fixed(1 << 20), fixed(1)},
	}
	for _, tr := range transports {
		for _, pat := range patterns {
			t.Run(tr.scenario+"/"+pat.scenario, func(t *testing.T) {
				col := newCollector()
				tap := New(col.add)
				rawClient, server := tr.pair(t)
				client := tap.Wrap(rawClient)

				var wg sync.WaitGroup
				var atServer []byte
				var serverErr, writeErr, backErr error
				wg.Add(3)
				go func() { // the client writes
					defer wg.Done()
					writeErr = writeIn(client, stream, pat.write, rand.New(rand.NewSource(1)))
				}()
				go func() { // the broker reads
					defer wg.Done()
					atServer, serverErr = io.ReadAll(io.LimitReader(server, int64(len(stream))))
				}()
				go func() { // the broker writes
					defer wg.Done()
					backErr = writeIn(server, backStream, upTo(3000), rand.New(rand.NewSource(2)))
				}()
				atClient, readErr := readIn(client, len(backStream), pat.read, rand.New(rand.NewSource(3)))
				wg.Wait()
				for _, err := range []error{writeErr, serverErr, backErr, readErr} {
					if err != nil {
						t.Fatalf("transfer: %v", err)
					}
				}
				if !bytes.Equal(atServer, stream) {
					t.Errorf("the broker got %d bytes that differ from the %d the client wrote", len(atServer), len(stream))
				}
				if !bytes.Equal(atClient, backStream) {
					t.Errorf("the client read %d bytes that differ from the %d the broker wrote", len(atClient), len(backStream))
				}

				got := col.packets()
				col.check(t)
				if sent := byDir(got, Sent); !bytes.Equal(bytes.Join(sent, nil), stream) || len(sent) != len(pkts) {
					t.Errorf("sent packets: got %d (%d bytes), want the %d written (%d bytes), in order",
						len(sent), len(bytes.Join(sent, nil)), len(pkts), len(stream))
				}
				if recv := byDir(got, Received); !bytes.Equal(bytes.Join(recv, nil), backStream) || len(recv) != len(back) {
					t.Errorf("received packets: got %d (%d bytes), want the %d read (%d bytes), in order",
						len(recv), len(bytes.Join(recv, nil)), len(back), len(backStream))
				}
				for _, p := range got {
					if p.Type == Undecodable || p.Conn != 1 || p.At.IsZero() {
						t.Errorf("packet %d: %s, Conn %d, At %v; want decoded, Conn 1, a time", p.Seq, p.Summary(), p.Conn, p.At)
					}
				}
			})
		}
	}
}

// TestTapAnswerAfterQuestion plays many request and answer rounds: the
// tap must always report the client's PUBLISH before the broker's PUBACK
// that answers it, although they travel on different goroutines.
func TestTapAnswerAfterQuestion(t *testing.T) {
	col := newCollector()
	tap := New(col.add)
	rawClient, server := tcpPair(t)
	client := tap.Wrap(rawClient)
	const rounds = 300
	go func() { // the broker answers each PUBLISH with a PUBACK
		buf := make([]byte, 64)
		for i := 1; i <= rounds; i++ {
			pub := mqttframe.Encode(publishPacket(1, uint16(i), false, false, "q", []byte("x"))())
			if _, err := io.ReadFull(server, buf[:len(pub)]); err != nil {
				t.Errorf("broker read: %v", err)
				return
			}
			if _, err := server.Write(mqttframe.Encode(idPacket(packets.Puback, uint16(i))())); err != nil {
				t.Errorf("broker write: %v", err)
				return
			}
		}
	}()
	ack := make([]byte, 4)
	for i := 1; i <= rounds; i++ {
		// Read in a goroutine of its own, as paho does.
		done := make(chan error, 1)
		go func() { _, err := io.ReadFull(client, ack); done <- err }()
		if _, err := client.Write(mqttframe.Encode(publishPacket(1, uint16(i), false, false, "q", []byte("x"))())); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	got := col.packets()
	col.check(t)
	if len(got) != 2*rounds {
		t.Fatalf("got %d packets, want %d", len(got), 2*rounds)
	}
	for i := 0; i < len(got); i += 2 {
		q, a := got[i], got[i+1]
		id := uint16(i/2 + 1)
		if q.Dir != Sent || q.Type != "PUBLISH" || q.PacketID != id || a.Dir != Received || a.Type != "PUBACK" || a.PacketID != id {
			t.Fatalf("round %d: got\n%s want PUBLISH id=%d sent, then PUBACK id=%d received", id, listing(got[i:i+2]), id, id)
		}
	}
}

// TestTapMalformedStream sends bytes that stop being MQTT: the tap reports
// the good packets, then one undecodable packet with the bad bytes, then
// nothing more in that direction, while every byte still passes and the
// other direction is still decoded.
func TestTapMalformedStream(t *testing.T) {
	good := mqtttest.Pingreq.Bytes()
	tests := []struct {
		scenario string
		max      int
		bad      []byte
		err      string
		rawMax   int // most bytes the undecodable packet may hold
	}{
		{"reserved packet type", 0, []byte{0xF0, 0x00, 0x01, 0x02}, "reserved packet type 15", 1 << 20},
		{mqtttest.BadRemainingLength.Name, 0, mqtttest.BadRemainingLength.Bytes(), "longer than four bytes", 1 << 20},
		{"packet over the limit", 100, mqttframe.Encode(publishPacket(0, 0, false, false, "t", make([]byte, 200))()), "packet too large", 100},
		{"packet over the default limit", 0, mqttframe.Encode(publishPacket(0, 0, false, false, "t", make([]byte, DefaultMaxPacket))()), "packet too large", DefaultMaxPacket},
	}
	for _, tc := range tests {
		for _, dir := range []Direction{Sent, Received} {
			t.Run(tc.scenario+"/"+dir.String(), func(t *testing.T) {
				col := newCollector()
				tap := New(col.add)
				tap.MaxPacket = tc.max
				rawClient, server := pipePair(t)
				client := tap.Wrap(rawClient)
				stream := append(append(bytes.Repeat(good, 2), tc.bad...), bytes.Repeat(good, 3)...)
				other := bytes.Repeat(mqtttest.Pingresp.Bytes(), 4)
				// The bad stream goes in direction dir, the good one the
				// other way.
				var fromClient, fromServer []byte
				if dir == Sent {
					fromClient, fromServer = stream, other
				} else {
					fromClient, fromServer = other, stream
				}
				writes := upTo(7)
				if len(stream) > 10_000 {
					writes = upTo(5000)
				}
				var wg sync.WaitGroup
				var atServer []byte
				wg.Add(2)
				go func() {
					defer wg.Done()
					if err := writeIn(client, fromClient, writes, rand.New(rand.NewSource(1))); err != nil {
						t.Error(err)
					}
				}()
				go func() {
					defer wg.Done()
					var err error
					if atServer, err = readIn(server, len(fromClient), upTo(100), rand.New(rand.NewSource(2))); err != nil {
						t.Error(err)
					}
					if err := writeIn(server, fromServer, writes, rand.New(rand.NewSource(3))); err != nil {
						t.Error(err)
					}
				}()
				atClient, err := readIn(client, len(fromServer), upTo(50), rand.New(rand.NewSource(4)))
				if err != nil {
					t.Fatal(err)
				}
				wg.Wait()
				if !bytes.Equal(atServer, fromClient) || !bytes.Equal(atClient, fromServer) {
					t.Fatal("the bytes did not pass unchanged")
				}
				col.check(t)
				var inDir, otherDir []Packet
				for _, p := range col.packets() {
					if p.Dir == dir {
						inDir = append(inDir, p)
					} else {
						otherDir = append(otherDir, p)
					}
				}
				if len(inDir) != 3 || inDir[0].Type != "PINGREQ" || inDir[1].Type != "PINGREQ" {
					t.Fatalf("%s: got\n%swant two PINGREQ and one %s", dir, listing(inDir), Undecodable)
				}
				bad := inDir[2]
				if bad.Type != Undecodable || !strings.Contains(bad.Err, tc.err) || !strings.Contains(bad.Err, "no more "+dir.String()) {
					t.Errorf("%s: got %s, want %s with %q", dir, bad.Summary(), Undecodable, tc.err)
				}
				if len(bad.Raw) == 0 || !bytes.HasPrefix(tc.bad, bad.Raw[:min(len(bad.Raw), len(tc.bad))]) || len(bad.Raw) > tc.rawMax {
					t.Errorf("undecodable Raw: got %d bytes % x…, want the bad packet's first bytes, at most %d", len(bad.Raw), bad.Raw[:min(len(bad.Raw), 8)], tc.rawMax)
				}
				if len(otherDir) != 4 {
					t.Errorf("other direction: got\n%swant 4 PINGRESP", listing(otherDir))
				}
			})
		}
	}
}

// TestTapStreamEndsInsidePacket ends each direction in the middle of a
// packet: the bytes that went by are reported as undecodable.
func TestTapStreamEndsInsidePacket(t *testing.T) {
	pub := mqttframe.Encode(publishPacket(1, 5, false, false, "t", []byte("payload"))())
	t.Run("received: the broker closes", func(t *testing.T) {
		col := newCollector()
		rawClient, server := tcpPair(t)
		client := New(col.add).Wrap(rawClient)
		go func() {
			server.Write(pub[:6])
			server.Close()
		}()
		if got, err := io.ReadAll(client); err != nil || !bytes.Equal(got, pub[:6]) {
			t.Fatalf("ReadAll: got % x, %v; want % x, nil", got, err, pub[:6])
		}
		pkts := col.packets()
		if len(pkts) != 1 || pkts[0].Type != Undecodable || pkts[0].Dir != Received ||
			!bytes.Equal(pkts[0].Raw, pub[:6]) || !strings.Contains(pkts[0].Err, "ended inside a PUBLISH of 14 bytes") {
			t.Errorf("got\n%swant one received %s: ended inside a PUBLISH of 14 bytes", listing(pkts), Undecodable)
		}
		client.Close() // nothing more to report
		if n := len(col.packets()); n != 1 {
			t.Errorf("after Close: %d packets, want still 1", n)
		}
	})
	t.Run("sent: the client closes", func(t *testing.T) {
		col := newCollector()
		rawClient, server := tcpPair(t)
		client := New(col.add).Wrap(rawClient)
		go io.Copy(io.Discard, server)
		if _, err := client.Write(append(bytes.Clone(pub), pub[:1]...)); err != nil {
			t.Fatal(err)
		}
		client.Close()
		pkts := col.packets()
		if len(pkts) != 2 || pkts[0].Type != "PUBLISH" || pkts[1].Type != Undecodable || pkts[1].Dir != Sent ||
			!bytes.Equal(pkts[1].Raw, pub[:1]) || !strings.Contains(pkts[1].Err, "ended inside a packet") {
			t.Errorf("got\n%swant PUBLISH and %s: ended inside a packet", listing(pkts), Undecodable)
		}
	})
}

// TestTapConnections wraps two connections in turn, as a reconnecting
// client does: Conn tells them apart and Seq goes on.
func TestTapConnections(t *testing.T) {
	col := newCollector()
	tap := New(col.add)
	for i := 1; i <= 2; i++ {
		rawClient, server := tcpPair(t)
		client := tap.Wrap(rawClient)
		go io.Copy(io.Discard, server)
		if _, err := client.Write(mqtttest.Pingreq.Bytes()); err != nil {
			t.Fatal(err)
		}
		client.Close()
	}
	pkts := col.packets()
	col.check(t)
	if len(pkts) != 2 || pkts[0].Conn != 1 || pkts[1].Conn != 2 || pkts[1].Seq != 2 {
		t.Errorf("got\n%swant PINGREQ on connection 1 then on connection 2", listing(pkts))
	}
	// A tap without a callback is fine too.
	rawClient, server := tcpPair(t)
	go io.Copy(io.Discard, server)
	if _, err := New(nil).Wrap(rawClient).Write(mqtttest.Pingreq.Bytes()); err != nil {
		t.Fatal(err)
	}
}

// fakeConn reads from r and discards what is written.
type fakeConn struct {
	net.Conn // nil: only Read and Write are used
	r        io.Reader
}

func (c *fakeConn) Read(b []byte) (int, error)  { return c.r.Read(b) }
func (c *fakeConn) Write(b []byte) (int, error) { return len(b), nil }

// TestTapAllocations checks that reads and writes that complete no packet
// cost no allocation: the tap does not copy what passes through it.
func TestTapAllocations(t *testing.T) {
	big := mqttframe.Encode(publishPacket(1, 1, false, false, "t", make([]byte, 60_000))())
	for _, dir := range []Direction{Sent, Received} {
		t.Run(dir.String(), func(t *testing.T) {
			reported := 0
			c := New(func(Packet) { reported++ }).Wrap(&fakeConn{r: bytes.NewReader(big)})
			buf := make([]byte, 1000)
			step := func() {
				var err error
				if dir == Sent {
					_, err = c.Write(big[:1000])
				} else {
					_, err = c.Read(buf)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			step()
			step() // the second piece allocates the packet's buffer
			if got := testing.AllocsPerRun(40, step); got != 0 {
				t.Errorf("%v allocations per 1000-byte piece of a packet, want 0", got)
			}
			if reported != 0 {
				t.Errorf("%d packets reported before the end of the first one", reported)
			}
		})
	}
}

func TestDirection(t *testing.T) {
	tests := []struct {
		scenario   string
		d          Direction
		str, arrow string
	}{
		{"sent", Sent, "sent", "→"},
		{"received", Received, "received", "←"},
		{"zero value", 0, "unknown", "?"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			if got := tc.d.String(); got != tc.str {
				t.Errorf("String: got %q, want %q", got, tc.str)
			}
			if got := tc.d.Arrow(); got != tc.arrow {
				t.Errorf("Arrow: got %q, want %q", got, tc.arrow)
			}
		})
	}
}
