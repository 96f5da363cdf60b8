// Package topic checks MQTT 3.1.1 topic names and topic filters before
// anything is sent, so a learner sees why a topic is refused instead of a
// broker silently dropping the connection.
//
// The errors are sentinel values so the user interface can show each one in
// the learner's language.
package topic

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// MaxLength is the longest topic the two-byte length prefix can carry.
const MaxLength = 65535

var (
	// ErrEmpty reports an empty topic name or filter ([MQTT-4.7.3-1]).
	ErrEmpty = errors.New("topic: must not be empty")
	// ErrTooLong reports a topic longer than 65,535 bytes in UTF-8.
	ErrTooLong = errors.New("topic: longer than 65535 bytes")
	// ErrInvalidUTF8 reports bytes that are not UTF-8, or a NUL character
	// ([MQTT-1.5.3-1], [MQTT-1.5.3-2]).
	ErrInvalidUTF8 = errors.New("topic: not valid UTF-8 or contains U+0000")
	// ErrWildcardInName reports '+' or '#' in a topic name used to publish
	// ([MQTT-3.3.2-2]).
	ErrWildcardInName = errors.New("topic: wildcards + and # are only allowed in subscriptions")
	// ErrHashNotLast reports a '#' that is not the whole last level of a
	// filter ([MQTT-4.7.1-2]).
	ErrHashNotLast = errors.New("topic: # must be the last level, alone (like a/#)")
	// ErrPlusNotWhole reports a '+' that shares its level with other
	// characters ([MQTT-4.7.1-3]).
	ErrPlusNotWhole = errors.New("topic: + must fill a whole level (like a/+/c)")
)

func checkCommon(s string) error {
	switch {
	case s == "":
		return ErrEmpty
	case len(s) > MaxLength:
		return ErrTooLong
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return ErrInvalidUTF8
	}
	return nil
}

// ValidateName checks a topic name that a PUBLISH will carry.
func ValidateName(name string) error {
	if err := checkCommon(name); err != nil {
		return err
	}
	if strings.ContainsAny(name, "+#") {
		return ErrWildcardInName
	}
	return nil
}

// ValidateFilter checks a topic filter that a SUBSCRIBE or UNSUBSCRIBE will
// carry.
func ValidateFilter(filter string) error {
	if err := checkCommon(filter); err != nil {
		return err
	}
	levels := strings.Split(filter, "/")
	for i, level := range levels {
		if strings.Contains(level, "#") && (level != "#" || i != len(levels)-1) {
			return ErrHashNotLast
		}
		if strings.Contains(level, "+") && level != "+" {
			return ErrPlusNotWhole
		}
	}
	return nil
}

// Matches reports whether topic name matches filter, following the rules of
// section 4.7, including that filters starting with a wildcard do not match
// names starting with '$' ([MQTT-4.7.2-1]). Both are assumed valid.
func Matches(filter, name string) bool {
	if strings.HasPrefix(name, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	f, n := strings.Split(filter, "/"), strings.Split(name, "/")
	for i, level := range f {
		if level == "#" {
			return true
		}
		if i >= len(n) || (level != "+" && level != n[i]) {
			return false
		}
	}
	return len(f) == len(n)
}
