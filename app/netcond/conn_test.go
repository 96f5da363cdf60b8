package netcond

import (
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// echo answers everything it reads on c.
func echo(c net.Conn) {
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if err != nil {
			c.Close()
			return
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return
		}
	}
}

func TestConnLatencyBothWays(t *testing.T) {
	a, b := net.Pipe()
	go echo(b)
	cond := Conditions{LatencyMS: 100}
	c := Shape(a, func() Conditions { return cond })
	defer c.Close()
	buf := make([]byte, 16)
	for i := range 3 {
		start := time.Now()
		if _, err := c.Write([]byte("ping")); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf[:4]); err != nil {
			t.Fatal(err)
		}
		// Never early; late only as much as a busy machine makes it (the
		// exact schedule is the fake clock's test, latency_test.go).
		if d := time.Since(start); d < 195*time.Millisecond || d > 300*time.Millisecond {
			t.Errorf("round trip %d: %v, want 200ms, -2.5 %% +50 %%", i, d)
		}
	}
}

func TestConnBandwidthAndOrder(t *testing.T) {
	a, b := net.Pipe()
	go echo(b)
	cond := Conditions{UpKbps: 400} // 50 bytes per ms
	c := Shape(a, func() Conditions { return cond })
	defer c.Close()
	var sent []byte
	start := time.Now()
	for i := range 20 {
		p := make([]byte, 1000) // 20 ms each
		for j := range p {
			p[j] = byte(i)
		}
		sent = append(sent, p...)
		if _, err := c.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	got := make([]byte, len(sent))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if string(got) != string(sent) {
		t.Fatal("bytes changed or reordered")
	}
	if d := time.Since(start); d < 390*time.Millisecond || d > 600*time.Millisecond {
		t.Errorf("20,000 bytes at 400 kbit/s took %v, want 400ms, -2.5 %% +50 %% (bandwidth_test.go checks the schedule exactly)", d)
	}
}

func TestConnReadDeadlineAndEnd(t *testing.T) {
	a, b := net.Pipe()
	c := Shape(a, func() Conditions { return Conditions{LatencyMS: 50} })
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	var ne net.Error
	if _, err := c.Read(make([]byte, 1)); !errors.As(err, &ne) || !ne.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read past its deadline: %v, want a timeout", err)
	}
	c.SetReadDeadline(time.Time{})
	// What was sent before the end arrives, then the end.
	go func() { b.Write([]byte("last")); b.Close() }()
	got, err := io.ReadAll(c)
	if string(got) != "last" || err != nil {
		t.Errorf("ReadAll: %q, %v; want \"last\" and the end", got, err)
	}
}

// TestConnReadAfterClose: bytes that have arrived but are not read yet
// are not read after Close, as from a closed socket. A client reads until
// an error: paho handed the application PUBLISHes it read after closing
// the connection, past the wiretap, which ends at Close, and the fault
// lab's side by side run then showed more copies to the application than
// on the wire.
func TestConnReadAfterClose(t *testing.T) {
	a, b := net.Pipe()
	go echo(b)
	c := Shape(a, func() Conditions { return Conditions{} })
	if _, err := c.Write([]byte("abcdef")); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 1)
	if n, err := c.Read(buf); n != 1 || err != nil {
		t.Fatalf("first Read: %d, %v", n, err)
	}
	// The rest of the echo arrives behind the byte read.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c.mu.Lock()
		n := len(c.rbuf)
		c.mu.Unlock()
		if n == 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d bytes arrived unread, want 5", n)
		}
		time.Sleep(time.Millisecond)
	}
	c.Close()
	if n, err := c.Read(make([]byte, 16)); n != 0 || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Read after Close: %d bytes, %v; want 0, net.ErrClosed", n, err)
	}
}
