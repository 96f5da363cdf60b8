package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
)

// floorWeb makes the web directory of measurement 3's floor (-floor): a
// copy of the server's web/ whose app.wasm is bench/floorapp (go-app with
// one small component and a paho client, built by wasmbuild as app.wasm
// is), with its brotli and gzip copies, which the server sends as it sends
// the app's. The server, its pre-rendered page, app.js and service worker
// are the app's own, so the floor differs from the app only in what its
// wasm holds.
func (e *benchEnv) floorWeb(ctx context.Context) (dir string, size int, err error) {
	dir, err = os.MkdirTemp(e.tmp, "floor-web-")
	if err != nil {
		return "", 0, err
	}
	if err := os.CopyFS(dir, os.DirFS(e.cfg.webDir)); err != nil {
		return "", 0, fmt.Errorf("copying %s: %w", e.cfg.webDir, err)
	}
	out := filepath.Join(dir, "app.wasm")
	os.Remove(out)
	e.logf("building the floor (bench/floorapp) ...")
	cmd := exec.CommandContext(ctx, "go", "run", "./server/internal/cmd/wasmbuild", "-o", out, "./bench/floorapp")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", 0, fmt.Errorf("building bench/floorapp: %v\n%s", err, b)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return "", 0, err
	}
	br, gz, err := compressBoth(raw)
	if err != nil {
		return "", 0, err
	}
	for name, b := range map[string][]byte{"app.wasm.br": br, "app.wasm.gz": gz} {
		if err := os.WriteFile(filepath.Join(dir, name), b, fs.FileMode(0o644)); err != nil {
			return "", 0, err
		}
	}
	return dir, len(br), nil
}
