package inbroker

import (
	"context"
	"fmt"
	"strings"
	"time"

	"qosplayground/app/brokerapi"
	"qosplayground/app/intab"
)

// APIStatus describes the broker as the server's GET /api/broker describes
// its own, so that the fault lab's restart section shows either the same
// way.
func (b *Broker) APIStatus(ctx context.Context) (brokerapi.Status, error) {
	if err := ctx.Err(); err != nil {
		return brokerapi.Status{}, err
	}
	st := b.Status()
	p := "off"
	if st.Persistence {
		p = "on"
	}
	return brokerapi.Status{
		Mode:           intab.ModeInTab,
		Persistence:    p,
		RestartAllowed: true,
		Saving:         "The in-tab broker keeps every change in the tab's memory as it happens: with persistence on a restart keeps sessions and queued messages, clean stop or crash alike; off forgets them. A reload of the page forgets everything.",
	}, nil
}

// APIRestart restarts the broker as the server's POST /api/broker/restart
// restarts its own: req.Persistence "on" and "default" are the same here
// (every change is kept as it happens), "off" forgets, "" keeps the current
// setting.
func (b *Broker) APIRestart(ctx context.Context, req brokerapi.RestartRequest) (brokerapi.RestartResult, error) {
	if err := ctx.Err(); err != nil {
		return brokerapi.RestartResult{}, err
	}
	persistence := b.Status().Persistence
	switch p := strings.ToLower(strings.TrimSpace(req.Persistence)); p {
	case "":
	case "on", "default":
		persistence = true
	case "off":
		persistence = false
	default:
		return brokerapi.RestartResult{}, fmt.Errorf("inbroker: unknown persistence %q (want off, on or default)", req.Persistence)
	}
	start := time.Now()
	if err := b.Restart(persistence, req.Kill); err != nil {
		return brokerapi.RestartResult{}, err
	}
	p := "off"
	if persistence {
		p = "on"
	}
	return brokerapi.RestartResult{OK: true, TookMS: time.Since(start).Milliseconds(), Kill: req.Kill, Persistence: p}, nil
}
