// Package forwarded believes the X-Forwarded-* headers of a request only
// when it comes from a reverse proxy the operator named.
//
// Behind a TLS proxy (Caddy, nginx) the server sees the proxy's address, and,
// if the proxy rewrites Host, the proxy's idea of the upstream host instead of
// the one in the learner's address bar. The gateway refuses a WebSocket whose
// Origin is not the request's Host, so such a proxy makes every page's
// connection look foreign. A proxy tells the original host, scheme and
// client in X-Forwarded-Host, X-Forwarded-Proto and X-Forwarded-For; but
// anyone can send those headers, and believing them from anyone would let a
// page on any site pass the Origin check by claiming our host. So they are
// believed only from the addresses given to -trusted-proxy, and removed from
// every other request before any handler sees them.
package forwarded

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Trusted is the set of proxy addresses whose forwarded headers are
// believed. The zero value trusts nobody.
type Trusted []netip.Prefix

// Parse reads a comma-separated list of CIDR prefixes and single addresses,
// e.g. "127.0.0.1, 10.0.0.0/8, ::1". An empty list trusts nobody.
func Parse(list string) (Trusted, error) {
	var t Trusted
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			if p != p.Masked() {
				return nil, fmt.Errorf("%q has host bits set: did you mean %s?", item, p.Masked())
			}
			t = append(t, p)
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR prefix like 10.0.0.0/8", item)
		}
		a = a.Unmap()
		t = append(t, netip.PrefixFrom(a, a.BitLen()))
	}
	return t, nil
}

// Contains reports whether a is one of the trusted addresses.
func (t Trusted) Contains(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// The headers this package reads.
const (
	headerHost  = "X-Forwarded-Host"
	headerProto = "X-Forwarded-Proto"
	headerFor   = "X-Forwarded-For"
)

// Handler passes requests to next. From a trusted peer it believes the
// forwarded headers: the request's Host becomes X-Forwarded-Host (what the
// gateway's Origin check compares), its RemoteAddr the client named by
// X-Forwarded-For (what the gateway logs), and its URL's scheme
// X-Forwarded-Proto. From any other peer it deletes those headers.
func Handler(t Trusted, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, hasHost := r.Header[headerHost]
		_, hasProto := r.Header[headerProto]
		_, hasFor := r.Header[headerFor]
		if !hasHost && !hasProto && !hasFor {
			next.ServeHTTP(w, r)
			return
		}
		r = r.Clone(r.Context())
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !t.Contains(peer.Addr()) {
			r.Header.Del(headerHost)
			r.Header.Del(headerProto)
			r.Header.Del(headerFor)
			next.ServeHTTP(w, r)
			return
		}
		if h := last(r.Header.Values(headerHost)); validHost(h) {
			r.Host = h
		}
		if p := strings.ToLower(last(r.Header.Values(headerProto))); p == "http" || p == "https" {
			r.URL.Scheme = p
		}
		if c, ok := client(t, r.Header.Values(headerFor)); ok {
			r.RemoteAddr = net.JoinHostPort(c.String(), "0")
		}
		next.ServeHTTP(w, r)
	})
}

// last returns the last comma-separated element of a header's values: the
// one the nearest proxy, the trusted one, added.
func last(values []string) string {
	if len(values) == 0 {
		return ""
	}
	v := values[len(values)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

// client walks X-Forwarded-For from the nearest hop outwards and returns
// the first address that is not a trusted proxy: the farthest hop that a
// trusted proxy vouches for. Hops further out were written by the client
// itself and prove nothing.
func client(t Trusted, values []string) (netip.Addr, bool) {
	var hops []string
	for _, v := range values {
		hops = append(hops, strings.Split(v, ",")...)
	}
	var found netip.Addr
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(strings.TrimSpace(hops[i]))
		if !ok {
			break
		}
		found = a
		if !t.Contains(a) {
			break
		}
	}
	return found, found.IsValid()
}

// parseHop reads one X-Forwarded-For element: an address, with or without
// a port.
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// validHost reports whether h looks like a host or host:port, and nothing
// else (no path, no spaces, no user info).
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, c := range h {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.', c == '-', c == ':', c == '[', c == ']', c == '_':
		default:
			return false
		}
	}
	return true
}
