package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"qosplayground/server/gateway"
)

// serveGateway is `bench serve-gateway`: the gateway alone in a process of
// its own, as the server runs it, with a CPU profile of its whole life. It
// stands in for the server in measurement 4 with -learners-server gateway,
// so that `go tool pprof` shows where the server's time goes under many
// learners (the server itself has no profiling endpoint).
func serveGateway(ctx context.Context, args []string, logOut io.Writer) error {
	fs := flag.NewFlagSet("bench serve-gateway", flag.ContinueOnError)
	fs.SetOutput(logOut)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on")
	brokerAddr := fs.String("broker", "", "the broker's `host:port`")
	profile := fs.String("cpuprofile", "", "write a CPU profile to `file`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *brokerAddr == "" {
		return errors.New("serve-gateway: -broker host:port is required")
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	gw := gateway.New(gateway.Config{BrokerAddr: *brokerAddr, Logger: slog.New(slog.DiscardHandler), Faults: true})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve-gateway: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/mqtt", gw)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	gw.Close(sctx)
	srv.Shutdown(sctx)
	return nil
}
