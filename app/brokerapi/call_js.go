//go:build js

package brokerapi

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
)

// call makes one request with the browser's fetch, on the page's own
// origin, aborting it when ctx ends.
func call(ctx context.Context, method, url string, body []byte, out any) error {
	type answer struct {
		status int
		text   string
		err    error
	}
	done := make(chan answer, 1)
	abort := js.Global().Get("AbortController").New()
	opts := js.Global().Get("Object").New()
	opts.Set("method", method)
	opts.Set("credentials", "same-origin")
	opts.Set("signal", abort.Get("signal"))
	if body != nil {
		headers := js.Global().Get("Object").New()
		headers.Set("Content-Type", "application/json")
		opts.Set("headers", headers)
		opts.Set("body", string(body))
	}
	var status int
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- answer{err: errors.New(args[0].Call("toString").String())}
		return nil
	})
	onText := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- answer{status: status, text: args[0].String()}
		return nil
	})
	onResponse := js.FuncOf(func(_ js.Value, args []js.Value) any {
		status = args[0].Get("status").Int()
		args[0].Call("text").Call("then", onText).Call("catch", onError)
		return nil
	})
	js.Global().Call("fetch", url, opts).Call("then", onResponse).Call("catch", onError)
	var a answer
	select {
	case a = <-done:
	case <-ctx.Done():
		abort.Call("abort")
		a = <-done // the aborted fetch rejects: every callback is done with
		a.err = ctx.Err()
	}
	onError.Release()
	onText.Release()
	onResponse.Release()
	if a.err != nil {
		return fmt.Errorf("%w: %s %s: %w", ErrNoAnswer, method, url, a.err)
	}
	return decode(a.status, []byte(a.text), out)
}
