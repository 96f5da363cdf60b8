// Package gateway relays MQTT over WebSocket (from the browser) to an MQTT
// broker over TCP.
//
// The relay is MQTT-aware but byte-transparent: it splits both directions
// into MQTT control packets by their fixed headers and forwards each packet's
// bytes unchanged; packets that arrive together go on together, in one
// WebSocket message to the browser or one write to the broker (batch.go),
// whole packets only. Knowing where packets start and end is
// what lets it refuse garbage and oversized packets early, with a WebSocket
// close reason a learner can read, and it is the seam where faults and
// classroom rules act.
//
// With Config.Faults, a WebSocket text message on /mqtt is a fault command
// (package qosplayground/app/fault) for that connection alone: cut it now,
// at a chosen packet boundary, or after a random number of packets. See
// fault.go.
//
// With Config.Classroom, the gateway keeps learners who share the server
// apart: client ids and topics are confined per tab and per room, and the
// packets that carry them are rewritten. See classroom.go.
//
// The broker addresses are fixed when the Gateway is made: nothing a
// browser sends can make the server dial anywhere else. With several (the
// nodes of a cluster), each connection dials them in turn from a rotating
// start and keeps the first that answers: when a node dies its tabs lose
// their connection, reconnect, and land on a live node, where their
// persistent session (kept by the cluster) resumes.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"qosplayground/app/fault"
	"qosplayground/app/mqttframe"
)

// Subprotocol is the WebSocket subprotocol a client must offer.
const Subprotocol = "mqtt"

// DefaultMaxPacket is the default size limit of one MQTT packet: 256 KiB.
const DefaultMaxPacket = 256 << 10

// Config configures a Gateway.
type Config struct {
	// BrokerAddr is the broker's TCP address, host:port.
	BrokerAddr string
	// BrokerAddrs, when not empty, replaces BrokerAddr: the addresses of
	// the nodes of one clustered broker. Each connection dials them in
	// turn, from a start that rotates with every connection, and keeps the
	// first that accepts.
	BrokerAddrs []string
	// MaxPacket is the largest MQTT packet, fixed header included, relayed
	// in either direction; 0 means DefaultMaxPacket.
	MaxPacket int
	// OriginPatterns lists extra host patterns (path.Match syntax, e.g.
	// "course.example.org" or "*.example.org") allowed in the Origin header
	// besides the server's own host. Clients that send no Origin (not
	// browsers) are allowed.
	OriginPatterns []string
	// ConnectTimeout is how long a client has to send CONNECT after the
	// WebSocket opens, and how long dialling the broker may take; 0 means
	// 10 s.
	ConnectTimeout time.Duration
	// WriteTimeout bounds one write to either side; 0 means 30 s.
	WriteTimeout time.Duration
	// Logger receives one line per connection opened, refused or closed;
	// nil means slog.Default().
	Logger *slog.Logger
	// Faults lets each tab cut its own connection with fault commands
	// (WebSocket text messages, see package qosplayground/app/fault); a
	// command acts only on the connection that carried it. When false, a
	// text message closes the connection with 1003, as for any client
	// that is not MQTT over WebSocket.
	Faults bool
	// Classroom confines each connection's client ids to its tab and its
	// topics to its room (classroom.go); the /mqtt URL must then carry
	// the tab's learner token. When false, topics and client ids pass
	// unchanged, so that mosquitto_pub and any MQTT client reach the
	// tab's topics directly.
	Classroom bool
	// Teacher, when set (with Classroom), says whether a request carries
	// the teacher's session (-teacher-key-file): a /mqtt URL with
	// ?teacher=1&room=CODE is then a teacher's connection, which reads
	// the room's progress and writes its offer (classroom.TeacherSpace),
	// and is refused (403) without the session. It returns the session's
	// name, which EndTeacherSession takes to close the session's
	// connections. Nil: no teachers.
	Teacher func(*http.Request) (session string, ok bool)
}

// Gateway is an http.Handler for the /mqtt endpoint.
type Gateway struct {
	cfg    Config
	log    *slog.Logger
	nextID atomic.Uint64
	addrs  []string      // BrokerAddrs, or BrokerAddr alone
	next   atomic.Uint64 // the rotating start in addrs

	// mu guards conns and closed.
	mu     sync.Mutex
	conns  map[*relay]struct{}
	closed bool
	wg     sync.WaitGroup // one per running relay
}

// New returns a Gateway relaying to cfg.BrokerAddr.
func New(cfg Config) *Gateway {
	if cfg.MaxPacket <= 0 {
		cfg.MaxPacket = DefaultMaxPacket
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	addrs := slices.Clone(cfg.BrokerAddrs)
	if len(addrs) == 0 {
		addrs = []string{cfg.BrokerAddr}
	}
	return &Gateway{cfg: cfg, addrs: addrs, log: log.With("component", "gateway"), conns: make(map[*relay]struct{})}
}

// dialBroker dials the broker: with several addresses, each in turn from a
// start that rotates with every call, giving each ConnectTimeout divided
// among them (a dead node on this machine refuses at once; one on a lost
// machine would take its share). It returns the connection and its address,
// or the last error.
func (g *Gateway) dialBroker() (net.Conn, string, error) {
	if len(g.addrs) == 1 {
		c, err := net.DialTimeout("tcp", g.addrs[0], g.cfg.ConnectTimeout)
		return c, g.addrs[0], err
	}
	start := int(g.next.Add(1) % uint64(len(g.addrs)))
	per := max(g.cfg.ConnectTimeout/time.Duration(len(g.addrs)), 500*time.Millisecond)
	var errs []error
	for i := range g.addrs {
		a := g.addrs[(start+i)%len(g.addrs)]
		c, err := net.DialTimeout("tcp", a, per)
		if err == nil {
			return c, a, nil
		}
		errs = append(errs, err)
	}
	return nil, strings.Join(g.addrs, ","), errors.Join(errs...)
}

// Conns returns the number of open relayed connections.
func (g *Gateway) Conns() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.conns)
}

// ServeHTTP upgrades the request to a WebSocket and relays it.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := g.nextID.Add(1)
	log := g.log.With("conn", id, "remote", r.RemoteAddr)
	if !offersMQTT(r) {
		log.Warn("refused: no mqtt subprotocol", "offered", r.Header.Values("Sec-WebSocket-Protocol"))
		http.Error(w, `gateway: the WebSocket subprotocol "mqtt" is required (MQTT 3.1.1 section 6)`, http.StatusBadRequest)
		return
	}
	var cls *classroomConn
	if g.cfg.Classroom {
		var err error
		if cls, err = newClassroomConn(r.URL.Query(), r, g.cfg.Teacher); err != nil {
			log.Warn("refused: classroom", "err", err)
			code := http.StatusBadRequest
			if errors.Is(err, errNotTeacher) {
				code = http.StatusForbidden
			}
			http.Error(w, err.Error(), code)
			return
		}
		log = log.With("room", cls.space.Prefix())
		if cls.teacher {
			log = log.With("teacher", true)
		}
	}
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:   []string{Subprotocol},
		OriginPatterns: g.cfg.OriginPatterns,
	})
	if err != nil {
		// Accept has written the HTTP error (403 for a foreign Origin).
		log.Warn("refused: websocket handshake", "origin", r.Header.Get("Origin"), "err", err)
		return
	}
	// The framing reader enforces the packet limit as bytes stream in, so
	// no whole message is ever buffered; a message may carry several
	// packets or part of one (MQTT 3.1.1 section 6).
	ws.SetReadLimit(-1)

	rl := &relay{g: g, ws: ws, log: log, cls: cls, wsClosed: make(chan struct{})}
	if !g.add(rl) {
		ws.Close(websocket.StatusGoingAway, "server shutting down")
		return
	}
	defer g.remove(rl)
	if cls != nil && cls.teacher {
		// The session may have ended since it was checked, before
		// EndTeacherSession could see this relay: check again now that
		// it would.
		if _, ok := g.cfg.Teacher(r); !ok {
			ws.Close(websocket.StatusPolicyViolation, "classroom: the teacher's session ended")
			return
		}
	}
	rl.run()
}

func offersMQTT(r *http.Request) bool {
	for _, v := range r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(p) == Subprotocol {
				return true
			}
		}
	}
	return false
}

func (g *Gateway) add(rl *relay) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.conns[rl] = struct{}{}
	g.wg.Add(1)
	return true
}

func (g *Gateway) remove(rl *relay) {
	g.mu.Lock()
	delete(g.conns, rl)
	g.mu.Unlock()
	g.wg.Done()
}

// EndTeacherSession closes every teacher's connection opened with session
// (a sign-out): what the board reads ends with the session.
func (g *Gateway) EndTeacherSession(session string) {
	g.mu.Lock()
	var ending []*relay
	for rl := range g.conns {
		if rl.cls != nil && rl.cls.teacher && rl.cls.session == session {
			ending = append(ending, rl)
		}
	}
	g.mu.Unlock()
	for _, rl := range ending {
		rl.stop(closeReason{websocket.StatusPolicyViolation, "classroom: the teacher's session ended"})
	}
}

// Close refuses new connections, closes every open one with "going away"
// and waits until their relays have stopped or ctx is done.
func (g *Gateway) Close(ctx context.Context) error {
	g.mu.Lock()
	g.closed = true
	open := slices.Collect(func(yield func(*relay) bool) {
		for rl := range g.conns {
			if !yield(rl) {
				return
			}
		}
	})
	g.mu.Unlock()
	for _, rl := range open {
		rl.stop(closeReason{websocket.StatusGoingAway, "server shutting down"})
	}
	done := make(chan struct{})
	go func() { g.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("gateway: %d connections still open: %w", g.Conns(), ctx.Err())
	}
}

// closeReason is the WebSocket close code and reason sent to the browser.
type closeReason struct {
	code   websocket.StatusCode
	reason string
}

// relay is one browser connection and its broker connection.
type relay struct {
	g   *Gateway
	ws  *websocket.Conn
	log *slog.Logger

	wsClosed chan struct{} // closed when the WebSocket close has ended

	sentDisconnect atomic.Bool // the client sent DISCONNECT: the broker's close is expected

	faults faults // fault commands of this connection (fault.go)

	net netState // network conditions of this connection (netcond.go)

	cls *classroomConn // classroom state (classroom.go); nil without Config.Classroom

	// Packets relayed each way, each counted by its own pump and read
	// when both have ended.
	packetsUp, packetsDown int

	// up and down gather the packets each pump reads together (batch.go);
	// each pump sets its batching flag when it starts, so that the packets
	// written from elsewhere (CONNECT before the pumps, the classroom's own
	// acknowledgements from the other pump) go at once.
	up, down                 batch
	batchingUp, batchingDown bool

	// writeTimer closes the WebSocket when a write to the browser takes
	// longer than Config.WriteTimeout. One timer reset per write, rather
	// than a context.WithTimeout per packet, keeps the hot path free of
	// allocations: coder/websocket sets up nothing for a context that
	// cannot be done.
	writeTimer *time.Timer

	// mu guards tcp, why and stopped.
	mu      sync.Mutex
	tcp     net.Conn
	why     closeReason
	stopped bool
}

// stop records why the relay ends (the first reason wins), closes the
// broker side and starts the WebSocket close handshake with that reason.
// Both pumps then fail and return; run waits for the handshake to end.
func (rl *relay) stop(why closeReason) {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	if rl.stopped {
		return
	}
	rl.stopped, rl.why = true, why
	if rl.net.done != nil {
		close(rl.net.done)
	}
	if rl.tcp != nil {
		rl.tcp.Close()
	}
	if len(why.reason) > 123 { // the limit of a close frame's reason
		// Cut on a character boundary: a reason must be valid UTF-8.
		why.reason = strings.ToValidUTF8(why.reason[:120], "") + "..."
	}
	// Close waits for the browser's answering close frame, which the
	// browser-side pump may be the one to read: never call it inline.
	go func() {
		rl.ws.Close(why.code, why.reason)
		close(rl.wsClosed)
	}()
}

var errTextMessage = errors.New("gateway: text WebSocket message")

func (rl *relay) run() {
	g := rl.g
	start := time.Now()
	ms := &messageStream{ws: rl.ws}
	if g.cfg.Faults {
		ms.onText = rl.command
	}
	in := mqttframe.NewReader(ms, g.cfg.MaxPacket, 2048)

	// The first packet must be CONNECT, and soon.
	timer := time.AfterFunc(g.cfg.ConnectTimeout, func() {
		rl.stop(closeReason{websocket.StatusPolicyViolation, "no CONNECT in time"})
	})
	h, pkt, err := in.Next()
	timer.Stop()
	if err != nil {
		rl.finish(rl.fromBrowser(err), start)
		return
	}
	connect, err := mqttframe.ParseConnect(pkt)
	if err != nil {
		rl.finish(rl.fromBrowser(err), start)
		return
	}
	rl.log = rl.log.With("client_id", connect.ClientID)
	if rl.cls != nil {
		var why closeReason
		var ok bool
		if h, pkt, why, ok = rl.classroomConnect(connect, h, pkt); !ok {
			rl.finish(why, start)
			return
		}
	}

	tcp, brokerAddr, err := g.dialBroker()
	if err != nil {
		rl.log.Error("broker unreachable", "broker", brokerAddr, "err", err)
		rl.finish(closeReason{websocket.StatusTryAgainLater, "broker unreachable, try again later"}, start)
		return
	}
	rl.mu.Lock()
	rl.tcp = tcp
	stopped := rl.stopped
	rl.mu.Unlock()
	if stopped {
		tcp.Close()
		rl.finish(closeReason{}, start) // keeps the recorded reason
		return
	}
	if len(g.addrs) > 1 {
		rl.log = rl.log.With("broker", brokerAddr)
	}
	rl.log.Info("open", "clean_session", connect.CleanSession, "keepalive", connect.KeepAlive)

	rl.writeTimer = time.AfterFunc(time.Hour, func() { rl.ws.CloseNow() })
	rl.writeTimer.Stop()
	defer rl.writeTimer.Stop()
	rl.packetsUp++
	if why, end := rl.forward(fault.Up, h, pkt); end {
		rl.stop(why)
	} else {
		done := make(chan struct{})
		go func() {
			defer close(done)
			rl.stop(rl.brokerToBrowser(tcp))
		}()
		rl.stop(rl.browserToBroker(in))
		<-done
	}
	rl.finish(closeReason{}, start)
}

// finish stops the relay with why, unless a reason was recorded already,
// waits for the WebSocket to close and logs the end of the connection.
func (rl *relay) finish(why closeReason, start time.Time) {
	rl.stop(why)
	<-rl.wsClosed
	rl.net.wg.Wait()
	rl.mu.Lock()
	why = rl.why
	rl.mu.Unlock()
	level := slog.LevelInfo
	if why.code != websocket.StatusNormalClosure && why.code != websocket.StatusGoingAway {
		level = slog.LevelWarn
	}
	rl.log.Log(context.Background(), level, "closed", "code", int(why.code), "reason", why.reason,
		"duration", time.Since(start).Round(time.Millisecond),
		"packets_up", rl.packetsUp, "packets_down", rl.packetsDown)
}

// write writes one packet to the broker (fault.Up) or, as one binary
// message, to the browser (fault.Down), or gathers it into its pump's batch
// (batch.go), which the pump writes before it waits for more. It returns
// true with the reason when the relay must end.
func (rl *relay) write(dir fault.Dir, pkt []byte) (closeReason, bool) {
	b, send, batching := &rl.down, rl.send, rl.batchingDown
	if dir == fault.Up {
		b, send, batching = &rl.up, rl.sendBroker, rl.batchingUp
	}
	if batching && rl.faults.armed.Load() == nil && b.fits(len(pkt)) {
		b.add(pkt)
		return closeReason{}, false
	}
	if why, end := b.flush(send); end {
		return why, true
	}
	return send(pkt)
}

// flush writes what the pump going dir has gathered.
func (rl *relay) flush(dir fault.Dir) (closeReason, bool) {
	if dir == fault.Up {
		return rl.up.flush(rl.sendBroker)
	}
	return rl.down.flush(rl.send)
}

// sendBroker writes packets to the broker, through the link of the
// network conditions if the tab set some (netcond.go).
func (rl *relay) sendBroker(pkts []byte) (closeReason, bool) {
	if l := rl.net.up.Load(); l != nil {
		return l.push(pkts)
	}
	return rl.sendBrokerNow(pkts)
}

// sendBrokerNow writes packets to the broker's socket.
func (rl *relay) sendBrokerNow(pkts []byte) (closeReason, bool) {
	rl.tcp.SetWriteDeadline(time.Now().Add(rl.g.cfg.WriteTimeout))
	if _, err := rl.tcp.Write(pkts); err != nil {
		return closeReason{websocket.StatusBadGateway, "broker connection lost"}, true
	}
	return closeReason{}, false
}

// send writes one binary message to the browser, through the link of the
// network conditions if the tab set some (netcond.go).
func (rl *relay) send(msg []byte) (closeReason, bool) {
	if l := rl.net.down.Load(); l != nil {
		return l.push(msg)
	}
	return rl.sendNow(msg)
}

// sendNow writes one binary message to the WebSocket.
func (rl *relay) sendNow(msg []byte) (closeReason, bool) {
	rl.writeTimer.Reset(rl.g.cfg.WriteTimeout)
	err := rl.ws.Write(context.Background(), websocket.MessageBinary, msg)
	rl.writeTimer.Stop()
	if err != nil {
		rl.log.Debug("write to browser failed", "bytes", len(msg), "err", err)
		return closeReason{websocket.StatusNormalClosure, "client connection lost"}, true
	}
	return closeReason{}, false
}

// browserToBroker forwards packets from the browser until one side fails,
// gathering those that arrive together into one write (batch.go).
func (rl *relay) browserToBroker(in *mqttframe.Reader) closeReason {
	rl.batchingUp = true
	for {
		if !in.Complete() {
			// Nothing more has arrived whole: what was gathered goes now.
			if why, end := rl.flush(fault.Up); end {
				return why
			}
		}
		h, pkt, err := in.Next()
		if err == nil && rl.cls != nil {
			h, pkt, err = rl.classroomUp(h, pkt)
			if err == nil && pkt == nil {
				continue // answered by the gateway
			}
		}
		if err != nil {
			return rl.fromBrowser(err)
		}
		if h.Type == mqttframe.DISCONNECT {
			rl.sentDisconnect.Store(true)
		}
		rl.packetsUp++
		if why, end := rl.forward(fault.Up, h, pkt); end {
			return why
		}
	}
}

// fromBrowser turns an error reading the browser's side into a close reason.
func (rl *relay) fromBrowser(err error) closeReason {
	switch {
	case websocket.CloseStatus(err) != -1, errors.Is(err, io.EOF):
		return closeReason{websocket.StatusNormalClosure, "client closed the connection"}
	case errors.Is(err, mqttframe.ErrTooLarge):
		return closeReason{websocket.StatusMessageTooBig, strings.TrimPrefix(err.Error(), "mqttframe: ")}
	case errors.Is(err, mqttframe.ErrMalformed):
		return closeReason{websocket.StatusProtocolError, "not MQTT: " + strings.TrimPrefix(err.Error(), "mqttframe: malformed packet: ")}
	case errors.Is(err, errTextMessage):
		return closeReason{websocket.StatusUnsupportedData, "MQTT needs binary WebSocket messages"}
	case errors.Is(err, errCut):
		return closeReason{StatusFaultCut, "cut by a fault command"} // the cut's own reason was recorded first
	case errors.As(err, new(*commandError)):
		return commandReason(err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return closeReason{websocket.StatusProtocolError, "connection ended inside a packet"}
	}
	return closeReason{websocket.StatusNormalClosure, "client connection lost"}
}

// brokerToBrowser forwards packets from the broker until one side fails,
// gathering those that arrive together into one message (batch.go).
func (rl *relay) brokerToBrowser(tcp net.Conn) closeReason {
	limit := rl.g.cfg.MaxPacket
	if rl.cls != nil {
		// The broker's PUBLISH carries the room's prefix, which the tab's
		// did not: the tab's largest packet must come back whole.
		limit += len(rl.cls.space.Prefix())
	}
	out := mqttframe.NewReader(tcp, limit, 2048)
	rl.batchingDown = true
	for {
		if !out.Complete() {
			// Nothing more has arrived whole: what was gathered goes now.
			if why, end := rl.flush(fault.Down); end {
				return why
			}
		}
		h, pkt, err := out.Next()
		if err == nil && rl.cls != nil {
			h, pkt, err = rl.classroomDown(h, pkt)
			if err == nil && pkt == nil {
				continue // answered by the gateway
			}
		}
		switch {
		case errors.Is(err, io.EOF) && rl.sentDisconnect.Load():
			return closeReason{websocket.StatusNormalClosure, "client sent DISCONNECT"}
		case errors.Is(err, io.EOF):
			return closeReason{websocket.StatusNormalClosure, "broker closed the connection"}
		case errors.Is(err, mqttframe.ErrTooLarge):
			return closeReason{websocket.StatusMessageTooBig, "packet from the broker too large: " + strings.TrimPrefix(err.Error(), "mqttframe: packet too large: ")}
		case err != nil:
			return closeReason{websocket.StatusBadGateway, "broker connection lost"}
		}
		rl.packetsDown++
		if why, end := rl.forward(fault.Down, h, pkt); end {
			return why
		}
	}
}

// messageStream reads the binary messages of a WebSocket as one byte stream.
//
// A text message is handed whole to onText, between the bytes of the
// binary messages before and after it, so that its effect is ordered with
// them; with no onText, it is an error.
type messageStream struct {
	ws     *websocket.Conn
	r      io.Reader              // the current message, nil between messages
	onText func(msg []byte) error // nil: a text message is errTextMessage
}

func (s *messageStream) Read(p []byte) (int, error) {
	for {
		if s.r == nil {
			typ, r, err := s.ws.Reader(context.Background())
			if err != nil {
				return 0, err
			}
			if typ != websocket.MessageBinary {
				if s.onText == nil {
					return 0, errTextMessage
				}
				if err := s.text(r); err != nil {
					return 0, err
				}
				continue
			}
			s.r = r
		}
		n, err := s.r.Read(p)
		if err == io.EOF {
			s.r = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

// text reads a text message, at most fault.MaxCommandSize bytes, and hands
// it to onText.
func (s *messageStream) text(r io.Reader) error {
	msg, err := io.ReadAll(io.LimitReader(r, fault.MaxCommandSize+1))
	if err != nil {
		return err
	}
	if len(msg) > fault.MaxCommandSize {
		return &commandError{fmt.Errorf("%w: more than %d bytes", fault.ErrBadCommand, fault.MaxCommandSize)}
	}
	return s.onText(msg)
}
