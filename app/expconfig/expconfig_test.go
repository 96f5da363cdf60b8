package expconfig

import (
	"errors"
	"net/url"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	c := Playground{Clean: false, KeepAlive: 10, SubFilter: "sensors/+", SubQoS: 2, PubTopic: "sensors/t", PubPayload: "23.5 & ok", PubQoS: 0, PubRetain: true,
		PubCount: 1000, Window: 5, Reconnect: true,
		WillTopic: "clients/me/status", WillPayload: "offline", WillQoS: 1, WillRetain: true, Net: "satellite"}
	q := url.Values{"lang": {"ja"}}
	c.Query(q)
	back, errs := ParsePlayground(q)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if back != c {
		t.Errorf("round trip: got %+v, want %+v", back, c)
	}
	if q.Get("lang") != "ja" {
		t.Error("Query dropped another parameter")
	}
	// Through a real URL string too.
	u, _ := url.Parse("/?" + q.Encode())
	if again, _ := ParsePlayground(u.Query()); again != c {
		t.Errorf("through a URL: got %+v", again)
	}
}

func TestDefaultsWriteNothing(t *testing.T) {
	q := url.Values{}
	DefaultPlayground().Query(q)
	if len(q) != 0 {
		t.Errorf("the default configuration wrote %v", q)
	}
	// And a value set back to its default is removed.
	q.Set("qos", "2")
	DefaultPlayground().Query(q)
	if q.Has("qos") {
		t.Error("qos kept after going back to the default")
	}
}

func TestBadValuesKeepDefaults(t *testing.T) {
	tests := []struct {
		scenario string
		query    string
	}{
		{"QoS 3", "qos=3"},
		{"QoS not a number", "subqos=high"},
		{"keepalive zero", "keepalive=0"},
		{"keepalive too big", "keepalive=70000"},
		{"clean not a boolean", "clean=maybe"},
		{"hash not last", "sub=a/%23/b"},
		{"wildcard in a topic name", "topic=a/%2B"},
		{"empty topic", "topic="},
		{"will with a wildcard", "will=a/%23"},
		{"will QoS 3", "willqos=3"},
		{"count zero", "count=0"},
		{"reconnect not a boolean", "reconnect=often"},
		{"count too big", "count=100001"},
		{"window not a number", "window=many"},
		{"window too big", "window=1001"},
		{"unknown network preset", "net=moon"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			q, _ := url.ParseQuery(tt.query)
			c, errs := ParsePlayground(q)
			if c != DefaultPlayground() {
				t.Errorf("got %+v, want the defaults", c)
			}
			if len(errs) != 1 || !errors.Is(errs[0], ErrBadValue) {
				t.Errorf("errors %v, want one ErrBadValue", errs)
			}
		})
	}
}

func TestAutorun(t *testing.T) {
	for query, want := range map[string]bool{"autorun=1": true, "": false, "autorun=0": false, "autorun=": false, "autorun=true": false, "lang=ja&autorun=1": true} {
		q, _ := url.ParseQuery(query)
		if got := Autorun(q); got != want {
			t.Errorf("Autorun(%q) = %v, want %v", query, got, want)
		}
	}
}

func TestParseTask1(t *testing.T) {
	scenarios := map[string][]string{"factory": {"temperature", "anomaly"}, "smarthome": {"light", "doorlock"}}
	def := Task1{Scenario: "factory", Flaky: true, Choices: map[string]byte{"temperature": 1, "anomaly": 1, "light": 1, "doorlock": 1}}

	q, _ := url.ParseQuery("scenario=smarthome&light=0&doorlock=2&flaky=false")
	got, errs := ParseTask1(q, def, scenarios)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if got.Scenario != "smarthome" || got.Flaky || got.Choices["light"] != 0 || got.Choices["doorlock"] != 2 || got.Choices["temperature"] != 1 {
		t.Errorf("got %+v", got)
	}
	if def.Choices["light"] != 1 {
		t.Error("ParseTask1 changed the default's choices")
	}

	q, _ = url.ParseQuery("scenario=office&light=3&anomaly=x&flaky=often&temperature=0")
	got, errs = ParseTask1(q, def, scenarios)
	if len(errs) != 4 {
		t.Errorf("%d errors, want 4 (scenario, light, anomaly, flaky): %v", len(errs), errs)
	}
	for _, err := range errs {
		if !errors.Is(err, ErrBadValue) {
			t.Errorf("%v is not ErrBadValue", err)
		}
	}
	if got.Scenario != "factory" || !got.Flaky || got.Choices["light"] != 1 || got.Choices["anomaly"] != 1 || got.Choices["temperature"] != 0 {
		t.Errorf("bad values did not keep the defaults (or a good one was lost): %+v", got)
	}
}

func TestParseLesson(t *testing.T) {
	for query, want := range map[string]struct {
		qos     byte
		ok, err bool
	}{
		"": {0, false, false}, "lesson=1": {1, true, false}, "lesson=0": {0, true, false}, "lesson=2": {2, true, false},
		"lesson=3": {0, false, true}, "lesson=qos1": {0, false, true},
	} {
		q, _ := url.ParseQuery(query)
		qos, ok, err := ParseLesson(q)
		if qos != want.qos || ok != want.ok || (err != nil) != want.err {
			t.Errorf("ParseLesson(%q) = %d, %v, %v; want %d, %v, error %v", query, qos, ok, err, want.qos, want.ok, want.err)
		}
		if err != nil && !errors.Is(err, ErrBadValue) {
			t.Errorf("ParseLesson(%q): %v is not ErrBadValue", query, err)
		}
	}
}
