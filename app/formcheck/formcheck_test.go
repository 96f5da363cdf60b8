package formcheck

import (
	"errors"
	"strings"
	"testing"

	"qosplayground/app/client"
	"qosplayground/app/topic"
	"qosplayground/app/transport"
)

func valid() Playground {
	return Playground{
		BrokerURL: "ws://localhost:8080/mqtt", ClientID: "playground-1", Clean: true, KeepAlive: "30",
		SubFilter: "sensors/#", PubTopic: "sensors/t", PubPayload: "21.5", PubQoS: 1, PubCount: "1", PubWindow: "20",
	}
}

func TestValidFormsHaveNoErrors(t *testing.T) {
	if es := valid().All(); len(es) != 0 {
		t.Errorf("errors in a valid form: %v", es)
	}
	p := valid()
	p.BrokerURL = "intab://broker"
	p.Clean, p.WillTopic = false, "clients/gone"
	if es := p.All(); len(es) != 0 {
		t.Errorf("errors with the in-tab broker and a will: %v", es)
	}
}

// TestEachErrorIsItsFields: every bad value is reported on its own field,
// and only there; the fixed value reports nothing.
func TestEachErrorIsItsFields(t *testing.T) {
	var rangeErr *RangeError
	var tooLarge *client.TooLargeError
	for _, tc := range []struct {
		name   string
		break_ func(*Playground)
		field  Field
		is     func(error) bool
	}{
		{"keepalive -5", func(p *Playground) { p.KeepAlive = "-5" }, KeepAlive, func(err error) bool { return errors.As(err, &rangeErr) && rangeErr.Min == 1 && rangeErr.Max == 65535 }},
		{"keepalive 0", func(p *Playground) { p.KeepAlive = "0" }, KeepAlive, func(err error) bool { return errors.As(err, &rangeErr) }},
		{"keepalive empty (a browser's value for 'abc')", func(p *Playground) { p.KeepAlive = "" }, KeepAlive, func(err error) bool { return errors.As(err, &rangeErr) }},
		{"keepalive 65536", func(p *Playground) { p.KeepAlive = "65536" }, KeepAlive, func(err error) bool { return errors.As(err, &rangeErr) }},
		{"keepalive 1.5", func(p *Playground) { p.KeepAlive = "1.5" }, KeepAlive, func(err error) bool { return errors.As(err, &rangeErr) }},
		{"window 0", func(p *Playground) { p.PubWindow = "0" }, PubWindow, func(err error) bool { return errors.As(err, &rangeErr) && rangeErr.Max == MaxWindow }},
		{"count 0", func(p *Playground) { p.PubCount = "0" }, PubCount, func(err error) bool { return errors.As(err, &rangeErr) && rangeErr.Max == MaxCount }},
		{"count too many", func(p *Playground) { p.PubCount = "100001" }, PubCount, func(err error) bool { return errors.As(err, &rangeErr) }},
		{"topic with #", func(p *Playground) { p.PubTopic = "a/#" }, PubTopic, func(err error) bool { return errors.Is(err, topic.ErrWildcardInName) }},
		{"empty topic", func(p *Playground) { p.PubTopic = "" }, PubTopic, func(err error) bool { return errors.Is(err, topic.ErrEmpty) }},
		{"filter a/#/b", func(p *Playground) { p.SubFilter = "a/#/b" }, SubFilter, func(err error) bool { return errors.Is(err, topic.ErrHashNotLast) }},
		{"filter a+", func(p *Playground) { p.SubFilter = "a+/b" }, SubFilter, func(err error) bool { return errors.Is(err, topic.ErrPlusNotWhole) }},
		{"will topic with +", func(p *Playground) { p.WillTopic = "gone/+" }, WillTopic, func(err error) bool { return errors.Is(err, topic.ErrWildcardInName) }},
		{"persistent without id", func(p *Playground) { p.Clean, p.ClientID = false, "" }, ClientID, func(err error) bool { return errors.Is(err, client.ErrPersistentNoID) }},
		{"http URL", func(p *Playground) { p.BrokerURL = "http://localhost/mqtt" }, BrokerURL, func(err error) bool { return errors.Is(err, transport.ErrBadURL) }},
		{"huge will payload", func(p *Playground) { p.WillTopic, p.WillMsg = "gone", strings.Repeat("x", 300_000) }, WillMsg, func(err error) bool {
			var big *ConnectTooLargeError
			return errors.As(err, &big) && big.Size > 300_000 && big.Limit == 256<<10
		}},
		{"huge password", func(p *Playground) { p.Username, p.Password = "me", strings.Repeat("x", 300_000) }, Password, func(err error) bool {
			var big *ConnectTooLargeError
			return errors.As(err, &big)
		}},
		{"huge payload", func(p *Playground) { p.PubPayload = strings.Repeat("x", 300_000) }, PubPayload, func(err error) bool {
			return errors.As(err, &tooLarge) && tooLarge.Limit == 256<<10 && tooLarge.Size > 300_000
		}},
	} {
		p := valid()
		tc.break_(&p)
		es := p.All()
		if len(es) != 1 || es[0].Field != tc.field || !tc.is(es[0].Err) {
			t.Errorf("%s: errors %v, want one on %s", tc.name, es, tc.field)
		}
		if es.First() != tc.field || es.Of(tc.field) == nil {
			t.Errorf("%s: First %q, Of %v", tc.name, es.First(), es.Of(tc.field))
		}
	}
}

func TestWillWithoutTopicIsNotSent(t *testing.T) {
	p := valid()
	p.WillMsg = strings.Repeat("x", 300_000) // no will topic: no will in CONNECT
	if es := p.All(); len(es) != 0 {
		t.Errorf("a will payload without a topic reported: %v", es)
	}
}

func TestPayloadLimit(t *testing.T) {
	p := valid()
	p.MaxPacket = 1000
	p.PubPayload = strings.Repeat("x", 990)
	if err := p.Publish().Of(PubPayload); err == nil {
		t.Error("a 1,004-byte PUBLISH passed a 1,000-byte limit")
	}
	p.PubQoS = 0
	p.PubPayload = strings.Repeat("x", 1000-3-2-len(p.PubTopic)) // 3 bytes of fixed header
	if err := p.Publish().Of(PubPayload); err != nil || client.PublishSize(p.PubTopic, len(p.PubPayload), 0) != 1000 {
		t.Errorf("a PUBLISH of exactly the limit: %v", err)
	}
	// A burst sends the tutorial's JSON, not the payload field.
	p.PubPayload, p.PubCount = strings.Repeat("x", 5000), "10"
	if err := p.Publish().Of(PubPayload); err != nil {
		t.Errorf("a burst judged by the payload field: %v", err)
	}
}
