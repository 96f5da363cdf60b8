package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/ui"
)

// writeStatic writes the playground into dir for a static file host (make
// static, -static): every page pre-rendered, go-app's scripts and service
// worker, the manifest, and the web directory's files, app.wasm and the
// in-tab broker's broker.wasm included.
// The pages carry ui.EnvBroker, so every tab runs on the in-tab broker: a
// static host has no /mqtt and no broker API.
//
// What a static host cannot do:
//   - The folder must be served at the root of its origin (a course site's
//     own host name, a GitHub Pages user or organisation site, a custom
//     domain), not under a sub-path such as GitHub Pages' /repo/: go-app
//     writes absolute paths (/web/..., /app.js, the service worker's scope
//     "/"), and so does the manifest.
//   - app.wasm and broker.wasm are served as the host serves them (most
//     compress them with gzip themselves); the .br and .gz copies are left
//     out.
//   - The network faults and the other broker lessons that need the
//     server's gateway are off (the fault lab says so).
//
// Each page is written twice: lab/faults.html, as go-app writes it (GitHub
// Pages serves it for /lab/faults), and lab/faults, for any other host,
// which serves a file by its exact name (and the service worker, which
// fetches the pages by the addresses the app links to).
func writeStatic(dir, webDir string) error {
	for _, name := range []string{"app.wasm", brokerWASM} {
		if _, err := os.Stat(filepath.Join(webDir, name)); err != nil {
			return fmt.Errorf("-static: %s has no %s: build it first (make build): %w", webDir, name, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	worker, err := appWorkerJS(cacheLater(webDir))
	if err != nil {
		return err
	}
	ui.Routes()
	h := appHandler(webDir, app.Environment{ui.EnvBroker: ui.EnvBrokerInTab}, worker)
	if err := app.GenerateStaticWebsite(dir, h); err != nil {
		return fmt.Errorf("-static: writing the pages into %s: %w", dir, err)
	}
	// The server's own manifest (real icons, scope, start URL) replaces
	// go-app's, as the server's handler does (newMux).
	if err := os.WriteFile(filepath.Join(dir, "manifest.webmanifest"), manifest(), 0o644); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), manifest(), 0o644); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	if err := copyWeb(filepath.Join(dir, "web"), webDir); err != nil {
		return fmt.Errorf("-static: copying %s: %w", webDir, err)
	}
	// app.js and the pages as the server changes them on the way out
	// (filterApp): the service worker registered once the app has
	// started, zooming allowed.
	appJS, err := os.ReadFile(filepath.Join(dir, "app.js"))
	if err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	if appJS, err = patchAppJS(appJS); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.js"), appJS, 0o644); err != nil {
		return fmt.Errorf("-static: %w", err)
	}
	// Each page (go-app writes lab/faults.html) gets a twin without the
	// extension, at the address the app links to.
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".html" {
			return err
		}
		page, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		page = patchPage(page)
		if err := os.WriteFile(path, page, 0o644); err != nil {
			return err
		}
		if filepath.Base(path) == "index.html" {
			return nil
		}
		return os.WriteFile(strings.TrimSuffix(path, ".html"), page, 0o644)
	})
}

// copyWeb copies the web directory's files into dst, without the
// precompressed copies of the wasm files and the teacher's board's wasm.
func copyWeb(dst, src string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		name := d.Name()
		// The teacher's board needs the server: not in a static build.
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".br") || strings.HasSuffix(name, ".gz") || name == teacherWASM {
			return nil
		}
		return copyFile(target, path)
	})
}

func copyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}
