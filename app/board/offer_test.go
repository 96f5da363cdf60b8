package board

import (
	"errors"
	"testing"
	"time"
)

var pages = []string{"/", "/lab/task1", "/lab/faults"}

func TestCleanLink(t *testing.T) {
	for in, want := range map[string]string{
		"/lab/task1?scenario=smarthome&light=0":                          "/lab/task1?light=0&scenario=smarthome",
		"https://play.example.org/lab/faults?lesson=1&autorun=1&lang=ja": "/lab/faults?lesson=1",
		"http://evil.example/lab/task1?room=x&learner=abc&embed=1":       "/lab/task1",
		"/":               "/",
		"//evil.example/": "/",
	} {
		if got, err := CleanLink(in, pages); err != nil || got != want {
			t.Errorf("CleanLink(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "/teacher", "/lab/unknown", "javascript:alert(1)", "lab/task1", "/lab/task1/../../x", "%zz"} {
		if got, err := CleanLink(bad, pages); !errors.Is(err, ErrBadLink) {
			t.Errorf("CleanLink(%q) = %q, %v; want ErrBadLink", bad, got, err)
		}
	}
}

func TestOfferRoundTrip(t *testing.T) {
	o := Offer{Link: "/lab/task1?scenario=smarthome", At: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
	back, err := DecodeOffer(o.Encode(), pages)
	if err != nil || back.Link != o.Link || back.ID() != o.ID() {
		t.Errorf("DecodeOffer(Encode) = %+v, %v; want %+v", back, err, o)
	}
	if _, err := DecodeOffer([]byte(`{"v":1,"link":"https://evil.example/phish"}`), pages); err == nil {
		t.Error("an offer to a page outside the playground was accepted")
	}
	for _, junk := range []string{"", "{}", "x"} {
		if _, err := DecodeOffer([]byte(junk), pages); err == nil {
			t.Errorf("DecodeOffer(%q): accepted", junk)
		}
	}
}
