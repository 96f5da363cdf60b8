package i18n

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestCatalogueComplete(t *testing.T) {
	if len(All()) < 100 {
		t.Fatalf("only %d messages registered", len(All()))
	}
	for _, msg := range All() {
		if strings.TrimSpace(msg.EN) == "" || strings.TrimSpace(msg.JA) == "" {
			t.Errorf("message %+v lacks a language", msg)
		}
		// Both languages take the same arguments.
		if en, ja := verbs(msg.EN), verbs(msg.JA); en != ja {
			t.Errorf("message %+v: format verbs %q in English, %q in Japanese", msg, en, ja)
		}
	}
}

var verbRe = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0-9.]*([a-zA-Z])`)

// verbs lists a format's verbs in argument order, e.g. "sd".
func verbs(s string) string {
	s = strings.ReplaceAll(s, "%%", "")
	byArg := map[int]string{}
	next := 1
	for _, m := range verbRe.FindAllStringSubmatch(s, -1) {
		if m[1] != "" {
			next, _ = strconv.Atoi(m[1])
		}
		byArg[next] = m[2]
		next++
	}
	out := ""
	for i := 1; i <= len(byArg); i++ {
		out += byArg[i]
	}
	return out
}

func TestExplicitArgumentIndexes(t *testing.T) {
	// VerdictReceived reorders its arguments in Japanese.
	if got := T(JA, VerdictReceived, 1, 2); got != "切断中に送った 2 通のうち 1 通を受信しました。" {
		t.Errorf("Japanese verdict = %q", got)
	}
	if got := T(EN, VerdictReceived, 1, 2); got != "Received 1 of the 2 messages sent while it was away." {
		t.Errorf("English verdict = %q", got)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		scenario  string
		preferred []string
		want      Lang
	}{
		{"Japanese browser", []string{"ja-JP", "en-US"}, JA},
		{"English browser", []string{"en-GB"}, EN},
		{"first supported wins", []string{"fr-FR", "ja", "en"}, JA},
		{"none supported", []string{"fr", "de"}, EN},
		{"nothing known", nil, EN},
		{"upper case", []string{"JA"}, JA},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := Detect(tt.preferred); got != tt.want {
				t.Errorf("Detect(%q) = %s, want %s", tt.preferred, got, tt.want)
			}
		})
	}
	if _, ok := Parse("zz"); ok {
		t.Error("Parse accepted zz")
	}
}
