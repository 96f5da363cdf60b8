package main

import (
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"qosplayground/app/client"
	"qosplayground/app/fault"
)

// TestRunFaultsFlag: fault commands are on by default and -faults=false
// turns them off, in which case the gateway refuses a command as it
// refuses any text message.
func TestRunFaultsFlag(t *testing.T) {
	tests := []struct {
		scenario string
		args     []string
		wantCode websocket.StatusCode
		wantText string
	}{
		{"default on", nil, fault.CloseCode, "cut now"},
		{"-faults=false", []string{"-faults=false"}, websocket.StatusUnsupportedData, "binary"},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			url, log, stop := runServer(t, append([]string{"-broker", "embedded"}, tc.args...)...)
			defer stop()
			events := make(chan client.Event, 16)
			cl, err := client.New(client.Options{
				URL:      strings.Replace(url, "http://", "ws://", 1) + "/mqtt",
				ClientID: "faults-flag", CleanSession: true,
			}, func(ev client.Event) { events <- ev })
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cl.Connect(); err != nil {
				t.Fatalf("connect: %v", err)
			}
			defer cl.Disconnect()
			if err := cl.Fault(fault.Command{Op: fault.OpCutNow}); err != nil {
				t.Fatalf("Fault: %v", err)
			}
			timeout := time.After(10 * time.Second)
			for {
				select {
				case ev := <-events:
					if ev.Kind != client.EventState || ev.State != client.Disconnected {
						continue
					}
					if code := websocket.CloseStatus(ev.Err); code != tc.wantCode || !strings.Contains(ev.Err.Error(), tc.wantText) {
						t.Errorf("connection lost with %v (code %d), want code %d with %q\n%s", ev.Err, code, tc.wantCode, tc.wantText, log)
					}
					return
				case <-timeout:
					t.Fatalf("the connection was not closed\n%s", log)
				}
			}
		})
	}
}
