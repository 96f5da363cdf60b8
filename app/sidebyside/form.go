package sidebyside

import (
	"errors"
	"fmt"
	"strconv"
)

// The form's limits.
const (
	MaxMessages = 5_000  // per QoS: the tab runs six clients at once
	MaxCut      = 10_000 // packets
)

// Form is the page's fields as typed.
type Form struct {
	Messages, CutMin, CutMax string
}

// DefaultForm is the page's first values: DefaultMessages, cut every 40
// to 100 packets (the random-cut run's default range).
var DefaultForm = Form{Messages: strconv.Itoa(DefaultMessages), CutMin: "40", CutMax: "100"}

// RangeError says a field wants a whole number from Min to Max.
type RangeError struct{ Min, Max int }

func (e *RangeError) Error() string {
	return fmt.Sprintf("enter a whole number from %d to %d", e.Min, e.Max)
}

// CutOrderError says the cut range's top is below its bottom, Min.
type CutOrderError struct{ Min int }

func (e *CutOrderError) Error() string {
	return fmt.Sprintf("enter a number no smaller than the smallest (%d)", e.Min)
}

// ErrCutFromZero says the range's bottom is 0 while its top is not: 0 and
// 0 mean no cuts, else the bottom is at least 1.
var ErrCutFromZero = errors.New("the smallest is at least 1, or both are 0 for no cuts")

// Errors are the form's errors, field by field; nil where a field is right.
type Errors struct {
	Messages, CutMin, CutMax error
}

// Any reports whether a field is wrong.
func (e Errors) Any() bool { return e.Messages != nil || e.CutMin != nil || e.CutMax != nil }

// Check reads the form: the run's message count and cut range, or what
// is wrong with each field.
func (f Form) Check() (n, cutMin, cutMax int, errs Errors) {
	n, errs.Messages = whole(f.Messages, 1, MaxMessages)
	cutMin, errs.CutMin = whole(f.CutMin, 0, MaxCut)
	cutMax, errs.CutMax = whole(f.CutMax, 0, MaxCut)
	if errs.CutMin == nil && errs.CutMax == nil {
		switch {
		case cutMax < cutMin:
			errs.CutMax = &CutOrderError{cutMin}
		case cutMin == 0 && cutMax > 0:
			errs.CutMin = ErrCutFromZero
		}
	}
	return n, cutMin, cutMax, errs
}

func whole(s string, min, max int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, &RangeError{min, max}
	}
	return n, nil
}
