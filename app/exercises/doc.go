// Package exercises is the tutorial's code, ported from Python to Go: the
// QoS publisher (Exercise 1), the reliable subscriber with duplicate
// detection and retries (Exercise 2, Task 2) and the integration run
// (Exercise 3) of hands-on 03, "QoS and message reliability", with the
// ledger that counts a run's messages. Task 1 is package task1, the fault
// lab (Task 3) package faultlab; both run this package's publisher and
// subscriber.
//
// It imports neither go-app nor syscall/js: the same code runs in the
// browser tab and natively in go test, against real brokers.
//
// # Where the port differs from the Python, and why
//
//   - Publish records are keyed by the publisher's message counter, not by
//     the packet id: paho reuses packet ids once they are acknowledged, so a
//     burst would overwrite its own records. The packet id is kept as a
//     column.
//   - "Confirmed" comes from the acknowledgement (PUBACK for QoS 1, PUBCOMP
//     for QoS 2), never from a timer; QoS 0 is "sent (QoS 0)", with no
//     confirmation to show.
//   - The subscriber processes messages on a goroutine of its own, never in
//     paho's handler, so a slow or retried message does not stall the
//     client (paho README, "Common Problems").
//   - The subscriber acknowledges a message after processing it (paho's
//     SetAutoAckDisabled): if the tab dies while processing, the broker
//     still holds the message and sends it again, with DUP set, on the next
//     connection of the persistent session. The Python acknowledges as soon
//     as on_message returns, which is the same moment there, because its
//     processing runs inside on_message.
//   - Waits are for events, not fixed sleeps: the comparison run waits for
//     its confirmations (at most a timeout), not five seconds.
//   - With the alert failure simulated, the integration run sends a second
//     alert, third, as message_id 3 (FailingAlert): the tutorial fails only
//     an alert whose message_id ends in 3, and its own run's alert is
//     message 2, so in the Python nothing ever fails there.
package exercises
