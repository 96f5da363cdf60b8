package classroom

import (
	"errors"
	"testing"
)

// TestProgressTopic: in a shared room a tab's $progress is its own
// progress topic, outside the room's space; $offer is the room's offer,
// read only; in its own room neither exists.
func TestProgressTopic(t *testing.T) {
	other := NewToken()
	s := NewSpace(token, "blue-7")
	got, err := s.Name(ProgressTopic)
	if want := "classroom/progress/blue-7/" + TabID(token); err != nil || got != want {
		t.Errorf("Name(%q): %q, %v; want %q", ProgressTopic, got, err, want)
	}
	if got2, _ := NewSpace(other, "blue-7").Name(ProgressTopic); got2 == got {
		t.Errorf("two tabs share the progress topic %q", got)
	}
	// The room's own filters never reach the board's topics.
	for _, f := range []string{"#", "+/#", "+", "progress/#", "../progress/#"} {
		full, err := s.Filter(f)
		if err != nil {
			continue
		}
		if full[:len(s.Prefix())] != s.Prefix() {
			t.Errorf("Filter(%q) = %q: outside the room's prefix", f, full)
		}
	}
	for _, f := range []string{ProgressTopic, ProgressTopic + "/#", "$progress/+", "$offer/#", "$teacher/#"} {
		if full, err := s.Filter(f); err == nil {
			t.Errorf("Filter(%q) = %q, want refused", f, full)
		}
	}
	for _, n := range []string{OfferTopic, ProgressTopic + "/" + TabID(other), "$progress/x"} {
		if full, err := s.Name(n); err == nil {
			t.Errorf("Name(%q) = %q, want refused", n, full)
		}
	}
	offer, err := s.Filter(OfferTopic)
	if err != nil || offer != "classroom/offer/blue-7" {
		t.Errorf("Filter(%q) = %q, %v; want classroom/offer/blue-7", OfferTopic, offer, err)
	}
	if back, ok := s.Strip(offer); !ok || back != OfferTopic {
		t.Errorf("Strip(%q) = %q, %v", offer, back, ok)
	}

	own := NewSpace(token, "")
	if _, err := own.Name(ProgressTopic); !errors.Is(err, ErrNoRoom) || ReasonOf(err) != ReasonNoRoom {
		t.Errorf("own room: Name(%q): %v, want ErrNoRoom", ProgressTopic, err)
	}
	if _, err := own.Filter(OfferTopic); !errors.Is(err, ErrNoRoom) {
		t.Errorf("own room: Filter(%q): %v, want ErrNoRoom", OfferTopic, err)
	}
}

// TestTeacherSpace: a teacher's connection sees its room's progress and
// offer, and nothing else.
func TestTeacherSpace(t *testing.T) {
	s := NewTeacherSpace("blue-7")
	tab := TabID(token)
	for in, want := range map[string]string{
		"progress/+":      "classroom/progress/blue-7/+",
		"progress/#":      "classroom/progress/blue-7/#",
		"progress/" + tab: "classroom/progress/blue-7/" + tab,
		"offer":           "classroom/offer/blue-7",
	} {
		if got, err := s.Filter(in); err != nil || got != want {
			t.Errorf("Filter(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"#", "+", "progress", "progress/x", "progress/+/x", "chat", "$SYS/#", "../tab/#", "offer/x"} {
		if got, err := s.Filter(bad); !errors.Is(err, ErrTeacherTopic) {
			t.Errorf("Filter(%q) = %q, %v; want ErrTeacherTopic", bad, got, err)
		}
	}
	if got, err := s.Name("progress/" + tab); err != nil || got != "classroom/progress/blue-7/"+tab {
		t.Errorf("Name(progress/tab) = %q, %v", got, err)
	}
	if _, err := s.Name("progress/+"); !errors.Is(err, ErrTeacherTopic) {
		t.Errorf("Name(progress/+): %v, want ErrTeacherTopic", err)
	}
	for in, want := range map[string]string{
		"classroom/progress/blue-7/" + tab: "progress/" + tab,
		"classroom/offer/blue-7":           "offer",
	} {
		if got, ok := s.Strip(in); !ok || got != want {
			t.Errorf("Strip(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, out := range []string{"classroom/progress/red/" + tab, "classroom/room/blue-7/x", "classroom/progress/blue-7/", "classroom/offer/blue-7x"} {
		if got, ok := s.Strip(out); ok {
			t.Errorf("Strip(%q) = %q, want outside", out, got)
		}
	}
	if err := CheckTeacherID("teacher-abc"); err != nil {
		t.Errorf("CheckTeacherID(teacher-abc): %v", err)
	}
	for _, bad := range []string{"", "teacher-", "tab-" + tab + "-x", "x-teacher-1"} {
		if err := CheckTeacherID(bad); !errors.Is(err, ErrForeignID) {
			t.Errorf("CheckTeacherID(%q): %v, want ErrForeignID", bad, err)
		}
	}
}
