//go:build js

package capture

import (
	"encoding/json"
	"fmt"
	"syscall/js"

	"qosplayground/app/capworker"
)

// ServeWorker answers the page's requests in the capture worker
// (wasm/capture, web/capture-worker.js) and never returns: export (a packet
// list's JSON in, the pcapng file's bytes out) and import (a File and a TCP
// port in, the packet list or why there is none out), each posted with a
// MessagePort for the answer.
func ServeWorker() {
	self := js.Global()
	handle := js.FuncOf(func(_ js.Value, args []js.Value) any {
		serve(args[0])
		return nil
	})
	early := self.Call("qosEarlyMessages")
	self.Set("onmessage", handle)
	for i := 0; i < early.Length(); i++ {
		serve(early.Index(i))
	}
	select {} // requests are answered by callbacks
}

// serve answers one request on its port, on a goroutine of its own: a JS
// callback must not wait.
func serve(e js.Value) {
	ports := e.Get("ports")
	if ports.Length() == 0 {
		return
	}
	port := ports.Index(0)
	data := e.Get("data")
	go func() {
		defer port.Call("close")
		if data.Type() != js.TypeObject {
			fail(port, &capworker.Error{Kind: capworker.Failed, Detail: "a request that is not an object"})
			return
		}
		switch op := data.Get("op").String(); op {
		case capworker.OpExport:
			file, err := Export([]byte(data.Get("json").String()))
			if err != nil {
				fail(port, capworker.AsError(err))
				return
			}
			a := js.Global().Get("Uint8Array").New(len(file))
			js.CopyBytesToJS(a, file)
			port.Call("postMessage", map[string]any{"bytes": a}, []any{a.Get("buffer")})
		case capworker.OpImport:
			b, err := readBlob(data.Get("file"))
			if err != nil {
				fail(port, &capworker.Error{Kind: capworker.Failed, Detail: "the file could not be read: " + err.Error()})
				return
			}
			res := Import(b, data.Get("port").Int())
			out, err := json.Marshal(res)
			if err != nil {
				fail(port, capworker.AsError(err))
				return
			}
			port.Call("postMessage", map[string]any{"json": string(out)})
		default:
			fail(port, &capworker.Error{Kind: capworker.Failed, Detail: fmt.Sprintf("unknown request %q", op)})
		}
	}()
}

func fail(port js.Value, e *capworker.Error) {
	b, _ := json.Marshal(e)
	port.Call("postMessage", map[string]any{"error": string(b)})
}

// readBlob reads a Blob (a File) whole, waiting for its arrayBuffer().
func readBlob(blob js.Value) ([]byte, error) {
	if blob.Type() != js.TypeObject || blob.Get("arrayBuffer").Type() != js.TypeFunction {
		return nil, fmt.Errorf("not a file")
	}
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	var ok, bad js.Func
	ok = js.FuncOf(func(_ js.Value, args []js.Value) any { done <- result{v: args[0]}; return nil })
	bad = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{err: fmt.Errorf("%s", args[0].Call("toString").String())}
		return nil
	})
	defer ok.Release()
	defer bad.Release()
	blob.Call("arrayBuffer").Call("then", ok, bad)
	r := <-done
	if r.err != nil {
		return nil, r.err
	}
	u8 := js.Global().Get("Uint8Array").New(r.v)
	b := make([]byte, u8.Get("byteLength").Int())
	js.CopyBytesToGo(b, u8)
	return b, nil
}
