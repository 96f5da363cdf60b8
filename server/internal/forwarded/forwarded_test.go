package forwarded

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tr, err := Parse(" 127.0.0.1, 10.0.0.0/8 ,::1,, 2001:db8::/32")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 4 {
		t.Fatalf("Parse gave %v, want 4 prefixes", tr)
	}
	for _, tt := range []struct {
		list, want string
	}{
		{"localhost", `"localhost" is neither an IP address nor a CIDR prefix`},
		{"10.0.0.1/8", "did you mean 10.0.0.0/8"},
		{"10.0.0.0/33", "neither an IP address nor a CIDR"},
	} {
		_, err := Parse(tt.list)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want an error saying %q", tt.list, err, tt.want)
		}
	}
	if tr, err := Parse(""); err != nil || len(tr) != 0 {
		t.Errorf("Parse(\"\") = %v, %v, want nobody trusted", tr, err)
	}
}

// seen is what the next handler got.
type seen struct {
	host, remote, scheme string
	header               http.Header
}

func through(t *testing.T, trusted string, remote string, header http.Header) seen {
	t.Helper()
	tr, err := Parse(trusted)
	if err != nil {
		t.Fatal(err)
	}
	var got seen
	h := Handler(tr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = seen{r.Host, r.RemoteAddr, r.URL.Scheme, r.Header.Clone()}
	}))
	req := httptest.NewRequest(http.MethodGet, "/mqtt", nil)
	req.Host = "127.0.0.1:8080"
	req.RemoteAddr = remote
	for k, v := range header {
		req.Header[k] = v
	}
	h.ServeHTTP(httptest.NewRecorder(), req)
	return got
}

func TestHandler(t *testing.T) {
	fwd := http.Header{
		"X-Forwarded-Host":  {"play.example.org"},
		"X-Forwarded-Proto": {"https"},
		"X-Forwarded-For":   {"203.0.113.7"},
	}
	t.Run("trusted proxy", func(t *testing.T) {
		got := through(t, "127.0.0.1", "127.0.0.1:53000", fwd)
		if got.host != "play.example.org" || got.remote != "203.0.113.7:0" || got.scheme != "https" {
			t.Errorf("got host %q remote %q scheme %q, want the forwarded ones", got.host, got.remote, got.scheme)
		}
	})
	t.Run("untrusted peer", func(t *testing.T) {
		got := through(t, "127.0.0.1", "198.51.100.9:40000", fwd)
		if got.host != "127.0.0.1:8080" || got.remote != "198.51.100.9:40000" || got.scheme != "" {
			t.Errorf("got host %q remote %q scheme %q, want the request's own", got.host, got.remote, got.scheme)
		}
		for _, k := range []string{"X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-For"} {
			if v := got.header.Get(k); v != "" {
				t.Errorf("%s %q reached the handler from an untrusted peer", k, v)
			}
		}
	})
	t.Run("nobody trusted", func(t *testing.T) {
		got := through(t, "", "127.0.0.1:53000", fwd)
		if got.host != "127.0.0.1:8080" || got.header.Get("X-Forwarded-Host") != "" {
			t.Errorf("got host %q, header %q: believed with no -trusted-proxy", got.host, got.header.Get("X-Forwarded-Host"))
		}
	})
	t.Run("IPv6 proxy in a prefix", func(t *testing.T) {
		got := through(t, "fd00::/8", "[fd00::2]:443", fwd)
		if got.host != "play.example.org" {
			t.Errorf("host %q, want play.example.org", got.host)
		}
	})
	t.Run("client-written hops are not believed", func(t *testing.T) {
		// The client sent "X-Forwarded-For: 1.2.3.4"; the first proxy
		// (10.0.0.5, trusted) appended the client's real address, the
		// second (127.0.0.1, trusted) the first proxy's.
		got := through(t, "127.0.0.1, 10.0.0.0/8", "127.0.0.1:1", http.Header{
			"X-Forwarded-For": {"1.2.3.4, 203.0.113.7", "10.0.0.5"},
		})
		if got.remote != "203.0.113.7:0" {
			t.Errorf("remote %q, want 203.0.113.7:0 (the first untrusted hop from the right)", got.remote)
		}
	})
	t.Run("bad values are ignored", func(t *testing.T) {
		got := through(t, "127.0.0.1", "127.0.0.1:1", http.Header{
			"X-Forwarded-Host":  {"evil.example/path"},
			"X-Forwarded-Proto": {"gopher"},
			"X-Forwarded-For":   {"not-an-address"},
		})
		if got.host != "127.0.0.1:8080" || got.scheme != "" || got.remote != "127.0.0.1:1" {
			t.Errorf("got host %q scheme %q remote %q, want bad values ignored", got.host, got.scheme, got.remote)
		}
	})
	t.Run("last host wins", func(t *testing.T) {
		got := through(t, "127.0.0.1", "127.0.0.1:1", http.Header{"X-Forwarded-Host": {"spoofed.example, play.example.org"}})
		if got.host != "play.example.org" {
			t.Errorf("host %q, want the value the trusted proxy added last", got.host)
		}
	})
}
