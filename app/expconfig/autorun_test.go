package expconfig

import (
	"net/url"
	"testing"

	"qosplayground/app/checkpoints"
)

func TestPlaygroundAutorunSteps(t *testing.T) {
	a := StartPlayground(url.Values{"autorun": {"1"}})
	if !a.Running() || a.By() != checkpoints.ByLink {
		t.Fatalf("autorun=1: running %v, by %v; want running, by the link", a.Running(), a.By())
	}
	if a.Subacked() {
		t.Error("a SUBACK before the CONNACK publishes")
	}
	if !a.Connacked() {
		t.Fatal("the CONNACK does not subscribe")
	}
	if a.Connacked() {
		t.Error("a second CONNACK (a reconnection) subscribes again")
	}
	if !a.Subacked() || !a.Running() || a.By() != checkpoints.ByLink {
		t.Fatalf("after the SUBACK: publish %v, running %v, by %v; want a publish by the link", a.Subacked(), a.Running(), a.By())
	}
	a.Stop()
	if a.Running() || a.By() != checkpoints.ByLearner || a.Subacked() || a.Connacked() {
		t.Errorf("stopped: running %v, by %v; want off, by the learner, no further step", a.Running(), a.By())
	}
}

func TestPlaygroundAutorunOff(t *testing.T) {
	for _, q := range []url.Values{{}, {"autorun": {"0"}}, {"autorun": {""}}, {"autorun": {"true"}}} {
		a := StartPlayground(q)
		if a.Running() || a.By() != checkpoints.ByLearner || a.Connacked() || a.Subacked() {
			t.Errorf("%v: the autorun runs", q)
		}
	}
}

func TestPlaygroundAutorunStopsWhenLearnerTakesOver(t *testing.T) {
	a := StartPlayground(url.Values{"autorun": {"1"}})
	a.Stop() // the learner clicked Connect, or the form was refused
	if a.Connacked() || a.Subacked() || a.By() != checkpoints.ByLearner {
		t.Error("a stopped autorun still takes a step")
	}
}
