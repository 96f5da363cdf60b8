package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/internal/testenv"
)

// seqExchange reads, in the sequence diagram, the arrows of the QoS 1
// PUBLISH sent with packet id n's latest exchange and of its PUBACK: the
// ends of each drawn line and what the arrow says of its link time.
type seqArrow struct {
	X1, Y1, X2, Y2 float64
	DataY1, DataY2 int
	LinkMS         int
	Label          string
	MS             string // the time written beside the arrow, "" when none
}

func (b *browser) seqExchange(typ, dir string) seqArrow {
	b.t.Helper()
	return eval[seqArrow](b, fmt.Sprintf(`(() => {
		const gs = [...document.querySelectorAll('#seq g[data-type=%s][data-dir=%s]')];
		const g = gs[gs.length - 1];
		if (!g) return null;
		const l = g.querySelector('line[data-part=arrow]');
		const ms = g.querySelector('text[data-part=link-ms]');
		return {X1: +l.getAttribute("x1"), Y1: +l.getAttribute("y1"), X2: +l.getAttribute("x2"), Y2: +l.getAttribute("y2"),
			DataY1: +g.dataset.y1, DataY2: +g.dataset.y2, LinkMS: +g.dataset.linkMs,
			Label: g.getAttribute("aria-label"), MS: ms ? ms.textContent : ""};
	})()`, typ, dir))
}

// TestBrowserSlantedArrows: on the playground, a QoS 1 exchange on a
// perfect link draws flat arrows; after the satellite preset is applied,
// the next exchange's PUBLISH and PUBACK arrows slant by the link's set
// delay (300 ms each way: 30 px), downwards from the end they leave, the
// earlier flat arrows stay flat, and a note says how the slant is drawn,
// in both languages. The diagram is shot at 390 and 1280 px. A link that
// names the preset slants CONNECT already; on the in-tab broker the arrows
// slant only from the connection the conditions shape.
func TestBrowserSlantedArrows(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto")
	b.open(srv.URL, "/?lang=en")
	b.waitFor("the conditions card", `document.querySelector("#net-card") !== null && document.querySelector("#net-status").innerText.startsWith("Connect first")`, 10*time.Second)
	b.connect("connected", 20*time.Second)

	publish := func(topic string) {
		t.Helper()
		b.set("#pub-topic", topic)
		b.set("#pub-payload", "x")
		b.set("#pub-qos", "1")
		b.click("#publish")
		b.waitFor("the PUBACK of "+topic, fmt.Sprintf(`(() => {
			const rows = [...document.querySelectorAll("#packets tbody tr")].reverse();
			const i = rows.findIndex(r => r.dataset.type === "PUBLISH" && r.dataset.dir === "sent" && r.dataset.topic === %s);
			return i >= 0 && rows.some((r, j) => j > i && r.dataset.type === "PUBACK" && r.dataset.dir === "received" && r.dataset.id === rows[i].dataset.id);
		})()`, cssString(topic)), 10*time.Second)
	}

	// A perfect link: flat arrows, no note.
	publish("slant/flat")
	flatPub, flatAck := b.seqExchange("PUBLISH", "sent"), b.seqExchange("PUBACK", "received")
	for _, a := range []seqArrow{flatPub, flatAck} {
		if a.Y1 != a.Y2 || a.DataY1 != a.DataY2 || a.LinkMS != 0 || a.MS != "" {
			t.Errorf("on a perfect link, %q is drawn from y %v to %v (data %d, %d, link %d ms, %q)", a.Label, a.Y1, a.Y2, a.DataY1, a.DataY2, a.LinkMS, a.MS)
		}
	}
	if !eval[bool](b, `document.querySelector("#seq-slant-note").hidden`) {
		t.Errorf("the slant note is shown on a perfect link")
	}
	firstFlat := eval[int](b, `+document.querySelector('#seq g[data-type=PUBLISH][data-dir=sent]').dataset.seq`)

	// The satellite preset: 300 ms ± 20 ms each way, up 512 kbit/s, down 2 Mbit/s.
	b.set("#net-preset", "satellite")
	b.click("#net-apply")
	b.waitFor("applied", `document.querySelector("#net-status").innerText.includes("300 ms ± 20 ms")`, 10*time.Second)
	publish("slant/sat")
	pub, ack := b.seqExchange("PUBLISH", "sent"), b.seqExchange("PUBACK", "received")
	// 300 ms, and a 12-byte PUBLISH's 0.2 ms at 512 kbit/s: 30 px at 10 ms a pixel.
	for _, a := range []seqArrow{pub, ack} {
		if a.Y2-a.Y1 < 29 || a.Y2-a.Y1 > 31 || float64(a.DataY2-a.DataY1) != a.Y2-a.Y1 || a.LinkMS != 300 || a.MS != "300 ms" {
			t.Errorf("over the satellite preset, %q is drawn from y %v to %v (data %d, %d, link %d ms, %q); want 30 px lower at its far end, 300 ms", a.Label, a.Y1, a.Y2, a.DataY1, a.DataY2, a.LinkMS, a.MS)
		}
		if !strings.Contains(a.Label, "about 300 ms on the link as set") {
			t.Errorf("the arrow's name %q does not say its time on the link", a.Label)
		}
	}
	if pub.X1 != 110 || pub.X2 != 530 || ack.X1 != 530 || ack.X2 != 110 {
		t.Errorf("PUBLISH from x %v to %v, PUBACK from %v to %v: want client→broker, broker→client", pub.X1, pub.X2, ack.X1, ack.X2)
	}
	if ack.Y1 <= pub.Y2 {
		t.Errorf("the PUBACK leaves the broker at y %v, not below where the PUBLISH reached it (%v)", ack.Y1, pub.Y2)
	}
	// What was sent before the conditions stays flat.
	if still := eval[bool](b, fmt.Sprintf(`(() => { const g = document.querySelector('#seq g[data-seq="%d"]'); return g && g.dataset.y1 === g.dataset.y2; })()`, firstFlat)); !still {
		t.Errorf("the PUBLISH sent on the perfect link (packet %d) slants now", firstFlat)
	}
	b.waitFor("the note", `!document.querySelector("#seq-slant-note").hidden && document.querySelector("#seq-slant-note").innerText.includes("Arrows slant by the link's set delay, written at each arrow's start")`, 5*time.Second)
	seqShots(b, "seq-slant")

	// In Japanese.
	b.click("#lang-ja")
	b.waitFor("Japanese", `document.documentElement.lang === "ja" && document.querySelector("#seq-slant-note").innerText.includes("設定した回線の遅延の分だけ傾けて")`, 10*time.Second)
	if a := b.seqExchange("PUBACK", "received"); a.Y2-a.Y1 < 29 || !strings.Contains(a.Label, "設定上の回線の時間は約 300 ms") {
		t.Errorf("in Japanese the PUBACK is drawn from y %v to %v, named %q", a.Y1, a.Y2, a.Label)
	}
	seqShots(b, "seq-slant-ja")

	// A link that names the preset slants from the first packet, CONNECT.
	b.open(srv.URL, "/?net=satellite&lang=en")
	b.waitFor("the link's preset", `document.querySelector("#net-status").innerText.includes("300 ms ± 20 ms")`, 10*time.Second)
	b.connect("connected", 20*time.Second)
	if a := b.seqExchange("CONNECT", "sent"); a.Y2-a.Y1 < 29 || a.LinkMS != 300 {
		t.Errorf("after a link with net=satellite, CONNECT is drawn from y %v to %v (link %d ms)", a.Y1, a.Y2, a.LinkMS)
	}
	b.disconnect("disconnected", 10*time.Second)

	// On the in-tab broker, conditions applied while connected shape only
	// the next connection: the arrows stay flat until then.
	b.open(srv.URL, "/?lang=en")
	b.set("#broker-choice", "intab")
	b.waitFor("the in-tab broker's URL", `document.querySelector("#broker-url").value === "intab://tab"`, 5*time.Second)
	b.connect("connected in the tab", 30*time.Second)
	b.set("#net-preset", "satellite")
	b.click("#net-apply")
	b.waitFor("applied in the tab", `document.querySelector("#net-status").innerText.includes("300 ms ± 20 ms")`, 10*time.Second)
	publish("slant/tab-unshaped")
	if a := b.seqExchange("PUBACK", "received"); a.Y1 != a.Y2 {
		t.Errorf("in the tab, before reconnecting, the PUBACK slants from y %v to %v: the link is not shaped yet", a.Y1, a.Y2)
	}
	b.disconnect("disconnected", 10*time.Second)
	b.connect("connected in the tab again", 30*time.Second)
	publish("slant/tab-shaped")
	if a := b.seqExchange("PUBACK", "received"); a.Y2-a.Y1 < 29 || a.LinkMS != 300 {
		t.Errorf("in the tab, after reconnecting, the PUBACK is drawn from y %v to %v (link %d ms)", a.Y1, a.Y2, a.LinkMS)
	}
}

// seqShots saves the sequence diagram's card at 390 and 1280 px, and
// checks that at 390 px the diagram fits the card.
func seqShots(b *browser, name string) {
	b.t.Helper()
	const card = `section[aria-labelledby="h-seq"]`
	for _, w := range []int64{1280, 390} {
		b.do(chromedp.EmulateViewport(w, 900))
		if over := eval[int](b, `Math.round(document.querySelector("#seq").getBoundingClientRect().right - document.querySelector(".seq-scroll").getBoundingClientRect().right)`); over > 1 {
			b.t.Errorf("at %d px the diagram overflows its box by %d px", w, over)
		}
		png, err := chromedp.Run(b.ctx, chromedp.Screenshot(card))
		if err != nil {
			b.t.Fatalf("screenshot of %s: %v", card, err)
		}
		b.savePNG(name, w, png)
	}
	b.do(chromedp.EmulateViewport(1280, 900))
}
