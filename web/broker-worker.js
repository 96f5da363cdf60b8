// QoS Playground: the in-tab broker's Web Worker (see app/intab). It runs
// web/broker.wasm, whose Go code (inbroker.ServeWorker) answers the page's
// requests; web/wasm-worker.js starts it and answers with the reason when
// it cannot start.
self.qosWorkerWASM = "/web/broker.wasm";
importScripts("/web/wasm-worker.js");
