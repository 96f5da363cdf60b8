// QoS Playground: the capture worker (see app/capworker). It runs
// web/capture.wasm, whose Go code (capture.ServeWorker) answers the page's
// requests (export, import); web/wasm-worker.js starts it and answers with
// the reason when it cannot start.
self.qosWorkerWASM = "/web/capture.wasm";
importScripts("/web/wasm-worker.js");
