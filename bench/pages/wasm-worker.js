// The worker of wasm-worker.html: bench/wasmclient, as the main thread's
// page wasm.html runs it, with its two signals posted to the page. It
// starts when the page says so.
importScripts("/wasm_exec.js");
self.benchConnected = () => postMessage({connected: true});
self.benchDone = (result) => postMessage({result});
self.onmessage = (e) => {
  if (!e.data.go) {
    return;
  }
  const go = new Go();
  WebAssembly.instantiateStreaming(fetch("/bench.wasm"), go.importObject)
    .then((r) => go.run(r.instance))
    .catch((e) => postMessage({result: JSON.stringify({client: "wasm-worker", error: String(e)})}));
};
