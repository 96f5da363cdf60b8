package eventrec

import (
	"slices"
	"testing"
	"time"
)

// ev is an event: a message when msg is set, else a state.
type ev struct {
	msg   string
	state string
}

func newRec() *Recorder[ev, string, string] {
	return New(time.Second,
		func(e ev) (string, bool) { return e.msg, e.msg != "" },
		func(e ev) string { return e.state })
}

// TestRecorder: messages come back in order and once; a state wait drops
// the events before the one it finds; Messages and TakeStates show what is
// left.
func TestRecorder(t *testing.T) {
	r := newRec()
	for _, e := range []ev{{state: "connecting"}, {msg: "a"}, {state: "connected"}, {msg: "b"}, {state: "lost"}} {
		r.On(e)
	}
	if got := r.WaitMessage(t); got != "a" {
		t.Errorf("first message %q, want a", got)
	}
	if got := r.Messages(); !slices.Equal(got, []string{"b"}) {
		t.Errorf("Messages %q, want [b]", got)
	}
	if got := r.WaitState(t, "connected"); got.state != "connected" {
		t.Errorf("WaitState returned %+v", got)
	}
	if got := r.TakeStates(); len(got) != 1 || got[0].state != "lost" {
		t.Errorf("TakeStates %+v, want only the event after connected", got)
	}
	go r.On(ev{msg: "late"}) // a wait sees what arrives while it waits
	if got := r.WaitMessage(t); got != "b" {
		t.Errorf("second message %q, want b", got)
	}
	if got := r.WaitMessage(t); got != "late" {
		t.Errorf("third message %q, want late", got)
	}
}
