//go:build js

// Command capture is the capture worker's WebAssembly, built with GOOS=js
// GOARCH=wasm into web/capture.wasm. It runs in a dedicated Web Worker
// (web/capture-worker.js) that a page starts only when the learner exports
// a pcapng file or opens a capture (package capworker), so that app.wasm
// carries no gopacket. It answers two requests, each posted with a
// MessagePort for the answer: export (a packet list's JSON in, the pcapng
// file's bytes out) and import (a File and a TCP port in, the packet list
// or why there is none out); package capture does the work.
package main

import "qosplayground/app/capture"

func main() {
	capture.ServeWorker() // never returns: requests are answered by callbacks
}
