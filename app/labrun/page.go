package labrun

// What a page draws of a slot's runs.

// Outcome is what a page shows of the end of the latest run: its result
// once it finished without error (nil before, while it runs, or after an
// error), and its error.
func (s State[P, R]) Outcome() (*R, error) {
	if !s.Finished || s.Err != nil {
		return nil, s.Err
	}
	res := s.Result
	return &res, nil
}

// Ended is the number of the latest run that has ended (runs are numbered
// from 1; 0 when none has): Runs, or one less while the latest one runs.
func (s State[P, R]) Ended() int {
	if s.Running {
		return s.Runs - 1
	}
	return s.Runs
}

// Going notes, by slot name, the runs in progress when a page was drawn:
// they went on while the learner was elsewhere, and the page says so next
// to what it shows of them.
type Going map[string]int

// Note notes the slot named name, with runs started so far, if its latest
// run is in progress.
func (g Going) Note(name string, runs int, running bool) {
	if running {
		g[name] = runs
	}
}

// RanAway says whether the run the page shows of the slot named name (its
// runs so far) was going when the page was drawn.
func (g Going) RanAway(name string, runs int) bool {
	before, ok := g[name]
	return ok && runs == before
}

// Seen is the number of the last run a page acted on, so that it acts
// once per run however often it is redrawn (selects a packet, reads the
// broker's status again).
type Seen int

// First says whether run is one the page has not acted on yet, and notes
// it.
func (s *Seen) First(run int) bool {
	if int(*s) == run {
		return false
	}
	*s = Seen(run)
	return true
}
