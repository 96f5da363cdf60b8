package natsnode

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	natsModule = "github.com/nats-io/nats-server/v2"
	// natsCopy is the patched copy go.mod replaces natsModule with, and
	// natsPatch the whole difference from upstream.
	natsCopy    = "third_party/nats-server"
	natsPatch   = "third_party/nats-server-qos2.patch"
	patchedFile = "server/mqtt.go"
)

// TestNATSPatch: the NATS Server the nodes run is the version go.mod
// requires, from the copy in third_party/nats-server; every file of the
// copy is upstream's but server/mqtt.go, whose difference is exactly
// third_party/nats-server-qos2.patch; and no upstream source file of a
// copied package is left out. So the patch is the only change, and an
// update of the version fails here until the copy is made again.
func TestNATSPatch(t *testing.T) {
	root := filepath.Join("..", "..")
	out, err := exec.Command("go", "list", "-m", "-json", natsModule).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", natsModule, err)
	}
	var mod struct {
		Version string
		Replace *struct{ Path, Version string }
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		t.Fatal(err)
	}
	if mod.Replace == nil || mod.Replace.Path != "./"+natsCopy {
		t.Fatalf("go.mod replaces %s with %+v, want ./%s", natsModule, mod.Replace, natsCopy)
	}

	// Upstream's files, from the module cache (downloaded if need be),
	// asked outside this module so that the replacement does not apply.
	cmd := exec.Command("go", "mod", "download", "-json", natsModule+"@"+mod.Version)
	cmd.Dir = t.TempDir()
	if out, err = cmd.Output(); err != nil {
		t.Fatalf("go mod download %s@%s: %v", natsModule, mod.Version, err)
	}
	var dl struct{ Dir, Error string }
	if err := json.Unmarshal(out, &dl); err != nil || dl.Error != "" || dl.Dir == "" {
		t.Fatalf("go mod download %s@%s: %s %v", natsModule, mod.Version, dl.Error, err)
	}
	upstream := dl.Dir

	copyDir := filepath.Join(root, filepath.FromSlash(natsCopy))
	dirs := map[string]bool{}
	files := 0
	err = filepath.WalkDir(copyDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(copyDir, path)
		rel = filepath.ToSlash(rel)
		dirs[filepath.Dir(rel)] = true
		files++
		got, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		want, err := os.ReadFile(filepath.Join(upstream, filepath.FromSlash(rel)))
		if err != nil {
			t.Errorf("%s: not in %s %s: %v", rel, natsModule, mod.Version, err)
			return nil
		}
		if rel != patchedFile && !bytes.Equal(got, want) {
			t.Errorf("%s differs from upstream %s: only %s may", rel, mod.Version, patchedFile)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !dirs["server"] || files < 100 {
		t.Fatalf("%s holds %d files in %d folders: the copy is missing", natsCopy, files, len(dirs))
	}
	// A copied package has every source file upstream has (tests aside);
	// the root holds go.mod and LICENSE, not NATS's own main.
	for dir := range dirs {
		if dir == "." {
			continue
		}
		names, _ := filepath.Glob(filepath.Join(upstream, filepath.FromSlash(dir), "*.go"))
		for _, name := range names {
			base := filepath.Base(name)
			if strings.HasSuffix(base, "_test.go") {
				continue
			}
			if _, err := os.Stat(filepath.Join(copyDir, filepath.FromSlash(dir), base)); err != nil {
				t.Errorf("%s/%s of upstream is not in the copy", dir, base)
			}
		}
	}

	// The patch file is the difference, hunk for hunk.
	diff := exec.Command("diff", "-u", "--label", "a/"+patchedFile, "--label", "b/"+patchedFile,
		filepath.Join(upstream, filepath.FromSlash(patchedFile)), filepath.Join(copyDir, filepath.FromSlash(patchedFile)))
	got, err := diff.Output()
	if len(got) == 0 {
		t.Fatalf("%s is upstream's (diff: %v): the fix is missing", patchedFile, err)
	}
	want, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(natsPatch)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the difference between upstream's and the copy's %s; make it again with\n\tdiff -u --label a/%s --label b/%s <upstream> %s/%s > %s",
			natsPatch, patchedFile, patchedFile, patchedFile, natsCopy, patchedFile, natsPatch)
	}
}
