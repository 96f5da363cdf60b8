//go:build !js

package transport

import "github.com/coder/websocket"

// newBatcher returns nil natively: paho's writes go straight to the
// socket, which the kernel already coalesces, and a batch would only add
// a goroutine's hop to each packet. (The batcher's tests build one with a
// schedule of their own.)
func newBatcher(*websocket.Conn) *batcher { return nil }
