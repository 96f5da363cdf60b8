package brokerapi

import (
	"errors"
	"testing"

	"qosplayground/app/i18n"
)

func TestRestartControls(t *testing.T) {
	allowed := &Status{Mode: "mosquitto", Persistence: "off", RestartAllowed: true}
	refused := &Status{Mode: "mosquitto", Persistence: "off", WhyNot: WhyPublic}
	unknown := &Status{Mode: "external", RestartAllowed: true}
	failed := errors.New("no answer")
	for _, tc := range []struct {
		scenario string
		st       *Status
		err      error
		choice   string
		can      bool
		line     RestartLine
		note     RestartNote
	}{
		{"status not read yet", nil, nil, "", false, LineWaiting, NoteNone},
		{"status not read yet, a choice made", nil, nil, "on", false, LineWaiting, NoteNone},
		{"status could not be read", nil, failed, "", false, LineError, NoteNone},
		{"an old status, then an error", allowed, failed, "", false, LineError, NoteNone},
		{"restarts refused", refused, nil, "", false, LineNotAllowed, NoteNone},
		{"restarts refused, another persistence chosen", refused, nil, "on", false, LineNotAllowed, NoteSwitch},
		{"allowed, the broker's persistence", allowed, nil, "", true, LineBroker, NoteKeeps},
		{"allowed, the same persistence chosen", allowed, nil, "off", true, LineBroker, NoteKeeps},
		{"allowed, another persistence chosen", allowed, nil, "on", true, LineBroker, NoteSwitch},
		{"allowed, persistence unknown, a choice made", unknown, nil, "on", true, LineBroker, NoteKeeps},
	} {
		if got := CanRestart(tc.st, tc.err); got != tc.can {
			t.Errorf("%s: CanRestart = %v, want %v", tc.scenario, got, tc.can)
		}
		if got := RestartLineOf(tc.st, tc.err); got != tc.line {
			t.Errorf("%s: RestartLineOf = %v, want %v", tc.scenario, got, tc.line)
		}
		if got := RestartNoteOf(tc.st, tc.err, tc.choice); got != tc.note {
			t.Errorf("%s: RestartNoteOf = %v, want %v", tc.scenario, got, tc.note)
		}
	}
}

func TestWhyNotText(t *testing.T) {
	for _, tc := range []struct {
		code string
		want any
	}{
		{WhyOperatorOff, i18n.RestartWhyOperatorOff},
		{WhyPublic, i18n.RestartWhyPublic},
		{WhyProxy, i18n.RestartWhyProxy},
		{WhyExternal, i18n.RestartWhyExternal},
		{WhyCluster, i18n.RestartWhyCluster},
		{"", "the server's sentence"},           // an older server
		{"moon-phase", "the server's sentence"}, // a newer server's reason
	} {
		if got := WhyNotText(tc.code, "the server's sentence"); got != tc.want {
			t.Errorf("WhyNotText(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}

func TestNames(t *testing.T) {
	for mode, want := range map[string]i18n.Msg{"mosquitto": i18n.BrokerMosquitto, "embedded": i18n.BrokerEmbedded, "external": i18n.BrokerExternal,
		ModeInTab: i18n.BrokerInTab, ModeNATSCluster: i18n.BrokerNATSCluster, ModeCluster: i18n.BrokerNATSCluster} {
		if got := ModeName(mode); got != want {
			t.Errorf("ModeName(%q) = %q, want %q", mode, got.EN, want.EN)
		}
	}
	for _, mode := range []string{"mosquitto", "embedded", "external", ModeInTab, ModeNATSCluster, ""} {
		for _, c := range PersistenceChoices(mode) {
			if PersistenceChoiceLabel(c) == (i18n.Msg{}) {
				t.Errorf("mode %q: choice %q has no label", mode, c)
			}
		}
	}
	for p, want := range map[string]i18n.Msg{"off": i18n.PersistOffShort, "on": i18n.PersistOnShort, "default": i18n.PersistDefShort, "": {}} {
		if got := PersistenceName(p); got != want {
			t.Errorf("PersistenceName(%q) = %q, want %q", p, got.EN, want.EN)
		}
	}
}

func TestDifferences(t *testing.T) {
	for _, tc := range []struct {
		st   *Status
		want int
	}{
		{nil, 0},
		{&Status{Mode: "mosquitto"}, 0},
		{&Status{Mode: "embedded"}, 0},
		{&Status{Mode: ModeInTab}, 0},
		{&Status{Mode: ModeNATSCluster}, 4}, // the managed nodes carry the QoS 2 fix
		{&Status{Mode: ModeCluster}, 5},     // somebody else's nodes may not
	} {
		got := Differences(tc.st)
		if len(got) != tc.want {
			t.Errorf("%+v: %d differences, want %d", tc.st, len(got), tc.want)
		}
		for _, m := range got {
			if m == (i18n.Msg{}) {
				t.Errorf("%+v: an empty difference", tc.st)
			}
		}
	}
}
