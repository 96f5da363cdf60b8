package classroom

import (
	"errors"
	"fmt"
	"strings"
)

// The teacher's board (-teacher-key-file) adds three kinds of topics per
// shared room, outside the room's own space (Root/room/CODE/…), so that no
// learner's filter in the room (even "#") reaches them:
//
//   - Root/progress/CODE/TABID: a tab's progress, retained. The tab
//     publishes to the bare topic ProgressTopic and the gateway forces the
//     tab's own id into the broker's topic: a learner can write only its
//     own progress, and no learner can subscribe to any (a filter starting
//     with '$' is refused, and the room's filters cannot reach it).
//   - Root/offer/CODE: the teacher's offer of the next experiment,
//     retained. A learner may subscribe to the bare filter OfferTopic
//     (read only: a learner's PUBLISH to it is refused).
//
// The teacher's connection (TeacherSpace) sees the same topics as
// "progress/TABID" and "offer", and nothing else of the broker.

// ProgressTopic is the bare topic a learner's tab publishes its progress
// to; the gateway makes it Root/progress/CODE/TABID.
const ProgressTopic = "$progress"

// OfferTopic is the bare filter a learner's tab subscribes to for the
// teacher's offers; the gateway makes it Root/offer/CODE.
const OfferTopic = "$offer"

// MaxProgress bounds a progress message's payload: a board of 300 rows
// reads every one of them.
const MaxProgress = 2048

// TeacherIDPrefix starts every client id of a teacher's connection; a
// learner's ids start with "tab-", so neither can take the other's.
const TeacherIDPrefix = "teacher-"

// TeacherParam marks a /mqtt URL as a teacher's (?teacher=1&room=CODE);
// the gateway then requires the teacher's session.
const TeacherParam = "teacher"

var (
	// ErrNoRoom reports progress published outside a shared room: there
	// is no board to show it on.
	ErrNoRoom = errors.New("classroom: progress goes to a shared room's board: join a room first")
	// ErrTeacherTopic reports a topic a teacher's connection may not use.
	ErrTeacherTopic = errors.New(`classroom: a teacher's connection uses only "progress/TABID" (or progress/+) and "offer"`)
	// ErrProgressTooLarge reports a progress message over MaxProgress.
	ErrProgressTooLarge = fmt.Errorf("classroom: a progress message has at most %d bytes", MaxProgress)
)

// progressRoot and offerRoot are the broker's levels of the board's topics.
func progressRoot(room string) string { return Root + "/progress/" + room + "/" }
func offerTopic(room string) string   { return Root + "/offer/" + room }

// ProgressTopicOf is the broker's topic of the progress of tab (a TabID)
// in room: where a board (or mosquitto_sub) finds it.
func ProgressTopicOf(room, tab string) string { return progressRoot(room) + tab }

// OfferTopicOf is the broker's topic of room's offer.
func OfferTopicOf(room string) string { return offerTopic(room) }

// TeacherSpace is what a teacher's connection to room sees: its progress
// topics as progress/TABID and its offer as "offer".
type TeacherSpace struct {
	room string
}

// NewTeacherSpace returns the space of a teacher's connection to room (a
// normalized, non-empty code).
func NewTeacherSpace(room string) TeacherSpace { return TeacherSpace{room: room} }

// Prefix names the space in logs.
func (s TeacherSpace) Prefix() string { return Root + "/{progress,offer}/" + s.room + "/" }

// Name maps a topic the teacher publishes to: "offer", or
// "progress/TABID" (an empty retained message there clears a learner's
// row).
func (s TeacherSpace) Name(name string) (string, error) {
	if name == "offer" {
		return offerTopic(s.room), nil
	}
	if tab, ok := strings.CutPrefix(name, "progress/"); ok && isTabID(tab) {
		return progressRoot(s.room) + tab, nil
	}
	return "", fmt.Errorf("%w, not %q", ErrTeacherTopic, name)
}

// Filter maps a filter the teacher subscribes with: "offer",
// "progress/+", "progress/#" or "progress/TABID".
func (s TeacherSpace) Filter(filter string) (string, error) {
	switch filter {
	case "offer":
		return offerTopic(s.room), nil
	case "progress/+", "progress/#":
		return progressRoot(s.room) + filter[len("progress/"):], nil
	}
	return s.Name(filter)
}

// Strip maps a topic the broker delivers back to the teacher's.
func (s TeacherSpace) Strip(brokerTopic string) (string, bool) {
	if brokerTopic == offerTopic(s.room) {
		return "offer", true
	}
	if tab, ok := strings.CutPrefix(brokerTopic, progressRoot(s.room)); ok && tab != "" && !strings.Contains(tab, "/") {
		return "progress/" + tab, true
	}
	return "", false
}

// CheckTeacherID reports whether id may be a teacher connection's client id.
func CheckTeacherID(id string) error {
	if !strings.HasPrefix(id, TeacherIDPrefix) || len(id) == len(TeacherIDPrefix) {
		return fmt.Errorf("%w %q, got %q", ErrForeignID, TeacherIDPrefix, id)
	}
	return nil
}

// isTabID reports whether s looks like a TabID: 16 lower-case hex digits.
func isTabID(s string) bool {
	if len(s) != idHexDigits {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
