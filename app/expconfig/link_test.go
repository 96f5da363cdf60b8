package expconfig

import (
	"errors"
	"net/url"
	"testing"
)

// TestEmbedded: only embed=1 draws the page for an iframe.
func TestEmbedded(t *testing.T) {
	for q, want := range map[string]bool{"embed=1": true, "embed=1&autorun=1": true, "embed=0": false, "embed=": false, "embed=true": false, "": false} {
		v, _ := url.ParseQuery(q)
		if got := Embedded(v); got != want {
			t.Errorf("Embedded(%q) = %v, want %v", q, got, want)
		}
	}
}

// TestWholeApp: the link to the whole app keeps the experiment and the
// other parameters and drops embed and autorun.
func TestWholeApp(t *testing.T) {
	for raw, want := range map[string]string{
		"https://h/lab/faults?embed=1&lesson=2&autorun=1&lang=ja": "https://h/lab/faults?lang=ja&lesson=2",
		"/?embed=1&pubqos=2&room=abc":                             "/?pubqos=2&room=abc",
		"/lab/task1?embed=1":                                      "/lab/task1",
		"/?qos=1#top":                                             "/?qos=1#top",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := WholeApp(*u); got != want {
			t.Errorf("WholeApp(%q) = %q, want %q", raw, got, want)
		}
		if u.String() != raw {
			t.Errorf("WholeApp changed its argument: %q", u)
		}
	}
}

// TestLessonAtMount: the fault lab starts a link's lesson only with
// autorun=1 and a good lesson, and never over a run going on.
func TestLessonAtMount(t *testing.T) {
	cases := []struct {
		query     string
		busy      bool
		wantQoS   byte
		wantStart bool
		wantErr   bool
	}{
		{"lesson=2&autorun=1", false, 2, true, false},
		{"lesson=0&autorun=1", false, 0, true, false},
		{"lesson=1&autorun=1", true, 1, false, false},
		{"lesson=1", false, 1, false, false},
		{"autorun=1", false, 0, false, false},
		{"lesson=3&autorun=1", false, 0, false, true},
		{"lesson=x&autorun=1", false, 0, false, true},
		{"lesson=1&autorun=0", false, 1, false, false},
		{"", false, 0, false, false},
	}
	for _, c := range cases {
		q, _ := url.ParseQuery(c.query)
		qos, start, err := LessonAtMount(q, c.busy)
		if qos != c.wantQoS || start != c.wantStart || (err != nil) != c.wantErr || (err != nil && !errors.Is(err, ErrBadValue)) {
			t.Errorf("LessonAtMount(%q, busy %v) = %d, %v, %v; want %d, %v, error %v", c.query, c.busy, qos, start, err, c.wantQoS, c.wantStart, c.wantErr)
		}
	}
}
