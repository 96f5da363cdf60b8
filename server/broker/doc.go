// Package broker runs the MQTT 3.1.1 broker that the playground's server talks to.
//
// The broker is always reached over plain TCP on the loopback interface: whoever
// uses this package (the server's WebSocket gateway, tests, tools) needs nothing
// but the address returned by [Broker.Addr]. The package knows nothing about the
// gateway.
//
// Three kinds of broker are supported, chosen by [Config.Spec] (the server's
// -broker flag):
//
//   - "mosquitto": a Mosquitto 2.0 child process managed by this package. It gets a
//     generated configuration file and a persistence database under
//     [Config.DataDir], listens on a free port on 127.0.0.1, has its output copied
//     into the server's log, is restarted by a supervisor if it dies unexpectedly,
//     and is killed by the kernel if the server dies (on Linux).
//   - "embedded": the mochi-mqtt v2 broker running inside the server process,
//     with mochi's bolt storage hook keeping its state in [Config.DataDir]
//     (see [Status].Caveats for what that store does not restore faithfully).
//   - "tcp://host:port" (or "mqtt://host:port"): an existing broker that somebody
//     else runs. This package only checks that it is reachable.
//
// "" and "auto" choose Mosquitto when it is installed and the embedded broker
// otherwise.
//
// [Broker.Restart] stops and starts a managed broker on the same address, either
// cleanly (SIGTERM, so Mosquitto saves its database) or abruptly (SIGKILL), which
// is what the playground's lessons about broker crashes need, and brings it back
// with the [Persistence] the learner chose: off (every restart forgets every
// session), on (Mosquitto's own default: saved at a clean stop and every 30
// minutes, so a crash loses what a clean stop keeps) or default (saved every
// second or two). [Broker.Status] tells the page which one runs and what it
// means.
//
// The embedded broker has no process to kill: its "crash" freezes its store
// first, so that nothing written after that instant reaches the disk, then
// resets every connection. Since its store commits each change as it happens,
// a crash loses nothing that was stored, unlike Mosquitto's timed autosave.
package broker
