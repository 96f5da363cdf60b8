//go:build js

package intab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall/js"

	"qosplayground/app/brokerapi"
	"qosplayground/app/memconn"
)

// The requests a page sends the worker, each with a MessagePort for the
// answer: {op, request?} posted with the port transferred. The worker
// answers on the port with {ok: true} (a dial; the port then carries the
// connection, see Bridge), {json: "..."} (status and restart) or
// {error: "..."}. wasm/broker's side is inbroker.ServeWorker.
const (
	OpDial    = "dial"
	OpStatus  = "status"
	OpRestart = "restart"
)

func defaultBroker() Broker { return &worker{} }

// worker is the in-tab broker's Web Worker, started at the first request.
type worker struct {
	once     sync.Once
	w        js.Value
	failOnce sync.Once
	err      error         // set before failed is closed
	failed   chan struct{} // closed when the worker cannot be reached any more
}

// unavailable wraps why the broker cannot be used in ErrUnavailable.
func unavailable(why string) error { return fmt.Errorf("%w: %s", ErrUnavailable, why) }

func (w *worker) start() error {
	w.once.Do(func() {
		w.failed = make(chan struct{})
		ctor := js.Global().Get("Worker")
		if ctor.IsUndefined() {
			w.fail(unavailable("this browser has no Web Workers"))
			return
		}
		w.w = ctor.New(WorkerScript)
		// The worker's script could not be fetched or run; a failure of
		// broker.wasm is answered by the script itself (readAnswer).
		var onError js.Func
		onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
			why := "its script " + WorkerScript + " could not run"
			if m := args[0].Get("message"); m.Type() == js.TypeString && m.String() != "" {
				why += ": " + m.String()
			}
			w.fail(unavailable(why))
			onError.Release()
			return nil
		})
		w.w.Set("onerror", onError)
	})
	select {
	case <-w.failed:
		return w.err
	default:
		return nil
	}
}

// fail records err and wakes every request waiting for an answer; the
// first failure counts.
func (w *worker) fail(err error) {
	w.failOnce.Do(func() {
		w.err = err
		close(w.failed)
	})
}

// request posts op to the worker with a new channel's second port, and
// returns the first, on which the answer comes.
func (w *worker) request(op string, req any) (js.Value, error) {
	if err := w.start(); err != nil {
		return js.Value{}, err
	}
	ch := js.Global().Get("MessageChannel").New()
	msg := map[string]any{"op": op}
	if req != nil {
		b, err := json.Marshal(req)
		if err != nil {
			return js.Value{}, err
		}
		msg["request"] = string(b)
	}
	p2 := ch.Get("port2")
	w.w.Call("postMessage", msg, []any{p2})
	return ch.Get("port1"), nil
}

// answer is a control message from the worker.
type answer struct {
	ok   bool
	json string
	err  error
}

func readAnswer(v js.Value) answer {
	if v.Type() != js.TypeObject {
		return answer{err: fmt.Errorf("intab: unexpected answer from the in-tab broker: %s", v.Type())}
	}
	if e := v.Get("error"); e.Type() == js.TypeString {
		if v.Get("unavailable").Truthy() {
			return answer{err: unavailable(e.String())}
		}
		return answer{err: errors.New(e.String())}
	}
	if j := v.Get("json"); j.Type() == js.TypeString {
		return answer{ok: true, json: j.String()}
	}
	return answer{ok: v.Get("ok").Truthy()}
}

// Dial opens a connection to the broker in the worker: a MessageChannel
// whose page end is bridged to one end of a memconn pipe, the other end
// being the connection paho gets.
func (w *worker) Dial(ctx context.Context) (net.Conn, error) {
	port, err := w.request(OpDial, nil)
	if err != nil {
		return nil, err
	}
	client, local := memconn.Pipe("tab", "in-tab broker")
	answers := make(chan answer, 1)
	Bridge(port, local, func(v js.Value) {
		select { // never wait in a callback; only the first answer counts
		case answers <- readAnswer(v):
		default:
		}
	})
	select {
	case a := <-answers:
		if a.err != nil || !a.ok {
			local.Close()
			if a.err == nil {
				a.err = errors.New("intab: the in-tab broker refused the connection")
			}
			return nil, a.err
		}
		return client, nil
	case <-w.failed:
		local.Close()
		return nil, w.err
	case <-ctx.Done():
		local.Close()
		return nil, unavailable("it did not answer: " + ctx.Err().Error())
	}
}

// call sends a request and decodes its JSON answer into out.
func (w *worker) call(ctx context.Context, op string, req, out any) error {
	port, err := w.request(op, req)
	if err != nil {
		return err
	}
	answers := make(chan answer, 1)
	var onMessage js.Func
	onMessage = js.FuncOf(func(_ js.Value, args []js.Value) any {
		select {
		case answers <- readAnswer(args[0].Get("data")):
		default:
		}
		return nil
	})
	port.Set("onmessage", onMessage)
	defer func() {
		port.Set("onmessage", js.Null())
		port.Call("close")
		onMessage.Release()
	}()
	select {
	case a := <-answers:
		if a.err != nil {
			return a.err
		}
		return json.Unmarshal([]byte(a.json), out)
	case <-w.failed:
		return w.err
	case <-ctx.Done():
		return unavailable("it did not answer: " + ctx.Err().Error())
	}
}

func (w *worker) APIStatus(ctx context.Context) (st brokerapi.Status, err error) {
	err = w.call(ctx, OpStatus, nil, &st)
	return st, err
}

func (w *worker) APIRestart(ctx context.Context, req brokerapi.RestartRequest) (res brokerapi.RestartResult, err error) {
	err = w.call(ctx, OpRestart, req, &res)
	return res, err
}
