package faultlab

import (
	"qosplayground/app/checkpoints"
	"qosplayground/app/labrun"
	"qosplayground/app/wiretap"
)

// What the fault lab page's runs report while they run, as their slots
// (app/labrun) keep them, and the page's settings.

// LessonRun is a one-click lesson in progress: its QoS and the
// publisher's packets so far.
type LessonRun struct {
	QoS int
	Log *wiretap.Log
	By  checkpoints.Starter // who started it: a link's autorun earns no checkpoint
}

// BlipRun is the random-cut run in progress: what it was asked, the QoS
// running, its progress and the results of the QoS done.
type BlipRun struct {
	Messages, CutMin, CutMax string
	Net                      string // the netcond preset's id, "" for the server's own network
	QoS                      int
	Progress                 BlipProgress
	Results                  []BlipResult
}

// RestartRun is the broker restart in progress.
type RestartRun struct {
	Persistence string
	Kill        bool
	Step        string
}

// WillRun is the client-crash lesson in progress.
type WillRun struct {
	Leave     string
	KeepAlive string
}

// The states of the runs, as the page reads them from their slots.
type (
	LessonState  = labrun.State[LessonRun, LessonResult]
	BlipState    = labrun.State[BlipRun, struct{}]
	RestartState = labrun.State[RestartRun, RestartResult]
	WillState    = labrun.State[WillRun, WillResult]
)

// RunningQoS is the QoS of the random-cut run going on, -1 when none is.
func RunningQoS(st BlipState) int {
	if !st.Running {
		return -1
	}
	return st.Progress.QoS
}

// Form is the fault lab page's settings, as typed.
type Form struct {
	Messages, CutMin, CutMax string // the random-cut run (formcheck.Blips)
	Net                      string // its link: a netcond preset's id, "" for none
	KeepAlive                string // the client-crash lesson's, in seconds
	// Persistence is the learner's choice in the restart's selector; ""
	// follows the broker's actual setting, which the selector shows until
	// the learner picks another.
	Persistence string
	Kill        bool // the restart kills the broker
}

// NewForm returns the page's first settings.
func NewForm() Form {
	return Form{Messages: "1000", CutMin: "40", CutMax: "100", KeepAlive: "2"}
}

// Restore sets the form to the settings of the latest runs, so that a page
// drawn after them shows what they ran with: the random-cut run's and the
// crash lesson's once they have run, the restart's while it runs (once it
// is over the selector follows the broker, which then runs with them).
func (f *Form) Restore(blips BlipState, restart RestartState, will WillState) {
	if blips.Runs > 0 {
		b := blips.Progress
		f.Messages, f.CutMin, f.CutMax, f.Net = b.Messages, b.CutMin, b.CutMax, b.Net
	}
	if will.Runs > 0 {
		f.KeepAlive = will.Progress.KeepAlive
	}
	if restart.Running {
		f.Persistence, f.Kill = restart.Progress.Persistence, restart.Progress.Kill
	}
}

// RestartStep is the step of the restart going on, "" when none is.
func RestartStep(st RestartState) string {
	if !st.Running {
		return ""
	}
	return st.Progress.Step
}

// Leaving is how the client of the crash lesson going on leaves, "" when
// none is going on.
func Leaving(st WillState) string {
	if !st.Running {
		return ""
	}
	return st.Progress.Leave
}
