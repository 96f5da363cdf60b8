package faultlab

import (
	"context"
	"fmt"
	"time"

	"qosplayground/app/brokerapi"
	"qosplayground/app/client"
	"qosplayground/app/exercises"
)

// RestartConfig configures RunRestart: the tutorial's Task 3 "broker
// restart". A persistent session is away while messages are queued for
// it; the broker restarts; does the session get them?
type RestartConfig struct {
	URL      string // the /mqtt endpoint
	APIBase  string // the server's origin, for its broker API
	IDPrefix string
	// Persistence is the broker's persistence for the run: "off", "on"
	// (Mosquitto's own autosave: every 30 minutes) or "default". The broker
	// is first restarted cleanly with it, so that the queued messages live
	// under it.
	Persistence string
	// Kill makes the restart that matters a crash (SIGKILL) instead of a
	// clean stop.
	Kill     bool
	Messages int // per QoS, 1 and 2; 0 means 20
	// OnStep, if set, is told each step as it starts; it must not block.
	OnStep func(step string)
	// Restart, if set, restarts the broker instead of the server's API at
	// APIBase: the in-tab broker (app/inbroker) has no server.
	Restart func(ctx context.Context, req brokerapi.RestartRequest) (brokerapi.RestartResult, error)
}

// Steps of RunRestart, for OnStep.
const (
	RestartStepPrepare = "prepare" // the broker restarts with the chosen persistence
	RestartStepAway    = "away"    // the subscriber subscribes and leaves
	RestartStepQueue   = "queue"   // messages are published for it
	RestartStepRestart = "restart" // the broker restarts (or crashes)
	RestartStepReturn  = "return"  // the subscriber comes back
)

// RestartResult is what came back after the restart.
type RestartResult struct {
	Persistence    string
	Kill           bool
	SessionPresent bool                  // CONNACK when the subscriber came back
	Ledger         []exercises.LedgerRow // the queued messages at QoS 1 and 2, by message_id
	TookMS         int64                 // the restart, as the server timed it
}

// RunRestart queues messages for an absent persistent session, restarts
// the broker through the server's API, and counts what the session gets
// when it comes back. Every client of the broker is disconnected by the
// restart, this tab's others too.
func RunRestart(ctx context.Context, cfg RestartConfig) (RestartResult, error) {
	res := RestartResult{Persistence: cfg.Persistence, Kill: cfg.Kill}
	if cfg.Messages <= 0 {
		cfg.Messages = 20
	}
	step := func(s string) {
		if cfg.OnStep != nil {
			cfg.OnStep(s)
		}
	}
	restart := cfg.Restart
	if restart == nil {
		restart = func(ctx context.Context, req brokerapi.RestartRequest) (brokerapi.RestartResult, error) {
			return brokerapi.Restart(ctx, cfg.APIBase, req)
		}
	}
	step(RestartStepPrepare)
	if _, err := restart(ctx, brokerapi.RestartRequest{Persistence: cfg.Persistence}); err != nil {
		return res, err
	}
	subID := cfg.IDPrefix + "restart_sub"
	topicName := "restart/" + cfg.IDPrefix + "queued"
	ledger := exercises.NewLedger()
	arrived := make(chan struct{}, 1)
	sub, err := client.New(client.Options{URL: cfg.URL, ClientID: subID, CleanSession: false}, func(ev client.Event) {
		if ev.Kind != client.EventMessage {
			return
		}
		if id, ok := exercises.MessageIDOf(ev.Message.Payload); ok {
			ledger.Delivered(id, ev.Message.Duplicate)
		}
		select {
		case arrived <- struct{}{}:
		default:
		}
	})
	if err != nil {
		return res, err
	}
	defer func() {
		sub.Disconnect()
		exercises.ClearSession(cfg.URL, subID)
	}()

	step(RestartStepAway)
	if _, err := sub.Connect(); err != nil {
		return res, err
	}
	if _, err := sub.Subscribe(topicName, 2); err != nil {
		return res, err
	}
	sub.Disconnect() // DISCONNECT: the session stays, the subscriber is away

	step(RestartStepQueue)
	pubCl, err := client.New(client.Options{URL: cfg.URL, ClientID: cfg.IDPrefix + "restart_pub", CleanSession: true}, func(client.Event) {})
	if err != nil {
		return res, err
	}
	if _, err := pubCl.Connect(); err != nil {
		return res, err
	}
	pub := exercises.NewPublisher(pubCl, exercises.PublisherConfig{})
	for _, qos := range []byte{1, 2} {
		for i := 1; i <= cfg.Messages; i++ {
			rec, err := pub.Publish(ctx, topicName, fmt.Sprintf("queued %d/%d at QoS %d", i, cfg.Messages, qos), qos, "restart")
			if err != nil {
				pubCl.Disconnect()
				return res, err
			}
			ledger.Sent(qos, rec.MessageID)
		}
	}
	if err := pub.Wait(ctx); err != nil {
		pubCl.Disconnect()
		return res, err
	}
	pubCl.Disconnect()

	step(RestartStepRestart)
	rr, err := restart(ctx, brokerapi.RestartRequest{Kill: cfg.Kill})
	if err != nil {
		return res, err
	}
	res.TookMS = rr.TookMS

	step(RestartStepReturn)
	sp, err := sub.Connect()
	if err != nil {
		return res, err
	}
	res.SessionPresent = sp
	// Queued messages come right after CONNACK; wait until all are in or
	// none has come for a second.
	for {
		rows := ledger.Rows()
		if received(rows) == 2*cfg.Messages {
			break
		}
		select {
		case <-arrived:
			continue
		case <-time.After(time.Second):
		case <-ctx.Done():
			return res, ctx.Err()
		}
		break
	}
	res.Ledger = ledger.Rows()
	return res, nil
}

func received(rows []exercises.LedgerRow) int {
	n := 0
	for _, r := range rows {
		n += r.Received
	}
	return n
}

// Totals counts the queued messages over the ledger's rows: those lost
// and those sent.
func (r RestartResult) Totals() (lost, sent int) {
	for _, row := range r.Ledger {
		lost += row.Lost
		sent += row.Sent
	}
	return lost, sent
}

// RestartOutcome names what a restart's result shows.
type RestartOutcome string

// The outcomes of a restart.
const (
	RestartKept      RestartOutcome = "kept"       // every queued message came back
	RestartLostOff   RestartOutcome = "lost-off"   // lost with persistence off: nothing was saved
	RestartLostCrash RestartOutcome = "lost-crash" // lost with persistence on: a crash lost what was not saved yet
)

// Outcome says what the result shows, for the page's explanation.
func (r RestartResult) Outcome() RestartOutcome {
	lost, _ := r.Totals()
	switch {
	case lost > 0 && r.Persistence == "off":
		return RestartLostOff
	case lost > 0:
		return RestartLostCrash
	}
	return RestartKept
}
