package tabbroker

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"testing"
	"time"

	"qosplayground/app/brokerapi"
	"qosplayground/app/classroom"
	"qosplayground/app/intab"
	"qosplayground/app/transport"
)

func page(t *testing.T, raw string) url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return *u
}

// TestNewEveryKind: each kind of broker a tab can talk to, built from the
// facts a page has, with what the pages read of it.
func TestNewEveryKind(t *testing.T) {
	httpPage, httpsPage := page(t, "http://localhost:8080/lab/faults?x=1"), page(t, "https://class.example/")
	status := func(mode string, allowed bool, why string) *brokerapi.Status {
		return &brokerapi.Status{Mode: mode, Persistence: "default", RestartAllowed: allowed, WhyNot: why}
	}
	type want struct {
		kind        Kind
		reason      Reason
		url         string
		apiBase     string
		fellBack    bool
		gateway     bool
		restart     bool
		whyNot      string
		persistence []string
		mosquitto   bool
		mochi       bool
	}
	cases := []struct {
		name  string
		facts Facts
		want  want
	}{
		{"server, not yet known", Facts{Page: httpPage},
			want{Unknown, OnServer, "ws://localhost:8080/mqtt", "http://localhost:8080", false, true, false, "", []string{"default", "on", "off"}, true, true}},
		{"managed Mosquitto", Facts{Page: httpPage, Status: status("mosquitto", true, "")},
			want{Mosquitto, OnServer, "ws://localhost:8080/mqtt", "http://localhost:8080", false, true, true, "", []string{"default", "on", "off"}, true, false}},
		{"embedded mochi over TLS", Facts{Page: httpsPage, Status: status("embedded", true, "")},
			want{Embedded, OnServer, "wss://class.example/mqtt", "https://class.example", false, true, true, "", []string{"default", "on", "off"}, false, true}},
		{"external", Facts{Page: httpPage, Status: status("external", false, brokerapi.WhyExternal)},
			want{External, OnServer, "ws://localhost:8080/mqtt", "http://localhost:8080", false, true, false, brokerapi.WhyExternal, []string{brokerapi.PersistenceUnknown}, true, true}},
		{"NATS cluster", Facts{Page: httpsPage, Status: status(brokerapi.ModeNATSCluster, false, brokerapi.WhyCluster)},
			want{NATSCluster, OnServer, "wss://class.example/mqtt", "https://class.example", false, true, false, brokerapi.WhyCluster, []string{brokerapi.PersistenceJetStream}, false, false}},
		{"somebody's cluster", Facts{Page: httpsPage, Status: status(brokerapi.ModeCluster, false, brokerapi.WhyCluster)},
			want{Cluster, OnServer, "wss://class.example/mqtt", "https://class.example", false, true, false, brokerapi.WhyCluster, []string{brokerapi.PersistenceJetStream}, false, false}},
		{"a public server refuses restarts", Facts{Page: httpPage, Status: status("mosquitto", false, brokerapi.WhyPublic)},
			want{Mosquitto, OnServer, "ws://localhost:8080/mqtt", "http://localhost:8080", false, true, false, brokerapi.WhyPublic, []string{"default", "on", "off"}, true, false}},
		{"in-tab, static build", Facts{Page: httpPage, Static: true},
			want{InTab, Static, intab.URL, "", false, false, true, "", []string{"on", "off"}, false, true}},
		{"in-tab, fallen back", Facts{Page: httpPage, Unreachable: true},
			want{InTab, Unreachable, intab.URL, "", true, false, true, "", []string{"on", "off"}, false, true}},
		{"in-tab, chosen", Facts{Page: httpPage, Choice: ChoseInTab, Status: status("mosquitto", true, "")},
			want{InTab, Chosen, intab.URL, "", false, false, true, "", []string{"on", "off"}, false, true}},
		{"the server chosen in the static build", Facts{Page: httpPage, Static: true, Choice: ChoseServer},
			want{Unknown, OnServer, "ws://localhost:8080/mqtt", "http://localhost:8080", false, true, false, "", []string{"default", "on", "off"}, true, true}},
		{"the server chosen after a fallback", Facts{Page: httpPage, Unreachable: true, Choice: ChoseServer},
			want{Unknown, OnServer, "ws://localhost:8080/mqtt", "http://localhost:8080", false, true, false, "", []string{"default", "on", "off"}, true, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := New(c.facts)
			restart, whyNot, _ := b.Restartable()
			got := want{b.Kind, b.Reason, b.URL, b.APIBase, b.FellBack(), b.ThroughGateway(), restart, whyNot,
				b.PersistenceChoices(), b.MayBeMosquitto(), b.MayBeMochi()}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("New(%+v)\n got %+v\nwant %+v", c.facts, got, c.want)
			}
			if !b.Known() {
				t.Error("Known() = false for a built Broker")
			}
			if b.InTab() != (c.want.kind == InTab) || b.ReportsToBoard() == b.InTab() {
				t.Errorf("InTab %v, ReportsToBoard %v", b.InTab(), b.ReportsToBoard())
			}
			wantTimeout := ProbeTimeout
			if b.InTab() {
				wantTimeout = 30 * time.Second
			}
			if b.StatusTimeout() != wantTimeout {
				t.Errorf("StatusTimeout %v, want %v", b.StatusTimeout(), wantTimeout)
			}
			if (b.Restarter() != nil) != b.InTab() {
				t.Errorf("Restarter set %v on InTab %v", b.Restarter() != nil, b.InTab())
			}
		})
	}
}

// TestZeroBroker: before a tab decides (and in the server's pre-render),
// the page draws the server's broker.
func TestZeroBroker(t *testing.T) {
	var b Broker
	if b.Known() || b.InTab() || !b.ThroughGateway() || !b.ReportsToBoard() || b.FellBack() {
		t.Errorf("zero Broker: Known %v InTab %v ThroughGateway %v ReportsToBoard %v FellBack %v",
			b.Known(), b.InTab(), b.ThroughGateway(), b.ReportsToBoard(), b.FellBack())
	}
}

// TestClassroomURL: in classroom mode the server's URL carries the
// learner's token and room, which the page never shows; the in-tab URL
// carries nothing.
func TestClassroomURL(t *testing.T) {
	tok := classroom.NewToken()
	f := Facts{Page: page(t, "https://class.example/"), Learner: tok, Room: "abc123"}
	b := New(f)
	u, err := url.Parse(b.URL)
	if err != nil || u.Host != "class.example" || u.Query().Get(classroom.LearnerParam) != tok || u.Query().Get(classroom.RoomParam) != "abc123" {
		t.Errorf("URL %q: want the token %s and room abc123 on wss://class.example/mqtt", b.URL, tok)
	}
	if shown := b.ShownURL(); shown != "wss://class.example/mqtt?room=abc123" {
		t.Errorf("ShownURL %q", shown)
	}
	f.Choice = ChoseInTab
	if b := New(f); b.URL != intab.URL || b.ShownURL() != intab.URL {
		t.Errorf("in-tab URL %q, shown %q", b.URL, b.ShownURL())
	}
}

// TestChanges: what the page's events make of a tab's broker, in the
// orders they can come.
func TestChanges(t *testing.T) {
	start := New(Facts{Page: page(t, "http://localhost:8080/")})
	noAnswer := fmt.Errorf("%w: offline", brokerapi.ErrNoAnswer)
	refused := &brokerapi.RefusedError{HTTPStatus: 500, Message: "boom"}
	ok := brokerapi.Status{Mode: "embedded", RestartAllowed: true}
	cases := []struct {
		name       string
		b          Broker
		wantKind   Kind
		wantReason Reason
	}{
		{"the server answers", start.Answered(ok, nil), Embedded, OnServer},
		{"the server refuses: it is reachable", start.Answered(brokerapi.Status{}, refused), Unknown, OnServer},
		{"no answer: fall back", start.Answered(brokerapi.Status{}, noAnswer), InTab, Unreachable},
		{"a connection fails: fall back", start.FallBack(), InTab, Unreachable},
		{"a fallback keeps the learner's choice of the in-tab broker", start.Choose(true).FallBack(), InTab, Chosen},
		{"a fallback after the server was chosen", start.Choose(false).FallBack(), InTab, Unreachable},
		{"the server chosen after a fallback", start.FallBack().Choose(false), Unknown, OnServer},
		{"the server chosen after it answered", start.Answered(ok, nil).Choose(true).Choose(false), Embedded, OnServer},
		{"the in-tab broker chosen after a fallback", start.FallBack().Choose(true), InTab, Chosen},
		{"the static build's answer changes nothing", New(Facts{Static: true}).Answered(brokerapi.Status{}, noAnswer), InTab, Static},
		{"the static build, the server chosen, then unreachable", New(Facts{Static: true}).Choose(false).FallBack(), InTab, Unreachable},
		{"a late answer while on the in-tab broker", start.Choose(true).Answered(ok, nil), InTab, Chosen},
	}
	for _, c := range cases {
		if c.b.Kind != c.wantKind || c.b.Reason != c.wantReason {
			t.Errorf("%s: kind %q reason %q, want %q %q", c.name, c.b.Kind, c.b.Reason, c.wantKind, c.wantReason)
		}
	}
	if b := start.Answered(brokerapi.Status{}, refused); b != start {
		t.Errorf("a refusal changed the broker: %+v", b)
	}
}

// TestMoved: a page re-reads its broker's URL and status when the tab
// moves to another broker, not when the server says which broker it is.
func TestMoved(t *testing.T) {
	start := New(Facts{Page: page(t, "http://localhost:8080/")})
	cases := []struct {
		name string
		was  Broker
		now  Broker
		want bool
	}{
		{"the server's answer", start, start.Answered(brokerapi.Status{Mode: "mosquitto"}, nil), false},
		{"a fallback", start, start.FallBack(), true},
		{"the learner's choice", start, start.Choose(true), true},
		{"back to the server", start.Choose(true), start.Choose(true).Choose(false), true},
		{"the first decision", Broker{}, start, true},
		{"the same choice again", start.Choose(true), start.Choose(true).Choose(true), false},
	}
	for _, c := range cases {
		if got := Moved(c.was, c.now); got != c.want {
			t.Errorf("%s: Moved = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestFallsBack: only a server that cannot be reached makes the tab fall
// back, not a broker that refused or closed the connection.
func TestFallsBack(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("%w: dial ws://x/mqtt: refused", transport.ErrUnreachable), true},
		{fmt.Errorf("connect: %w", fmt.Errorf("%w: timeout", transport.ErrUnreachable)), true},
		{errors.New("connection lost: EOF"), false},
		{transport.ErrBadURL, false},
		{nil, false},
	} {
		if got := FallsBack(c.err); got != c.want {
			t.Errorf("FallsBack(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// TestStatusAsksTheRightBroker: the in-tab broker's status comes from the
// tab, the server's from its API at APIBase (which here does not answer).
func TestStatusAsksTheRightBroker(t *testing.T) {
	ctx := context.Background()
	b := New(Facts{Page: page(t, "http://127.0.0.1:1/"), Choice: ChoseInTab})
	if _, err := b.Status(ctx); !errors.Is(err, intab.ErrNoBroker) {
		t.Errorf("in-tab Status: %v, want intab's ErrNoBroker (no broker natively)", err)
	}
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := b.Choose(false).Status(c); !errors.Is(err, brokerapi.ErrNoAnswer) {
		t.Errorf("server Status: %v, want brokerapi.ErrNoAnswer from 127.0.0.1:1", err)
	}
}
