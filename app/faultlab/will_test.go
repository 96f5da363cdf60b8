package faultlab

import (
	"testing"
	"time"

	"qosplayground/internal/teststack"
)

// TestWill is Task 3's client crash: the will is published when the client
// crashes (its connection closes without DISCONNECT) or its network goes
// silent (after the keepalive grace), and not after a clean disconnect, on
// both brokers.
func TestWill(t *testing.T) {
	teststack.EachBroker(t, func(t *testing.T, env *teststack.Env) {
		for _, leave := range []string{LeaveCrash, LeaveFreeze, LeaveDisconnect} {
			res, err := RunWill(ctxFor(t, 30*time.Second), WillConfig{URL: env.URL, IDPrefix: "will-" + leave + "-", Leave: leave, KeepAlive: time.Second})
			if err != nil {
				t.Fatalf("%s: %v", leave, err)
			}
			t.Logf("%s: will delivered %v after %v", leave, res.Delivered, res.After.Round(time.Millisecond))
			if want := leave != LeaveDisconnect; res.Delivered != want {
				t.Errorf("%s: will delivered %v, want %v", leave, res.Delivered, want)
			}
			if res.Delivered && res.Payload != "offline (last will)" {
				t.Errorf("%s: will %q", leave, res.Payload)
			}
		}
	})
}
