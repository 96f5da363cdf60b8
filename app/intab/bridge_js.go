//go:build js

package intab

import (
	"net"
	"syscall/js"
)

var uint8Array = js.Global().Get("Uint8Array")

// Bridge joins conn to a MessagePort: what arrives on the port is written to
// conn, what conn yields is posted on the port. Both ends of the in-tab
// broker's connections use it: the page with its end of a memconn pipe,
// the worker with the broker's connection.
//
// On the port, a Uint8Array is data (posted with its buffer transferred,
// not copied), null is the end of the connection (either side may send
// it; the other closes conn), and anything else is a control message for
// onControl (the worker's answer to a dial). conn's writes must not block:
// they are made from the port's message callback, which must return
// without waiting for anything (a Go callback that waits stops every
// goroutine, and with them whoever would end the wait).
func Bridge(port js.Value, conn net.Conn, onControl func(js.Value)) {
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := args[0].Get("data")
		switch {
		case data.IsNull() || data.IsUndefined():
			conn.Close()
		case data.InstanceOf(uint8Array):
			b := make([]byte, data.Get("byteLength").Int())
			js.CopyBytesToGo(b, data)
			if _, err := conn.Write(b); err != nil {
				conn.Close()
			}
		default:
			if onControl != nil {
				onControl(data)
			}
		}
		return nil
	})
	port.Set("onmessage", onMessage)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := conn.Read(buf)
			if n > 0 {
				a := uint8Array.New(n)
				js.CopyBytesToJS(a, buf[:n])
				port.Call("postMessage", a, []any{a.Get("buffer")})
			}
			if err != nil {
				break
			}
		}
		port.Call("postMessage", js.Null())
		port.Set("onmessage", js.Null())
		port.Call("close")
		onMessage.Release()
	}()
}
