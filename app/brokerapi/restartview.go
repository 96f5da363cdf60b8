package brokerapi

import "qosplayground/app/i18n"

// What a page shows of the broker's restart: whether its controls work,
// which line says the broker's state, which note goes under the
// persistence selector, and why a restart is refused, in the learner's
// language. The page only draws what these say.

// CanRestart says whether the page's restart controls work: the broker's
// status is known (st non-nil, read without error) and allows a restart.
func CanRestart(st *Status, statusErr error) bool {
	return st != nil && st.RestartAllowed && statusErr == nil
}

// RestartLine names the line that says the broker's state.
type RestartLine int

// The lines.
const (
	LineWaiting    RestartLine = iota // the status is not known yet: "…"
	LineError                         // the status could not be read: the error
	LineNotAllowed                    // restarts are not allowed: why (WhyNotText)
	LineBroker                        // the broker and its persistence
)

// RestartLineOf says which line to show for the status st, read with
// statusErr.
func RestartLineOf(st *Status, statusErr error) RestartLine {
	switch {
	case statusErr != nil:
		return LineError
	case st != nil && !st.RestartAllowed:
		return LineNotAllowed
	case st != nil:
		return LineBroker
	}
	return LineWaiting
}

// RestartNote names the note under the persistence selector.
type RestartNote int

// The notes.
const (
	NoteNone   RestartNote = iota
	NoteSwitch             // the restart would switch the shared broker's persistence (a warning)
	NoteKeeps              // the restart keeps the broker's persistence
)

// RestartNoteOf says which note goes under the selector for the learner's
// choice (ChosenPersistence).
func RestartNoteOf(st *Status, statusErr error, choice string) RestartNote {
	switch {
	case ChangesPersistence(st, choice):
		return NoteSwitch
	case st != nil && CanRestart(st, statusErr):
		return NoteKeeps
	}
	return NoteNone
}

// whyNots say each reason a restart is not allowed.
var whyNots = map[string]i18n.Msg{
	WhyOperatorOff: i18n.RestartWhyOperatorOff,
	WhyPublic:      i18n.RestartWhyPublic,
	WhyProxy:       i18n.RestartWhyProxy,
	WhyExternal:    i18n.RestartWhyExternal,
	WhyCluster:     i18n.RestartWhyCluster,
}

// WhyNotText says why the broker cannot be restarted from the page, for
// the reason code (Status.WhyNot, RefusedError.WhyNot): the catalogue's
// message for a known code, else the server's own sentence, english. It is
// an i18n.Msg or a string, as a message's argument.
func WhyNotText(code, english string) any {
	if msg, ok := whyNots[code]; ok {
		return msg
	}
	return english
}
