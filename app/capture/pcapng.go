// Package capture writes what the page saw on its MQTT connections as a
// pcapng file that Wireshark opens with its MQTT dissector: each MQTT
// packet becomes a TCP segment on port 1883 between two named endpoints,
// the tab and the broker, with the time the page's wire tap saw it.
//
// The file format and the packet layers come from gopacket (pcapgo's
// NgWriter, layers' Ethernet, IPv4 and TCP serialised with
// gopacket.SerializeLayers, checksums included), not hand-written block
// layouts.
//
// The package imports neither go-app nor syscall/js.
package capture

import (
	"fmt"
	"io"
	"net"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"qosplayground/app/wiretap"
)

// The two endpoints, from the address block kept for documentation (RFC
// 5737), so that no capture names a real machine.
var (
	TabIP     = net.IPv4(192, 0, 2, 2).To4()
	BrokerIP  = net.IPv4(192, 0, 2, 1).To4()
	tabMAC    = net.HardwareAddr{0x02, 0, 0, 0, 0, 2} // locally administered
	brokerMAC = net.HardwareAddr{0x02, 0, 0, 0, 0, 1}
)

// BrokerPort is the broker's port in the capture: MQTT's own, so that
// Wireshark decodes the stream as MQTT without being told.
const BrokerPort = 1883

// tabPort is the tab's port on its first connection; each new connection
// (wiretap.Packet.Conn) gets the next one, as a new TCP connection would.
const tabPort = 50000

// mss is the most MQTT bytes per TCP segment: a larger packet is split, and
// Wireshark reassembles it.
const mss = 1460

// Interface is the capture's interface description: it names the
// endpoints, since pcapng has no other place gopacket writes for names.
var Interface = fmt.Sprintf("QoS Playground: tab %s ↔ broker %s:%d (MQTT over TCP)", TabIP, BrokerIP, BrokerPort)

// flow is one TCP connection of the capture.
type flow struct {
	port          uint16
	tabSeq, brSeq uint32
}

// WritePcapng writes pkts, in their order, to w. Packets of the same
// wiretap connection (Conn) share one TCP connection, opened by a
// three-way handshake at its first packet's time.
func WritePcapng(w io.Writer, pkts []wiretap.Packet) error {
	ng, err := pcapgo.NewNgWriterInterface(w, pcapgo.NgInterface{
		Name:                "qos-playground",
		Description:         Interface,
		LinkType:            layers.LinkTypeEthernet,
		TimestampResolution: 9,
	}, pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{
		Application: "QoS Playground",
		Comment:     Interface,
	}})
	if err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	flows := map[int]*flow{}
	for _, p := range pkts {
		f := flows[p.Conn]
		at := p.At
		if at.IsZero() {
			at = time.Unix(0, 0)
		}
		if f == nil {
			f = &flow{port: uint16(tabPort + len(flows)), tabSeq: 1000, brSeq: 5000}
			flows[p.Conn] = f
			if err := f.handshake(ng, at); err != nil {
				return err
			}
		}
		fromTab := p.Dir != wiretap.Received
		for data := p.Raw; len(data) > 0; {
			n := min(len(data), mss)
			if err := f.segment(ng, at, fromTab, tcpFlags{psh: true, ack: true}, data[:n]); err != nil {
				return err
			}
			data = data[n:]
		}
	}
	if err := ng.Flush(); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	return nil
}

type tcpFlags struct{ syn, ack, psh bool }

func (f *flow) handshake(ng *pcapgo.NgWriter, at time.Time) error {
	if err := f.segment(ng, at, true, tcpFlags{syn: true}, nil); err != nil {
		return err
	}
	if err := f.segment(ng, at, false, tcpFlags{syn: true, ack: true}, nil); err != nil {
		return err
	}
	return f.segment(ng, at, true, tcpFlags{ack: true}, nil)
}

// segment writes one TCP segment and advances the sender's sequence
// number (a SYN counts one).
func (f *flow) segment(ng *pcapgo.NgWriter, at time.Time, fromTab bool, fl tcpFlags, payload []byte) error {
	eth := &layers.Ethernet{SrcMAC: tabMAC, DstMAC: brokerMAC, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: TabIP, DstIP: BrokerIP}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(f.port), DstPort: BrokerPort, Seq: f.tabSeq, Window: 65535,
		SYN: fl.syn, ACK: fl.ack, PSH: fl.psh}
	if fl.ack {
		tcp.Ack = f.brSeq
	}
	if !fromTab {
		eth.SrcMAC, eth.DstMAC = brokerMAC, tabMAC
		ip.SrcIP, ip.DstIP = BrokerIP, TabIP
		tcp.SrcPort, tcp.DstPort = BrokerPort, layers.TCPPort(f.port)
		tcp.Seq, tcp.Ack = f.brSeq, 0
		if fl.ack {
			tcp.Ack = f.tabSeq
		}
	}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	adv := uint32(len(payload))
	if fl.syn {
		adv++
	}
	if fromTab {
		f.tabSeq += adv
	} else {
		f.brSeq += adv
	}
	data := buf.Bytes()
	ci := gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(data), Length: len(data), InterfaceIndex: 0}
	if err := ng.WritePacket(ci, data); err != nil {
		return fmt.Errorf("capture: %w", err)
	}
	return nil
}
