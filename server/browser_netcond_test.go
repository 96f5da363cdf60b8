package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qosplayground/app/netcond"
	"qosplayground/internal/testenv"
)

// TestBrowserNetConditions: on the playground, the learner picks the
// satellite preset while connected, applies it, and a QoS 1 publish's
// PUBACK comes back a satellite round trip (2 × 300 ms) after its PUBLISH,
// as the page's own packet list times them; a perfect link again makes it
// quick. The card is drawn in both languages at 390 and 1280 px.
func TestBrowserNetConditions(t *testing.T) {
	testenv.NeedMosquitto(t)
	b := newBrowser(t)
	srv := startServer(t, "-broker", "mosquitto")
	b.open(srv.URL, "/")
	b.waitFor("the conditions card", `document.querySelector("#net-card") !== null && document.querySelector("#net-status").innerText.startsWith("Connect first")`, 10*time.Second)
	b.connect("connected", 20*time.Second)

	// The page's packet list times a QoS 1 PUBLISH and its PUBACK.
	rtt := func(payload string) time.Duration {
		t.Helper()
		topic := "net/" + payload
		b.set("#pub-topic", topic)
		b.set("#pub-payload", payload)
		b.set("#pub-qos", "1")
		b.click("#publish")
		expr := fmt.Sprintf(`(() => {
			const rows = [...document.querySelectorAll("#packets tbody tr")].reverse();
			const i = rows.findIndex(r => r.dataset.type === "PUBLISH" && r.dataset.dir === "sent" && r.dataset.topic === %s);
			if (i < 0) return -1;
			const pub = rows[i];
			const ack = rows.find((r, j) => j > i && r.dataset.type === "PUBACK" && r.dataset.dir === "received" && r.dataset.id === pub.dataset.id);
			return ack ? ack.dataset.at - pub.dataset.at : -1;
		})()`, cssString(topic))
		b.waitFor("the PUBACK of "+payload, expr+" >= 0", 10*time.Second)
		return time.Duration(eval[int](b, expr)) * time.Millisecond
	}
	// The page's own round trip, before any conditions: what the browser
	// and the broker add.
	base := min(rtt("base0"), rtt("base1"), rtt("base2"))

	// Each preset shows its numbers in the list.
	b.waitFor("the satellite's numbers", `[...document.querySelectorAll("#net-preset option")].some(o => o.value === "satellite" && o.innerText.includes("Satellite link") && o.innerText.includes("300 ms ± 20 ms each way"))`, 5*time.Second)
	b.set("#net-preset", "satellite")
	b.waitFor("the preset's numbers under the list", `!document.querySelector("#net-numbers").hidden && document.querySelector("#net-numbers").innerText === "300 ms ± 20 ms each way, up 512 kbit/s, down 2000 kbit/s"`, 5*time.Second)
	b.waitFor("the preset's numbers in the fields", `document.querySelector("#net-latency").value === "300" && document.querySelector("#net-jitter").value === "20" && document.querySelector("#net-up").value === "512" && document.querySelector("#net-down").value === "2000"`, 5*time.Second)
	b.click("#net-apply")
	b.waitFor("applied", `document.querySelector("#net-status").innerText.includes("300 ms ± 20 ms")`, 10*time.Second)

	// Jitter ± 20 ms each way: the median of five round trips.
	var rtts []time.Duration
	for i := range 5 {
		rtts = append(rtts, rtt(fmt.Sprintf("sat%d", i)))
	}
	med := medianOf(rtts)
	if want, added := 600*time.Millisecond, med-base; added < want*9/10 || added > want*11/10 {
		t.Errorf("QoS 1 round trip over the satellite preset, as the page saw it: %v (of %v), %v more than on a perfect link (%v); want 600ms ± 10 %% more", med, rtts, added, base)
	} else {
		t.Logf("QoS 1 round trip over the satellite preset: %v (of %v), %v more than on a perfect link (%v)", med, rtts, added, base)
	}
	cardShot(b, "netcond", 1280)
	cardShot(b, "netcond", 390)
	b.do(chromedp.EmulateViewport(390, 900))
	if w := eval[int](b, `document.querySelector("#net-card").scrollWidth - document.querySelector("#net-card").clientWidth`); w > 0 {
		t.Errorf("the conditions card scrolls sideways by %d px at 390 px", w)
	}
	b.do(chromedp.EmulateViewport(1280, 900))

	// A field out of range says so next to it and sends nothing.
	b.set("#net-latency", "2500")
	b.click("#net-apply")
	b.waitFor("the latency error", `!document.querySelector("#net-latency-error").hidden && document.querySelector("#net-latency-error").innerText.includes("0 to 2000")`, 5*time.Second)

	// A perfect link again.
	b.set("#net-preset", "")
	b.click("#net-apply")
	b.waitFor("perfect", `document.querySelector("#net-status").innerText.startsWith("No conditions")`, 10*time.Second)
	if d := rtt("quick"); d > base+100*time.Millisecond {
		t.Errorf("QoS 1 round trip on a perfect link again: %v, %v before the conditions", d, base)
	}

	// A cut range: checked next to its field, then the gateway cuts the
	// connection after that many packets.
	b.set("#net-cut-min", "50")
	b.set("#net-cut-max", "20")
	b.click("#net-apply")
	b.waitFor("the cut range error", `!document.querySelector("#net-cut-max-error").hidden && document.querySelector("#net-cut-max-error").innerText.includes("(50)")`, 5*time.Second)
	b.set("#net-cut-min", "2")
	b.set("#net-cut-max", "2")
	b.click("#net-apply")
	b.waitFor("the cut applied", `document.querySelector("#net-status").innerText.includes("cut after 2 to 2 packets")`, 10*time.Second)
	for i := range 2 {
		b.set("#pub-topic", fmt.Sprintf("net/cut%d", i))
		b.click("#publish")
		b.waitFor("the publish to go", fmt.Sprintf(`[...document.querySelectorAll("#packets tbody tr")].some(r => r.dataset.topic === "net/cut%d")`, i), 10*time.Second)
	}
	b.waitFor("the cut", `document.querySelector("#conn-state").dataset.state !== "connected"`, 10*time.Second)
	cardShot(b, "netcond-cut", 390)

	// In Japanese.
	b.click("#lang-ja")
	b.waitFor("Japanese", `document.documentElement.lang === "ja" && document.querySelector("#h-net").innerText === "ネットワーク条件"`, 10*time.Second)
	b.set("#net-preset", "weak-3g")
	b.click("#net-apply")
	b.waitFor("applied in Japanese", `document.querySelector("#net-status").innerText.includes("片道 300 ms ± 150 ms")`, 10*time.Second)
	cardShot(b, "netcond-ja", 1280)
	cardShot(b, "netcond-ja", 390)

	// The address bar names the preset, and a link that names one opens
	// the page with it chosen and applies it from the first CONNECT on.
	b.waitFor("the preset in the URL", `new URL(location.href).searchParams.get("net") === "weak-3g"`, 5*time.Second)
	b.open(srv.URL, "/?net=satellite&lang=en")
	b.waitFor("the link's preset", `document.querySelector("#net-preset").value === "satellite" && document.querySelector("#net-latency").value === "300" && document.querySelector("#net-status").innerText.includes("300 ms ± 20 ms")`, 10*time.Second)
	b.connect("connected", 20*time.Second)
	if d := rtt("linked"); d < base+500*time.Millisecond {
		t.Errorf("QoS 1 round trip after a link with net=satellite: %v, want about 600 ms more than %v", d, base)
	}
	b.disconnect("disconnected", 10*time.Second)

	// On the in-tab broker, the page shapes its own end of the link.
	b.open(srv.URL, "/?lang=en")
	b.set("#broker-choice", "intab")
	b.waitFor("the in-tab broker's URL", `document.querySelector("#broker-url").value === "intab://tab"`, 5*time.Second)
	b.waitFor("the in-tab note", `document.querySelector("#net-status").innerText.includes("no gateway")`, 5*time.Second)
	b.connect("connected in the tab", 30*time.Second)
	inTabBase := min(rtt("tab0"), rtt("tab1"), rtt("tab2"))
	b.set("#net-preset", "satellite")
	b.click("#net-apply")
	b.waitFor("applied in the tab", `document.querySelector("#net-status").innerText.includes("300 ms ± 20 ms")`, 10*time.Second)
	b.disconnect("disconnected", 10*time.Second)
	b.connect("connected in the tab again", 30*time.Second)
	var tab []time.Duration
	for i := range 5 {
		tab = append(tab, rtt(fmt.Sprintf("tabsat%d", i)))
	}
	tabMed := medianOf(tab)
	if added := tabMed - inTabBase; added < 540*time.Millisecond || added > 660*time.Millisecond {
		t.Errorf("in the tab, QoS 1 round trip over the satellite preset: %v (of %v), %v more than without (%v); want 600ms ± 10 %% more", tabMed, tab, added, inTabBase)
	} else {
		t.Logf("in the tab, QoS 1 round trip over the satellite preset: %v (of %v), %v more than without (%v)", tabMed, tab, added, inTabBase)
	}
	cardShot(b, "netcond-intab", 390)
}

// cardShot saves a screenshot of the conditions card at width px.
func cardShot(b *browser, name string, width int64) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, 900))
	png, err := chromedp.Run(b.ctx, chromedp.Screenshot("#net-card"))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	b.savePNG(name, width, png)
	b.do(chromedp.EmulateViewport(1280, 900))
}

func medianOf(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// TestBrowserBlipsOverLink: the fault lab's random-cut run goes over a
// link the learner picks from the playground's presets, in both languages:
// the page says which, and every QoS 1 and 2 message still arrives. (That
// the run's clients are shaped by it is TestBlipsSlowLink's, natively.)
func TestBrowserBlipsOverLink(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")
	// A different link in each language, so that the second run's results
	// cannot be the first's (a run's results outlive the page).
	for _, c := range []struct{ lang, link, ms string }{{"ja", "satellite", "300"}, {"en", "campus-wifi", "15"}} {
		lang := c.lang
		b.open(srv.URL, "/lab/faults?lang="+lang)
		b.waitFor("the run button", `(() => { const r = document.querySelector("#run-blips"); return r !== null && !r.disabled })()`, 30*time.Second)
		if n := b.count(`#blips-net option`); n != 1+len(netcond.Presets) {
			t.Fatalf("%s: %d links to choose from, want the server's own and %d presets", lang, n, len(netcond.Presets))
		}
		b.set("#blips-net", c.link)
		b.set("#blips-n", "40")
		b.click("#run-blips")
		b.waitFor("the three runs", `document.querySelector("#blips-status").dataset.done === "true"`, 3*time.Minute)
		b.waitFor("the results of this link", `(() => { const e = document.querySelector("#blips-link"); return e !== null && e.dataset.latencyMs === "`+c.ms+`" })()`, 10*time.Second)
		said := eval[string](b, `document.querySelector("#blips-link").innerText`)
		if !strings.Contains(said, c.ms+" ms") {
			t.Errorf("%s: the results do not give the link's numbers: %q", lang, said)
		}
		for _, q := range []string{"1", "2"} {
			if got := b.attr(`#blips-ledger tr[data-qos="`+q+`"]`, "data-lost"); got != "0" {
				t.Errorf("%s: QoS %s lost %s over the %s link, want 0", lang, q, got, c.link)
			}
		}
		if lang == "ja" {
			if left := englishLeft(b); len(left) > 0 {
				t.Errorf("English left on the Japanese page:\n  %s", strings.Join(left, "\n  "))
			}
		}
		b.screenshot("lab-faults-blips-"+c.link+"-"+lang, 390)
	}
}

// TestBrowserNetCutInTab: on the in-tab broker (the offline page's), a cut
// rate set on the page cuts the connection as the gateway does: the client
// reconnects, and a QoS 1 burst to its own persistent subscription still
// loses nothing.
func TestBrowserNetCutInTab(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t, "-broker", "embedded")
	const n = 12
	b.open(srv.URL, fmt.Sprintf("/?lang=en&clean=false&reconnect=true&sub=cut/%%23&topic=cut/x&count=%d&window=5", n))
	b.set("#broker-choice", "intab")
	b.waitFor("the in-tab broker's URL", `document.querySelector("#broker-url").value === "intab://tab"`, 5*time.Second)
	// Cut after 15 to 25 packets: CONNECT, CONNACK, SUBSCRIBE and SUBACK
	// pass, the burst's 4 packets a message do not.
	b.set("#net-cut-min", "15")
	b.set("#net-cut-max", "25")
	b.click("#net-apply")
	b.waitFor("the cut applied", `document.querySelector("#net-status").innerText.includes("cut after 15 to 25 packets") && document.querySelector("#net-status").innerText.includes("no gateway")`, 10*time.Second)
	b.connectAndSubscribe("cut/#")
	b.click("#publish")
	b.waitFor("the burst to end", `(() => { const e = document.querySelector("#burst"); return e !== null && e.dataset.running === "false" })()`, 60*time.Second)
	if got := b.attr("#burst", "data-confirmed"); got != strconv.Itoa(n) {
		t.Errorf("%s of %d QoS 1 messages confirmed over the cut link", got, n)
	}
	ids := `new Set([...document.querySelectorAll("#messages li")].map(li => JSON.parse(li.dataset.payload).message_id)).size`
	b.waitFor("every message received", ids+` === `+strconv.Itoa(n), 20*time.Second)
	connects := eval[int](b, `document.querySelectorAll('#packets tbody tr[data-type="CONNECT"][data-dir="sent"]').length`)
	if connects < 2 {
		t.Errorf("%d CONNECT over a link cut every 15 to 25 packets: the in-tab link never cut", connects)
	}
	t.Logf("%d messages, %d connections", n, connects)
	cardShot(b, "netcond-intab-cut", 390)
	b.click("#lang-ja")
	b.waitFor("Japanese", `document.documentElement.lang === "ja" && document.querySelector("#net-status").innerText.includes("ゲートウェイがない")`, 10*time.Second)
	cardShot(b, "netcond-intab-cut-ja", 390)
	cardShot(b, "netcond-intab-cut-ja", 1280)
}
