// QoS Playground: what both Web Workers that run a Go wasm share (the
// in-tab broker's, web/broker-worker.js, and the capture worker's,
// web/capture-worker.js). The worker's own script sets self.qosWorkerWASM
// to its wasm's address and imports this. Requests that arrive before the
// Go program runs wait in `early` (the program takes them with
// qosEarlyMessages); if it cannot start, each is answered with the reason.
importScripts("/wasm_exec.js");

const early = [];
self.onmessage = (e) => early.push(e);
self.qosEarlyMessages = () => early.splice(0);

const wasmURL = self.qosWorkerWASM;
const wasmName = wasmURL.slice(wasmURL.lastIndexOf("/") + 1);

async function instantiate(go) {
  if (WebAssembly.instantiateStreaming) {
    try {
      return await WebAssembly.instantiateStreaming(fetch(wasmURL), go.importObject);
    } catch (err) {
      // e.g. a static host that sends another Content-Type: try again below
      console.warn(wasmName + ": streaming compile failed, retrying:", err);
    }
  }
  const resp = await fetch(wasmURL);
  if (!resp.ok) {
    throw new Error(wasmURL + ": " + resp.status + " " + resp.statusText);
  }
  return await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
}

// From now on every request is answered with why the worker cannot work.
function refuse(why) {
  const fail = (e) => {
    for (const p of e.ports) {
      p.postMessage({ error: why, unavailable: true });
      p.close();
    }
  };
  early.splice(0).forEach(fail);
  self.onmessage = fail;
}

const go = new Go();
instantiate(go)
  .then((r) => go.run(r.instance)) // settles when the Go program exits
  .then(
    () => refuse(wasmName + " exited"),
    (err) => refuse(String((err && err.message) || err))
  );
