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
// worker: app/intab) and without paho's dialers; broker.wasm has the broker.
func TestAppLeavesOut(t *testing.T) {
	app := deps(t, "../../../wasm")
	for _, p := range []string{
		"github.com/mochi-mqtt/server/v2", // the in-tab broker: wasm/broker
		"github.com/gorilla/websocket",    // paho's WebSocket dialer
		"golang.org/x/net/proxy",          // paho's TCP dialer
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

// TestLeanPaho: the copy of paho has the replacement netconn.go and no
// websocket.go, and the rest as upstream has it.
func TestLeanPaho(t *testing.T) {
	ctx := context.Background()
	root, err := moduleRoot(ctx, ".")
	if err != nil {
		t.Fatal(err)
	}
	src, err := pahoDir(ctx, ".")
	if err != nil {
		t.Fatal(err)
	}
	repl := filepath.Join(root, replacementDir, "netconn.go")
	dir, err := leanPaho(src, repl)
	if err != nil {
		t.Fatal(err)
	}
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if read(filepath.Join(dir, "netconn.go")) != read(repl) {
		t.Error("netconn.go is not the replacement")
	}
	if _, err := os.Stat(filepath.Join(dir, "websocket.go")); !os.IsNotExist(err) {
		t.Errorf("websocket.go: %v, want it left out", err)
	}
	for _, f := range []string{"client.go", "packets/packets.go", "go.mod"} {
		if read(filepath.Join(dir, f)) != read(filepath.Join(src, f)) {
			t.Errorf("%s differs from upstream", f)
		}
	}
}
