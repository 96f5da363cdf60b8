// Package classroom holds the rules of the server's classroom mode
// (-classroom), shared by the tab, which builds its client ids and its
// broker URL with them, and by the gateway, which enforces them.
//
// On a server that many learners share, every tab proves who it is with a
// learner token: 128 random bits the tab makes itself and keeps in
// sessionStorage (a reload keeps them, another tab has its own). The token
// travels in the WebSocket URL (?learner=TOKEN). The gateway needs no
// secret of its own: what the token entitles to is derived from it by a
// one-way function (SHA-256), so nobody can claim another tab's client ids
// or private topics without that tab's token, which never leaves the tab
// but for its own server.
//
//   - Client ids: every client id of a tab starts with IDPrefix(token);
//     the gateway refuses any other id with CONNACK 2 (identifier
//     rejected), so a learner cannot take over another's persistent
//     session by reusing its client id.
//   - Topics: each connection is in a room, and the gateway puts every
//     topic of that connection under the room's Space on the way to the
//     broker and strips it on the way back. A teacher shares a room code
//     (?room=CODE) so a group works together; without one, a tab is alone
//     in its private room, whose name is derived from the token like its
//     client ids. Shared rooms and private rooms live under different
//     levels (Root/room/CODE/ and Root/tab/ID/), so no room code can name
//     a tab's private room.
//
// The package imports neither go-app nor syscall/js.
package classroom

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"qosplayground/app/topic"
)

// Root is the first topic level of everything a classroom does on the
// broker: a teacher watches room CODE with
// mosquitto_sub -t 'classroom/room/CODE/#'.
const Root = "classroom"

// Query parameters of the WebSocket URL (and, for RoomParam, of the page's
// URL, so a teacher can share a link to a room).
const (
	LearnerParam = "learner"
	RoomParam    = "room"
)

// TokenBytes is the size of a learner token: 128 random bits.
const TokenBytes = 16

// idHexDigits is how much of the token's SHA-256 names a tab: 64 bits,
// too many to find a token for a given tab by trying.
const idHexDigits = 16

// MaxRoomLength bounds a room code; codes are short things to read aloud.
const MaxRoomLength = 32

var (
	// ErrBadToken reports a learner token that is not 16 bytes in
	// unpadded base64url (22 characters), or is missing.
	ErrBadToken = errors.New("classroom: the learner token must be 22 base64url characters (128 bits)")
	// ErrBadRoom reports a room code with characters other than letters,
	// digits, '-' and '_', or longer than MaxRoomLength.
	ErrBadRoom = fmt.Errorf("classroom: a room code has 1 to %d letters a-z, digits, '-' or '_'", MaxRoomLength)
	// ErrDollar reports a topic or filter starting with '$': those are the
	// broker's own ($SYS/...), outside every room.
	ErrDollar = errors.New("classroom: topics starting with $ (like $SYS/#) belong to the broker, not to a room")
	// ErrTooLong reports a topic too long once the room's prefix is added.
	ErrTooLong = errors.New("classroom: topic too long once the room's prefix is added")
	// ErrForeignID reports a client id that does not start with the tab's
	// prefix.
	ErrForeignID = errors.New("classroom: the client id must start with this tab's prefix")
)

// NewToken returns a fresh learner token.
func NewToken() string {
	b := make([]byte, TokenBytes)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CheckToken reports whether token is a well-formed learner token.
func CheckToken(token string) error {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != TokenBytes {
		return ErrBadToken
	}
	return nil
}

// TabID names the tab of token: the first 64 bits of the token's SHA-256
// in hex. It is what the tab shows of itself (its client ids and its
// private room carry it); the token itself stays secret.
func TabID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])[:idHexDigits]
}

// IDPrefix is what every client id of the tab with token must start with,
// e.g. "tab-0123456789abcdef-".
func IDPrefix(token string) string { return "tab-" + TabID(token) + "-" }

// CheckClientID reports whether id may be used by the tab with token. An
// empty id (the broker would choose one) is refused too: the broker's
// choice would not carry the prefix.
func CheckClientID(token, id string) error {
	if !strings.HasPrefix(id, IDPrefix(token)) {
		return fmt.Errorf("%w %q, got %q", ErrForeignID, IDPrefix(token), id)
	}
	return nil
}

// NormalizeRoom returns the canonical form of a room code typed by a
// learner or given in a link: trimmed, lower case. Codes are read aloud
// and typed on phones; "Blue-7" and "blue-7" are one room. An empty code
// (no room: the tab's private one) stays empty.
func NormalizeRoom(code string) (string, error) {
	code = strings.ToLower(strings.TrimSpace(code))
	if len(code) > MaxRoomLength {
		return "", ErrBadRoom
	}
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "", ErrBadRoom
		}
	}
	return code, nil
}

// Space is the part of the broker's topic tree a connection lives in.
type Space struct {
	prefix string // "classroom/room/CODE/" or "classroom/tab/ID/"
	// progress and offer are the broker's topics of ProgressTopic and
	// OfferTopic in a shared room (teacher.go); "" in a tab's own room.
	progress, offer string
}

// NewSpace returns the space of a tab with token in room (a normalized
// code, or "" for the tab's private room).
func NewSpace(token, room string) Space {
	if room == "" {
		return Space{prefix: Root + "/tab/" + TabID(token) + "/"}
	}
	return Space{prefix: Root + "/room/" + room + "/", progress: ProgressTopicOf(room, TabID(token)), offer: offerTopic(room)}
}

// Prefix returns the topic prefix of the space, ending with '/'.
func (s Space) Prefix() string { return s.prefix }

// Name returns the broker's topic for a topic name the learner publishes
// to (PUBLISH, will). The name must be a valid topic name, not start with
// '$', and still fit in 65,535 bytes with the prefix. ProgressTopic is the
// one exception: in a shared room it names the tab's own progress topic
// (teacher.go); elsewhere it is refused with ErrNoRoom.
func (s Space) Name(name string) (string, error) {
	if name == ProgressTopic {
		if s.progress == "" {
			return "", ErrNoRoom
		}
		return s.progress, nil
	}
	if err := topic.ValidateName(name); err != nil {
		return "", err
	}
	return s.add(name)
}

// Filter returns the broker's filter for a filter the learner subscribes
// or unsubscribes with. "#" becomes PREFIX/# and "+/x" PREFIX/+/x: the
// wildcards then match inside the space only. OfferTopic is the one
// exception: in a shared room it is the room's offer topic (teacher.go).
func (s Space) Filter(filter string) (string, error) {
	if filter == OfferTopic {
		if s.offer == "" {
			return "", ErrNoRoom
		}
		return s.offer, nil
	}
	if err := topic.ValidateFilter(filter); err != nil {
		return "", err
	}
	return s.add(filter)
}

func (s Space) add(t string) (string, error) {
	if strings.HasPrefix(t, "$") {
		return "", ErrDollar
	}
	if len(s.prefix)+len(t) > topic.MaxLength {
		return "", ErrTooLong
	}
	return s.prefix + t, nil
}

// Strip returns the learner's topic for a topic the broker delivers, and
// false when the topic is not inside the space. (Only one topic matches a
// space's PREFIX/# and is not inside it: the prefix without its last '/',
// which no learner can publish to, since topic names are never empty.)
func (s Space) Strip(brokerTopic string) (string, bool) {
	if s.offer != "" && brokerTopic == s.offer {
		return OfferTopic, true
	}
	t, ok := strings.CutPrefix(brokerTopic, s.prefix)
	if !ok || t == "" {
		return "", false
	}
	return t, true
}
