//go:build js

package transport

import (
	"syscall/js"

	"github.com/coder/websocket"
)

// newBatcher batches the connection's writes in the browser, flushing in a
// microtask: microtasks run when the Go code called by the event that
// woke the tab returns to the browser, that is when every goroutine it
// woke has written what it had and blocked.
func newBatcher(ws *websocket.Conn) *batcher {
	return &batcher{ws: ws, schedule: microtask}
}

var queueMicrotask = js.Global().Get("queueMicrotask")

func microtask(f func()) {
	var fn js.Func
	fn = js.FuncOf(func(js.Value, []js.Value) any {
		fn.Release()
		f()
		return nil
	})
	queueMicrotask.Invoke(fn)
}
