package classroom

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"qosplayground/app/topic"
)

const token = "AAECAwQFBgcICQoLDA0ODw" // bytes 0..15

func TestToken(t *testing.T) {
	if err := CheckToken(token); err != nil {
		t.Fatalf("CheckToken(%q): %v", token, err)
	}
	a, b := NewToken(), NewToken()
	if a == b {
		t.Errorf("two NewToken calls gave the same token %q", a)
	}
	for _, tok := range []string{a, b} {
		if err := CheckToken(tok); err != nil {
			t.Errorf("CheckToken(NewToken() = %q): %v", tok, err)
		}
	}
	for _, bad := range []string{"", "short", token + "A", token[:21] + "=", strings.Repeat("!", 22), "AAECAwQFBgcICQoLDA0OD/"} {
		if err := CheckToken(bad); !errors.Is(err, ErrBadToken) {
			t.Errorf("CheckToken(%q): got %v, want ErrBadToken", bad, err)
		}
	}
}

func TestIDPrefix(t *testing.T) {
	// SHA-256("AAECAwQFBgcICQoLDA0ODw") checked with sha256sum.
	p := IDPrefix(token)
	if want := "tab-5d2611d5a4dd2b40-"; p != want {
		t.Fatalf("IDPrefix(%q): got %q, want %q", token, p, want)
	}
	if p != IDPrefix(token) {
		t.Errorf("IDPrefix is not stable")
	}
	other := NewToken()
	if IDPrefix(other) == p {
		t.Errorf("two tokens share the prefix %q", p)
	}
	if err := CheckClientID(token, p+"qos_publisher"); err != nil {
		t.Errorf("own id: %v", err)
	}
	for _, id := range []string{"", "qos_publisher", IDPrefix(other) + "qos_publisher", p[:len(p)-1], strings.ToUpper(p) + "x"} {
		if err := CheckClientID(token, id); !errors.Is(err, ErrForeignID) {
			t.Errorf("CheckClientID(%q): got %v, want ErrForeignID", id, err)
		}
	}
}

func TestNormalizeRoom(t *testing.T) {
	tests := []struct {
		scenario, in, want string
		bad                bool
	}{
		{"empty: private room", "", "", false},
		{"lower case", "blue-7", "blue-7", false},
		{"upper case and spaces", "  Blue_7 ", "blue_7", false},
		{"longest", strings.Repeat("a", MaxRoomLength), strings.Repeat("a", MaxRoomLength), false},
		{"too long", strings.Repeat("a", MaxRoomLength+1), "", true},
		{"slash would open another room", "a/b", "", true},
		{"wildcard", "+", "", true},
		{"hash", "#", "", true},
		{"dollar", "$sys", "", true},
		{"non-ASCII", "部屋", "", true},
		{"inner space", "a b", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			got, err := NormalizeRoom(tc.in)
			if tc.bad {
				if !errors.Is(err, ErrBadRoom) {
					t.Errorf("NormalizeRoom(%q): got %q, %v, want ErrBadRoom", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("NormalizeRoom(%q): got %q, %v, want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestSpace(t *testing.T) {
	room := NewSpace(token, "blue-7")
	private := NewSpace(token, "")
	if got, want := room.Prefix(), "classroom/room/blue-7/"; got != want {
		t.Errorf("room prefix: got %q, want %q", got, want)
	}
	if got, want := private.Prefix(), "classroom/tab/"+TabID(token)+"/"; got != want {
		t.Errorf("private prefix: got %q, want %q", got, want)
	}
	if NewSpace(NewToken(), "").Prefix() == private.Prefix() {
		t.Errorf("two tokens share a private room")
	}
	if NewSpace(NewToken(), "blue-7").Prefix() != room.Prefix() {
		t.Errorf("two tokens in room blue-7 are not in one space")
	}

	longest := strings.Repeat("x", topic.MaxLength-len(room.Prefix()))
	names := []struct {
		scenario, in, want string
		err                error
	}{
		{"plain", "sensor/temp", "classroom/room/blue-7/sensor/temp", nil},
		{"empty levels", "/a//b/", "classroom/room/blue-7//a//b/", nil},
		{"single slash", "/", "classroom/room/blue-7//", nil},
		{"longest that fits", longest, room.Prefix() + longest, nil},
		{"one byte too long once prefixed", longest + "x", "", ErrTooLong},
		{"too long already", strings.Repeat("x", topic.MaxLength+1), "", topic.ErrTooLong},
		{"$SYS", "$SYS/broker/uptime", "", ErrDollar},
		{"dollar alone", "$", "", ErrDollar},
		{"dollar later is fine", "a/$b", "classroom/room/blue-7/a/$b", nil},
		{"empty", "", "", topic.ErrEmpty},
		{"wildcard in a name", "a/+", "", topic.ErrWildcardInName},
		{"NUL", "a\x00b", "", topic.ErrInvalidUTF8},
	}
	for _, tc := range names {
		t.Run("name "+tc.scenario, func(t *testing.T) {
			got, err := room.Name(tc.in)
			if !errors.Is(err, tc.err) || got != tc.want {
				t.Fatalf("Name(%.40q): got %.60q, %v, want %.60q, %v", tc.in, got, err, tc.want, tc.err)
			}
			if err != nil {
				return
			}
			back, ok := room.Strip(got)
			if !ok || back != tc.in {
				t.Errorf("Strip(Name(%.40q)) = %.40q, %v: not the name back", tc.in, back, ok)
			}
		})
	}

	filters := []struct {
		scenario, in, want string
		err                error
	}{
		{"hash alone", "#", "classroom/room/blue-7/#", nil},
		{"plus alone", "+", "classroom/room/blue-7/+", nil},
		{"plus first", "+/temp", "classroom/room/blue-7/+/temp", nil},
		{"hash last", "sensor/#", "classroom/room/blue-7/sensor/#", nil},
		{"empty levels", "//+/", "classroom/room/blue-7///+/", nil},
		{"$SYS/#", "$SYS/#", "", ErrDollar},
		{"$ alone", "$", "", ErrDollar},
		{"hash not last", "#/a", "", topic.ErrHashNotLast},
		{"plus inside a level", "a+/b", "", topic.ErrPlusNotWhole},
		{"empty", "", "", topic.ErrEmpty},
		{"one byte too long once prefixed", longest + "x", "", ErrTooLong},
	}
	for _, tc := range filters {
		t.Run("filter "+tc.scenario, func(t *testing.T) {
			got, err := room.Filter(tc.in)
			if !errors.Is(err, tc.err) || got != tc.want {
				t.Errorf("Filter(%.40q): got %.60q, %v, want %.60q, %v", tc.in, got, err, tc.want, tc.err)
			}
		})
	}

	// What the broker delivers to PREFIX/# and is not inside the space.
	for _, outside := range []string{"classroom/room/blue-7", "classroom/room/blue-70/x", "classroom/room/", "other/x", private.Prefix() + "x"} {
		if got, ok := room.Strip(outside); ok {
			t.Errorf("Strip(%q): got %q, true; want false", outside, got)
		}
	}
}

func TestNotice(t *testing.T) {
	room := NewSpace(token, "r")
	_, err := room.Name("$SYS/x")
	n := NewNotice(KindDropped, "$SYS/x", err)
	got, perr := ParseNotice(n.JSON())
	if perr != nil || got != n {
		t.Fatalf("ParseNotice(%s): got %+v, %v, want %+v", n.JSON(), got, perr, n)
	}
	if got.Reason != ReasonDollar || !strings.Contains(string(n.JSON()), `"classroom":"dropped"`) {
		t.Errorf("notice %s: want reason %q and kind dropped", n.JSON(), ReasonDollar)
	}
	_, err = room.Filter("a/#/b")
	if r := NewNotice(KindRefusedFilter, "a/#/b", err).Reason; r != ReasonInvalid {
		t.Errorf("reason of %v: got %q, want %q", err, r, ReasonInvalid)
	}
	if r := NewNotice(KindRefusedConnect, "x", CheckClientID(token, "x")).Reason; r != ReasonClientID {
		t.Errorf("reason of a foreign id: got %q, want %q", r, ReasonClientID)
	}
	long := NewNotice(KindDropped, strings.Repeat("é", 40000), ErrTooLong)
	if len(long.JSON()) > 1024 || !strings.HasSuffix(long.Topic, "…") || !utf8.ValidString(long.Topic) {
		t.Errorf("notice of a long topic: %d bytes, topic %q: want it short, valid UTF-8 and marked as cut", len(long.JSON()), long.Topic)
	}
	for _, bad := range []string{`{"fault":"cut"}`, `not json`, `{"classroom":"other"}`} {
		if _, err := ParseNotice([]byte(bad)); err == nil {
			t.Errorf("ParseNotice(%s): got no error", bad)
		}
	}
}
