package topic

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		scenario string
		name     string
		want     error
	}{
		{"plain", "sensors/temperature", nil},
		{"leading slash is a level", "/a", nil},
		{"empty levels are allowed", "a//b", nil},
		{"dollar topics are names too", "$SYS/x", nil},
		{"empty", "", ErrEmpty},
		{"plus", "sensors/+", ErrWildcardInName},
		{"hash", "sensors/#", ErrWildcardInName},
		{"hash inside a level", "a#b", ErrWildcardInName},
		{"NUL", "a\x00b", ErrInvalidUTF8},
		{"bad UTF-8", "a\xffb", ErrInvalidUTF8},
		{"too long", strings.Repeat("a", MaxLength+1), ErrTooLong},
		{"longest allowed", strings.Repeat("a", MaxLength), nil},
		{"Japanese", "センサー/温度", nil},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := ValidateName(tt.name); !errors.Is(got, tt.want) {
				t.Errorf("ValidateName(%.20q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestValidateFilter(t *testing.T) {
	tests := []struct {
		scenario string
		filter   string
		want     error
	}{
		{"plain", "sensors/temperature", nil},
		{"plus level", "sensors/+", nil},
		{"two plus levels", "actuators/+/+", nil},
		{"hash alone", "#", nil},
		{"hash last", "a/#", nil},
		{"plus then hash", "+/#", nil},
		{"empty", "", ErrEmpty},
		{"hash not last", "a/#/b", ErrHashNotLast},
		{"hash inside a level", "a/b#", ErrHashNotLast},
		{"plus inside a level", "a/b+", ErrPlusNotWhole},
		{"plus prefix", "+a/b", ErrPlusNotWhole},
		{"NUL", "a/\x00", ErrInvalidUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := ValidateFilter(tt.filter); !errors.Is(got, tt.want) {
				t.Errorf("ValidateFilter(%q) = %v, want %v", tt.filter, got, tt.want)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	tests := []struct {
		filter, name string
		want         bool
	}{
		{"sensors/+", "sensors/temperature", true},
		{"sensors/+", "sensors/a/b", false},
		{"sensors/#", "sensors", true},
		{"sensors/#", "sensors/a/b", true},
		{"actuators/+/+", "actuators/valve/control", true},
		{"actuators/+/+", "actuators/valve", false},
		{"#", "$SYS/broker", false},
		{"+/broker", "$SYS/broker", false},
		{"$SYS/#", "$SYS/broker", true},
		{"a/b", "a/b", true},
		{"a/b", "a/c", false},
		{"a/+", "a/", true},
	}
	for _, tt := range tests {
		if got := Matches(tt.filter, tt.name); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", tt.filter, tt.name, got, tt.want)
		}
	}
}
