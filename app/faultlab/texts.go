package faultlab

import (
	"qosplayground/app/fault"
	"qosplayground/app/i18n"
)

// What the fault lab page says of its lessons, restarts and cuts.

// lessonTexts say each point a lesson's result makes.
var lessonTexts = map[LessonPoint]i18n.Msg{
	LessonAtMostOnce: i18n.LessonExplain0, LessonAtLeastOnce: i18n.LessonExplain1, LessonExactlyOnce: i18n.LessonExplain2,
	LessonBrokerFirst: i18n.LessonExplain2Rec, LessonQoS2Dup: i18n.LessonExplain2Dup,
}

// Text says the point.
func (p LessonPoint) Text() i18n.Msg { return lessonTexts[p] }

// restartTexts say what each outcome of a restart shows.
var restartTexts = map[RestartOutcome]i18n.Msg{
	RestartKept: i18n.RestartExplainKept, RestartLostOff: i18n.RestartExplainOff, RestartLostCrash: i18n.RestartExplainCrash,
}

// Text says what the outcome shows.
func (o RestartOutcome) Text() i18n.Msg { return restartTexts[o] }

// restartSteps say each step of a restart run.
var restartSteps = map[string]i18n.Msg{
	RestartStepPrepare: i18n.StepPrepare, RestartStepAway: i18n.StepAway, RestartStepQueue: i18n.StepQueue,
	RestartStepRestart: i18n.StepRestart, RestartStepReturn: i18n.StepReturn,
}

// RestartStepText says a step of the restart run (RestartConfig.OnStep's).
func RestartStepText(step string) i18n.Sentence {
	return i18n.Say(i18n.RestartStepMsg, restartSteps[step])
}

// BlipStatus says where the random-cut run stands: the QoS running
// (RunningQoS, -1 for none) and its progress, else that the results of a
// run are there (results), else nothing (ok false).
func BlipStatus(qos int, pr BlipProgress, results int) (text i18n.Sentence, ok bool) {
	switch {
	case qos >= 0:
		return i18n.Say(i18n.BlipsRunning, qos, pr.Published, pr.Received, pr.PublisherCuts+pr.SubscriberCuts), true
	case results > 0:
		return i18n.Say(i18n.BlipsDone), true
	}
	return i18n.Sentence{}, false
}

// BlipsDone says whether the random-cut run shown has finished all three
// QoS (the page's data-done).
func BlipsDone(qos int, results int) bool { return qos < 0 && results == 3 }

// CutText says a fault command in the learner's words (fault.Command's
// String is English, for logs and close reasons); ok is false for a
// command it has no words for.
func CutText(c fault.Command) (text i18n.Sentence, ok bool) {
	dir := i18n.FaultCutDown
	if c.Dir == fault.Up {
		dir = i18n.FaultCutUp
	}
	switch c.Op {
	case fault.OpCutNow:
		return i18n.Say(i18n.FaultCutNow), true
	case fault.OpClear:
		return i18n.Say(i18n.FaultCutClear), true
	case fault.OpFreeze:
		return i18n.Say(i18n.FaultCutFreeze), true
	case fault.OpRandom:
		return i18n.Say(i18n.FaultCutRandom, c.Draw(), c.Min, c.Max, c.Seed), true
	case fault.OpCutAt:
		var what any = c.Packet
		if c.Skip > 0 {
			what = i18n.Say(i18n.FaultCutNth, c.Packet, c.Skip+1)
		}
		msg := i18n.FaultCutBefore
		if c.When == fault.After {
			msg = i18n.FaultCutAfter
		}
		return i18n.Say(msg, what, dir), true
	}
	return i18n.Sentence{}, false
}
