// Command precompress writes FILE.br (brotli, quality 11) and FILE.gz
// (gzip -9) next to each FILE given, for the server to send to browsers
// that accept them. The Makefile runs it on web/app.wasm after each build.
//
// `go build` rewrites app.wasm even when nothing in it changed, so make
// calls this often; copies that already decompress to FILE are kept (and
// touched, so that make sees them as new), which takes a second instead of
// the better part of a minute.
//
// Usage:
//
//	go run ./server/internal/cmd/precompress FILE...
package main

import (
	"fmt"
	"os"
	"time"

	"qosplayground/server/internal/precompress"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress FILE...")
		os.Exit(2)
	}
	for _, path := range os.Args[1:] {
		start := time.Now()
		if precompress.UpToDate(path) {
			now := time.Now()
			os.Chtimes(path+".br", now, now)
			os.Chtimes(path+".gz", now, now)
			fmt.Printf("precompress: %s.br and %s.gz are up to date\n", path, path)
			continue
		}
		if err := precompress.Compress(path, precompress.Options{}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		sizes := ""
		for _, s := range []string{"", ".br", ".gz"} {
			if info, err := os.Stat(path + s); err == nil {
				sizes += fmt.Sprintf(" %s%s %.2f MB", path, s, float64(info.Size())/1e6)
			}
		}
		fmt.Printf("precompress:%s (%s)\n", sizes, time.Since(start).Round(100*time.Millisecond))
	}
}
