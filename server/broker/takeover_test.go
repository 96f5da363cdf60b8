package broker

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"

	"qosplayground/app/mochibroker/mochitest"
)

// embeddedForRepairs starts an embedded broker for the repair tests of
// mochibroker (written once in mochitest, run on both brokers): with
// persistence on, the test restarts it in between, so its bolt store is
// checked too.
func embeddedForRepairs(t *testing.T, p Persistence) mochitest.Broker {
	b := startBroker(t, Config{Spec: string(ModeEmbedded), DataDir: t.TempDir(), Persistence: p})
	eb := b.(*embeddedBroker)
	mb := mochitest.Broker{
		Dial: func() (net.Conn, error) { return net.DialTimeout("tcp", b.Addr(), 3*time.Second) },
		AddHook: func(h mqtt.Hook) error {
			eb.mu.Lock()
			defer eb.mu.Unlock()
			return eb.srv.AddHook(h)
		},
	}
	if p == PersistenceOn {
		mb.Restart = func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return b.Restart(ctx, RestartOptions{})
		}
	}
	return mb
}

// TestUnroutedPublishIsRoutedOnResend: see mochitest's; with persistence
// on the acknowledgement the guard took back must not come back from the
// bolt store.
func TestUnroutedPublishIsRoutedOnResend(t *testing.T) {
	for _, p := range []Persistence{PersistenceOff, PersistenceOn} {
		for _, qos := range []byte{1, 2} {
			t.Run(fmt.Sprintf("%s/qos%d", p, qos), func(t *testing.T) {
				mochitest.TestUnroutedPublishIsRoutedOnResend(t, embeddedForRepairs(t, p), qos)
			})
		}
	}
}

// TestCutBeforeConnackDoesNotHoldUpOthers: see mochitest's.
func TestCutBeforeConnackDoesNotHoldUpOthers(t *testing.T) {
	mochitest.TestCutBeforeConnackDoesNotHoldUpOthers(t, embeddedForRepairs(t, PersistenceOff))
}

// TestResendInOrder: see mochitest's.
func TestResendInOrder(t *testing.T) {
	mochitest.TestResendInOrder(t, embeddedForRepairs(t, PersistenceOff))
}
