package precompress

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Negotiate reads the Accept-Encoding field values of a request and returns
// the codings this package can send that the client accepts, best first:
// by the client's q-value, and among equal q-values brotli (smallest), then
// gzip, then identity. It follows RFC 9110 section 12.5.3:
//
//   - no Accept-Encoding at all: identity only. The RFC allows any coding,
//     but a client that did not ask (curl without --compressed, a script)
//     would get bytes it cannot use.
//   - "*" stands for every coding not named; q=0 refuses a coding.
//   - identity is acceptable unless refused by "identity;q=0", or by "*;q=0"
//     without an "identity" entry of its own.
//
// The list always ends with identity, even when refused: the RFC lets a
// server ignore the header rather than answer 406, and a file nobody can
// read is worse. A caller serves the first coding it has a copy of, so
// nothing after identity matters.
func Negotiate(values []string) []string {
	if len(values) == 0 {
		return []string{Identity}
	}
	named := map[string]float64{}
	wildcard := -1.0
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			if name == "x-gzip" {
				name = Gzip
			}
			q, ok := qValue(params)
			if !ok {
				continue // a malformed q: ignore the entry, as if absent
			}
			if name == "*" {
				wildcard = max(wildcard, q)
				continue
			}
			if old, seen := named[name]; !seen || q > old {
				named[name] = q
			}
		}
	}
	weight := func(c string) float64 {
		if q, ok := named[c]; ok {
			return q
		}
		if wildcard >= 0 {
			return wildcard
		}
		if c == Identity {
			return 0.001 // acceptable, but after anything the client named
		}
		return 0
	}
	type choice struct {
		coding string
		q      float64
		pref   int
	}
	var out []choice
	for pref, c := range []string{Brotli, Gzip, Identity} {
		if q := weight(c); q > 0 {
			out = append(out, choice{c, q, pref})
		}
	}
	slices.SortStableFunc(out, func(a, b choice) int {
		if a.q != b.q {
			return cmp.Compare(b.q, a.q)
		}
		return cmp.Compare(a.pref, b.pref)
	})
	codings := make([]string, 0, len(out)+1)
	for _, c := range out {
		codings = append(codings, c.coding)
	}
	if !slices.Contains(codings, Identity) {
		codings = append(codings, Identity)
	}
	return codings
}

// qValue parses the parameters of one Accept-Encoding entry for q, 1 when
// absent. ok is false for a q that is not a number from 0 to 1.
func qValue(params string) (q float64, ok bool) {
	q = 1
	for p := range strings.SplitSeq(params, ";") {
		k, v, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 || f > 1 {
			return 0, false
		}
		q = f
	}
	return q, true
}
