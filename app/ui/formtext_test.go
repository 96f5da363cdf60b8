package ui

import (
	"strings"
	"testing"

	"qosplayground/app/exercises"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
)

// TestFormErrorTexts: the lab forms' errors (package formcheck) are said
// with their field's name, in the learner's language.
func TestFormErrorTexts(t *testing.T) {
	_, blips := (formcheck.Blips{Messages: "0", CutMin: "9", CutMax: "5"}).Check()
	_, keepAlive := formcheck.CrashKeepAliveSeconds("61")
	_, badID := formcheck.TestMessage("alerts/x", "x")
	sub := func(f func(*formcheck.Subscriber)) error {
		s := formcheck.Subscriber{WorkMS: map[string]string{}, MaxRetries: "3", RetryMS: "0", TTLMin: "1", PruneMin: "1"}
		for _, fam := range formcheck.Families {
			s.WorkMS[fam] = "0"
		}
		f(&s)
		_, err := s.Config()
		return err
	}
	for _, tc := range []struct {
		err    error
		en, ja string
	}{
		{blips.Of(formcheck.BlipsMessages), i18n.BlipsMessages.EN, i18n.BlipsMessages.JA},
		{blips.Of(formcheck.BlipsCutMax), "9", "9"},
		{keepAlive, i18n.CrashKeepAlive.EN, i18n.CrashKeepAlive.JA},
		{badID, "message_id", "message_id"},
		{sub(func(s *formcheck.Subscriber) { s.WorkMS[exercises.FamilyAlerts] = "-1" }), i18n.FamilyAlerts.EN, i18n.FamilyAlerts.JA},
		{sub(func(s *formcheck.Subscriber) { s.RetryMS = "x" }), i18n.FieldRetryDelay.EN, i18n.FieldRetryDelay.JA},
		{sub(func(s *formcheck.Subscriber) { s.MaxRetries = "0" }), i18n.FieldAttempts.EN, i18n.FieldAttempts.JA},
		{sub(func(s *formcheck.Subscriber) { s.TTLMin = "0" }), i18n.FieldTTL.EN, i18n.FieldTTL.JA},
		{sub(func(s *formcheck.Subscriber) { s.PruneMin = "0" }), i18n.FieldPrune.EN, i18n.FieldPrune.JA},
		{second(formcheck.Millis(formcheck.ExGap, "-5")), i18n.FieldGap.EN, i18n.FieldGap.JA},
		{second(formcheck.Number(formcheck.ExWindow, "0", 1, 1000)), i18n.FieldWindow.EN, i18n.FieldWindow.JA},
		{second(formcheck.Number(formcheck.ExMessages, "x", 1, 100_000)), i18n.FieldMessages.EN, i18n.FieldMessages.JA},
	} {
		en, ja := errText(i18n.EN, tc.err), errText(i18n.JA, tc.err)
		if tc.err == nil || !strings.Contains(en, tc.en) || !strings.Contains(ja, tc.ja) || en == ja || strings.Contains(en, "%!") {
			t.Errorf("%v: %q / %q, want them to name %q / %q", tc.err, en, ja, tc.en, tc.ja)
		}
	}
}

// second is the error of a parse.
func second[T any](_ T, err error) error { return err }
