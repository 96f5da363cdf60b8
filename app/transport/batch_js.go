//go:build js

package transport

import (
	"reflect"
	"sync"
	"syscall/js"
	"unsafe"

	"github.com/coder/websocket"
)

// newBatcher batches the connection's writes in the browser, flushing in a
// task of its own, queued behind the events already waiting: the PUBACKs of
// several deliveries that arrived together go out in one send. (A microtask
// would run after each event; setTimeout(0) is clamped to a millisecond or
// more.)
func newBatcher(ws *websocket.Conn) *batcher {
	b := &batcher{ws: ws, schedule: nextTask, now: true}
	if sock, ok := browserSocket(ws); ok {
		b.open = func() bool { return sock.Get("readyState").Int() == wsOpen }
	}
	return b
}

// wsOpen is the readyState of a browser WebSocket that takes messages
// (OPEN; CONNECTING is 0, CLOSING 2, CLOSED 3).
const wsOpen = 1

// browserSocket returns the browser's WebSocket object under ws, to read
// its readyState, which coder/websocket keeps to itself: v1.8.15 has it in
// Conn.ws (an internal wsjs.WebSocket) as the js.Value v. Any other layout
// returns false, and the batcher then writes as before, unchecked
// (TestBrowserFaultsNoWriteAfterClose in server/ would fail).
func browserSocket(ws *websocket.Conn) (js.Value, bool) {
	f := reflect.ValueOf(ws).Elem().FieldByName("ws")
	if !f.IsValid() || f.Kind() != reflect.Struct {
		return js.Value{}, false
	}
	f = f.FieldByName("v")
	if !f.IsValid() || f.Type() != reflect.TypeOf(js.Value{}) || !f.CanAddr() {
		return js.Value{}, false
	}
	v := *(*js.Value)(unsafe.Pointer(f.UnsafeAddr()))
	if v.Type() != js.TypeObject {
		return js.Value{}, false
	}
	return v, true
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
