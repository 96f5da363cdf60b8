// QoS Playground: the capture worker (see app/capworker). It runs
// web/capture.wasm, whose Go code (wasm/capture) answers the page's
// requests (export, import). Requests that arrive before it runs wait in
// `early`; if it cannot start, each is answered with the reason.
importScripts("/wasm_exec.js");

const early = [];
self.onmessage = (e) => early.push(e);
self.qosEarlyMessages = () => early.splice(0);

async function instantiate(go) {
  const url = "/web/capture.wasm";
  if (WebAssembly.instantiateStreaming) {
    try {
      return await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
    } catch (err) {
      // e.g. a static host that sends another Content-Type: try again below
      console.warn("capture.wasm: streaming compile failed, retrying:", err);
    }
  }
  const resp = await fetch(url);
  if (!resp.ok) {
    throw new Error(url + ": " + resp.status + " " + resp.statusText);
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
    () => refuse("capture.wasm exited"),
    (err) => refuse(String((err && err.message) || err))
  );
