//go:build js

package capworker

import (
	"context"
	"encoding/json"
	"syscall/js"

	"qosplayground/app/wiretap"
)

// PageScript (qosCapture) starts the worker, talks to it and saves files;
// it is loaded at the first export or import, not with the page. Written
// in Go, the same glue made app.wasm about 20 KB raw larger.

// helper returns qosCapture, loading PageScript first if need be.
func helper(ctx context.Context) (js.Value, error) {
	g := js.Global()
	if h := g.Get("qosCapture"); h.Truthy() {
		return h, nil
	}
	doc := g.Get("document")
	s := doc.Call("createElement", "script")
	s.Set("src", PageScript)
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		s.Set("onload", args[0])
		s.Set("onerror", args[1])
		return nil
	})
	defer executor.Release()
	loaded := g.Get("Promise").New(executor)
	doc.Get("head").Call("appendChild", s)
	if _, err := await(ctx, loaded); err != nil {
		s.Call("remove") // the next request tries again
		return js.Value{}, &Error{Kind: Failed, Detail: PageScript + " could not be loaded"}
	}
	return g.Get("qosCapture"), nil
}

// await waits for a promise; a rejection is a capworker.Error as JSON
// text (capture-page.js), or anything else.
func await(ctx context.Context, p js.Value) (js.Value, error) {
	type result struct {
		v  js.Value
		ok bool
	}
	done := make(chan result, 1)
	ok := js.FuncOf(func(_ js.Value, a []js.Value) any { done <- result{arg(a), true}; return nil })
	bad := js.FuncOf(func(_ js.Value, a []js.Value) any { done <- result{arg(a), false}; return nil })
	defer ok.Release()
	defer bad.Release()
	p.Call("then", ok, bad)
	select {
	case r := <-done:
		if r.ok {
			return r.v, nil
		}
		e := &Error{Kind: Failed}
		if r.v.Type() != js.TypeString || json.Unmarshal([]byte(r.v.String()), e) != nil || e.Kind == "" {
			e = &Error{Kind: Failed, Detail: "the capture worker failed"}
		}
		return js.Value{}, e
	case <-ctx.Done():
		return js.Value{}, &Error{Kind: Failed, Detail: "the capture worker did not answer: " + ctx.Err().Error()}
	}
}

func arg(a []js.Value) js.Value {
	if len(a) == 0 {
		return js.Undefined()
	}
	return a[0]
}

// ExportPcapng has the worker write pkts as pcapng, and the browser save
// it as name. The file's bytes never enter the page's Go memory.
func ExportPcapng(ctx context.Context, pkts []wiretap.Packet, name string) error {
	list, err := json.Marshal(FromWire(pkts))
	if err != nil {
		return err
	}
	h, err := helper(ctx)
	if err != nil {
		return err
	}
	_, err = await(ctx, h.Call("exportPcapng", string(list), name))
	return err
}

// SaveJSON has the browser save the JSON export of pkts as name: head is
// the page's part of the Document (Head), the rest is added by
// capture-page.js (the format, the time, the page's link parameters).
func SaveJSON(ctx context.Context, head Head, pkts []wiretap.Packet, name string) error {
	h, err := helper(ctx)
	if err != nil {
		return err
	}
	hb, err := json.Marshal(head)
	if err != nil {
		return err
	}
	list, err := json.Marshal(FromWire(pkts))
	if err != nil {
		return err
	}
	h.Call("saveJSON", string(hb), string(list), name)
	return nil
}

// Import has the worker read the file chosen in the file input whose id is
// inputID, for MQTT on TCP port port. The File goes to the worker as it is
// (postMessage clones it; nothing reads it in the page); nothing is
// uploaded.
func Import(ctx context.Context, inputID string, port int) (pkts []wiretap.Packet, more bool, err error) {
	h, err := helper(ctx)
	if err != nil {
		return nil, false, err
	}
	v, err := await(ctx, h.Call("importFile", inputID, port, MaxFile))
	if err != nil {
		return nil, false, err
	}
	var res ImportResult
	if err := json.Unmarshal([]byte(v.String()), &res); err != nil {
		return nil, false, &Error{Kind: Failed, Detail: err.Error()}
	}
	if res.Err != nil {
		err = res.Err
	}
	return ToWire(res.Packets), res.More, err
}
