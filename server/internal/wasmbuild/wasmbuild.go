// Package wasmbuild builds the playground's WebAssembly binaries the way
// they ship: GOOS=js GOARCH=wasm, -trimpath, no symbol table, and without
// paho.mqtt.golang's built-in dialers, which a browser tab cannot use but
// whose TLS, proxy and gorilla/websocket code the linker would otherwise
// keep (wasm/_paho/netconn.go says why). `make build`, the browser tests and
// `make bench` all build through here, so what they test is what ships.
//
// The dialers are left out of a copy of paho made at build time (its
// netconn.go replaced by wasm/_paho/netconn.go, its websocket.go left out)
// that a temporary go.mod points to (`go build -modfile`): paho is not
// forked or vendored in this repository, and a plain `GOOS=js go build
// ./wasm` still works, only bigger.
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
	"path/filepath"
	"strings"
)

// PahoModule is the module of which the build uses a changed copy, and
// PahoVersion the version wasm/_paho/netconn.go was written against: any
// other version is refused until someone has compared the two again.
const (
	PahoModule  = "github.com/eclipse/paho.mqtt.golang"
	PahoVersion = "v1.5.1"
)

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
// (app/lab) and the runtime keep it.
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
	// go-app's router matches paths with regexp; text/template is linked
	// through go-app too, which never runs it in the browser.
	"regexp",
	"regexp/syntax",
	"text/template",
	"text/template/parse",
}

// replacementDir is where the replacement file lives, relative to the module
// root (a directory the go tool ignores: its name starts with "_").
const replacementDir = "wasm/_paho"

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

// ModFile writes a copy of go.mod that replaces paho with a copy of it
// without its dialers, for `go build -modfile` (go refuses an overlay of
// files in the module cache), and returns its path and a function that
// removes it. The copy of paho is kept in the user's cache directory, named
// by its content, so that builds after the first reuse it and go's build
// cache.
func ModFile(ctx context.Context, dir string) (path string, cleanup func(), err error) {
	root, err := moduleRoot(ctx, dir)
	if err != nil {
		return "", nil, err
	}
	paho, err := pahoDir(ctx, dir)
	if err != nil {
		return "", nil, err
	}
	lean, err := leanPaho(paho, filepath.Join(root, filepath.FromSlash(replacementDir), "netconn.go"))
	if err != nil {
		return "", nil, err
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", nil, err
	}
	if bytes.Contains(gomod, []byte("replace "+PahoModule)) || bytes.Contains(gomod, []byte("\t"+PahoModule+" =>")) {
		return "", nil, fmt.Errorf("wasmbuild: go.mod already replaces %s", PahoModule)
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
	gomod = append(gomod, fmt.Sprintf("\nreplace %s => %s\n", PahoModule, lean)...)
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

// leanPaho makes (once) a copy of the paho module at src with netconn.go
// replaced by netconn and websocket.go left out, and returns its directory.
func leanPaho(src, netconn string) (string, error) {
	repl, err := os.ReadFile(netconn)
	if err != nil {
		return "", fmt.Errorf("wasmbuild: %v", err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256(repl)
	dst := filepath.Join(cache, "qosplayground", fmt.Sprintf("paho.mqtt.golang@%s-js-%x", PahoVersion, sum[:6]))
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
	// The package and its packets subpackage; not its tests, commands or
	// functional tests. go.mod last: its presence marks a complete copy.
	for _, sub := range []string{".", "packets"} {
		entries, err := os.ReadDir(filepath.Join(src, sub))
		if err != nil {
			return "", err
		}
		if err := os.MkdirAll(filepath.Join(tmp, sub), 0o755); err != nil {
			return "", err
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || (sub == "." && name == "websocket.go") {
				continue
			}
			body, err := os.ReadFile(filepath.Join(src, sub, name))
			if err != nil {
				return "", err
			}
			if sub == "." && name == "netconn.go" {
				body = repl
			}
			if err := os.WriteFile(filepath.Join(tmp, sub, name), body, 0o644); err != nil {
				return "", err
			}
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

// pahoDir is the directory of the paho version go.mod selects, downloaded
// if it is not in the module cache yet.
func pahoDir(ctx context.Context, dir string) (string, error) {
	out, err := run(ctx, dir, "mod", "download", "-json", PahoModule)
	if err != nil {
		return "", err
	}
	var m struct{ Version, Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", fmt.Errorf("wasmbuild: go mod download: %v", err)
	}
	if m.Error != "" {
		return "", fmt.Errorf("wasmbuild: go mod download %s: %s", PahoModule, m.Error)
	}
	if m.Version != PahoVersion {
		return "", fmt.Errorf("wasmbuild: go.mod selects %s %s, but %s replaces files of %s: compare it with the new netconn.go and websocket.go, then update PahoVersion", PahoModule, m.Version, replacementDir, PahoVersion)
	}
	return m.Dir, nil
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
