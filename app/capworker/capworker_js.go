//go:build js

package capworker

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"syscall/js"

	"qosplayground/app/wiretap"
)

// worker is the capture worker, started at the first export or import and
// kept for the next; one that failed is replaced at the next request.
var worker struct {
	mu     sync.Mutex
	w      js.Value
	failed chan struct{}
	err    error
}

// instance returns the running worker, starting one if there is none or the
// last one failed.
func instance() (js.Value, chan struct{}, error) {
	worker.mu.Lock()
	defer worker.mu.Unlock()
	if worker.failed != nil {
		select {
		case <-worker.failed:
			worker.w.Call("terminate")
			worker.failed = nil
		default:
			return worker.w, worker.failed, nil
		}
	}
	ctor := js.Global().Get("Worker")
	if ctor.IsUndefined() {
		return js.Value{}, nil, &Error{Kind: Failed, Detail: "this browser has no Web Workers"}
	}
	w := ctor.New(WorkerScript)
	failed := make(chan struct{})
	var once sync.Once
	var onError js.Func
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		once.Do(func() {
			why := "its script " + WorkerScript + " could not run"
			if m := args[0].Get("message"); m.Type() == js.TypeString && m.String() != "" {
				why += ": " + m.String()
			}
			worker.mu.Lock()
			worker.err = &Error{Kind: Failed, Detail: why}
			worker.mu.Unlock()
			close(failed)
		})
		return nil
	})
	w.Set("onerror", onError)
	worker.w, worker.failed, worker.err = w, failed, nil
	return w, failed, nil
}

// call posts msg to the worker with a new channel's second port and waits
// for the answer on the first.
func call(ctx context.Context, msg map[string]any, transfer []any) (js.Value, error) {
	w, failed, err := instance()
	if err != nil {
		return js.Value{}, err
	}
	ch := js.Global().Get("MessageChannel").New()
	port := ch.Get("port1")
	answers := make(chan js.Value, 1)
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		select { // never wait in a callback
		case answers <- args[0].Get("data"):
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
	w.Call("postMessage", msg, append([]any{ch.Get("port2")}, transfer...))
	select {
	case v := <-answers:
		if v.Type() != js.TypeObject {
			return js.Value{}, &Error{Kind: Failed, Detail: "unexpected answer from the capture worker"}
		}
		if e := v.Get("error"); e.Type() == js.TypeString {
			if v.Get("unavailable").Truthy() {
				// capture.wasm could not run: the next request starts
				// a new worker, which fetches it again.
				worker.mu.Lock()
				if worker.failed == failed {
					worker.w.Call("terminate")
					worker.failed = nil
				}
				worker.mu.Unlock()
			}
			var ce Error
			if json.Unmarshal([]byte(e.String()), &ce) != nil || ce.Kind == "" {
				ce = Error{Kind: Failed, Detail: e.String()}
			}
			return js.Value{}, &ce
		}
		return v, nil
	case <-failed:
		worker.mu.Lock()
		err := worker.err
		worker.mu.Unlock()
		return js.Value{}, err
	case <-ctx.Done():
		return js.Value{}, &Error{Kind: Failed, Detail: "the capture worker did not answer: " + ctx.Err().Error()}
	}
}

// ExportPcapng has the worker write pkts as pcapng and has the browser
// download it as name. The file's bytes never enter the page's Go memory.
func ExportPcapng(ctx context.Context, pkts []wiretap.Packet, name string) error {
	list, err := json.Marshal(FromWire(pkts))
	if err != nil {
		return err
	}
	v, err := call(ctx, map[string]any{"op": OpExport, "json": string(list)}, nil)
	if err != nil {
		return err
	}
	b := v.Get("bytes")
	if !b.Truthy() {
		return &Error{Kind: Failed, Detail: "the capture worker sent no file"}
	}
	download(b, name, "application/vnd.tcpdump.pcap")
	return nil
}

// Download has the browser download data as name.
func Download(data []byte, name, mime string) {
	a := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(a, data)
	download(a, name, mime)
}

// download saves bytes (a Uint8Array) through a Blob URL and a link with a
// download attribute, which nothing uploads. The URL is revoked a minute
// later: a browser may read it after the click returns.
func download(bytes js.Value, name, mime string) {
	g := js.Global()
	blob := g.Get("Blob").New([]any{bytes}, map[string]any{"type": mime})
	url := g.Get("URL").Call("createObjectURL", blob)
	a := g.Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Get("style").Set("display", "none")
	body := g.Get("document").Get("body")
	body.Call("appendChild", a)
	a.Call("click")
	body.Call("removeChild", a)
	var revoke js.Func
	revoke = js.FuncOf(func(js.Value, []js.Value) any {
		g.Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	g.Call("setTimeout", revoke, 60_000)
}

// Import has the worker read the file chosen in the file input whose id is
// inputID, for MQTT on TCP port port. The file goes to the worker as it is
// (a File is cloned, not read, by postMessage); nothing is uploaded.
func Import(ctx context.Context, inputID string, port int) (name string, pkts []wiretap.Packet, more bool, err error) {
	in := js.Global().Get("document").Call("getElementById", inputID)
	if !in.Truthy() || in.Get("files").Get("length").Int() == 0 {
		return "", nil, false, errors.New("capworker: no file chosen")
	}
	file := in.Get("files").Index(0)
	name = file.Get("name").String()
	if file.Get("size").Int() > MaxFile {
		return name, nil, false, &Error{Kind: TooLarge}
	}
	v, err := call(ctx, map[string]any{"op": OpImport, "file": file, "port": port}, nil)
	if err != nil {
		return name, nil, false, err
	}
	var res ImportResult
	if err := json.Unmarshal([]byte(v.Get("json").String()), &res); err != nil {
		return name, nil, false, &Error{Kind: Failed, Detail: err.Error()}
	}
	if res.Err != nil {
		err = res.Err
	}
	return name, ToWire(res.Packets), res.More, err
}
