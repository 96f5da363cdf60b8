package wasmbuild

import (
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// appGzipBudget keeps app.wasm within issue 14's budget for a cold open
// (everything a first visit downloads, brotli-compressed, at most 2.0 MB
// with headroom: app.wasm.br at most 1.90 MB), measured by a faster proxy.
// Brotli at quality 11 takes 30–80 s for app.wasm on this machine; gzip -9
// takes about a second, and app.wasm's brotli has been 0.709–0.711 of its
// gzip -9 in every build measured (2.13/2.99, 1.69/2.41, 1.67/2.35,
// 1.63/2.29 MB on 2026-12-03). 2.65 MB of gzip is thus about 1.88 MB of
// brotli. When this fails, look at what was added
// (`go run ./server/internal/cmd/wasmsize -diff OLD.wasm NEW.wasm`,
// bench/README.md section 3) before raising the budget; check the real
// figure with `go run ./server/internal/cmd/precompress FILE.wasm`.
const appGzipBudget = 2_650_000

// TestAppSize builds app.wasm as it ships and fails when its gzip -9 size
// exceeds appGzipBudget.
func TestAppSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds app.wasm")
	}
	out := filepath.Join(t.TempDir(), "app.wasm")
	if err := Build(context.Background(), Options{Package: "../../../wasm", Out: out}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
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
