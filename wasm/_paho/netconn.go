// This file is not part of the qosplayground module (the go tool ignores
// directories whose name starts with "_"). When server/internal/wasmbuild
// builds for the browser, it builds with a copy of paho.mqtt.golang v1.5.1
// in which this file replaces netconn.go, websocket.go is left out, and
// options.go and options_reader.go import neither crypto/tls nor net/http:
// their tls.Config and http.Header are the stand-ins tlsConfig and
// httpHeader declared below (wasmbuild's leanModules).
//
// Why: paho's built-in dialers (TCP through golang.org/x/net/proxy, TLS,
// WebSocket through gorilla/websocket) are reachable from Client.Connect
// even when ClientOptions.CustomOpenConnectionFn is set, so the linker keeps
// them, and with them crypto/tls, crypto/x509 and net/http's client: about
// 3 MB of app.wasm that a browser tab can never use (a tab cannot open TCP
// sockets, and its WebSocket is the browser's, through coder/websocket).
// The playground always sets CustomOpenConnectionFn (app/client).
//
// The types paho's options refer to are stand-ins without net/http or
// crypto/tls: importing either runs crypto/tls's package inits, which keep
// about 1.4 MB of code in app.wasm. Every other file of paho compiles
// unchanged. Setting a TLS configuration or HTTP headers takes these types,
// and the playground sets neither (it dials through the browser).

package mqtt

import (
	"errors"
	"net"
	"net/url"
	"time"
)

// tlsConfig stands for crypto/tls's Config, httpHeader for net/http's
// Header (a map, as options.go makes it), httpRequest for net/http's
// Request.
type (
	tlsConfig   struct{}
	httpHeader  map[string][]string
	httpRequest struct{}
)

// WebsocketOptions are config options for a websocket dialer
type WebsocketOptions struct {
	ReadBufferSize  int
	WriteBufferSize int
	Proxy           ProxyFunction
}

type ProxyFunction func(req *httpRequest) (*url.URL, error)

// errNoDialer is what Connect reports when no CustomOpenConnectionFn is set.
var errNoDialer = errors.New("paho.mqtt.golang built for the playground's wasm: no built-in dialer in a browser tab; set ClientOptions.CustomOpenConnectionFn")

func openConnection(uri *url.URL, tlsc *tlsConfig, timeout time.Duration, headers httpHeader, websocketOptions *WebsocketOptions, dialer *net.Dialer) (net.Conn, error) {
	return nil, errNoDialer
}
