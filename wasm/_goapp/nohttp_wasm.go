// This file is not part of the qosplayground module (the go tool ignores
// directories whose name starts with "_"). When server/internal/wasmbuild
// builds for the browser, it builds with a copy of go-app v9.8.0 whose
// pkg/app/http.go and resource.go (the server's Handler and its resource
// providers) are left out of GOARCH=wasm builds and to whose pkg/app this
// file is added, with what the browser side uses of them (wasmbuild's
// leanModules).
//
// Why: those two files import net/http, and importing net/http runs
// crypto/tls's package inits, which keep about 1.4 MB of code in app.wasm
// that a tab never runs. The browser side of go-app uses no HTTP handler.

package app

import "strings"

// Handler stands for go-app's HTTP handler: the browser side names it only
// in GenerateStaticWebsite, which panics there (wasm.go).
type Handler struct{}

// isRemoteLocation and isStaticResourcePath are go-app's (http.go).

func isRemoteLocation(path string) bool {
	return strings.HasPrefix(path, "https://") ||
		strings.HasPrefix(path, "http://")
}

func isStaticResourcePath(path string) bool {
	return strings.HasPrefix(path, "/web/") ||
		strings.HasPrefix(path, "web/")
}
