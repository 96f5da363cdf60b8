// Package capworker is the page's side of the capture worker, and the
// formats both sides share: the packet list that travels over postMessage
// and is the "packets" of the JSON export (Format), the export document
// itself (Document), and the reasons a capture cannot be read (Kind).
//
// Reading and writing pcap and pcapng (package capture, with gopacket) does
// not run in the page's WebAssembly: gopacket adds about 370 KB of brotli
// to it. It is a WebAssembly of its own, web/capture.wasm (built from
// wasm/capture), which runs in a dedicated Web Worker that the page starts
// only when the learner saves a file or opens a capture. The page talks to
// it through a small script, web/capture-page.js, loaded at that moment
// too (capworker_js.go calls it). The service worker caches the three
// files once they have been fetched, so that export and import work
// offline after a first use.
//
// Apart from capworker_js.go the package imports neither go-app nor
// syscall/js nor gopacket, and is tested natively.
package capworker

import (
	"errors"
	"strconv"
	"time"

	"qosplayground/app/wiretap"
)

// The page's script, the worker's script and its WebAssembly, served by
// the server and cached by its service worker once used.
const (
	PageScript   = "/web/capture-page.js"
	WorkerScript = "/web/capture-worker.js"
	WASM         = "/web/capture.wasm"
)

// Format names the JSON export's schema and its version. A change that a
// reader of version 1 would misread gets a new number.
const Format = "qosplayground-capture/1"

// DefaultPort is MQTT's own TCP port, the one an import looks for unless
// the learner names another.
const DefaultPort = 1883

// MaxFile is the largest capture file the page hands the worker.
const MaxFile = 64 << 20

// Packet is one MQTT packet in the packet list: the worker's answer to an
// import, its input for an export, and an entry of Document.Packets. Raw is
// what counts (the other fields are decoded from it, for readers of the
// JSON); the worker reads only Conn, Dir, At and Raw.
type Packet struct {
	Seq      int       `json:"seq"`
	Conn     int       `json:"conn"`
	Dir      string    `json:"dir"` // "sent" (client → broker) or "received"
	At       time.Time `json:"at"`
	Type     string    `json:"type"`
	QoS      byte      `json:"qos"`
	PacketID uint16    `json:"packet_id,omitempty"`
	Dup      bool      `json:"dup,omitempty"`
	Retain   bool      `json:"retain,omitempty"`
	Topic    string    `json:"topic,omitempty"`
	Filters  []string  `json:"filters,omitempty"`
	Length   int       `json:"length"`
	Raw      []byte    `json:"raw"` // base64 in JSON
	Error    string    `json:"error,omitempty"`
}

// FromWire turns the tap's packets into the list's. A CONNECT's password
// stays in Raw as it went over the wire; the caller masks it if it must.
func FromWire(pkts []wiretap.Packet) []Packet {
	out := make([]Packet, len(pkts))
	for i, p := range pkts {
		out[i] = Packet{Seq: p.Seq, Conn: p.Conn, Dir: p.Dir.String(), At: p.At.UTC(), Type: p.Type, QoS: p.QoS,
			PacketID: p.PacketID, Dup: p.Dup, Retain: p.Retain, Topic: p.Topic, Filters: p.Filters,
			Length: len(p.Raw), Raw: p.Raw, Error: p.Err}
	}
	return out
}

// ToWire decodes the list's packets again from their bytes, numbering
// them 1, 2, 3… in their order.
func ToWire(pkts []Packet) []wiretap.Packet {
	out := make([]wiretap.Packet, len(pkts))
	for i, p := range pkts {
		w := wiretap.Decode(p.Raw)
		w.Seq, w.Conn, w.At = i+1, p.Conn, p.At
		w.Dir = wiretap.Sent
		if p.Dir == wiretap.Received.String() {
			w.Dir = wiretap.Received
		}
		out[i] = w
	}
	return out
}

// Head is the page's part of the JSON export: capture-page.js adds the
// format, the time and, on the playground, the link's parameters to the
// settings (in JavaScript, not in app.wasm: every byte of Go there is
// downloaded by every learner).
type Head struct {
	Page     string  `json:"page"`
	Settings any     `json:"settings"`
	Ledger   *Ledger `json:"ledger"`
}

// Document is the JSON export: what the page saw, for a notebook or a
// script. README.md documents it field by field; capture-page.js writes
// it.
type Document struct {
	Format     string    `json:"format"` // Format
	App        string    `json:"app"`    // "QoS Playground"
	Page       string    `json:"page"`   // the page's path: "/" or "/lab/faults"
	ExportedAt time.Time `json:"exported_at"`
	// Settings are the run's: the playground's experiment (its link's
	// parameters) and network conditions, or the fault lab's lesson.
	Settings map[string]any `json:"settings"`
	// Ledger counts what happened to the messages; null where the page
	// keeps none.
	Ledger  *Ledger  `json:"ledger"`
	Packets []Packet `json:"packets"`
}

// Ledger counts the messages of a run.
type Ledger struct {
	Sent       int `json:"sent"`       // messages the publisher sent (each once, resends apart)
	Received   int `json:"received"`   // copies handed to the application
	Duplicates int `json:"duplicates"` // copies of a message already received
	Lost       int `json:"lost"`       // messages sent and never received
	Resends    int `json:"resends"`    // PUBLISH packets with DUP=1 on the wire
}

// Kind is why a capture could not be read, as the page words it in the
// learner's language.
type Kind string

const (
	NotCapture Kind = "not-capture" // neither pcap nor pcapng
	Damaged    Kind = "damaged"     // a pcap or pcapng file whose blocks do not make sense
	Truncated  Kind = "truncated"   // the file ends in the middle of a packet: what came before is shown
	NoMQTT     Kind = "no-mqtt"     // no TCP on the port at all
	NotMQTT    Kind = "not-mqtt"    // TCP on the port, but its bytes are not MQTT
	TooLarge   Kind = "too-large"   // larger than MaxFile
	Failed     Kind = "failed"      // the worker could not be started or did not answer
)

// Error is a capture that could not be read, or only in part.
type Error struct {
	Kind   Kind   `json:"kind"`
	Port   int    `json:"port,omitempty"`
	Ports  []int  `json:"ports,omitempty"` // for NoMQTT: the TCP ports the file does have, busiest first
	Detail string `json:"detail,omitempty"`
}

func (e *Error) Error() string {
	s := "capture: " + string(e.Kind)
	if e.Port != 0 {
		s += " (port " + strconv.Itoa(e.Port) + ")"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// AsError returns err as an *Error, wrapping any other error as Failed.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: Failed, Detail: err.Error()}
}

// The worker's operations. A request is {op, json?, file?, port?} with a
// MessagePort for the answer, which is {bytes: Uint8Array} (export),
// {json: "..."} (import: an ImportResult) or {error: "..."} with the
// error's JSON (an Error).
const (
	OpExport = "export" // json: the []Packet; answers with the pcapng bytes
	OpImport = "import" // bytes: the file, port: the broker's TCP port; answers with an ImportResult
)

// ImportResult is the answer to an import: the packets, and a partial
// failure (Truncated) when there is one.
type ImportResult struct {
	Packets []Packet `json:"packets"`
	More    bool     `json:"more,omitempty"` // the file had more packets than MaxPackets
	Err     *Error   `json:"error,omitempty"`
}

// MaxPackets is the most packets an import returns.
const MaxPackets = 20000
