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
// A worker that could not start, or whose broker stopped, is replaced at the
// next request (its broker's sessions are gone, as after a reload): a
// learner who retries after the server came back, or was rebuilt with its
// broker.wasm, gets a broker.
type worker struct {
	mu  sync.Mutex // guards cur
	cur *instance
}

// instance is one Web Worker.
type instance struct {
	w        js.Value
	failOnce sync.Once
	err      error         // set before failed is closed
	failed   chan struct{} // closed when the worker cannot be used any more
}

// unavailable says why the broker cannot be used.
func unavailable(why string) error { return &UnavailableError{Why: why} }

// instance returns the running worker, starting one if there is none or the
// last one failed.
func (w *worker) instance() (*instance, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur != nil {
		select {
		case <-w.cur.failed:
			if !w.cur.w.IsUndefined() {
				w.cur.w.Call("terminate")
			}
			w.cur = nil
		default:
			return w.cur, nil
		}
	}
	in := &instance{failed: make(chan struct{})}
	ctor := js.Global().Get("Worker")
	if ctor.IsUndefined() {
		return nil, unavailable("this browser has no Web Workers")
	}
	in.w = ctor.New(WorkerScript)
	// The worker's script could not be fetched or run; a failure of
	// broker.wasm is answered by the script itself (readAnswer).
	var onError js.Func
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		why := "its script " + WorkerScript + " could not run"
		if m := args[0].Get("message"); m.Type() == js.TypeString && m.String() != "" {
			why += ": " + m.String()
		}
		in.fail(unavailable(why))
		return nil
	})
	in.w.Set("onerror", onError)
	go func() {
		<-in.failed
		in.w.Set("onerror", js.Null())
		onError.Release()
	}()
	w.cur = in
	return in, nil
}

// fail records err and wakes every request waiting for an answer; the
// first failure counts.
func (in *instance) fail(err error) {
	in.failOnce.Do(func() {
		in.err = err
		close(in.failed)
	})
}

// request posts op to the worker with a new channel's second port, and
// returns the worker and the first port, on which the answer comes.
func (w *worker) request(op string, req any) (*instance, js.Value, error) {
	in, err := w.instance()
	if err != nil {
		return nil, js.Value{}, err
	}
	ch := js.Global().Get("MessageChannel").New()
	msg := map[string]any{"op": op}
	if req != nil {
		b, err := json.Marshal(req)
		if err != nil {
			return nil, js.Value{}, err
		}
		msg["request"] = string(b)
	}
	in.w.Call("postMessage", msg, []any{ch.Get("port2")})
	return in, ch.Get("port1"), nil
}

// answer is a control message from the worker.
type answer struct {
	ok   bool
	json string
	err  error
}

// readAnswer reads the worker's answer; an answer that the broker is not
// there also marks in as failed, so that the next request starts anew.
func readAnswer(in *instance, v js.Value) answer {
	if v.Type() != js.TypeObject {
		return answer{err: fmt.Errorf("intab: unexpected answer from the in-tab broker: %s", v.Type())}
	}
	if e := v.Get("error"); e.Type() == js.TypeString {
		if v.Get("unavailable").Truthy() {
			err := unavailable(e.String())
			in.fail(err)
			return answer{err: err}
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
	in, port, err := w.request(OpDial, nil)
	if err != nil {
		return nil, err
	}
	client, local := memconn.Pipe("tab", "in-tab broker")
	answers := make(chan answer, 1)
	Bridge(port, local, func(v js.Value) {
		select { // never wait in a callback; only the first answer counts
		case answers <- readAnswer(in, v):
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
	case <-in.failed:
		local.Close()
		return nil, in.err
	case <-ctx.Done():
		local.Close()
		return nil, unavailable("it did not answer: " + ctx.Err().Error())
	}
}

// call sends a request and decodes its JSON answer into out.
func (w *worker) call(ctx context.Context, op string, req, out any) error {
	in, port, err := w.request(op, req)
	if err != nil {
		return err
	}
	answers := make(chan answer, 1)
	var onMessage js.Func
	onMessage = js.FuncOf(func(_ js.Value, args []js.Value) any {
		select {
		case answers <- readAnswer(in, args[0].Get("data")):
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
	case <-in.failed:
		return in.err
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
