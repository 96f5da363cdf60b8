//go:build js

package inbroker

import (
	"context"
	"encoding/json"
	"fmt"
	"syscall/js"
	"time"

	"qosplayground/app/brokerapi"
	"qosplayground/app/intab"
)

// requestTimeout bounds a status request or a restart in the worker.
const requestTimeout = 30 * time.Second

// ServeWorker makes the Web Worker it runs in answer the page's requests
// (package intab's worker_js.go says what they are) with b. The worker
// script (web/broker-worker.js) queues the requests that come before the
// Go code runs; ServeWorker takes them too.
func ServeWorker(b *Broker) {
	self := js.Global()
	handle := js.FuncOf(func(_ js.Value, args []js.Value) any {
		serveRequest(b, args[0])
		return nil
	})
	early := self.Call("qosEarlyMessages")
	self.Set("onmessage", handle)
	for i := 0; i < early.Length(); i++ {
		serveRequest(b, early.Index(i))
	}
}

// serveRequest answers one request on its port, on a goroutine of its own:
// a JS callback must not wait (see intab.Bridge).
func serveRequest(b *Broker, e js.Value) {
	ports := e.Get("ports")
	if ports.Length() == 0 {
		return // not a request of the page's: nowhere to answer
	}
	port := ports.Index(0)
	data := e.Get("data")
	op, req := "", ""
	if data.Type() == js.TypeObject {
		if v := data.Get("op"); v.Type() == js.TypeString {
			op = v.String()
		}
		if v := data.Get("request"); v.Type() == js.TypeString {
			req = v.String()
		}
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		switch op {
		case intab.OpDial:
			conn, err := b.Dial(ctx)
			if err != nil {
				reply(port, nil, err)
				return
			}
			port.Call("postMessage", map[string]any{"ok": true})
			intab.Bridge(port, conn, nil)
		case intab.OpStatus:
			st, err := b.APIStatus(ctx)
			reply(port, st, err)
		case intab.OpRestart:
			var r brokerapi.RestartRequest
			if err := json.Unmarshal([]byte(req), &r); err != nil {
				reply(port, nil, fmt.Errorf("inbroker: bad restart request: %v", err))
				return
			}
			res, err := b.APIRestart(ctx, r)
			reply(port, res, err)
		default:
			reply(port, nil, fmt.Errorf("inbroker: unknown request %q", op))
		}
	}()
}

// reply answers a status or restart request, or any request with an error,
// and closes its port.
func reply(port js.Value, v any, err error) {
	msg := map[string]any{}
	if err == nil {
		b, jerr := json.Marshal(v)
		if jerr != nil {
			err = jerr
		} else {
			msg["json"] = string(b)
		}
	}
	if err != nil {
		msg = map[string]any{"error": err.Error()}
	}
	port.Call("postMessage", msg)
	port.Call("close")
}
