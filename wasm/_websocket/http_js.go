// This file is not part of the qosplayground module (the go tool ignores
// directories whose name starts with "_"). When server/internal/wasmbuild
// builds for the browser, it builds with a copy of github.com/coder/websocket
// v1.8.15 to which this file is added and whose ws_js.go imports no net/http:
// its http.Response, http.ResponseWriter, http.Request and
// http.StatusSwitchingProtocols are the stand-ins below (wasmbuild's
// leanModules).
//
// Why: importing net/http runs crypto/tls's package inits, which keep about
// 1.4 MB of code in app.wasm that a tab never runs. In the browser, Dial's
// *http.Response is always nil or a mock of a successful handshake, and
// Accept is a stub; app/transport reads only the response's Status.

package websocket

// httpResponse stands for net/http's Response: the fields a caller may read.
type httpResponse struct {
	Status     string
	StatusCode int
}

// httpResponseWriter and httpRequest stand for net/http's, in the stub of
// Accept.
type (
	httpResponseWriter any
	httpRequest        struct{}
)

const httpStatusSwitchingProtocols = 101
