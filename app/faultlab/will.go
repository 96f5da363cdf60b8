package faultlab

import (
	"context"
	"errors"
	"time"

	"qosplayground/app/client"
	"qosplayground/app/fault"
)

// How a client leaves, in the fault lab's client-crash lesson.
const (
	LeaveDisconnect = "disconnect" // DISCONNECT, then close: the broker discards the will
	LeaveCrash      = "crash"      // the connection closes without DISCONNECT (the tab or process died)
	LeaveFreeze     = "freeze"     // the network goes silent: the broker waits out the keepalive grace
)

// WillConfig configures RunWill.
type WillConfig struct {
	URL       string
	IDPrefix  string        // client ids are IDPrefix+"will_client" and IDPrefix+"will_watcher"
	Leave     string        // LeaveDisconnect, LeaveCrash or LeaveFreeze
	KeepAlive time.Duration // of the leaving client; 0 means 2 s
	// Wait bounds the wait for the will. 0 means, after a crash or a
	// disconnect, the keepalive and two seconds (a broker publishes the will
	// as soon as it sees the connection close); after a freeze, the
	// keepalive grace (1.5 × KeepAlive) and ten seconds: Mosquitto 2.0
	// checks keepalives only every few seconds (5 s for a 1 s keepalive
	// here). A will that has not come by then will not come.
	Wait time.Duration
}

// WillResult is what the watcher saw.
type WillResult struct {
	Leave     string
	Delivered bool          // the watcher received the will
	After     time.Duration // from the leaving to the will's arrival
	Payload   string
}

// RunWill connects a client with a last will, lets it leave as asked, and
// reports whether a watcher subscribed to the will's topic received it: a
// broker publishes the will when a connection ends without DISCONNECT (at
// once when it sees the connection close, after 1.5 × keepalive when the
// network just goes silent), and never after a clean DISCONNECT.
func RunWill(ctx context.Context, cfg WillConfig) (WillResult, error) {
	res := WillResult{Leave: cfg.Leave}
	switch cfg.Leave {
	case LeaveDisconnect, LeaveCrash, LeaveFreeze:
	default:
		return res, errors.New("lab: leave must be disconnect, crash or freeze")
	}
	if cfg.KeepAlive <= 0 {
		cfg.KeepAlive = 2 * time.Second
	}
	if cfg.Wait <= 0 {
		cfg.Wait = cfg.KeepAlive + 2*time.Second
		if cfg.Leave == LeaveFreeze {
			cfg.Wait = cfg.KeepAlive*3/2 + 10*time.Second
		}
	}
	willTopic := "clients/" + cfg.IDPrefix + "will_client/status"
	wills := make(chan client.Message, 4)
	watcher, err := client.New(client.Options{URL: cfg.URL, ClientID: cfg.IDPrefix + "will_watcher", CleanSession: true},
		func(ev client.Event) {
			if ev.Kind == client.EventMessage {
				select {
				case wills <- ev.Message:
				default:
				}
			}
		})
	if err != nil {
		return res, err
	}
	defer watcher.Disconnect()
	if _, err := watcher.Connect(); err != nil {
		return res, err
	}
	if _, err := watcher.Subscribe(willTopic, 1); err != nil {
		return res, err
	}

	cl, err := client.New(client.Options{URL: cfg.URL, ClientID: cfg.IDPrefix + "will_client", CleanSession: true,
		KeepAlive: cfg.KeepAlive,
		Will:      client.Will{Topic: willTopic, Payload: []byte("offline (last will)"), QoS: 1}}, func(client.Event) {})
	if err != nil {
		return res, err
	}
	defer cl.Disconnect()
	if _, err := cl.Connect(); err != nil {
		return res, err
	}
	left := time.Now()
	switch cfg.Leave {
	case LeaveDisconnect:
		cl.Disconnect()
	case LeaveCrash:
		err = cl.Fault(fault.Command{Op: fault.OpCutNow})
	case LeaveFreeze:
		err = cl.Fault(fault.Command{Op: fault.OpFreeze})
	}
	if err != nil {
		return res, err
	}
	select {
	case m := <-wills:
		res.Delivered, res.After, res.Payload = true, time.Since(left), string(m.Payload)
	case <-time.After(cfg.Wait):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	return res, nil
}
