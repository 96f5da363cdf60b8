//go:build dist

package distweb

import (
	"embed"
	"io/fs"
)

// web is filled by `make dist`, which copies the built web directory here
// (app.wasm and broker.wasm with their .br and .gz copies included).
//
//go:embed all:web
var web embed.FS

func init() {
	sub, err := fs.Sub(web, "web")
	if err != nil {
		panic(err)
	}
	FS = sub
}
