package wasmbuild

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// deps lists the packages pkg is built from for the browser with the
// module file Build uses.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	modfile, cleanup, err := ModFile(context.Background(), ".")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	cmd := exec.Command("go", "list", "-modfile", modfile, "-deps", pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	return strings.Fields(string(out))
}

// TestAppLeavesOut: app.wasm is built without the broker (it runs in its own
// worker: app/intab), without paho's dialers, and without net/http and
// crypto/tls (leanModules); broker.wasm has the broker.
func TestAppLeavesOut(t *testing.T) {
	app := deps(t, "../../../wasm")
	for _, p := range []string{
		"github.com/mochi-mqtt/server/v2", // the in-tab broker: wasm/broker
		"github.com/gorilla/websocket",    // paho's WebSocket dialer
		"golang.org/x/net/proxy",          // paho's TCP dialer
		"net/http",                        // go-app's server, coder/websocket's and paho's options
		"crypto/tls",                      // through net/http and paho's options
		"crypto/x509",
		"regexp", // go-app's router (wasm/_goapp/route_wasm.go)
	} {
		if slices.Contains(app, p) {
			t.Errorf("app.wasm is built with %s", p)
		}
	}
	if !slices.Contains(app, PahoModule) {
		t.Errorf("app.wasm is built without %s: the check above proves nothing", PahoModule)
	}
	if broker := deps(t, "../../../wasm/broker"); !slices.Contains(broker, "github.com/mochi-mqtt/server/v2") {
		t.Errorf("broker.wasm is built without mochi")
	}
}

// TestLeanModules: each copy has the files added, left out and changed as
// leanModules says, and the rest as upstream has it.
func TestLeanModules(t *testing.T) {
	ctx := context.Background()
	root, err := moduleRoot(ctx, ".")
	if err != nil {
		t.Fatal(err)
	}
	read := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, m := range leanModules {
		src, err := moduleDir(ctx, ".", m)
		if err != nil {
			t.Fatal(err)
		}
		addDir := filepath.Join(root, filepath.FromSlash(m.Dir))
		dir, err := m.copy(src, addDir)
		if err != nil {
			t.Fatal(err)
		}
		pkg := filepath.Join(dir, filepath.FromSlash(m.Pkg))
		upstream := filepath.Join(src, filepath.FromSlash(m.Pkg))
		added, _ := filepath.Glob(filepath.Join(addDir, "*.go"))
		if len(added) == 0 {
			t.Errorf("%s: nothing to add in %s", m.Module, m.Dir)
		}
		for _, f := range added {
			if read(filepath.Join(pkg, filepath.Base(f))) != read(f) {
				t.Errorf("%s: %s is not %s", m.Module, filepath.Base(f), f)
			}
		}
		for _, f := range m.Skip {
			if _, err := os.Stat(filepath.Join(pkg, f)); !os.IsNotExist(err) {
				t.Errorf("%s: %s: %v, want it left out", m.Module, f, err)
			}
		}
		for _, f := range m.NotWasm {
			if got, want := read(filepath.Join(pkg, f)), "//go:build !wasm\n\n"+read(filepath.Join(upstream, f)); got != want {
				t.Errorf("%s: %s is not upstream's with //go:build !wasm", m.Module, f)
			}
		}
		for _, f := range m.Unimport {
			got := read(filepath.Join(pkg, f))
			for _, imp := range []string{`"net/http"`, `"crypto/tls"`, "http.", "tls."} {
				if strings.Contains(strings.ReplaceAll(got, "http://", ""), imp) {
					t.Errorf("%s: %s still has %s", m.Module, f, imp)
				}
			}
		}
		// Every other file of the package, and go.mod, as upstream has it.
		files, _ := filepath.Glob(filepath.Join(upstream, "*.go"))
		for _, f := range files {
			name := filepath.Base(f)
			if strings.HasSuffix(name, "_test.go") || slices.Contains(slices.Concat(m.Skip, m.NotWasm, m.Unimport), name) {
				continue
			}
			if _, err := os.Stat(filepath.Join(addDir, name)); err == nil {
				continue
			}
			if read(filepath.Join(pkg, name)) != read(f) {
				t.Errorf("%s: %s differs from upstream", m.Module, name)
			}
		}
		if read(filepath.Join(dir, "go.mod")) != read(filepath.Join(src, "go.mod")) {
			t.Errorf("%s: go.mod differs from upstream", m.Module)
		}
	}
}

func TestUnimport(t *testing.T) {
	in := "package p\n\nimport (\n\t\"crypto/tls\"\n\t\"net/http\"\n\t\"net/url\"\n)\n\n// see http://x and tls.Config\nvar h http.Header\nvar c *tls.Config\nvar u = \"https://a\"\nvar r = req.http.get\n"
	want := "package p\n\nimport (\n\t\"net/url\"\n)\n\n// see http://x and tlsConfig\nvar h httpHeader\nvar c *tlsConfig\nvar u = \"https://a\"\nvar r = req.http.get\n"
	got, err := unimport([]byte(in))
	if err != nil || string(got) != want {
		t.Errorf("unimport:\n%s\nerr %v, want\n%s", got, err, want)
	}
	if _, err := unimport([]byte("package p\n\nimport (\n\t\"net/url\"\n)\n")); err == nil {
		t.Error("unimport of a file that imports neither: no error")
	}
}
