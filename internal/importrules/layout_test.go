package importrules

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLayoutReader reads a small map the way the README writes it.
func TestLayoutReader(t *testing.T) {
	readme := "# x\n\n## Layout\n\n```\n" +
		"app/          shared\n" +
		"  ui/         components\n" +
		"  gateway/    the relay;\n" +
		"              gatewaytest/, a broker for tests; failovertest/, checks of app/\n" +
		"    mqtttest/ the catalogue\n" +
		"  _paho/, _goapp/  not packages\n" +
		"server/       the server\n" +
		"  internal/   helpers:\n" +
		"    cmd/cluster/      make cluster\n" +
		"```\n"
	got, err := LayoutFolders(readme)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"app", "app/ui", "app/gateway", "app/gateway/gatewaytest", "app/gateway/failovertest",
		"app/gateway/mqtttest", "app/_paho", "app/_goapp", "server", "server/internal", "server/internal/cmd/cluster"}
	if !slices.Equal(got, want) {
		t.Errorf("LayoutFolders =\n%q\nwant\n%q", got, want)
	}
}

// TestReadmeLayout: the README's map of the folders names every package
// of the module (both targets), and every folder it names exists.
func TestReadmeLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("go list over the whole module")
	}
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	named, err := LayoutFolders(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range named {
		if fi, err := os.Stat(filepath.Join(root, f)); err != nil || !fi.IsDir() {
			t.Errorf("the README's layout names %s/, which is not a folder of the tree", f)
		}
	}
	pkgs := map[string]bool{}
	for _, target := range [][]string{nil, {"GOOS=js", "GOARCH=wasm"}} {
		list, err := Load(root, target...)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.ForTest == "" && !strings.HasSuffix(p.ImportPath, ".test") {
				pkgs[strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, Module), "/")] = true
			}
		}
	}
	if len(pkgs) < 40 {
		t.Fatalf("go list gave %d packages, want the module's (40 or more)", len(pkgs))
	}
	for p := range pkgs {
		if p == "" {
			continue // the module's root holds no package
		}
		if !slices.Contains(named, p) {
			t.Errorf("package %s is missing from the README's layout (one line per package)", p)
		}
	}
}
