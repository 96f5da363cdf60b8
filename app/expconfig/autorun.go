package expconfig

import (
	"net/url"

	"qosplayground/app/checkpoints"
)

// PlaygroundAutorun is where a link's autorun=1 is in the playground. The
// link's experiment runs as the learner would run it by hand: connect,
// then subscribe once the CONNACK came, then publish once the SUBACK came.
// Anything the learner does, and any step that fails, stops it. What it
// does earns no checkpoint (By). Its zero value is off.
type PlaygroundAutorun int

// The steps of a PlaygroundAutorun.
const (
	AutorunOff       PlaygroundAutorun = iota
	AutorunConnect                     // connecting: CONNACK, then subscribe
	AutorunSubscribe                   // subscribing: SUBACK, then publish
)

// StartPlayground returns the autorun a link with query q asks for: at its
// first step (connect) with autorun=1, off otherwise.
func StartPlayground(q url.Values) PlaygroundAutorun {
	if Autorun(q) {
		return AutorunConnect
	}
	return AutorunOff
}

// Running reports whether the autorun is under way: the page's acts are
// the link's, not the learner's.
func (a PlaygroundAutorun) Running() bool { return a != AutorunOff }

// By says who starts what the page does now: the link while its autorun
// runs, the learner otherwise.
func (a PlaygroundAutorun) By() checkpoints.Starter {
	if a.Running() {
		return checkpoints.ByLink
	}
	return checkpoints.ByLearner
}

// Connacked moves on after a CONNACK and reports whether the page
// subscribes now, as the link's next step.
func (a *PlaygroundAutorun) Connacked() (subscribe bool) {
	if *a != AutorunConnect {
		return false
	}
	*a = AutorunSubscribe
	return true
}

// Subacked reports whether the page publishes now, after a SUBACK, as the
// link's last step. The autorun stays running until the page calls Stop
// once the publish has started, so that the publish is the link's (By).
func (a PlaygroundAutorun) Subacked() (publish bool) { return a == AutorunSubscribe }

// Stop ends the autorun: the learner took over, a step failed, the
// connection closed, or the last step started.
func (a *PlaygroundAutorun) Stop() { *a = AutorunOff }
