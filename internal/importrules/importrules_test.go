package importrules

import (
	"slices"
	"strings"
	"testing"
)

// TestCheckCatchesBadImports feeds Check synthetic packages, one per way
// of breaking a rule (and the same packages done right), so that the guard
// is shown to fail on a deliberately added bad import.
func TestCheckCatchesBadImports(t *testing.T) {
	const (
		m     = Module
		goapp = GoApp + "/pkg/app"
	)
	tests := []struct {
		name string
		pkg  Package
		want []string // "rule: what", empty when the package is fine
	}{
		{"domain package, fine",
			Package{ImportPath: m + "/app/exercises", Imports: []string{m + "/app/client"}, Deps: []string{m + "/app/client", "fmt"}},
			nil},
		{"domain package imports the gateway",
			Package{ImportPath: m + "/app/exercises", Imports: []string{m + "/server/gateway"}, Deps: []string{m + "/server/gateway"}},
			[]string{RuleAppNoServer + ": " + m + "/server/gateway"}},
		{"domain test imports a server test helper",
			Package{ImportPath: m + "/app/client [" + m + "/app/client.test]", ForTest: m + "/app/client",
				Deps: []string{m + "/server/gateway/gatewaytest", m + "/server/broker"}},
			[]string{RuleAppNoServer + ": " + m + "/server/broker", RuleAppNoServer + ": " + m + "/server/gateway/gatewaytest"}},
		{"external test package reaches server/ through another package",
			Package{ImportPath: m + "/app/inbroker_test [" + m + "/app/inbroker.test]", ForTest: m + "/app/inbroker",
				Imports: []string{m + "/internal/helper"}, Deps: []string{m + "/internal/helper", m + "/server/gateway"}},
			[]string{RuleAppNoServer + ": " + m + "/server/gateway"}},
		{"test main of a domain package",
			Package{ImportPath: m + "/app/wiretap.test", Deps: []string{m + "/server/broker"}},
			[]string{RuleAppNoServer + ": " + m + "/server/broker"}},
		{"domain package links go-app",
			Package{ImportPath: m + "/app/board", Imports: []string{goapp}, Deps: []string{goapp, GoApp + "/pkg/errors"}},
			[]string{RuleGoApp + ": " + goapp, RuleGoApp + ": " + GoApp + "/pkg/errors"}},
		{"app/ui links go-app, fine",
			Package{ImportPath: m + "/app/ui", Deps: []string{goapp}},
			nil},
		{"app/ui's tests link go-app, fine",
			Package{ImportPath: m + "/app/ui [" + m + "/app/ui.test]", ForTest: m + "/app/ui", Deps: []string{goapp}},
			nil},
		{"the in-tab broker's worker links go-app",
			Package{ImportPath: m + "/wasm/broker", Imports: []string{m + "/app/inbroker"}, Deps: []string{m + "/app/inbroker", goapp}, TopDecls: []string{"func main"}},
			[]string{RuleGoApp + ": " + goapp}},
		{"entry point that wires, fine",
			Package{ImportPath: m + "/wasm", Imports: []string{goapp, m + "/app/ui"}, Deps: []string{goapp, m + "/app/ui"}, TopDecls: []string{"func main"}},
			nil},
		{"entry point with logic of its own",
			Package{ImportPath: m + "/wasm", Imports: []string{goapp, m + "/app/ui", "strings"}, TopDecls: []string{"func main", "func route", "var pages"}},
			[]string{RuleWasmThin + ": func route", RuleWasmThin + ": imports strings", RuleWasmThin + ": var pages"}},
		{"server links go-app and imports server/, fine",
			Package{ImportPath: m + "/server", Deps: []string{goapp, m + "/server/broker"}},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range Check([]Package{tt.pkg}) {
				if v.Package != tt.pkg.ImportPath {
					t.Errorf("violation names package %q, want %q", v.Package, tt.pkg.ImportPath)
				}
				got = append(got, v.Rule+": "+v.What)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestImportRules checks the module's own packages, natively and for the
// browser (GOOS=js GOARCH=wasm), tests included.
func TestImportRules(t *testing.T) {
	if testing.Short() {
		t.Skip("go list over the whole module")
	}
	for _, target := range [][]string{nil, {"GOOS=js", "GOARCH=wasm"}} {
		name := "native"
		if target != nil {
			name = strings.Join(target, " ")
		}
		t.Run(name, func(t *testing.T) {
			pkgs, err := Load("../..", target...)
			if err != nil {
				t.Fatal(err)
			}
			var checked int
			for _, p := range pkgs {
				if under(basePath(p), Module+"/app") || under(basePath(p), Module+"/wasm") {
					checked++
				}
			}
			// A guard that sees nothing passes everything: make sure it
			// saw app/ and wasm/ with their tests.
			if checked < 40 {
				t.Fatalf("checked %d packages and test variants under app/ and wasm/, want the module's (40 or more)", checked)
			}
			for _, p := range pkgs {
				if p.ImportPath == Module+"/wasm" && !slices.Contains(p.TopDecls, "func main") {
					t.Errorf("wasm's declarations read as %q, want func main among them", p.TopDecls)
				}
			}
			for _, v := range Check(pkgs) {
				t.Error(v)
			}
		})
	}
}
