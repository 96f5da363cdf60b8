// Package i18n is the playground's message catalogue, in Japanese (the
// language of the tutorial's learners) and English.
//
// Every text the user interface shows is a Msg of this package: a Msg holds
// both languages, so a message cannot be added in one language only (a test
// checks that none is empty). Messages with arguments are fmt formats.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a language of the user interface.
type Lang string

// The languages.
const (
	JA Lang = "ja"
	EN Lang = "en"
)

// Langs lists the languages in the order the switch shows them.
var Langs = []Lang{JA, EN}

// Name is the language's name in itself, for the switch.
func (l Lang) Name() string {
	if l == JA {
		return "日本語"
	}
	return "English"
}

// Parse reads a language tag such as "ja", "ja-JP" or "en-US".
func Parse(tag string) (Lang, bool) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	switch Lang(base) {
	case JA:
		return JA, true
	case EN:
		return EN, true
	}
	return "", false
}

// Detect picks the first of the browser's preferred languages
// (navigator.languages) that the playground speaks, else English.
func Detect(preferred []string) Lang {
	for _, tag := range preferred {
		if l, ok := Parse(tag); ok {
			return l
		}
	}
	return EN
}

// Msg is one message in both languages. The catalogue writes each as a
// literal, Msg{English, Japanese}, of constant strings: the compiler lays
// literals out as data, where a constructor call per message was run by
// the package's init, 300 KB of app.wasm's code for 464 messages. The
// catalogue test reads the literals from the source (i18n_test.go).
type Msg struct {
	EN, JA string
}

// In returns the message in language l (English for an unknown l).
func (msg Msg) In(l Lang) string {
	if l == JA {
		return msg.JA
	}
	return msg.EN
}

// T returns the message in language l, formatted with args when it has
// any.
func T(l Lang, msg Msg, args ...any) string {
	if len(args) == 0 {
		return msg.In(l)
	}
	return fmt.Sprintf(msg.In(l), args...)
}
