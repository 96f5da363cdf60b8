// Package wasmbuild builds the playground's WebAssembly binaries the way
// they ship: GOOS=js GOARCH=wasm, -trimpath, no symbol table, and with
// three dependencies changed so that the browser build imports neither
// net/http nor crypto/tls (wasm/_paho/netconn.go, wasm/_websocket and
// wasm/_goapp say why and how). `make build`, the browser tests and `make
// bench` all build through here, so what they test is what ships.
//
// The changed dependencies are copies made at build time (see lean) that a
// temporary go.mod points to (`go build -modfile`): nothing is forked or
// vendored in this repository, and a plain `GOOS=js go build ./wasm` still
// works, only bigger.
package wasmbuild

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// PahoModule is the MQTT client's module, the first of leanModules.
const PahoModule = "github.com/eclipse/paho.mqtt.golang"

// A lean module is a dependency the browser build takes from a copy changed
// at build time, pinned to the version its changes were written against:
// any other version is refused until someone has compared the two again.
type lean struct {
	Module, Version string
	// Dir holds files added to the copy, relative to the module root (a
	// directory the go tool ignores: its name starts with "_"); each goes
	// to Pkg, the package's directory inside the module, replacing the
	// file of the same name if there is one.
	Dir, Pkg string
	// Skip are files of Pkg left out of the copy; NotWasm, files of Pkg
	// given the constraint `//go:build !wasm`.
	Skip, NotWasm []string
	// Unimport are files of Pkg that stop importing net/http and
	// crypto/tls: each import line goes, and each name of theirs
	// (http.Header, tls.Config) becomes the stand-in of the same name
	// without the dot (httpHeader, tlsConfig), declared in Dir's files.
	Unimport []string
}

// leanModules: the three dependencies whose browser code imports net/http
// or crypto/tls. Importing either runs crypto/tls's package inits, and
// with them the linker keeps X.509, RSA, ECDSA, ML-KEM, the NIST curves and
// net/http's client and server: 1.4 MB of code, 1.0 MB of data and 0.43 MB
// of brotli in app.wasm that a tab never runs (it speaks HTTP through fetch
// and WebSocket through the browser).
var leanModules = []lean{{
	// paho's built-in dialers (TCP through golang.org/x/net/proxy, TLS,
	// gorilla/websocket) are reachable from Client.Connect even when
	// CustomOpenConnectionFn is set; the app always sets it.
	Module: PahoModule, Version: "v1.5.1", Dir: "wasm/_paho", Pkg: ".",
	Skip:     []string{"websocket.go"},
	Unimport: []string{"options.go", "options_reader.go"},
}, {
	// In the browser, Dial's *http.Response is always nil or a mock, and
	// Accept a stub.
	Module: "github.com/coder/websocket", Version: "v1.8.15", Dir: "wasm/_websocket", Pkg: ".",
	Unimport: []string{"ws_js.go"},
}, {
	// The app package's server side (Handler, resource providers) lives in
	// the same package as its browser side. route.go is replaced by a
	// router without regexp routes (wasm/_goapp/route_wasm.go says why).
	Module: "github.com/maxence-charriere/go-app/v9", Version: "v9.8.0", Dir: "wasm/_goapp", Pkg: "pkg/app",
	NotWasm: []string{"http.go", "resource.go", "route.go"},
}}

// notInlined are the packages compiled without inlining: the user
// interface (go-app and the packages that only draw pages), whose code runs
// once per redraw, not once per packet. Inlining copies a function's body
// into every caller; without it these packages' code compresses to about
// 90 KB less brotli (app.wasm: 2.07 → 1.98 MB), which every learner
// downloads. The packages issue 13 and 17 added for the pages (board,
// brokerapi, checkpoints, eventlog, formcheck, labrun) save 10 KB more
// (2.11 → 2.10 MB on 2026-12-03).
// The packages on the path of every packet (client, transport, wiretap,
// mqttframe, paho, coder/websocket), the lab's publisher and subscriber
// (app/exercises) and the runtime keep it.
var notInlined = []string{
	"github.com/maxence-charriere/go-app/v9/...",
	"qosplayground/app/ui",
	"qosplayground/app/i18n",
	"qosplayground/app/expconfig",
	"qosplayground/app/svgchart",
	"qosplayground/app/seqdiag",
	"qosplayground/app/board",
	"qosplayground/app/brokerapi",
	"qosplayground/app/checkpoints",
	"qosplayground/app/eventlog",
	"qosplayground/app/formcheck",
	"qosplayground/app/labrun",
	// regexp and text/template were here while go-app's router and server
	// linked them; the lean go-app links neither (leanModules).
}

// Options say what to build.
type Options struct {
	Dir     string // a directory inside the module; the current one when empty
	Package string // e.g. "./wasm"
	Out     string // the .wasm file to write
	Symbols bool   // keep the function names (for profiles and size analysis)
	// DumpDep, when set, is a file for the linker's reasons (-dumpdep:
	// one "caller -> callee" line per symbol kept), for finding out who
	// keeps a package in the wasm.
	DumpDep string
}

// Build builds o.Package for the browser into o.Out.
func Build(ctx context.Context, o Options) error {
	modfile, cleanup, err := ModFile(ctx, o.Dir)
	if err != nil {
		return err
	}
	defer cleanup()
	args := []string{"build", "-trimpath", "-modfile", modfile, "-o", o.Out}
	for _, pkg := range notInlined {
		args = append(args, "-gcflags="+pkg+"=-l")
	}
	ldflags := "-ldflags=-s -w"
	if o.Symbols {
		ldflags = "-ldflags=-w"
	}
	if o.DumpDep != "" {
		ldflags += " -dumpdep"
	}
	args = append(args, ldflags, o.Package)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("wasmbuild: go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if o.DumpDep != "" {
		return os.WriteFile(o.DumpDep, out, 0o644)
	}
	return nil
}

// ModFile writes a copy of go.mod that replaces each of leanModules with
// its changed copy, for `go build -modfile` (go refuses an overlay of files
// in the module cache), and returns its path and a function that removes
// it. The copies are kept in the user's cache directory, named by their
// content, so that builds after the first reuse them and go's build cache.
func ModFile(ctx context.Context, dir string) (path string, cleanup func(), err error) {
	root, err := moduleRoot(ctx, dir)
	if err != nil {
		return "", nil, err
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", nil, err
	}
	gomod = append(gomod, '\n')
	for _, m := range leanModules {
		if bytes.Contains(gomod, []byte("replace "+m.Module)) || bytes.Contains(gomod, []byte("\t"+m.Module+" =>")) {
			return "", nil, fmt.Errorf("wasmbuild: go.mod already replaces %s", m.Module)
		}
		src, err := moduleDir(ctx, dir, m)
		if err != nil {
			return "", nil, err
		}
		copyDir, err := m.copy(src, filepath.Join(root, filepath.FromSlash(m.Dir)))
		if err != nil {
			return "", nil, err
		}
		gomod = append(gomod, fmt.Sprintf("replace %s => %s\n", m.Module, copyDir)...)
	}
	gosum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return "", nil, err
	}
	tmp, err := os.MkdirTemp("", "wasmbuild-")
	if err != nil {
		return "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	path = filepath.Join(tmp, "go.mod")
	if err := os.WriteFile(path, gomod, 0o644); err != nil {
		cleanup()
		return "", nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), gosum, 0o644); err != nil {
		cleanup()
		return "", nil, err
	}
	return path, cleanup, nil
}

// copy makes (once) the changed copy of the module at src, with the files
// of addDir, and returns its directory.
func (m lean) copy(src, addDir string) (string, error) {
	added := map[string][]byte{}
	entries, err := os.ReadDir(addDir)
	if err != nil {
		return "", fmt.Errorf("wasmbuild: %v", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s %+v\n", copyFormat, m)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		body, err := os.ReadFile(filepath.Join(addDir, e.Name()))
		if err != nil {
			return "", err
		}
		added[e.Name()] = body
		fmt.Fprintf(h, "%s %d\n", e.Name(), len(body))
		h.Write(body)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dst := filepath.Join(cache, "qosplayground", fmt.Sprintf("%s@%s-js-%x", strings.ReplaceAll(m.Module, "/", "_"), m.Version, h.Sum(nil)[:6]))
	if _, err := os.Stat(filepath.Join(dst, "go.mod")); err == nil {
		return dst, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), "tmp-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	// Every Go file but tests (go-app's module also holds its web site:
	// 32 MB), and go.mod last: its presence marks a complete copy.
	pkg := filepath.FromSlash(m.Pkg)
	seen := map[string]bool{}
	err = filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if d.Name() == "testdata" || (rel != "." && strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(tmp, rel), 0o755)
		}
		name := d.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || !d.Type().IsRegular() {
			return nil
		}
		inPkg := filepath.Dir(rel) == pkg
		if inPkg && slices.Contains(m.Skip, name) {
			seen[name] = true
			return nil
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch {
		case inPkg && added[name] != nil:
			body = added[name]
			seen[name] = true
		case inPkg && slices.Contains(m.NotWasm, name):
			if bytes.HasPrefix(body, []byte("//go:build")) {
				return fmt.Errorf("wasmbuild: %s %s: %s has a build constraint already", m.Module, m.Version, rel)
			}
			body = append([]byte("//go:build !wasm\n\n"), body...)
			seen[name] = true
		case inPkg && slices.Contains(m.Unimport, name):
			if body, err = unimport(body); err != nil {
				return fmt.Errorf("wasmbuild: %s %s: %s: %v", m.Module, m.Version, rel, err)
			}
			seen[name] = true
		}
		return os.WriteFile(filepath.Join(tmp, rel), body, 0o644)
	})
	if err != nil {
		return "", err
	}
	for name, body := range added {
		if !seen[name] {
			if err := os.WriteFile(filepath.Join(tmp, pkg, name), body, 0o644); err != nil {
				return "", err
			}
		}
	}
	for _, name := range slices.Concat(m.Skip, m.NotWasm, m.Unimport) {
		if !seen[name] {
			return "", fmt.Errorf("wasmbuild: %s %s has no %s: compare it with %s again", m.Module, m.Version, path.Join(m.Pkg, name), m.Dir)
		}
	}
	body, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), body, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dst); err != nil {
		if _, statErr := os.Stat(filepath.Join(dst, "go.mod")); statErr == nil {
			return dst, nil // another build made it first
		}
		return "", err
	}
	return dst, nil
}

// copyFormat names how copy makes a copy: change it when that changes, so
// that copies made the old way in users' caches are not reused.
const copyFormat = "go files, no tests"

// unimported are the packages lean.Unimport takes out, by their name.
var unimported = map[string]string{"http": `"net/http"`, "tls": `"crypto/tls"`}

// qualified matches a use of an unimported package's name: http.Header.
var qualified = regexp.MustCompile(`\b(http|tls)\.([A-Z])`)

// unimport takes net/http and crypto/tls out of a Go file: their import
// lines go, and http.X and tls.X become httpX and tlsX. It fails when the
// file imports neither (the change is then a mistake).
func unimport(body []byte) ([]byte, error) {
	n := 0
	for _, imp := range unimported {
		line := []byte("\t" + imp + "\n")
		if bytes.Contains(body, line) {
			body = bytes.Replace(body, line, nil, 1)
			n++
		}
	}
	if n == 0 {
		return nil, errors.New("imports neither net/http nor crypto/tls")
	}
	return qualified.ReplaceAll(body, []byte("$1$2")), nil
}

func moduleRoot(ctx context.Context, dir string) (string, error) {
	out, err := run(ctx, dir, "env", "GOMOD")
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("wasmbuild: not inside the qosplayground module")
	}
	return filepath.Dir(gomod), nil
}

// moduleDir is the directory of m's version that go.mod selects,
// downloaded if it is not in the module cache yet.
func moduleDir(ctx context.Context, dir string, m lean) (string, error) {
	out, err := run(ctx, dir, "mod", "download", "-json", m.Module)
	if err != nil {
		return "", err
	}
	var got struct{ Version, Dir, Error string }
	if err := json.Unmarshal(out, &got); err != nil {
		return "", fmt.Errorf("wasmbuild: go mod download: %v", err)
	}
	if got.Error != "" {
		return "", fmt.Errorf("wasmbuild: go mod download %s: %s", m.Module, got.Error)
	}
	if got.Version != m.Version {
		return "", fmt.Errorf("wasmbuild: go.mod selects %s %s, but %s changes files of %s: compare them with the new version, then update its Version in leanModules", m.Module, got.Version, m.Dir, m.Version)
	}
	return got.Dir, nil
}

func run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("wasmbuild: go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
