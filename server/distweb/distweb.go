// Package distweb holds the web directory inside a `make dist` executable
// (build tag dist), so that the one file serves the whole app from an
// empty folder. Without the tag FS is nil and the server reads -web.
//
// The server does not serve from the embedded files directly: it writes
// them once into a folder of its data directory named after their digest
// (Extract) and serves that, so every path that reads the web directory
// (the precompressed wasm, the service worker's file list) works as with
// -web.
package distweb

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// FS is the embedded web directory of a dist build, nil in any other.
var FS fs.FS

// complete marks a folder whose extraction finished.
const complete = ".complete"

// Extract writes FS into dir/web-<digest> unless a complete copy is there
// already, and returns that folder. It fails when FS is nil.
func Extract(dir string) (string, error) {
	if FS == nil {
		return "", errors.New("distweb: this executable has no embedded web directory (built without -tags dist)")
	}
	var names []string
	h := sha256.New()
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("distweb: %w", err)
	}
	sort.Strings(names)
	for _, n := range names {
		f, err := FS.Open(n)
		if err != nil {
			return "", fmt.Errorf("distweb: %w", err)
		}
		fmt.Fprintf(h, "%s\x00", n)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("distweb: %w", err)
		}
	}
	out := filepath.Join(dir, "web-"+hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(filepath.Join(out, complete)); err == nil {
		return out, nil
	}
	tmp, err := os.MkdirTemp(dir, ".web-")
	if err != nil {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("distweb: %w", err)
		}
		if tmp, err = os.MkdirTemp(dir, ".web-"); err != nil {
			return "", fmt.Errorf("distweb: %w", err)
		}
	}
	defer os.RemoveAll(tmp)
	for _, n := range names {
		data, err := fs.ReadFile(FS, n)
		if err != nil {
			return "", fmt.Errorf("distweb: %w", err)
		}
		p := filepath.Join(tmp, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", fmt.Errorf("distweb: %w", err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return "", fmt.Errorf("distweb: %w", err)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, complete), nil, 0o644); err != nil {
		return "", fmt.Errorf("distweb: %w", err)
	}
	os.RemoveAll(out) // an incomplete earlier attempt
	if err := os.Rename(tmp, out); err != nil {
		if _, serr := os.Stat(filepath.Join(out, complete)); serr == nil {
			return out, nil // another server got there first
		}
		return "", fmt.Errorf("distweb: %w", err)
	}
	return out, nil
}
