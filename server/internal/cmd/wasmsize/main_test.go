package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageOf: the name section's mangled names ("/" as "_", a dot in a
// path element as "_2e") are cut at the package's end, not at a host name's
// dot.
func TestPackageOf(t *testing.T) {
	for sym, want := range map[string]string{
		"runtime.__addrRanges_.add":                                                  "runtime",
		"sync.runtime_registerPoolCleanup":                                           "sync",
		"type_.eq.encoding_json.SyntaxError":                                         "type_",
		"qosplayground_app_ui.__brokerBanner_.Render":                                "qosplayground_app_ui",
		"github.com_maxence_charriere_go_app_v9_pkg_app.__store_.Observe.func1":      "github.com_maxence_charriere_go_app_v9_pkg_app",
		"github.com_eclipse_paho_2emqtt_2egolang.__MemoryStore_.Reset.deferwrap1":    "github.com_eclipse_paho_2emqtt_2egolang",
		"vendor_golang.org_x_net_idna.init":                                          "vendor_golang.org_x_net_idna",
		"go_buildid":                                                                 "go_buildid",
		"crypto_internal_fips140_nistec.__P256Point_.Add":                            "crypto_internal_fips140_nistec",
		"slices.medianCmpFunc_go.shape.struct___Tab_string__qosplayground_app_board": "slices",
	} {
		if got := packageOf(sym); got != want {
			t.Errorf("packageOf(%q) = %q, want %q", sym, got, want)
		}
	}
}

// TestParse reads a minimal wasm module by hand: one imported function, two
// bodies, their names.
func TestParse(t *testing.T) {
	name := func(s string) []byte { return append([]byte{byte(len(s))}, s...) }
	section := func(id byte, body []byte) []byte { return append([]byte{id, byte(len(body))}, body...) }
	var b []byte
	b = append(b, "\x00asm\x01\x00\x00\x00"...)
	imp := append([]byte{1}, name("go")...)
	imp = append(imp, name("debug")...)
	imp = append(imp, 0, 0) // a function of type 0
	b = append(b, section(2, imp)...)
	b = append(b, section(10, []byte{2, 3, 0, 0, 0x0b, 1, 0x0b})...)
	names := []byte{3, 0}
	names = append(names, name("runtime.debug")...)
	names = append(names, 1)
	names = append(names, name("fmt.Sprintf")...)
	names = append(names, 2)
	names = append(names, name("fmt.Errorf")...)
	custom := append(name("name"), section(1, names)...)
	b = append(b, section(0, custom)...)
	path := filepath.Join(t.TempDir(), "m.wasm")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := load(path, "package")
	if err != nil {
		t.Fatal(err)
	}
	if p := r.pkgs["fmt"]; p == nil || p.funcs != 2 || p.raw != 4 {
		t.Errorf("fmt: %+v, want 2 functions of 4 bytes", p)
	}
	if r.pkgs["runtime"] != nil {
		t.Error("the imported function counted as code")
	}

	var out strings.Builder
	if err := listFuncs(&out, path, "fmt", 0); err != nil {
		t.Fatal(err)
	}
	// fmt.Sprintf's body is 3 bytes (0, 0, end), fmt.Errorf's 1: largest first.
	want := "fmt: 2 functions, 4 bytes of code\n        3  fmt.Sprintf\n        1  fmt.Errorf\n"
	if out.String() != want {
		t.Errorf("listFuncs:\n%s\nwant\n%s", out.String(), want)
	}
	if err := listFuncs(&out, path, "runtime", 0); err == nil {
		t.Error("listFuncs found code of package runtime, whose only function is imported")
	}
}
