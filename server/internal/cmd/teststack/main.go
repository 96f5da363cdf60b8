// Command teststack runs a real broker with the /mqtt gateway in front of it
// (server/gateway/gatewaytest.Run) for the tests of app/, which may not
// import server/ (internal/importrules): internal/teststack starts it as a
// process of its own, and the tests reach it over the network, as a tab
// does.
//
//	teststack -broker mosquitto|embedded|nats-cluster -data dir
//
// It writes one line of JSON to standard output once both run
// ({"url": "ws://…/mqtt", "broker": "host:port"}), logs to standard error,
// and then answers commands read from standard input, one a line, with
// "ok" or "error: …": "restart" and "restart-kill" restart the broker
// (cleanly, or killed as by a crash), "close-gateway" closes the gateway.
// At the end of standard input (the test ended, or died) it stops both
// and exits.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"qosplayground/server/broker"
	"qosplayground/server/gateway/gatewaytest"
	"qosplayground/server/natsnode"
)

func main() {
	natsnode.MaybeRun() // a node of a nats-cluster stack
	mode := flag.String("broker", "embedded", "mosquitto | embedded | nats-cluster")
	data := flag.String("data", "", "the broker's data directory")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if err := run(broker.Mode(*mode), *data, log); err != nil {
		fmt.Fprintln(os.Stderr, "teststack:", err)
		os.Exit(1)
	}
}

func run(mode broker.Mode, data string, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	env, err := gatewaytest.Run(ctx, mode, data, log)
	cancel()
	if err != nil {
		return err
	}
	hello, err := json.Marshal(struct {
		URL    string `json:"url"`
		Broker string `json:"broker"`
	}{env.URL, env.Broker.Addr()})
	if err != nil {
		return err
	}
	fmt.Printf("%s\n", hello)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		var err error
		switch cmd := in.Text(); cmd {
		case "restart", "restart-kill":
			err = env.Broker.Restart(ctx, broker.RestartOptions{Kill: cmd == "restart-kill"})
		case "close-gateway":
			err = env.Gateway.Close(ctx)
		default:
			err = fmt.Errorf("unknown command %q", cmd)
		}
		cancel()
		if err != nil {
			fmt.Printf("error: %v\n", err)
		} else {
			fmt.Println("ok")
		}
	}
	return env.Close()
}
