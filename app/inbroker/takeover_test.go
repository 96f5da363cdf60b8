package inbroker_test

import (
	"context"
	"fmt"
	"net"
	"testing"

	mqtt "github.com/mochi-mqtt/server/v2"

	"qosplayground/app/inbroker"
	"qosplayground/app/mochibroker/mochitest"
)

// inTabForRepairs starts an in-tab broker, persistence on, for the repair
// tests of mochibroker (written once in mochitest, run on both brokers);
// the test restarts it in between, so its memory store is checked too.
func inTabForRepairs(t *testing.T) mochitest.Broker {
	b := inbroker.New(true)
	t.Cleanup(func() { b.Close() })
	return mochitest.Broker{
		Dial:    func() (net.Conn, error) { return b.Dial(context.Background()) },
		AddHook: func(h mqtt.Hook) error { return b.AddHookForTest(h) },
		Restart: func() error { return b.Restart(true, false) },
	}
}

// TestUnroutedPublishIsRoutedOnResend: see mochitest's.
func TestUnroutedPublishIsRoutedOnResend(t *testing.T) {
	for _, qos := range []byte{1, 2} {
		t.Run(fmt.Sprintf("QoS %d", qos), func(t *testing.T) {
			mochitest.TestUnroutedPublishIsRoutedOnResend(t, inTabForRepairs(t), qos)
		})
	}
}

// TestCutBeforeConnackDoesNotHoldUpOthers: see mochitest's.
func TestCutBeforeConnackDoesNotHoldUpOthers(t *testing.T) {
	mochitest.TestCutBeforeConnackDoesNotHoldUpOthers(t, inTabForRepairs(t))
}

// TestResendInOrder: see mochitest's.
func TestResendInOrder(t *testing.T) {
	mochitest.TestResendInOrder(t, inTabForRepairs(t))
}
