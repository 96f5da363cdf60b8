// Package faultlab is the fault lab (/lab/faults, the tutorial's Task 3):
// runs that put the tutorial's publisher and reliable subscriber (package
// exercises) through faults and count what happened. RunLesson cuts one
// connection at the packet that teaches; RunBlips cuts both connections at
// random through the server's gateway, over many messages, and counts them
// in the ledger; RunRestart restarts the broker with persistence off or
// on, cleanly or as a crash; RunWill lets a client leave in three ways and
// shows who hears its last will.
//
// It imports neither go-app nor syscall/js: the same code runs in the
// browser tab and natively in go test, against real brokers.
package faultlab
