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

// Msg is one message in both languages.
type Msg struct {
	EN, JA string
}

// all holds every message made by m, for the catalogue test.
var all []Msg

// m makes a message and registers it.
func m(en, ja string) Msg {
	msg := Msg{EN: en, JA: ja}
	all = append(all, msg)
	return msg
}

// All returns every message of the catalogue.
func All() []Msg { return append([]Msg(nil), all...) }

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
