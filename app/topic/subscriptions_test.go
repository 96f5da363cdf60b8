package topic

import (
	"slices"
	"testing"
)

func TestGranted(t *testing.T) {
	subs := []Subscription{
		{Filter: "sensors/+", Requested: 2, Granted: 1},
		{Filter: "sensors/#", Requested: 0, Granted: 0},
		{Filter: "sensors/temp", Requested: 2, Granted: 2},
		{Filter: "#", Requested: 1, Granted: 1},
	}
	tests := []struct {
		scenario string
		subs     []Subscription
		name     string
		want     int
	}{
		{"no subscription", nil, "sensors/temp", -1},
		{"none matches", subs[:3], "other", -1},
		{"one match", subs[:1], "sensors/hum", 1},
		{"overlap takes the highest granted", subs, "sensors/temp", 2},
		{"granted, not requested", subs[:2], "sensors/hum", 1},
		{"granted 0 is a match", subs[1:2], "sensors/a/b", 0},
		{"wildcards skip $ topics", subs[3:], "$SYS/broker/uptime", -1},
	}
	for _, tc := range tests {
		if got := Granted(tc.subs, tc.name); got != tc.want {
			t.Errorf("%s: Granted(%q) = %d, want %d", tc.scenario, tc.name, got, tc.want)
		}
	}
}

func TestReplaceAndWithout(t *testing.T) {
	subs := []Subscription{{Filter: "a", Granted: 0}, {Filter: "b", Granted: 1}}
	orig := slices.Clone(subs)

	got := Replace(subs, Subscription{Filter: "a", Requested: 2, Granted: 2})
	want := []Subscription{{Filter: "b", Granted: 1}, {Filter: "a", Requested: 2, Granted: 2}}
	if !slices.Equal(got, want) {
		t.Errorf("Replace = %v, want %v", got, want)
	}
	if got := Replace(subs, Subscription{Filter: "c"}); len(got) != 3 || got[2].Filter != "c" {
		t.Errorf("Replace of a new filter = %v, want it added last", got)
	}
	if got := Without(subs, "b"); !slices.Equal(got, []Subscription{{Filter: "a"}}) {
		t.Errorf("Without(b) = %v", got)
	}
	if got := Without(subs, "zz"); !slices.Equal(got, subs) {
		t.Errorf("Without of an unknown filter = %v, want %v", got, subs)
	}
	if !slices.Equal(subs, orig) {
		t.Errorf("the input changed: %v, was %v", subs, orig)
	}
}
