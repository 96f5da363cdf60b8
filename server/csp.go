package main

import (
	"fmt"
	"net/http"
	"strings"
)

// defaultFrameAncestors lets any page embed the playground: a course page
// anywhere can place a ready experiment next to its text.
const defaultFrameAncestors = "*"

// checkFrameAncestors checks the -frame-ancestors flag: the sources of a
// Content-Security-Policy frame-ancestors directive, separated by spaces.
func checkFrameAncestors(v string) error {
	fields := strings.Fields(v)
	if len(fields) == 0 {
		return fmt.Errorf(`-frame-ancestors is empty: give "*" (any page may embed the playground), "'self'", "'none'" or the origins of the course pages, separated by spaces`)
	}
	for _, f := range fields {
		if strings.ContainsAny(f, ";,\"") {
			return fmt.Errorf("-frame-ancestors %q: %q is not a source (separate origins with spaces, e.g. \"https://course.example.org https://*.example.edu\")", v, f)
		}
	}
	return nil
}

// frameAncestors tells browsers which pages may show the playground in an
// iframe (the operator's -frame-ancestors), on every response.
// Content-Security-Policy's frame-ancestors supersedes X-Frame-Options,
// which cannot name several origins.
func frameAncestors(sources string, h http.Handler) http.Handler {
	policy := "frame-ancestors " + strings.Join(strings.Fields(sources), " ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		h.ServeHTTP(w, r)
	})
}
