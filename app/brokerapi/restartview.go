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

// modeNames name the brokers by their mode.
var modeNames = map[string]i18n.Msg{
	"mosquitto": i18n.BrokerMosquitto, "embedded": i18n.BrokerEmbedded, "external": i18n.BrokerExternal, ModeInTab: i18n.BrokerInTab,
	ModeNATSCluster: i18n.BrokerNATSCluster, ModeCluster: i18n.BrokerNATSCluster,
}

// ModeName names the broker of mode (Status.Mode).
func ModeName(mode string) i18n.Msg { return modeNames[mode] }

// persistenceNames name a broker's persistence (Status.Persistence) in
// the status line.
var persistenceNames = map[string]i18n.Msg{"off": i18n.PersistOffShort, "on": i18n.PersistOnShort, "default": i18n.PersistDefShort}

// PersistenceName names a broker's persistence in a sentence.
func PersistenceName(p string) i18n.Msg { return persistenceNames[p] }

// persistenceChoices label the restart selector's options
// (PersistenceChoices).
var persistenceChoices = map[string]i18n.Msg{"default": i18n.PersistDefault, "on": i18n.PersistOn, "off": i18n.PersistOff,
	PersistenceJetStream: i18n.PersistJetStream, PersistenceUnknown: i18n.PersistUnknown}

// PersistenceChoiceLabel labels an option of the restart's selector.
func PersistenceChoiceLabel(choice string) i18n.Msg { return persistenceChoices[choice] }

// Differences lists what the broker of st does differently from Mosquitto
// for the lessons, under the heading NATSDiffHeading: a NATS cluster's
// differences, nothing for another broker or one not known yet (st nil).
// QoS 2 differs only on a cluster that may run NATS Server as released
// (MayBeStockNATS): the managed cluster's nodes carry the fix.
func Differences(st *Status) []i18n.Msg {
	if st == nil || !IsCluster(st.Mode) {
		return nil
	}
	items := []i18n.Msg{i18n.NATSDiffTopics, i18n.NATSDiffRedeliver, i18n.NATSDiffExpiry, i18n.NATSDiffMQTT5}
	if MayBeStockNATS(st.Mode) {
		items = append(items, i18n.NATSDiffQoS2)
	}
	return items
}
