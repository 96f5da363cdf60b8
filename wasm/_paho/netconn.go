// This file is not part of the qosplayground module (the go tool ignores
// directories whose name starts with "_"). When server/internal/wasmbuild
// builds for the browser, it builds with a copy of paho.mqtt.golang v1.5.1
// in which this file replaces netconn.go and websocket.go is left out.
//
// Why: paho's built-in dialers (TCP through golang.org/x/net/proxy, TLS,
// WebSocket through gorilla/websocket) are reachable from Client.Connect
// even when ClientOptions.CustomOpenConnectionFn is set, so the linker keeps
// them, and with them crypto/tls, crypto/x509 and net/http's client: about
// 3 MB of app.wasm that a browser tab can never use (a tab cannot open TCP
// sockets, and its WebSocket is the browser's, through coder/websocket).
// The playground always sets CustomOpenConnectionFn (app/client).
//
// The types paho's options refer to are kept as upstream declares them, so
// every other file of paho compiles unchanged.

package mqtt

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"time"
)

// WebsocketOptions are config options for a websocket dialer
type WebsocketOptions struct {
	ReadBufferSize  int
	WriteBufferSize int
	Proxy           ProxyFunction
}

type ProxyFunction func(req *http.Request) (*url.URL, error)

// errNoDialer is what Connect reports when no CustomOpenConnectionFn is set.
var errNoDialer = errors.New("paho.mqtt.golang built for the playground's wasm: no built-in dialer in a browser tab; set ClientOptions.CustomOpenConnectionFn")

func openConnection(uri *url.URL, tlsc *tls.Config, timeout time.Duration, headers http.Header, websocketOptions *WebsocketOptions, dialer *net.Dialer) (net.Conn, error) {
	return nil, errNoDialer
}
