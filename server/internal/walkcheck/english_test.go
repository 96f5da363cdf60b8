package walkcheck

import (
	"reflect"
	"strings"
	"testing"
)

func TestEnglish(t *testing.T) {
	for _, c := range []struct {
		name  string
		text  string
		data  []string
		words []string // the English words found, in order
	}{
		{"Japanese with protocol words", "QoS 1 の PUBLISH に PUBACK が返りました（DUP=1）", nil, nil},
		{"numbers and units", "遅延 12 ms、1 s ごと、256 KB", nil, nil},
		{"identifiers", "トピック sensors/temp/1 に message_id 3 を送信（client-abc）", nil, nil},
		{"an English phrase", "PUBACK の前で切断 (cut before PUBACK)", nil, []string{"cut", "before"}},
		{"English glued to Japanese", "アラート処理エラー: simulatedエラー", nil, []string{"simulated"}},
		{"arrows split words", "切断（broker→tab）", nil, []string{"broker", "tab"}},
		{"the learner's data is not read", "受信: hello world（QoS 2）", []string{"hello world"}, nil},
		{"a loading label", "Loading QoS Playground… 40%", nil, []string{"Loading", "Playground"}},
		{"the language switch", "日本語 English", nil, nil},
		{"a quoted literal", `トピックに "high" を含むアラート`, nil, nil},
		{"data does not hide parts of words", "Clean Session", []string{"on"}, nil},
		{"data words are the learner's", "Alert processed for", []string{"on"}, []string{"Alert", "processed", "for"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var words []string
			for _, e := range English(c.text, c.data) {
				w, _, _ := strings.Cut(e, " ← ")
				words = append(words, w)
			}
			if !reflect.DeepEqual(words, c.words) {
				t.Errorf("English(%q) = %q, want %q", c.text, words, c.words)
			}
		})
	}
}

func TestEnglishSaysWhere(t *testing.T) {
	got := English("一行目\nalert processing error", nil)
	if len(got) != 3 || got[0] != "alert ← alert processing error" {
		t.Errorf("English = %q, want each word with its line", got)
	}
}
