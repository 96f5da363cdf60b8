package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// floorWeb makes the web directory of measurement 3's floor (-floor): the
// server's web/ whose app.wasm is bench/floorapp (go-app with one small
// component and a paho client, built by wasmbuild as app.wasm is), with
// its brotli and gzip copies, which the server sends as it sends the
// app's. The server, its pre-rendered page, app.js and service worker are
// the app's own, so the floor differs from the app only in what its wasm
// holds. size is the brotli copy's.
func (e *benchEnv) floorWeb(ctx context.Context) (dir string, size int, err error) {
	e.logf("building the floor (bench/floorapp) ...")
	dir, raw, err := e.webWithWASM(ctx, "floor-web-", "./bench/floorapp")
	if err != nil {
		return "", 0, err
	}
	br, gz, err := compressBoth(raw)
	if err != nil {
		return "", 0, err
	}
	for name, b := range map[string][]byte{"app.wasm.br": br, "app.wasm.gz": gz} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return "", 0, err
		}
	}
	return dir, len(br), nil
}

// webWithWASM makes a web directory in which every file but app.wasm and
// its compressed copies is a link to the server's web/ (-web), and
// app.wasm is built here by wasmbuild from pkg, with its flags. It returns
// the directory and the new app.wasm; the caller writes the compressed
// copies it wants the server to send.
func (e *benchEnv) webWithWASM(ctx context.Context, pattern, pkg string, flags ...string) (dir string, raw []byte, err error) {
	dir, err = os.MkdirTemp(e.tmp, pattern)
	if err != nil {
		return "", nil, err
	}
	entries, err := os.ReadDir(e.cfg.webDir)
	if err != nil {
		return "", nil, err
	}
	for _, de := range entries {
		if strings.HasPrefix(de.Name(), "app.wasm") {
			continue
		}
		abs, err := filepath.Abs(filepath.Join(e.cfg.webDir, de.Name()))
		if err != nil {
			return "", nil, err
		}
		if err := os.Symlink(abs, filepath.Join(dir, de.Name())); err != nil {
			return "", nil, err
		}
	}
	out := filepath.Join(dir, "app.wasm")
	args := append(append([]string{"run", "./server/internal/cmd/wasmbuild"}, flags...), "-o", out, pkg)
	if b, err := exec.CommandContext(ctx, "go", args...).CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("building %s with wasmbuild %s: %v\n%s", pkg, strings.Join(flags, " "), err, b)
	}
	raw, err = os.ReadFile(out)
	if err != nil {
		return "", nil, err
	}
	return dir, raw, nil
}
