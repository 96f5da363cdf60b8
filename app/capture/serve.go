package capture

import (
	"bytes"
	"encoding/json"
	"fmt"

	"qosplayground/app/capworker"
)

// Export answers the capture worker's export request: the packet list's
// JSON (capworker.Packet: Conn, Dir, At and Raw count) in, the pcapng file
// out.
func Export(list []byte) ([]byte, error) {
	var pkts []capworker.Packet
	if err := json.Unmarshal(list, &pkts); err != nil {
		return nil, fmt.Errorf("capture: the packet list is not JSON: %w", err)
	}
	var buf bytes.Buffer
	if err := WritePcapng(&buf, capworker.ToWire(pkts)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Import answers the capture worker's import request: a pcap or pcapng
// file and the broker's TCP port in, the MQTT packets it holds out (Read),
// or why there are none.
func Import(file []byte, port int) capworker.ImportResult {
	if port <= 0 || port > 65535 {
		port = capworker.DefaultPort
	}
	if len(file) > capworker.MaxFile {
		return capworker.ImportResult{Err: &capworker.Error{Kind: capworker.TooLarge, Detail: fmt.Sprintf("%d bytes", len(file))}}
	}
	pkts, more, err := Read(bytes.NewReader(file), port, capworker.MaxPackets)
	return capworker.ImportResult{Packets: capworker.FromWire(pkts), More: more, Err: capworker.AsError(err)}
}
