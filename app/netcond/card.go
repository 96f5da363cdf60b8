package netcond

// The decisions of the playground's network conditions card (app/ui/netcond.go
// only draws them): its fields as typed, the preset a link names, when
// conditions shape the live connection, and what the card says.

// Custom is the preset selector's value for numbers of the learner's own.
const Custom = "custom"

// Fields are the card's fields as the learner typed them, and the preset
// chosen in its selector: a preset's id, "" (a perfect link) or Custom.
type Fields struct {
	Preset                                    string
	Latency, Jitter, Up, Down, CutMin, CutMax string
}

// FieldsOf returns the fields that show p, chosen as p.ID.
func FieldsOf(p Preset) Fields {
	f := Fields{Preset: p.ID}
	f.Latency, f.Jitter, f.Up, f.Down, f.CutMin, f.CutMax = PresetFormValues(p)
	return f
}

// Choose picks id in the selector: a preset's numbers (a perfect link's
// for "") fill the fields; Custom, or an unknown id, keeps what is typed.
func (f *Fields) Choose(id string) {
	f.Preset = id
	if id == "" {
		*f = FieldsOf(Preset{})
		return
	}
	if p, ok := PresetByID(id); ok {
		*f = FieldsOf(p)
	}
}

// Set changes the field whose input has id field (FieldLatency...): the
// numbers are then the learner's own.
func (f *Fields) Set(field, value string) {
	dst := map[string]*string{
		FieldLatency: &f.Latency, FieldJitter: &f.Jitter, FieldUp: &f.Up,
		FieldDown: &f.Down, FieldCutMin: &f.CutMin, FieldCutMax: &f.CutMax,
	}[field]
	if dst == nil {
		return
	}
	*dst = value
	f.Preset = Custom
}

// Read returns the preset the fields describe, named by the selector's
// value; the first field out of range is the error.
func (f Fields) Read() (Preset, *FormError) {
	p, err := PresetFromForm(f.Latency, f.Jitter, f.Up, f.Down, f.CutMin, f.CutMax)
	if err != nil {
		return Preset{}, err
	}
	p.ID = f.Preset
	return p, nil
}

// Perfect reports whether p changes nothing: no delay, no limit, no cut.
// The client shapes the in-tab broker's link unless p is perfect.
func (p Preset) Perfect() bool { return p.Conditions.IsZero() && p.CutMax == 0 }

// LinkID is the preset a link to the page names for the applied
// conditions: their ID if they are that preset as it stands, else "".
func LinkID(applied *Preset) string {
	if applied == nil {
		return ""
	}
	if known, ok := PresetByID(applied.ID); ok && known == *applied {
		return applied.ID
	}
	return ""
}

// Shaped reports whether a connection dialled to the in-tab broker with
// the applied conditions (nil: none) goes through them.
func Shaped(applied *Preset) bool { return applied != nil && !applied.Perfect() }

// AppliesAtOnce reports whether conditions just applied act on the live
// connection at once: always through the server's gateway; on the in-tab
// broker only when its connection was dialled shaped, else from the next
// connection on.
func AppliesAtOnce(inTab, shaped bool) bool { return !inTab || shaped }

// CardStatus is what the card says about the link.
type CardStatus int

// The card's statuses.
const (
	StatusNone         CardStatus = iota // connected, nothing applied: nothing to say
	StatusConnectFirst                   // not connected, nothing applied
	StatusApplied                        // the applied conditions, which change something
	StatusPerfect                        // conditions applied, and they change nothing
	StatusInTab                          // the in-tab broker: how its link is shaped
	StatusAppliedInTab                   // both of the above
)

// Status returns what the card says, from the applied conditions (nil:
// none yet), the broker and the connection.
func Status(applied *Preset, inTab, connected bool) CardStatus {
	changes := applied != nil && !applied.Perfect()
	switch {
	case inTab && changes:
		return StatusAppliedInTab
	case inTab:
		return StatusInTab
	case changes:
		return StatusApplied
	case applied != nil:
		return StatusPerfect
	case !connected:
		return StatusConnectFirst
	}
	return StatusNone
}

// FormErrorKind says which message a field's error needs.
type FormErrorKind int

// The kinds of field errors.
const (
	ErrRange     FormErrorKind = iota // a whole number from Min to Max
	ErrBandwidth                      // 0 (no limit) or a whole number from Min to Max
	ErrCutBelow                       // the largest cut is below the smallest (Min)
)

// Kind says which message e needs.
func (e *FormError) Kind() FormErrorKind {
	switch {
	case e.Bandwidth():
		return ErrBandwidth
	case e.Field == FieldCutMax && e.Min > 0:
		return ErrCutBelow
	}
	return ErrRange
}

// On returns e if it is field's error, else nil; e may be nil.
func (e *FormError) On(field string) *FormError {
	if e == nil || e.Field != field {
		return nil
	}
	return e
}
