// Package haproxy writes the HAProxy configuration that puts server
// replicas behind one address: the one `make cluster` (cmd/cluster) and the
// replica failover test run. deploy/haproxy.cfg is the operator's version
// of the same settings, commented.
package haproxy

import (
	"fmt"
	"strings"
	"time"
)

// Config is an HAProxy configuration listening on bind and balancing the
// pages and the /mqtt WebSockets over the replicas at backends (host:port),
// each checked on /healthz every check.
func Config(bind string, backends []string, check time.Duration) string {
	var servers strings.Builder
	for i, a := range backends {
		fmt.Fprintf(&servers, "    server r%d %s check inter %s fall 2 rise 2\n", i+1, a, check)
	}
	// An open WebSocket is a tunnel: it lasts as long as the tab. A new
	// connection to a replica that died goes to another (redispatch).
	return fmt.Sprintf(`defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    option redispatch
    retries 3
frontend playground
    bind %s
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
%s`, bind, servers.String())
}
