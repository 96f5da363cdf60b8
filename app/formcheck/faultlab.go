package formcheck

import "fmt"

// The fault lab's checked controls.
const (
	BlipsMessages  Field = "blips-n"
	BlipsCutMin    Field = "blips-min"
	BlipsCutMax    Field = "blips-max"
	CrashKeepAlive Field = "crash-keepalive"
)

// Ranges of the fault lab's number fields.
const (
	MaxBlipMessages   = 100_000
	MaxCut            = 10_000 // packets between two cuts, at most
	MaxCrashKeepAlive = 60     // seconds: the freeze waits 1.5 times as long
)

// CutOrderError reports a random cut range whose most is under its
// least: it is reported on the most.
type CutOrderError struct{ Min int }

func (e *CutOrderError) Error() string {
	return fmt.Sprintf("formcheck: the most packets between cuts must be at least %d", e.Min)
}

// Blips is the fault lab's random-cut run, as typed.
type Blips struct {
	Messages, CutMin, CutMax string
}

// BlipsRun is a checked random-cut run.
type BlipsRun struct {
	Messages, CutMin, CutMax int
}

// Check checks the form: its run, or the errors of its fields.
func (b Blips) Check() (BlipsRun, Errors) {
	var es Errors
	var run BlipsRun
	var err error
	add := func(f Field, err error) {
		if err != nil {
			es = append(es, FieldError{f, err})
		}
	}
	run.Messages, err = number(BlipsMessages, b.Messages, 1, MaxBlipMessages)
	add(BlipsMessages, err)
	var loErr, hiErr error
	run.CutMin, loErr = number(BlipsCutMin, b.CutMin, 1, MaxCut)
	add(BlipsCutMin, loErr)
	run.CutMax, hiErr = number(BlipsCutMax, b.CutMax, 1, MaxCut)
	add(BlipsCutMax, hiErr)
	if loErr == nil && hiErr == nil && run.CutMax < run.CutMin {
		add(BlipsCutMax, &CutOrderError{Min: run.CutMin})
	}
	return run, es
}

// CrashKeepAliveSeconds checks the client-crash lesson's keepalive, in
// seconds.
func CrashKeepAliveSeconds(s string) (int, error) {
	return number(CrashKeepAlive, s, 1, MaxCrashKeepAlive)
}
