package expconfig

import (
	"errors"
	"net/url"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	c := Playground{Clean: false, KeepAlive: 10, SubFilter: "sensors/+", SubQoS: 2, PubTopic: "sensors/t", PubPayload: "23.5 & ok", PubQoS: 0, PubRetain: true,
		PubCount: 1000, Window: 5, Reconnect: true,
		WillTopic: "clients/me/status", WillPayload: "offline", WillQoS: 1, WillRetain: true}
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
