package classroom

import "testing"

func TestBrokerURL(t *testing.T) {
	const host = "lab.example:8080"
	tests := []struct {
		scenario, base, room, want string
	}{
		{"this server's ws", "ws://lab.example:8080/mqtt", "r1", "ws://lab.example:8080/mqtt?learner=tok&room=r1"},
		{"wss, host in other case", "wss://LAB.example:8080/mqtt", "", "wss://LAB.example:8080/mqtt?learner=tok"},
		{"a token already there is replaced", "ws://lab.example:8080/mqtt?learner=old", "", "ws://lab.example:8080/mqtt?learner=tok"},
		{"another host gets no token", "ws://broker.other:8080/mqtt", "r1", "ws://broker.other:8080/mqtt"},
		{"another port is another host", "ws://lab.example:9001/mqtt", "r1", "ws://lab.example:9001/mqtt"},
		{"not a WebSocket URL", "http://lab.example:8080/mqtt", "r1", "http://lab.example:8080/mqtt"},
		{"the in-tab broker", "intab://broker/mqtt", "r1", "intab://broker/mqtt"},
		{"unparsable", "ws://lab.example:8080/%zz", "r1", "ws://lab.example:8080/%zz"},
	}
	for _, tc := range tests {
		if got := BrokerURL(tc.base, host, "tok", tc.room); got != tc.want {
			t.Errorf("%s: BrokerURL(%q) = %q, want %q", tc.scenario, tc.base, got, tc.want)
		}
	}
}

func TestWithoutToken(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"ws://lab.example/mqtt?learner=tok&room=r1", "ws://lab.example/mqtt?room=r1"},
		{"ws://lab.example/mqtt?learner=tok", "ws://lab.example/mqtt"},
		{"ws://lab.example/mqtt?room=r1", "ws://lab.example/mqtt?room=r1"},
		{"ws://lab.example/mqtt", "ws://lab.example/mqtt"},
		{"ws://lab.example/%zz?learner=tok", "ws://lab.example/%zz?learner=tok"},
	}
	for _, tc := range tests {
		if got := WithoutToken(tc.raw); got != tc.want {
			t.Errorf("WithoutToken(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
	if got := WithoutToken(BrokerURL("ws://h/mqtt", "h", "tok", "r")); got != "ws://h/mqtt?room=r" {
		t.Errorf("a BrokerURL without its token = %q", got)
	}
}
