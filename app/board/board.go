// Package board is the teacher's board without its page: the progress
// message a learner's tab publishes (Report), and the board that gathers
// them (Board): one row per tab, the checkpoints each has earned, counts
// per checkpoint, and who has been idle.
//
// A tab publishes its Report, retained at QoS 1, to the bare topic
// classroom.ProgressTopic; the gateway puts it on the tab's own progress
// topic of its room, which the teacher's connection reads as
// "progress/TABID". The report holds what the learner did in the
// playground and a display name the learner chose: nothing else personal.
//
// The package imports neither go-app nor syscall/js.
package board

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"qosplayground/app/checkpoints"
)

// Version is the report format's version.
const Version = 1

// Bounds of a report's texts: a board of 300 rows stays small, and a
// report fits classroom.MaxProgress.
const (
	MaxName = 40  // runes of a display name
	MaxPage = 80  // bytes of a page's path
	MaxLast = 160 // runes of the last experiment's summary
)

// IdleAfter is how long without a change makes a learner idle on the board.
const IdleAfter = 5 * time.Minute

// Report is a tab's progress, as it travels.
type Report struct {
	V    int    `json:"v"`
	Name string `json:"name,omitempty"` // chosen by the learner
	Page string `json:"page,omitempty"` // the page's path, e.g. /lab/task1
	// Checkpoints are the IDs of the checkpoints earned, in the
	// tutorial's order.
	Checkpoints []checkpoints.ID `json:"checkpoints,omitempty"`
	// Facts are the facts recorded, for a teacher who wants to know how
	// far a learner got in a checkpoint not yet earned.
	Facts []checkpoints.Fact `json:"facts,omitempty"`
	// Last is a short summary of the learner's last experiment.
	Last string `json:"last,omitempty"`
	// Task1 is the QoS the learner chose for each stream in the last
	// Task 1 run, for the class's chart.
	Task1 *Task1Choices `json:"task1,omitempty"`
	// At is when the tab last changed its report.
	At time.Time `json:"at"`
}

// NewReport makes a tab's report from its progress.
func NewReport(name, page string, p checkpoints.Progress, last string, at time.Time) Report {
	r := Report{V: Version, Name: name, Page: page, Last: last, At: at.UTC().Truncate(time.Second)}
	for _, s := range p.Statuses() {
		if s.Done {
			r.Checkpoints = append(r.Checkpoints, s.ID)
		}
	}
	for f := range p.Facts {
		if checkpoints.Known(f) {
			r.Facts = append(r.Facts, f)
		}
	}
	slices.Sort(r.Facts)
	return r.clean()
}

// Same reports whether r and o say the same, apart from their time.
func (r Report) Same(o Report) bool {
	r.At, o.At = time.Time{}, time.Time{}
	a, _ := json.Marshal(r)
	b, _ := json.Marshal(o)
	return string(a) == string(b)
}

// Encode is the report as it is published.
func (r Report) Encode() []byte {
	b, _ := json.Marshal(r.clean()) // strings, slices and a time: cannot fail
	return b
}

// ErrNotReport reports a payload that is not a progress report.
var ErrNotReport = errors.New("board: not a progress report")

// Decode reads a published report. Whatever a tab sent is cut to the
// bounds and cleaned of control characters: the board shows it as text.
func Decode(b []byte) (Report, error) {
	var r Report
	if err := json.Unmarshal(b, &r); err != nil || r.V < 1 {
		return Report{}, ErrNotReport
	}
	return r.clean(), nil
}

// clean bounds the texts and keeps known checkpoints and facts only.
func (r Report) clean() Report {
	r.Name = cut(oneLine(r.Name), MaxName)
	r.Last = cut(oneLine(r.Last), MaxLast)
	if !strings.HasPrefix(r.Page, "/") || len(r.Page) > MaxPage || strings.ContainsFunc(r.Page, unicode.IsControl) {
		r.Page = ""
	}
	var ids []checkpoints.ID
	for _, c := range checkpoints.All {
		if slices.Contains(r.Checkpoints, c.ID) {
			ids = append(ids, c.ID)
		}
	}
	r.Checkpoints = ids
	r.Facts = slices.DeleteFunc(slices.Clone(r.Facts), func(f checkpoints.Fact) bool { return !checkpoints.Known(f) })
	if len(r.Facts) == 0 {
		r.Facts = nil
	}
	r.Task1 = r.Task1.clean()
	return r
}

// oneLine replaces control characters (line breaks included) with spaces
// and trims.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

// cut keeps the first n runes of s.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Has reports whether the report's learner earned checkpoint id.
func (r Report) Has(id checkpoints.ID) bool { return slices.Contains(r.Checkpoints, id) }

// Row is one learner on the board.
type Row struct {
	Tab string // the tab's id (classroom.TabID)
	Report
}

// Idle reports whether the row's learner has changed nothing for
// IdleAfter at now.
func (r Row) Idle(now time.Time) bool { return now.Sub(r.At) >= IdleAfter }

// Board gathers a room's reports. Its zero value is an empty board. It is
// not safe for concurrent use: the page applies messages on its UI
// goroutine.
type Board struct {
	rows map[string]Row
}

// TabOf returns the tab id of a teacher's progress topic
// ("progress/TABID"), and false for any other topic.
func TabOf(topic string) (string, bool) {
	tab, ok := strings.CutPrefix(topic, "progress/")
	if !ok || tab == "" || strings.Contains(tab, "/") {
		return "", false
	}
	return tab, true
}

// Apply takes a message of the teacher's connection: a report on
// progress/TABID sets that tab's row, an empty payload (a cleared
// retained message) removes it. It reports whether the board changed.
func (b *Board) Apply(topic string, payload []byte) bool {
	tab, ok := TabOf(topic)
	if !ok {
		return false
	}
	if len(payload) == 0 {
		if _, had := b.rows[tab]; !had {
			return false
		}
		delete(b.rows, tab)
		return true
	}
	r, err := Decode(payload)
	if err != nil {
		return false
	}
	if b.rows == nil {
		b.rows = make(map[string]Row)
	}
	b.rows[tab] = Row{Tab: tab, Report: r}
	return true
}

// Len is the number of learners on the board.
func (b *Board) Len() int { return len(b.rows) }

// Tabs returns the tab ids on the board, sorted.
func (b *Board) Tabs() []string {
	tabs := make([]string, 0, len(b.rows))
	for t := range b.rows {
		tabs = append(tabs, t)
	}
	slices.Sort(tabs)
	return tabs
}

// Order is how the board sorts its rows.
type Order string

// The orders.
const (
	ByName     Order = "name"     // display name, then tab id
	ByProgress Order = "progress" // most checkpoints first, then name
	ByActivity Order = "activity" // longest idle first, then name
)

// Rows returns the rows in order o (ByName for an unknown order).
func (b *Board) Rows(o Order) []Row {
	rows := make([]Row, 0, len(b.rows))
	for _, r := range b.rows {
		rows = append(rows, r)
	}
	byName := func(a, c Row) int {
		if n := strings.Compare(strings.ToLower(a.Name), strings.ToLower(c.Name)); n != 0 {
			return n
		}
		return strings.Compare(a.Tab, c.Tab)
	}
	slices.SortFunc(rows, func(a, c Row) int {
		switch o {
		case ByProgress:
			if d := len(c.Checkpoints) - len(a.Checkpoints); d != 0 {
				return d
			}
		case ByActivity:
			if n := a.At.Compare(c.At); n != 0 {
				return n
			}
		}
		return byName(a, c)
	})
	return rows
}

// Counts returns, per checkpoint of checkpoints.All, how many learners
// on the board earned it.
func (b *Board) Counts() map[checkpoints.ID]int {
	out := make(map[checkpoints.ID]int, len(checkpoints.All))
	for _, c := range checkpoints.All {
		out[c.ID] = 0
	}
	for _, r := range b.rows {
		for _, id := range r.Checkpoints {
			out[id]++
		}
	}
	return out
}

// IdleCount returns how many learners are idle at now.
func (b *Board) IdleCount(now time.Time) int {
	n := 0
	for _, r := range b.rows {
		if r.Idle(now) {
			n++
		}
	}
	return n
}
