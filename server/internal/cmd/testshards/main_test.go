package main

import (
	"regexp"
	"slices"
	"testing"
)

func TestDeal(t *testing.T) {
	got := deal([]string{"TestE", "TestA", "TestD", "TestB", "TestC"}, 2)
	want := [][]string{{"TestA", "TestC", "TestE"}, {"TestB", "TestD"}}
	if len(got) != len(want) || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Errorf("deal = %q, want %q", got, want)
	}
	if got := deal([]string{"TestA"}, 3); len(got) != 1 {
		t.Errorf("one test in three shards: %d groups, want 1", len(got))
	}
}

// TestRunPattern: a shard's pattern runs its tests and no other, not even
// one whose name begins with one of them.
func TestRunPattern(t *testing.T) {
	re := regexp.MustCompile(runPattern([]string{"TestBrowserLab", "TestX"}))
	for name, want := range map[string]bool{"TestBrowserLab": true, "TestX": true, "TestBrowserLabsFix": false, "TestBrowser": false} {
		if re.MatchString(name) != want {
			t.Errorf("%s matched: %v, want %v", name, !want, want)
		}
	}
}
