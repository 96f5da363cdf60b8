package netcond

import (
	"strconv"
	"strings"
)

// Form fields, as the page names its inputs.
const (
	FieldLatency = "net-latency"
	FieldJitter  = "net-jitter"
	FieldUp      = "net-up"
	FieldDown    = "net-down"
	FieldCutMin  = "net-cut-min"
	FieldCutMax  = "net-cut-max"
)

// MaxCut is the most packets a cut may wait for (fault.MaxCount).
const MaxCut = 1_000_000

// FormError is a form field out of range. Bandwidth fields also take 0
// (no limit) below Min.
type FormError struct {
	Field    string
	Min, Max int
}

func (e *FormError) Error() string {
	return "netcond: " + e.Field + ": want " + strconv.Itoa(e.Min) + " to " + strconv.Itoa(e.Max)
}

// PresetFromForm reads conditions and a cut range from the page's fields:
// the cut range is empty, or both 0, for no cut; otherwise the connection
// is cut after cutMin to cutMax packets (FieldCutMax is the error when it
// is below cutMin).
func PresetFromForm(latency, jitter, up, down, cutMin, cutMax string) (Preset, *FormError) {
	c, err := FromForm(latency, jitter, up, down)
	if err != nil {
		return Preset{}, err
	}
	p := Preset{Conditions: c}
	for _, f := range []struct {
		name, text string
		dst        *int
	}{{FieldCutMin, cutMin, &p.CutMin}, {FieldCutMax, cutMax, &p.CutMax}} {
		s := strings.TrimSpace(f.text)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > MaxCut {
			return Preset{}, &FormError{Field: f.name, Min: 0, Max: MaxCut}
		}
		*f.dst = n
	}
	if p.CutMax < p.CutMin {
		return Preset{}, &FormError{Field: FieldCutMax, Min: p.CutMin, Max: MaxCut}
	}
	return p, nil
}

// PresetFormValues returns the six fields' texts for p.
func PresetFormValues(p Preset) (latency, jitter, up, down, cutMin, cutMax string) {
	latency, jitter, up, down = FormValues(p.Conditions)
	return latency, jitter, up, down, strconv.Itoa(p.CutMin), strconv.Itoa(p.CutMax)
}

// Bandwidth reports whether the field is a bandwidth (0 means no limit).
func (e *FormError) Bandwidth() bool { return e.Field == FieldUp || e.Field == FieldDown }

// FromForm reads conditions from the page's four fields, as typed (an
// empty field is 0); the first field out of range is the error.
func FromForm(latency, jitter, up, down string) (Conditions, *FormError) {
	var c Conditions
	for _, f := range []struct {
		name     string
		text     string
		dst      *int
		min, max int
	}{
		{FieldLatency, latency, &c.LatencyMS, 0, MaxLatencyMS},
		{FieldJitter, jitter, &c.JitterMS, 0, MaxJitterMS},
		{FieldUp, up, &c.UpKbps, MinKbps, MaxKbps},
		{FieldDown, down, &c.DownKbps, MinKbps, MaxKbps},
	} {
		s := strings.TrimSpace(f.text)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		bw := f.name == FieldUp || f.name == FieldDown
		if err != nil || n < 0 || n > f.max || (!bw && n < f.min) || (bw && n != 0 && n < f.min) {
			return Conditions{}, &FormError{Field: f.name, Min: f.min, Max: f.max}
		}
		*f.dst = n
	}
	return c, nil
}

// FormValues returns the four fields' texts for conditions c.
func FormValues(c Conditions) (latency, jitter, up, down string) {
	return strconv.Itoa(c.LatencyMS), strconv.Itoa(c.JitterMS), strconv.Itoa(c.UpKbps), strconv.Itoa(c.DownKbps)
}
