package ui

import (
	"qosplayground/app/fault"
	"qosplayground/app/faultlab"
	"qosplayground/app/i18n"
	"qosplayground/app/labrun"
)

// The fault lab's runs live here, not in its component: go-app makes a new
// faultsPage each time the learner comes to the page, and a run goes on
// while they are elsewhere (issue 13, item 5). The page draws what the
// slots hold (the runs' progress: faultlab.LessonRun, BlipRun, RestartRun,
// WillRun).
var (
	faultRuns    labrun.Guard // one run at a time: they share the broker and the tab's client ids
	lessonRuns   = labrun.NewSlot[faultlab.LessonRun, faultlab.LessonResult](&faultRuns, "lesson")
	blipRuns     = labrun.NewSlot[faultlab.BlipRun, struct{}](&faultRuns, "blips")
	restartRuns  = labrun.NewSlot[faultlab.RestartRun, faultlab.RestartResult](&faultRuns, "restart")
	willRuns     = labrun.NewSlot[faultlab.WillRun, faultlab.WillResult](&faultRuns, "will")
	allFaultRuns = []interface{ Done() <-chan struct{} }{lessonRuns, blipRuns, restartRuns, willRuns}
)

// faultCutText says a fault command in the learner's language
// (faultlab.CutText), else as fault.Command's String says it.
func faultCutText(l i18n.Lang, c fault.Command) string {
	if text, ok := faultlab.CutText(c); ok {
		return say(l, text)
	}
	return c.String()
}

// faultErrText says a fault-lab error in the learner's language
// (faultlab.ErrorText), else whatever errText knows.
func faultErrText(l i18n.Lang, err error) string {
	if text, ok := faultlab.ErrorText(err); ok {
		return tr(l, text.Msg, text.Args...)
	}
	return errText(l, err)
}
