package main

import (
	"net/http"
	"testing"
)

// TestFrameAncestors: every response says which pages may embed the
// playground, any page by default, the operator's list otherwise.
func TestFrameAncestors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "frame-ancestors *"},
		{[]string{"-frame-ancestors", "https://course.example.org  'self'"}, "frame-ancestors https://course.example.org 'self'"},
	} {
		url, _, stop := runServer(t, append([]string{"-broker", "embedded"}, tt.args...)...)
		for _, path := range []string{"/", "/lab/task1?embed=1", "/web/app.css"} {
			resp, err := http.Get(url + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Get("Content-Security-Policy"); got != tt.want {
				t.Errorf("%v %s: Content-Security-Policy %q, want %q", tt.args, path, got, tt.want)
			}
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
}
