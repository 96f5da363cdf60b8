// Package natsnode runs one NATS Server node inside a process that was
// started to be one: the server (and a test binary) re-executes itself
// with [Env] set, and its main calls [MaybeRun] first thing, so that the
// managed NATS cluster (server/broker's ModeNATSCluster) needs no
// nats-server executable besides the server's own file. Each node is a
// real process of its own: killing it is a real kill.
//
// The NATS code comes from the module pinned in go.mod
// (github.com/nats-io/nats-server/v2), run as its own main does.
package natsnode

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/nats-io/nats-server/v2/server"
)

// Env is the environment variable that makes [MaybeRun] run a NATS node
// instead of returning. server/broker sets it to "1" on the children it
// starts (broker.NATSNodeEnv has the same value).
const Env = "QOSPLAYGROUND_NATS_NODE"

// MaybeRun runs a NATS Server node with the command line arguments
// (os.Args[1:], e.g. "-c node.conf") and exits when it ends, if [Env] is
// set; otherwise it returns at once. Call it first in main and in TestMain.
func MaybeRun() {
	if os.Getenv(Env) == "" {
		return
	}
	os.Exit(run(os.Args[1:]))
}

// run is NATS Server's own main (v2.15.3) with its exits turned into a
// status.
func run(args []string) int {
	const exe = "nats-server"
	fs := flag.NewFlagSet(exe, flag.ContinueOnError)
	opts, err := server.ConfigureOptions(fs, args, server.PrintServerAndExit, fs.Usage, server.PrintTLSHelpAndDie)
	if err != nil {
		if errors.Is(err, server.ErrConfigReloadNotSupported) {
			fmt.Fprintf(os.Stderr, "%s: %s\n", exe, err)
			return 3
		}
		fmt.Fprintf(os.Stderr, "%s: %s\n", exe, err)
		return 1
	}
	s, err := server.NewServer(opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s\n", exe, err)
		return 1
	}
	s.ConfigureLogger()
	if err := server.Run(s); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s\n", exe, err)
		return 1
	}
	s.WaitForShutdown()
	return 0
}
