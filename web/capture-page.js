// QoS Playground: the page's side of the capture worker (app/capworker).
// The page loads this script, and the worker (capture-worker.js, which runs
// capture.wasm), only when the learner saves a pcapng file or opens a
// capture. Its Go side calls qosCapture; every promise it returns is
// rejected with a capworker.Error as JSON text.
(() => {
  const failed = (detail) => JSON.stringify({ kind: "failed", detail: String(detail) });
  let worker = null;

  // call posts msg to the worker, starting it if need be, with a new
  // channel's port for the answer.
  function call(msg) {
    return new Promise((resolve, reject) => {
      if (!worker) {
        worker = new Worker("/web/capture-worker.js");
      }
      const w = worker;
      const ch = new MessageChannel();
      const done = () => {
        w.removeEventListener("error", onError);
        ch.port1.close();
      };
      const drop = () => {
        w.terminate();
        if (worker === w) {
          worker = null; // the next request starts a new one
        }
      };
      const onError = (e) => {
        done();
        drop();
        reject(failed("the capture worker could not run: " + (e.message || "its script failed")));
      };
      w.addEventListener("error", onError);
      ch.port1.onmessage = (e) => {
        done();
        const d = e.data || {};
        if (typeof d.error === "string") {
          if (d.unavailable) {
            drop();
            reject(failed(d.error));
          } else {
            reject(d.error);
          }
          return;
        }
        resolve(d);
      };
      w.postMessage(msg, [ch.port2]);
    });
  }

  // save has the browser download data as name, through a Blob URL:
  // nothing is uploaded.
  function save(data, name, type) {
    const url = URL.createObjectURL(new Blob([data], { type: type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  self.qosCapture = {
    // exportPcapng: a packet list's JSON in, a pcapng file downloaded.
    exportPcapng: (list, name) =>
      call({ op: "export", json: list }).then((d) => save(d.bytes, name, "application/vnd.tcpdump.pcap")),
    // saveJSON downloads the JSON export (README.md: "format":
    // "qosplayground-capture/1"), indented for people: head is the page's
    // {page, settings, ledger}, list its packets; the page's link
    // parameters join the settings.
    saveJSON: (head, list, name) => {
      const h = JSON.parse(head);
      const settings = {};
      const q = new URLSearchParams(location.search);
      if (h.page === "/" && !(h.settings && h.settings.file)) {
        for (const [k, v] of q) {
          if (!["lang", "embed", "room", "autorun"].includes(k)) settings[k] = v;
        }
      }
      const doc = {
        format: "qosplayground-capture/1",
        app: "QoS Playground",
        page: h.page,
        exported_at: new Date().toISOString(),
        settings: Object.assign(settings, h.settings || {}),
        ledger: h.ledger || null,
        packets: JSON.parse(list),
      };
      save(JSON.stringify(doc, null, 2) + "\n", name, "application/json");
    },
    // importFile reads the file chosen in the input inputId (the File goes
    // to the worker as it is) and resolves with an ImportResult's JSON.
    importFile: (inputId, port, max) => {
      const input = document.getElementById(inputId);
      const file = input && input.files && input.files[0];
      if (!file) {
        return Promise.reject(failed("no file chosen"));
      }
      if (file.size > max) {
        return Promise.reject(JSON.stringify({ kind: "too-large" }));
      }
      return call({ op: "import", file: file, port: port }).then((d) => d.json);
    },
  };
})();
