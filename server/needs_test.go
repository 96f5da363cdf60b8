package main

import (
	"os"
	"os/exec"
	"testing"
)

// need returns the path of an external program a test depends on. Where it
// is missing the test is skipped, loudly, and fails instead when CI is set:
// CI installs everything, so a missing program there is a broken set-up.
func need(t *testing.T, name string, fallbacks ...string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, p := range fallbacks {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed, and CI is set: CI must install it (see .ci/run)", name)
	}
	t.Skipf("SKIP: %s is not installed; install it to run this test (see README)", name)
	return ""
}
