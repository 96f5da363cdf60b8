package wasmbuild

import (
	"strings"
	"testing"
)

// gopacket is the module of the pcap and pcapng formats and the packet
// layers, about 370 KB of brotli.
const gopacket = "github.com/google/gopacket"

// TestAppLeavesOutGopacket: app.wasm is built without gopacket, which only
// the capture worker (wasm/capture, web/capture.wasm) links; the page
// reaches it through app/capworker.
func TestAppLeavesOutGopacket(t *testing.T) {
	linked := func(pkgs []string) []string {
		var out []string
		for _, p := range pkgs {
			if p == gopacket || strings.HasPrefix(p, gopacket+"/") {
				out = append(out, p)
			}
		}
		return out
	}
	if got := linked(deps(t, "../../../wasm")); len(got) > 0 {
		t.Errorf("app.wasm is built with gopacket (%s): it belongs in the capture worker (app/capworker says why)", strings.Join(got, ", "))
	}
	if got := linked(deps(t, "../../../wasm/capture")); len(got) == 0 {
		t.Errorf("capture.wasm is built without gopacket: the check above proves nothing")
	}
}
