// Package walkcheck holds the judgements of the scripted learner walk
// (server/browser_walk_test.go) that need no browser: pure functions, tested
// natively.
package walkcheck

import (
	"regexp"
	"strings"
	"unicode"
)

// quoted is a literal in ASCII double quotes: a value the text cites.
var quoted = regexp.MustCompile(`"[^"]*"`)

// allowed are the Latin words a Japanese page may show: MQTT's packet and
// protocol words, which Japanese MQTT texts (and the tutorial) write in
// Latin letters, names of programs and formats, units, and the language
// switch's own "English".
var allowed = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		MQTT QoS CONNECT CONNACK PUBLISH PUBACK PUBREC PUBREL PUBCOMP SUBSCRIBE SUBACK
		UNSUBSCRIBE UNSUBACK PINGREQ PINGRESP DISCONNECT DUP Retain retain RETAIN
		Clean Session clean session Persistent Will Last Keep Alive keepalive
		WebSocket JSON UTF URL ID IoT TCP TLS HTTP API
		Mosquitto mochi paho Paho Go Python SIGTERM SIGKILL GitHub issue Issue
		Wireshark dumpcap tcpdump pcap pcapng
		ms KB MB GB KiB MiB px Hz min max
		English`) {
		allowed[w] = true
	}
}

// identifierRunes mark a token as an identifier (a topic, a client id, a
// key such as message_id, a file name, an address): kept as it is.
const identifierRunes = "/_.:@-#+$="

// separator reports whether r ends a token: spaces, Japanese and Latin
// punctuation, brackets and arrows.
func separator(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	return strings.ContainsRune("（）()「」『』【】［］[]{}<>＜＞、。，,：；;・…\"'“”‘’!?！？|→←↔⇄⇆↑↓·×~〜", r)
}

// English lists the English words left in text, the visible text of a
// Japanese page, each with the line it stands in. data are the learner's
// own strings shown on the page (payloads, client ids, form values, hex
// dumps, code): their words are not English to translate. Allowed: the
// words of the allow-list and of data, single letters (units such as s,
// variables), any token that is an identifier (it holds one of
// / _ . : @ - # + $ = inside it), and literals in ASCII double quotes.
func English(text string, data []string) []string {
	learner := map[string]bool{}
	for _, d := range data {
		for _, w := range latinWords(d) {
			learner[w] = true
		}
	}
	var bad []string
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		for _, tok := range strings.FieldsFunc(quoted.ReplaceAllString(line, " "), separator) {
			if strings.ContainsAny(strings.TrimRight(tok, ".:"), identifierRunes) {
				continue
			}
			for _, w := range latinWords(tok) {
				if allowed[w] || learner[w] || len(w) < 2 {
					continue
				}
				entry := w + " ← " + strings.TrimSpace(line)
				if len(entry) > 160 {
					entry = entry[:160] + "…"
				}
				if !seen[entry] {
					seen[entry] = true
					bad = append(bad, entry)
				}
			}
		}
	}
	return bad
}

// latinWords are the runs of Latin letters in tok.
func latinWords(tok string) []string {
	return strings.FieldsFunc(tok, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
	})
}
