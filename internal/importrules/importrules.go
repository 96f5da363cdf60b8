// Package importrules states the module's layering as rules a test checks
// on the real import graph (issue 15 item 8):
//
//   - app/ (its tests included) never depends on server/: the domain is
//     shared by the browser and the server and tested on its own;
//   - among app/ and wasm/, only app/ui and the app's entry point wasm/
//     link go-app: every other package is logic without a page, and the
//     in-tab broker's worker (wasm/broker) carries no user interface;
//   - wasm/ stays thin: a package there declares func main and nothing
//     else (no other function, type, variable or constant), and imports
//     only the module's app/ packages and go-app's pkg/app: it wires.
//
// The graph comes from `go list -e -test -json` (each package's test
// variants carry their own transitive Deps), run for the native target and
// for GOOS=js GOARCH=wasm, where the browser-only packages build.
package importrules

import (
	"fmt"
	"sort"
	"strings"
)

// Module is the module path.
const Module = "qosplayground"

// GoApp is go-app's module path.
const GoApp = "github.com/maxence-charriere/go-app/v9"

// Package is what the rules look at in one package or test variant.
type Package struct {
	ImportPath string   // "qosplayground/app/exercises", or a test variant "qosplayground/app/exercises [qosplayground/app/exercises.test]"
	ForTest    string   // for a test variant, the package under test
	Imports    []string // direct imports
	Deps       []string // transitive dependencies
	// TopDecls names each top-level declaration of the package's non-test
	// files ("func main", "var x", "type T", ...); filled for wasm/ only.
	TopDecls []string
}

// Violation is one broken rule.
type Violation struct {
	Package string // the package's import path as go list gives it
	Rule    string // which rule, in words
	What    string // the import or declaration that breaks it
}

func (v Violation) String() string {
	return fmt.Sprintf("%s: %s: %s", v.Package, v.Rule, v.What)
}

// Rule names, as a Violation carries them.
const (
	RuleAppNoServer = "app/ depends on server/"
	RuleGoApp       = "links go-app outside app/ui and wasm/"
	RuleWasmThin    = "wasm/ does more than wire"
)

// Check returns every violation among pkgs, sorted.
func Check(pkgs []Package) []Violation {
	var out []Violation
	seen := map[Violation]bool{}
	add := func(v Violation) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, p := range pkgs {
		base := basePath(p)
		if !under(base, Module+"/app") && !under(base, Module+"/wasm") {
			continue
		}
		for _, d := range p.Deps {
			if under(base, Module+"/app") && under(d, Module+"/server") {
				add(Violation{p.ImportPath, RuleAppNoServer, d})
			}
			if under(d, GoApp) && base != Module+"/app/ui" && !goAppEntry[base] {
				add(Violation{p.ImportPath, RuleGoApp, d})
			}
		}
		if under(base, Module+"/wasm") && p.ForTest == "" && !strings.Contains(p.ImportPath, " ") {
			for _, d := range p.TopDecls {
				if d != "func main" {
					add(Violation{p.ImportPath, RuleWasmThin, d})
				}
			}
			for _, imp := range p.Imports {
				if !under(imp, Module+"/app") && imp != GoApp+"/pkg/app" {
					add(Violation{p.ImportPath, RuleWasmThin, "imports " + imp})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// goAppEntry are the go-app programs: the learners' app and the teacher's
// board (its own wasm, so that learners never download it). The workers
// (wasm/broker, wasm/capture) must stay without it.
var goAppEntry = map[string]bool{Module + "/wasm": true, Module + "/wasm/teacher": true}

// basePath is the package a test variant tests ("P [P.test]", "P_test
// [P.test]" and "P.test" all give P), or the import path itself.
func basePath(p Package) string {
	if p.ForTest != "" {
		return p.ForTest
	}
	path, _, _ := strings.Cut(p.ImportPath, " ")
	return strings.TrimSuffix(path, ".test")
}

// under reports whether path is dir or inside it.
func under(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+"/")
}
