//go:build js

package transport

import (
	"sync"
	"syscall/js"

	"github.com/coder/websocket"
)

// newBatcher batches the connection's writes in the browser, flushing in a
// task of its own, queued behind the events already waiting: the PUBACKs of
// several deliveries that arrived together go out in one send. (A microtask
// would run after each event; setTimeout(0) is clamped to a millisecond or
// more.)
func newBatcher(ws *websocket.Conn) *batcher {
	return &batcher{ws: ws, schedule: nextTask}
}

// tasks runs the flushes: a message on a MessageChannel of its own is a task
// queued behind those already waiting, with no clamping. Every
// connection's flushes share it.
var tasks struct {
	once  sync.Once
	port  js.Value
	mu    sync.Mutex // guards queue; never held while a flush runs
	queue []func()
}

// nextTask runs f in a task of its own, after the events already queued.
func nextTask(f func()) {
	tasks.once.Do(func() {
		ch := js.Global().Get("MessageChannel").New()
		ch.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
			tasks.mu.Lock()
			q := tasks.queue
			tasks.queue = nil
			tasks.mu.Unlock()
			for _, f := range q {
				f()
			}
			return nil
		}))
		tasks.port = ch.Get("port2")
	})
	tasks.mu.Lock()
	first := len(tasks.queue) == 0
	tasks.queue = append(tasks.queue, f)
	tasks.mu.Unlock()
	if first {
		tasks.port.Call("postMessage", js.Null())
	}
}
