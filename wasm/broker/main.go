//go:build js

// Command broker is the in-tab broker's WebAssembly, built with GOOS=js
// GOARCH=wasm into web/broker.wasm. It runs in a dedicated Web Worker
// (web/broker-worker.js) that a page starts only when it needs a broker in
// the tab (package intab), so that app.wasm carries no broker.
package main

import "qosplayground/app/inbroker"

func main() {
	inbroker.ServeWorker(inbroker.Default())
	select {} // the worker's requests are answered by callbacks
}
