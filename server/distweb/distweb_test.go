package distweb

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestExtract(t *testing.T) {
	FS = fstest.MapFS{
		"app.wasm":    {Data: []byte("wasm")},
		"app.wasm.br": {Data: []byte("br")},
		"sub/x.css":   {Data: []byte("css")},
	}
	t.Cleanup(func() { FS = nil })
	dir := t.TempDir()
	out, err := Extract(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"app.wasm": "wasm", "app.wasm.br": "br", "sub/x.css": "css"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || string(got) != want {
			t.Errorf("%s: %q %v, want %q", name, got, err, want)
		}
	}
	// Again: the same folder, not written again.
	os.WriteFile(filepath.Join(out, "marker"), nil, 0o644)
	again, err := Extract(dir)
	if err != nil || again != out {
		t.Fatalf("second Extract: %q %v, want %q", again, err, out)
	}
	if _, err := os.Stat(filepath.Join(out, "marker")); err != nil {
		t.Error("the second Extract wrote the folder again")
	}
	// Other contents: another folder.
	FS.(fstest.MapFS)["app.wasm"] = &fstest.MapFile{Data: []byte("wasm2")}
	other, err := Extract(dir)
	if err != nil || other == out {
		t.Fatalf("changed contents: %q %v, want a folder other than %q", other, err, out)
	}
	FS = nil
	if _, err := Extract(dir); err == nil {
		t.Error("Extract without an embedded directory did not fail")
	}
}
