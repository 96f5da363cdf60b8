package wasmbuild

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// appGzipBudget keeps app.wasm within issue 14's budget for a cold open
// (everything a first visit downloads, brotli-compressed, at most 2.0 MB
// with headroom: app.wasm.br at most 1.90 MB), measured by a faster proxy.
// Brotli at quality 11 takes 30–80 s for app.wasm on this machine; gzip -9
// takes about a second, and app.wasm's brotli has been 0.70–0.711 of its
// gzip -9 in every build measured (2.13/2.99, 1.69/2.41, 1.67/2.35,
// 1.63/2.29, 1.58/2.23 MB on 2026-12-03; 1.44/2.04 with its data joined
// and its line tables stripped, datasegments.go and linetables.go). 2.65
// MB of gzip is thus about 1.86 MB of brotli. When this fails, look at what was added
// (`go run ./server/internal/cmd/wasmsize -diff OLD.wasm NEW.wasm`,
// bench/README.md section 3) before raising the budget; check the real
// figure with `go run ./server/internal/cmd/precompress FILE.wasm`.
const appGzipBudget = 2_650_000

// built builds a package of wasm/ as it ships, once per test binary, and
// returns the file.
func built(t *testing.T, pkg string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds " + pkg)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if out, ok := builtFiles[pkg]; ok {
		return out
	}
	dir, err := os.MkdirTemp("", "wasmbuild-test-")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, filepath.Base(pkg)+".wasm")
	if err := Build(context.Background(), Options{Package: pkg, Out: out}); err != nil {
		os.RemoveAll(dir)
		t.Fatal(err)
	}
	builtFiles[pkg] = out
	return out
}

var (
	buildMu    sync.Mutex
	builtFiles = map[string]string{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range builtFiles {
		os.RemoveAll(filepath.Dir(f))
	}
	os.Exit(code)
}

// TestAppSize builds app.wasm as it ships and fails when its gzip -9 size
// exceeds appGzipBudget.
func TestAppSize(t *testing.T) {
	f, err := os.Open(built(t, "../../../wasm"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var n countWriter
	zw, _ := gzip.NewWriterLevel(&n, gzip.BestCompression)
	raw, err := io.Copy(zw, f)
	if err != nil {
		t.Fatal(err)
	}
	zw.Close()
	t.Logf("app.wasm: %.2f MB, gzip -9 %.3f MB (budget %.3f MB, about %.2f MB of brotli)", float64(raw)/1e6, float64(n)/1e6, appGzipBudget/1e6, float64(n)*0.71/1e6)
	if n > appGzipBudget {
		t.Errorf("app.wasm is %.3f MB with gzip -9, over its budget of %.3f MB (about 1.88 MB of brotli; issue 14: a cold open at most 2.0 MB with headroom)", float64(n)/1e6, appGzipBudget/1e6)
	}
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// TestAppLeavesOutTeacher: the learners' app.wasm has no teacher's board,
// which only the teacher's page loads (wasm/teacher). Go's wasm keeps its
// functions' names for stack traces, also in a stripped build.
func TestAppLeavesOutTeacher(t *testing.T) {
	const board = "qosplayground/app/ui.(*teacherPage)"
	for pkg, want := range map[string]bool{"../../../wasm": false, "../../../wasm/teacher": true} {
		b, err := os.ReadFile(built(t, pkg))
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(b, []byte(board)); got != want {
			t.Errorf("%s has the teacher's board: %v, want %v", pkg, got, want)
		}
	}
}
