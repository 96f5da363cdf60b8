package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/internal/testenv"
)

// The browser tests of issue 16, items 4 and 5: the capture card's
// exports read by tshark, and captures written by Wireshark's own tools
// opened in the playground.

// interceptDownloads makes the page keep each file it saves through a
// Blob URL (capture-page.js clicks a link with a download attribute) in
// window.__downloads, read with fetch(blobURL), instead of saving it.
func (b *browser) interceptDownloads() {
	b.t.Helper()
	eval[bool](b, `(() => {
		window.__downloads = [];
		HTMLAnchorElement.prototype.click = function () {
			const name = this.download, href = this.href;
			fetch(href).then((r) => r.arrayBuffer()).then((buf) => {
				const u = new Uint8Array(buf);
				let s = "";
				for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
				window.__downloads.push({ name: name, href: href, b64: btoa(s) });
			});
		};
		return true;
	})()`)
}

// download clicks sel and returns the name and bytes of the file the page
// saves.
func (b *browser) download(sel string) (string, []byte) {
	b.t.Helper()
	n := eval[int](b, `window.__downloads.length`)
	b.click(sel)
	b.waitFor("the file of "+sel, fmt.Sprintf(`window.__downloads.length > %d`, n), 60*time.Second)
	var d struct{ Name, Href, B64 string }
	raw := eval[string](b, fmt.Sprintf(`JSON.stringify(window.__downloads[%d])`, n))
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		b.t.Fatal(err)
	}
	if !strings.HasPrefix(d.Href, "blob:") {
		b.t.Errorf("%s saved from %q, not a Blob URL", d.Name, d.Href)
	}
	data, err := base64.StdEncoding.DecodeString(d.B64)
	if err != nil {
		b.t.Fatal(err)
	}
	return d.Name, data
}

// diagramArrow is an arrow of the page's sequence diagram.
type diagramArrow struct {
	Seq, Dir, Type, ID, Dup, Label string
}

func (b *browser) diagram() []diagramArrow {
	b.t.Helper()
	var out []diagramArrow
	raw := eval[string](b, `JSON.stringify([...document.querySelectorAll("#seq g[data-seq]")].map((g) => ({
		Seq: g.dataset.seq, Dir: g.dataset.dir, Type: g.dataset.type, ID: g.dataset.id, Dup: g.dataset.dup,
		Label: (g.querySelector("text") || {}).textContent || "" })))`)
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		b.t.Fatal(err)
	}
	return out
}

// mqttTypes numbers MQTT 3.1.1's packet types, as tshark's mqtt.msgtype.
var mqttTypes = map[string]int{"CONNECT": 1, "CONNACK": 2, "PUBLISH": 3, "PUBACK": 4, "PUBREC": 5, "PUBREL": 6,
	"PUBCOMP": 7, "SUBSCRIBE": 8, "SUBACK": 9, "UNSUBSCRIBE": 10, "UNSUBACK": 11, "PINGREQ": 12, "PINGRESP": 13, "DISCONNECT": 14}

// exportDoc is the JSON export as README.md documents it
// ("format": "qosplayground-capture/1"); any other field fails the test.
type exportDoc struct {
	Format     string         `json:"format"`
	App        string         `json:"app"`
	Page       string         `json:"page"`
	ExportedAt time.Time      `json:"exported_at"`
	Settings   map[string]any `json:"settings"`
	Ledger     *struct {
		Sent       *int `json:"sent"`
		Received   *int `json:"received"`
		Duplicates *int `json:"duplicates"`
		Lost       *int `json:"lost"`
		Resends    *int `json:"resends"`
	} `json:"ledger"`
	Packets []struct {
		Seq      int       `json:"seq"`
		Conn     int       `json:"conn"`
		Dir      string    `json:"dir"`
		At       time.Time `json:"at"`
		Type     string    `json:"type"`
		QoS      int       `json:"qos"`
		PacketID int       `json:"packet_id"`
		Dup      bool      `json:"dup"`
		Retain   bool      `json:"retain"`
		Topic    string    `json:"topic"`
		Filters  []string  `json:"filters"`
		Length   int       `json:"length"`
		Raw      []byte    `json:"raw"`
		Error    string    `json:"error"`
	} `json:"packets"`
}

// tshark lists the MQTT packets of a capture, one line per frame, fields
// separated by | and a frame's several MQTT packets by ;.
func tshark(t *testing.T, bin, file string, port int, fields ...string) []string {
	t.Helper()
	args := []string{"-r", file, "-Y", "mqtt", "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=;"}
	if port != 1883 {
		args = append(args, "-d", fmt.Sprintf("tcp.port==%d,mqtt", port))
	}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("tshark: %v\n%s%s", err, out, stderr)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// TestBrowserCaptureExport runs the fault lab's QoS 1 lesson (a cut before
// the PUBACK, the PUBLISH resent with DUP=1) and its QoS 2 lesson (a cut
// before the PUBREC), saves each as pcapng and as JSON from the page, and
// has tshark's MQTT dissector list the same packets as the page's sequence
// diagram and packet list (type, packet id, QoS, DUP, topic), in the same
// order; the JSON has the documented fields and nothing else. The capture
// worker is then in the service worker's cache, for offline use.
func TestBrowserCaptureExport(t *testing.T) {
	bin := testenv.Need(t, "tshark")
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t)
	b.open(srv.URL, "/lab/faults?lang=en")
	b.waitFor("the service worker to control the page", `navigator.serviceWorker.controller !== null`, 60*time.Second)
	b.interceptDownloads()
	if b.count("#capture") != 0 {
		t.Error("the capture card is shown before any lesson ran")
	}
	dir := t.TempDir()
	for _, q := range []string{"1", "2"} {
		b.click("#lesson-qos" + q)
		b.waitFor("the QoS "+q+" lesson", `(() => { const r = document.querySelector("#lesson-result"); return r !== null && r.dataset.qos === "`+q+`" })()`, 30*time.Second)
		b.waitFor("the export buttons", `(() => { const x = document.querySelector("#cap-pcapng"); return x !== null && !x.disabled })()`, 10*time.Second)
		arrows := b.diagram()
		if !slices.ContainsFunc(arrows, func(a diagramArrow) bool { return a.Type == "PUBLISH" && a.Dup == "true" }) {
			t.Fatalf("QoS %s: no resend with DUP in the diagram: %+v", q, arrows)
		}

		name, pcap := b.download("#cap-pcapng")
		if !strings.HasPrefix(name, "qos-playground-faults-qos"+q+"-") || !strings.HasSuffix(name, ".pcapng") {
			t.Errorf("pcapng saved as %q", name)
		}
		jname, js := b.download("#cap-json")
		if !strings.HasPrefix(jname, "qos-playground-faults-qos"+q+"-") || !strings.HasSuffix(jname, ".json") {
			t.Errorf("JSON saved as %q", jname)
		}
		if got := eval[string](b, `document.querySelector("#cap-status").innerText`); got != "Saved "+jname+"." {
			t.Errorf("status %q after saving %s", got, jname)
		}

		var doc exportDoc
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("QoS %s: the JSON does not match the documented schema: %v\n%s", q, err, js)
		}
		l := doc.Ledger
		if doc.Format != "qosplayground-capture/1" || doc.App != "QoS Playground" || doc.Page != "/lab/faults" || doc.ExportedAt.IsZero() ||
			doc.Settings["lesson_qos"] != float64(q[0]-'0') || doc.Settings["cut"] == nil || doc.Settings["topic"] != "lesson/qos"+q ||
			l == nil || l.Sent == nil || *l.Sent != 1 || l.Received == nil || *l.Received < 1 || l.Duplicates == nil || l.Lost == nil || *l.Lost != 0 || l.Resends == nil || *l.Resends < 1 {
			t.Errorf("QoS %s: the JSON's header, settings or ledger: %s", q, js[:min(len(js), 600)])
		}
		if len(doc.Packets) != len(arrows) {
			t.Fatalf("QoS %s: %d packets in the JSON, %d arrows in the diagram", q, len(doc.Packets), len(arrows))
		}

		// What the page shows, as tshark prints it: the sender, the type,
		// the packet id, QoS, DUP and topic.
		var want []string
		for i, a := range arrows {
			p := doc.Packets[i]
			if strconv.Itoa(p.Seq) != a.Seq || p.Type != a.Type || p.Dir != a.Dir || strconv.Itoa(p.PacketID) != a.ID || strconv.FormatBool(p.Dup) != a.Dup ||
				len(p.Raw) != p.Length || p.Conn < 1 || p.At.IsZero() {
				t.Errorf("QoS %s: JSON packet %+v, diagram arrow %+v", q, p, a)
			}
			from := "192.0.2.2"
			if a.Dir == "received" {
				from = "192.0.2.1"
			}
			f := []string{from, strconv.Itoa(mqttTypes[a.Type]), "", "", "", ""}
			switch a.Type {
			case "PUBLISH":
				// The arrow's label says the QoS: "PUBLISH QoS 1 #3 DUP".
				f[3] = strings.Fields(a.Label)[2]
				if f[3] != "0" {
					f[2] = a.ID
				}
				f[4] = map[string]string{"true": "1", "false": "0"}[a.Dup]
				f[5] = p.Topic
			case "SUBSCRIBE", "UNSUBSCRIBE":
				f[2], f[5] = a.ID, strings.Join(p.Filters, ";")
			case "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBACK", "UNSUBACK":
				f[2] = a.ID
			}
			want = append(want, strings.Join(f, "|"))
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, pcap, 0o644); err != nil {
			t.Fatal(err)
		}
		got := tshark(t, bin, file, 1883, "ip.src", "mqtt.msgtype", "mqtt.msgid", "mqtt.qos", "mqtt.dupflag", "mqtt.topic")
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("QoS %s: tshark lists (from|type|id|QoS|DUP|topic):\n%s\nthe page shows:\n%s", q, strings.Join(got, "\n"), strings.Join(want, "\n"))
		} else {
			t.Logf("QoS %s: %d packets, tshark and the page agree:\n%s", q, len(got), strings.Join(got, "\n"))
		}
	}
	b.screenshot("capture-faults-en", 1280)
	b.screenshot("capture-faults-en", 390)
	b.waitCached("the capture worker", 20*time.Second, cacheOnUse...)
	srv.Stop(t)
}

// mqttExchange runs a real mosquitto_sub and mosquitto_pub exchange: a
// QoS 2 subscription through subAddr, a QoS 1 and a QoS 2 message
// published through pubAddr.
func mqttExchange(t *testing.T, subAddr, pubAddr, topic string) {
	t.Helper()
	sub := testenv.Need(t, "mosquitto_sub")
	pub := testenv.Need(t, "mosquitto_pub")
	host, port, _ := net.SplitHostPort(subAddr)
	s := exec.Command(sub, "-h", host, "-p", port, "-t", topic, "-q", "2", "-C", "2", "-W", "20", "-i", "cap-sub")
	var out bytes.Buffer
	s.Stdout = &out
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // its SUBSCRIBE first
	host, port, _ = net.SplitHostPort(pubAddr)
	for i, q := range []string{"1", "2"} {
		if o, err := exec.Command(pub, "-h", host, "-p", port, "-t", topic, "-q", q, "-m", "hello "+strconv.Itoa(i), "-i", "cap-pub"+q).CombinedOutput(); err != nil {
			t.Fatalf("mosquitto_pub: %v\n%s", err, o)
		}
	}
	if err := s.Wait(); err != nil {
		t.Fatalf("mosquitto_sub: %v (got %q)", err, out.String())
	}
}

// dumpcapFile captures the exchange with dumpcap on the loopback, as
// Wireshark would. It needs the right to capture (root, or dumpcap's
// capabilities): without it the caller falls back to text2pcap.
func dumpcapFile(t *testing.T, addr, topic, file string) error {
	bin := testenv.Need(t, "dumpcap")
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, "-q", "-i", "lo", "-f", "tcp port "+port, "-w", file)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	// dumpcap says "Capturing on" once it listens; an error ends it.
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stderr.String(), "Capturing on"); {
		select {
		case err := <-exited:
			return fmt.Errorf("dumpcap: %v: %s", err, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			return fmt.Errorf("dumpcap did not start: %s", stderr.String())
		}
	}
	mqttExchange(t, addr, addr, topic)
	time.Sleep(300 * time.Millisecond) // the last packets into the file
	cmd.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil && !strings.Contains(err.Error(), "signal") {
		return fmt.Errorf("dumpcap: %v: %s", err, stderr.String())
	}
	return nil
}

// text2pcapFile records the real bytes of the subscriber's connection of
// the exchange through a relay, each read as one packet, and has
// Wireshark's text2pcap write them as a capture of TCP between port 40000
// and 1883 (its dummy headers, one port pair: one connection; "I" marks
// the client's packets, which text2pcap sends from the first port).
func text2pcapFile(t *testing.T, addr, topic, file string) {
	bin := testenv.Need(t, "text2pcap")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var dump strings.Builder
	record := func(client bool, b []byte) {
		mu.Lock()
		defer mu.Unlock()
		dump.WriteString(map[bool]string{true: "I\n", false: "O\n"}[client])
		for i := 0; i < len(b); i += 16 {
			fmt.Fprintf(&dump, "%06x ", i)
			for _, c := range b[i:min(i+16, len(b))] {
				fmt.Fprintf(&dump, " %02x", c)
			}
			dump.WriteString("\n")
		}
	}
	var wg sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			br, err := net.Dial("tcp", addr)
			if err != nil {
				c.Close()
				continue
			}
			// One connection at a time: what one side sends is recorded
			// before the other's answer to it.
			pipe := func(from, to net.Conn, client bool) {
				defer wg.Done()
				buf := make([]byte, 64<<10)
				for {
					n, err := from.Read(buf)
					if n > 0 {
						record(client, buf[:n])
						to.Write(buf[:n])
					}
					if err != nil {
						to.(*net.TCPConn).CloseWrite()
						return
					}
				}
			}
			wg.Add(2)
			go pipe(c, br, true)
			go pipe(br, c, false)
		}
	}()
	mqttExchange(t, ln.Addr().String(), addr, topic)
	time.Sleep(200 * time.Millisecond)
	ln.Close()
	wg.Wait()
	hex := filepath.Join(t.TempDir(), "exchange.txt")
	if err := os.WriteFile(hex, []byte(dump.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-q", "-D", "-T", "40000,1883", "-n", hex, file).CombinedOutput(); err != nil {
		t.Fatalf("text2pcap: %v\n%s", err, out)
	}
}

// openCapture opens file in the playground's capture card, for MQTT on
// port, and shows all its packets at once.
func (b *browser) openCapture(file string, port int) {
	b.t.Helper()
	b.set("#cap-port", strconv.Itoa(port))
	b.do(chromedp.SetUploadFiles("#cap-file", []string{file}))
}

// TestBrowserCaptureImport opens captures written by Wireshark's own tools
// of a real mosquitto_sub / mosquitto_pub exchange (QoS 2 subscription,
// a QoS 1 and a QoS 2 message): dumpcap on the loopback (with the broker's
// own port, chosen in the page), and text2pcap from the exchange's bytes
// (port 1883, the default). The playground replays each in its sequence
// diagram and packet list: the same MQTT packets, in the same order and
// directions, as tshark lists. A file that is not a capture, and a capture
// with no MQTT on the chosen port, say so in English and Japanese.
func TestBrowserCaptureImport(t *testing.T) {
	bin := testenv.Need(t, "tshark")
	testenv.NeedMosquitto(t)
	srv := startServer(t)
	dir := t.TempDir()
	_, brokerPort, _ := net.SplitHostPort(srv.BrokerAddr)
	bport, _ := strconv.Atoi(brokerPort)

	files := []struct {
		name string
		file string
		port int
	}{}
	dump := filepath.Join(dir, "dumpcap-lo.pcapng")
	if err := dumpcapFile(t, srv.BrokerAddr, "capture/dumpcap", dump); err != nil {
		// Capturing needs a right (root, or dumpcap's capabilities) that a
		// container may withhold even from root; text2pcap, Wireshark's
		// other tool, needs none and still writes the capture opened below.
		t.Logf("SKIP of the dumpcap capture only (no right to capture on the loopback here); the text2pcap capture still runs: %v", err)
	} else {
		files = append(files, struct {
			name string
			file string
			port int
		}{"dumpcap", dump, bport})
	}
	t2p := filepath.Join(dir, "text2pcap.pcapng")
	text2pcapFile(t, srv.BrokerAddr, "capture/text2pcap", t2p)
	files = append(files, struct {
		name string
		file string
		port int
	}{"text2pcap", t2p, 1883})

	b := newBrowser(t)
	b.open(srv.URL, "/?lang=en")
	for _, f := range files {
		// tshark's MQTT packets: (direction, type) in order, and the
		// PUBLISH topics.
		var want []string
		for _, line := range tshark(t, bin, f.file, f.port, "tcp.srcport", "mqtt.msgtype") {
			fs := strings.Split(line, "|")
			dir := "sent"
			if fs[0] == strconv.Itoa(f.port) {
				dir = "received"
			}
			for _, typ := range strings.Split(fs[1], ";") {
				n, _ := strconv.Atoi(typ)
				for name, v := range mqttTypes {
					if v == n {
						want = append(want, dir+" "+name)
					}
				}
			}
		}
		publishes := 0
		for _, w := range want {
			if strings.HasSuffix(w, " PUBLISH") {
				publishes++
			}
		}
		if len(want) < 11 || publishes < 2 {
			t.Fatalf("%s: tshark sees only %d MQTT packets, %d PUBLISH: %q", f.name, len(want), publishes, want)
		}
		b.openCapture(f.file, f.port)
		b.waitFor(f.name+" replayed", `(() => { const r = document.querySelector("#cap-replay"); return r !== null && r.dataset.file === `+cssString(filepath.Base(f.file))+` })()`, 30*time.Second)
		if b.count("#cap-show-all") == 1 {
			b.click("#cap-show-all")
		}
		b.waitFor(f.name+" shown whole", `document.querySelector("#cap-progress").dataset.shown === document.querySelector("#cap-replay").dataset.total`, 10*time.Second)
		var got []string
		for _, a := range b.diagram() {
			got = append(got, a.Dir+" "+a.Type)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: the diagram shows\n%s\ntshark lists\n%s", f.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if n := b.count(`#packets tr[data-type="PUBLISH"][data-topic="capture/` + f.name + `"]`); n != publishes {
			t.Errorf("%s: %d PUBLISH rows of the packet list with the topic, tshark has %d PUBLISH", f.name, n, publishes)
		}
		if got := eval[string](b, `document.querySelector("#cap-error").hidden ? "" : document.querySelector("#cap-error").innerText`); got != "" {
			t.Errorf("%s: error %q", f.name, got)
		}
		if got := eval[string](b, `(document.querySelector("#cap-banner") || {}).innerText || ""`); !strings.Contains(got, filepath.Base(f.file)) {
			t.Errorf("%s: the note above the diagram says %q", f.name, got)
		}
		t.Logf("%s: %d packets, the diagram and tshark agree", f.name, len(got))
	}
	b.screenshot("capture-import-en", 1280)
	b.screenshot("capture-import-en", 390)
	b.click("#cap-live")
	b.waitFor("the tab's own packets again", `document.querySelector("#cap-banner") === null && document.querySelector("#cap-replay") === null && document.querySelectorAll("#seq g[data-seq]").length === 0`, 10*time.Second)

	// A file that is not a capture, and a capture without MQTT on the
	// chosen port, in both languages.
	garbage := filepath.Join(dir, "notes.pcap")
	if err := os.WriteFile(garbage, []byte("these are my notes, not a capture\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang, garbage, noMQTT string
	}{
		{"en", "notes.pcap is not a capture file. Choose a pcap or pcapng file saved by Wireshark, dumpcap or tcpdump.",
			"text2pcap.pcapng has no TCP on port 1884, so there is no MQTT to show. Is the broker on another port? The busiest TCP ports in the file: 1883, 40000."},
		{"ja", "notes.pcap はキャプチャファイルではありません。Wireshark・dumpcap・tcpdump で保存した pcap または pcapng ファイルを選んでください。",
			"text2pcap.pcapng にはポート 1884 の TCP がないため、表示できる MQTT がありません。ブローカーは別のポートではありませんか？ このファイルでよく使われている TCP ポート：1883, 40000。"},
	} {
		b.open(srv.URL, "/?lang="+tt.lang)
		for _, c := range []struct {
			file string
			port int
			want string
		}{{garbage, 1883, tt.garbage}, {t2p, 1884, tt.noMQTT}} {
			b.openCapture(c.file, c.port)
			b.waitFor(tt.lang+": the error about "+filepath.Base(c.file), `(() => { const e = document.querySelector("#cap-error"); return e !== null && !e.hidden && e.innerText === `+cssString(c.want)+` })()`, 30*time.Second)
			if b.count("#cap-replay") != 0 {
				t.Errorf("%s: %s replays something", tt.lang, filepath.Base(c.file))
			}
		}
		b.screenshot("capture-error-"+tt.lang, 1280)
		b.screenshot("capture-error-"+tt.lang, 390)
	}

	// Once used, the capture worker is in the service worker's cache: with
	// the server gone, a reloaded page still opens a capture.
	b.waitFor("the service worker to control the page", `navigator.serviceWorker.controller !== null`, 30*time.Second)
	b.waitCached("the capture worker", 20*time.Second, cacheOnUse...)
	srv.Stop(t)
	b.open(srv.URL, "/?lang=en")
	b.openCapture(t2p, 1883)
	b.waitFor("the capture opened offline", `(() => { const r = document.querySelector("#cap-replay"); return r !== null && r.dataset.file === "text2pcap.pcapng" })()`, 30*time.Second)
}
