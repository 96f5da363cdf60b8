package main

import (
	"io"
	"os"
	"strings"
	"testing"
)

// TestDeploySystemdUnit: the flags deploy/qos-playground.service starts the
// server with are flags the server accepts, together.
func TestDeploySystemdUnit(t *testing.T) {
	data, err := os.ReadFile("../deploy/qos-playground.service")
	if err != nil {
		t.Fatal(err)
	}
	// ExecStart and its continuation lines.
	var cmd strings.Builder
	in := false
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "ExecStart=") {
			in, line = true, strings.TrimPrefix(line, "ExecStart=")
		}
		if !in {
			continue
		}
		more := strings.HasSuffix(line, `\`)
		cmd.WriteString(strings.TrimSuffix(line, `\`) + " ")
		if !more {
			break
		}
	}
	args := strings.Fields(cmd.String())
	if len(args) < 2 {
		t.Fatalf("ExecStart: %q", cmd.String())
	}
	c, err := parseFlags(args[1:], io.Discard)
	if err != nil {
		t.Fatalf("the unit's flags %q: %v", args[1:], err)
	}
	if !c.classroom || c.addr != "127.0.0.1:8080" {
		t.Errorf("the unit runs %+v: want a classroom server on loopback behind its proxy", c)
	}
}
