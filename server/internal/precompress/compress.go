// Package precompress makes and serves precompressed copies of a large static
// file (the playground's app.wasm): file.br (brotli) and file.gz (gzip) next
// to the file itself.
//
// Compressing 14 MB of WebAssembly at brotli's best quality takes the better
// part of a minute, far too slow for each request and slow even for each
// server start, so the build does it once (see the Makefile) and the server
// only chooses a copy by the request's Accept-Encoding.
//
// A copy is served only when its content matches the file: a copy whose
// decompressed bytes differ from the file's (an app.wasm rebuilt without
// the Makefile, by `go build` or the browser tests) is ignored, and the file
// goes out uncompressed. Comparing modification times would be cheaper but
// is wrong after a copy, a checkout or an archive extraction, which all
// reorder mtimes; comparing content costs a decompression (about 0.2 s for
// app.wasm), done once per change of the files on disk.
package precompress

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

// The content codings this package knows, with the suffix of their copies.
const (
	Brotli   = "br"
	Gzip     = "gzip"
	Identity = "identity"
)

// suffix is the file name suffix of each coding's copy.
var suffix = map[string]string{Brotli: ".br", Gzip: ".gz"}

// Options sets how hard Compress works. The zero value is the build's:
// the best compression of each format.
type Options struct {
	// BrotliQuality is brotli's quality, 0 to 11; 0 means 11. Tests use a
	// low quality to stay fast.
	BrotliQuality int
	// GzipLevel is gzip's level, 1 to 9; 0 means 9 (gzip -9).
	GzipLevel int
}

// Compress writes path.br and path.gz from path. Each copy is written to a
// temporary file and renamed into place, so a server never serves half a
// copy, and an interrupted build leaves the old copy (which the server then
// finds stale and ignores) rather than a truncated one.
func Compress(path string, opt Options) error {
	if opt.BrotliQuality == 0 {
		opt.BrotliQuality = brotli.BestCompression
	}
	if opt.GzipLevel == 0 {
		opt.GzipLevel = gzip.BestCompression
	}
	if opt.BrotliQuality < 0 || opt.BrotliQuality > brotli.BestCompression {
		return fmt.Errorf("precompress: brotli quality %d: must be from 1 to 11", opt.BrotliQuality)
	}
	if opt.GzipLevel < gzip.BestSpeed || opt.GzipLevel > gzip.BestCompression {
		return fmt.Errorf("precompress: gzip level %d: must be from 1 to 9", opt.GzipLevel)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("precompress: %w", err)
	}
	// Both at once: brotli at quality 11 takes about 40 s for app.wasm on
	// one core, gzip a few seconds on the other.
	errs := make(chan error, 2)
	go func() {
		// The largest window brotli allows (16 MiB) lets back-references
		// reach across the whole of app.wasm: about 1% smaller than the
		// default window, for the same time.
		errs <- writeAtomic(path+suffix[Brotli], func(w io.Writer) (io.WriteCloser, error) {
			return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: opt.BrotliQuality, LGWin: 24}), nil
		}, src)
	}()
	go func() {
		errs <- writeAtomic(path+suffix[Gzip], func(w io.Writer) (io.WriteCloser, error) {
			zw, err := gzip.NewWriterLevel(w, opt.GzipLevel)
			if err != nil {
				return nil, err
			}
			// The name in the header is the file's, as gzip(1) writes
			// it; the modification time stays zero so that the same
			// input always gives the same bytes.
			zw.Name = filepath.Base(path)
			return zw, nil
		}, src)
	}()
	return errors.Join(<-errs, <-errs)
}

// writeAtomic writes src through a compressor into a temporary file in
// dst's directory and renames it to dst.
func writeAtomic(dst string, newWriter func(io.Writer) (io.WriteCloser, error), src []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return fmt.Errorf("precompress: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	buf := bufio.NewWriterSize(f, 1<<20)
	zw, err := newWriter(buf)
	if err != nil {
		return fmt.Errorf("precompress: %s: %w", dst, err)
	}
	if _, err := zw.Write(src); err != nil {
		return fmt.Errorf("precompress: %s: %w", dst, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("precompress: %s: %w", dst, err)
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("precompress: %s: %w", dst, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("precompress: %s: %w", dst, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("precompress: %s: %w", dst, err)
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		return fmt.Errorf("precompress: %w", err)
	}
	return nil
}

// decoder opens a reader of a copy's decompressed bytes.
func decoder(coding string, r io.Reader) (io.Reader, error) {
	switch coding {
	case Brotli:
		return brotli.NewReader(r), nil
	case Gzip:
		return gzip.NewReader(r)
	}
	return nil, fmt.Errorf("precompress: unknown coding %q", coding)
}
