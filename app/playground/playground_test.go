package playground

import (
	"errors"
	"fmt"
	"net/url"
	"qosplayground/app/formcheck"
	"reflect"
	"testing"
	"time"

	"qosplayground/app/client"
	"qosplayground/app/expconfig"
	"qosplayground/app/i18n"
	"qosplayground/app/transport"
)

// defaultForm is the forms as a page without a query fills them.
func defaultForm() Form {
	d := expconfig.DefaultPlayground()
	return Form{
		Clean: d.Clean, KeepAlive: "30", Reconnect: d.Reconnect,
		SubFilter: d.SubFilter, SubQoS: d.SubQoS,
		PubTopic: d.PubTopic, PubPayload: d.PubPayload, PubQoS: d.PubQoS,
		PubCount: "1", PubWindow: "20",
	}
}

// TestConfigNumbers: a number the learner is typing keeps its default in
// the link; a number, even out of range, is kept as typed.
func TestConfigNumbers(t *testing.T) {
	d := expconfig.DefaultPlayground()
	cases := []struct {
		keepAlive, count, window string
		want                     [3]int
	}{
		{"30", "1", "20", [3]int{30, d.PubCount, d.Window}},
		{"", "", "", [3]int{d.KeepAlive, d.PubCount, d.Window}},
		{"1e3", "ten", "-", [3]int{d.KeepAlive, d.PubCount, d.Window}},
		{"5", "1000", "0", [3]int{5, 1000, 0}},
		{"99999", "-3", "5000", [3]int{99999, -3, 5000}},
	}
	for _, c := range cases {
		f := defaultForm()
		f.KeepAlive, f.PubCount, f.PubWindow = c.keepAlive, c.count, c.window
		cfg := f.Config()
		if got := [3]int{cfg.KeepAlive, cfg.PubCount, cfg.Window}; got != c.want {
			t.Errorf("keepalive %q count %q window %q: %v, want %v", c.keepAlive, c.count, c.window, got, c.want)
		}
	}
}

// TestLinkURL: the address bar's link carries what differs from the
// defaults, keeps the page's other parameters, and reads back as the same
// experiment.
func TestLinkURL(t *testing.T) {
	page, _ := url.Parse("https://h/?lang=ja&embed=1&room=abc&pubqos=0")
	f := defaultForm()
	f.Clean, f.PubQoS, f.SubFilter, f.WillTopic, f.Net = false, 2, "sensors/#", "bye", "satellite"
	got := LinkURL(*page, f)
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for _, k := range []string{"lang", "embed", "room"} {
		if q.Get(k) != page.Query().Get(k) {
			t.Errorf("%s: %q lost %s", got, k, page.Query().Get(k))
		}
	}
	back, errs := expconfig.ParsePlayground(q)
	if len(errs) != 0 || !reflect.DeepEqual(back, f.Config()) {
		t.Errorf("%s reads back as %+v (%v), want %+v", got, back, errs, f.Config())
	}
	if u.Path != "/" || u.Host != "h" {
		t.Errorf("%s: the page's address changed", got)
	}
	if plain := LinkURL(url.URL{Path: "/"}, defaultForm()); plain != "/" {
		t.Errorf("the default experiment's link is %q, want /", plain)
	}
}

// TestClientOptions: what a Connect asks of the client, the back-off cap
// of 5 s among it.
func TestClientOptions(t *testing.T) {
	f := defaultForm()
	f.ClientID, f.Clean, f.KeepAlive, f.Reconnect = "tab-1-pg", false, " 7 ", true
	f.WillTopic, f.WillPayload, f.WillQoS, f.WillRetain = "status/tab", "gone", 1, true
	f.Username, f.Password = "u", "p"
	got := f.ClientOptions("ws://h/mqtt?learner=x", 4096)
	want := client.Options{
		URL: "ws://h/mqtt?learner=x", ClientID: "tab-1-pg", CleanSession: false, KeepAlive: 7 * time.Second,
		AutoReconnect: true, ReconnectMax: 5 * time.Second, MaxPacket: 4096, Username: "u", Password: "p",
		Will: client.Will{Topic: "status/tab", Payload: []byte("gone"), QoS: 1, Retain: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ClientOptions\n got %+v\nwant %+v", got, want)
	}
}

// TestShownFailures: a failure shows while the form says what it was
// about, and goes once the learner changed it.
func TestShownFailures(t *testing.T) {
	boom := errors.New("boom")
	f := defaultForm()
	cases := []struct {
		name string
		got  error
		want error
	}{
		{"no failure", f.ShownSub(Failure{}), nil},
		{"the same filter", f.ShownSub(SubFailed(boom, f.SubFilter)), boom},
		{"another filter", f.ShownSub(SubFailed(boom, "other/#")), nil},
		{"connect first, whatever the filter", f.ShownSub(Fails(boom)), boom},
		{"the same topic and payload", f.ShownPub(PubFailed(boom, f.PubTopic, f.PubPayload)), boom},
		{"another topic", f.ShownPub(PubFailed(boom, "x", f.PubPayload)), nil},
		{"another payload", f.ShownPub(PubFailed(boom, f.PubTopic, "{}")), nil},
		{"topic and payload do not run together", f.ShownPub(PubFailed(boom, f.PubTopic+f.PubPayload[:1], f.PubPayload[1:])), nil},
		{"connect first, whatever the topic", f.ShownPub(Fails(boom)), boom},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestOnState: what each change of the client's state does to the page.
func TestOnState(t *testing.T) {
	unreachable := fmt.Errorf("connect: %w", transport.ErrUnreachable)
	cases := []struct {
		name  string
		state client.State
		sp    bool
		err   error
		subs  int
		want  Change
	}{
		{"connected, session kept", client.Connected, true, nil, 2, Change{ClearErrors: true}},
		{"connected anew, nothing listed", client.Connected, false, nil, 0, Change{ClearErrors: true}},
		{"reconnected without the session", client.Connected, false, nil, 2, Change{DropSubs: true, Forgotten: true, ClearErrors: true}},
		{"reconnecting", client.Reconnecting, false, errors.New("EOF"), 2, Change{}},
		{"connecting", client.Connecting, false, nil, 0, Change{}},
		{"disconnected by the learner", client.Disconnected, false, nil, 2, Change{DropSubs: true, StopAutorun: true}},
		{"connection lost", client.Disconnected, false, errors.New("EOF"), 1, Change{DropSubs: true, StopAutorun: true}},
		{"server unreachable", client.Disconnected, false, unreachable, 0, Change{DropSubs: true, StopAutorun: true, FallBack: true}},
	}
	for _, c := range cases {
		if got := OnState(c.state, c.sp, c.err, c.subs); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestConfirmation: what completes a publish at each QoS.
func TestConfirmation(t *testing.T) {
	for qos, want := range map[byte]i18n.Msg{0: i18n.ConfirmQoS0, 1: i18n.ConfirmQoS1, 2: i18n.ConfirmQoS2} {
		if got := Confirmation(qos); got != want {
			t.Errorf("Confirmation(%d) = %v, want %v", qos, got, want)
		}
	}
}

// TestChecks: the forms reach formcheck field for field, and a check fails
// on the field the learner typed wrong.
func TestChecks(t *testing.T) {
	f := Form{ClientID: "c", KeepAlive: "30", WillTopic: "w/+", WillPayload: "bye", SubFilter: "a/#",
		PubTopic: "t", PubPayload: "p", PubQoS: 1, PubCount: "1", PubWindow: "20"}
	c := f.Checks("ws://localhost/mqtt", 1000)
	if c.ClientID != "c" || c.KeepAlive != "30" || c.WillTopic != "w/+" || c.WillMsg != "bye" || c.SubFilter != "a/#" ||
		c.PubTopic != "t" || c.PubPayload != "p" || c.PubQoS != 1 || c.PubCount != "1" || c.PubWindow != "20" ||
		c.BrokerURL != "ws://localhost/mqtt" || c.MaxPacket != 1000 {
		t.Errorf("Checks = %+v, not the forms", c)
	}
	if c.Connection().Of(formcheck.WillTopic) == nil {
		t.Error("a will topic with a wildcard passed the connection's check")
	}
}
