// Package formcheck checks the playground's forms as the learner typed
// them, field by field, so that the page shows each error next to the
// control that caused it, in the learner's language, and drops it as soon
// as the value is fixed. The browser's own validation (its bubbles, in the
// browser's language) is never relied on.
//
// It imports neither go-app nor syscall/js.
package formcheck

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"qosplayground/app/client"
	"qosplayground/app/expconfig"
	"qosplayground/app/intab"
	"qosplayground/app/topic"
	"qosplayground/app/transport"
)

// Field names a control of the playground; its value is the control's id.
type Field string

// The playground's checked controls.
const (
	BrokerURL  Field = "broker-url"
	ClientID   Field = "client-id"
	KeepAlive  Field = "keepalive"
	WillTopic  Field = "will-topic"
	WillMsg    Field = "will-payload"
	Username   Field = "username"
	Password   Field = "password"
	SubFilter  Field = "sub-filter"
	PubTopic   Field = "pub-topic"
	PubPayload Field = "pub-payload"
	PubCount   Field = "pub-count"
	PubWindow  Field = "pub-window"
)

// Ranges of the number fields.
const (
	MaxKeepAlive = 65535
	MaxCount     = expconfig.MaxCount
	MaxWindow    = expconfig.MaxWindow

	defaultMaxPacket = 256 << 10 // the client's, when the page does not know the server's
)

// RangeError reports a number field whose text is not a whole number
// from Min to Max.
type RangeError struct {
	Field    Field
	Min, Max int
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("formcheck: %s must be a whole number from %d to %d", e.Field, e.Min, e.Max)
}

// ConnectTooLargeError reports a CONNECT over the server's packet limit:
// the gateway would close the connection at once. It is reported on the
// largest of the fields that make it up.
type ConnectTooLargeError struct {
	Size, Limit int
}

func (e *ConnectTooLargeError) Error() string {
	return fmt.Sprintf("formcheck: CONNECT would be %d bytes, over the limit of %d", e.Size, e.Limit)
}

// Playground is the playground's forms, as typed.
type Playground struct {
	BrokerURL string
	ClientID  string
	Clean     bool
	KeepAlive string
	WillTopic string
	WillMsg   string
	Username  string
	Password  string

	SubFilter string

	PubTopic   string
	PubPayload string
	PubQoS     byte
	PubCount   string
	PubWindow  string
	MaxPacket  int // the server's packet limit; 0 means the client's default
}

// FieldError is a field's error.
type FieldError struct {
	Field Field
	Err   error
}

// Errors are a form's field errors, in the form's order.
type Errors []FieldError

// Of returns f's error, or nil.
func (es Errors) Of(f Field) error {
	for _, e := range es {
		if e.Field == f {
			return e.Err
		}
	}
	return nil
}

// First returns the first field in error, or "".
func (es Errors) First() Field {
	if len(es) == 0 {
		return ""
	}
	return es[0].Field
}

// All returns the errors of every form, in the page's order.
func (p Playground) All() Errors {
	return append(append(p.Connection(), p.Subscribe()...), p.Publish()...)
}

// Connection checks the connection form.
func (p Playground) Connection() Errors {
	var es Errors
	add := func(f Field, err error) {
		if err != nil {
			es = append(es, FieldError{f, err})
		}
	}
	if !intab.IsURL(p.BrokerURL) {
		add(BrokerURL, transport.CheckURL(p.BrokerURL))
	}
	if p.ClientID == "" && !p.Clean {
		add(ClientID, client.ErrPersistentNoID)
	}
	_, err := number(KeepAlive, p.KeepAlive, 1, MaxKeepAlive)
	add(KeepAlive, err)
	if p.WillTopic != "" {
		add(WillTopic, topic.ValidateName(p.WillTopic))
	}
	// CONNECT carries the client id, the will and the credentials.
	type part struct {
		f Field
		n int
	}
	parts := []part{{ClientID, len(p.ClientID)}, {Username, len(p.Username)}, {Password, len(p.Password)}}
	if p.WillTopic != "" {
		parts = append(parts, part{WillTopic, len(p.WillTopic)}, part{WillMsg, len(p.WillMsg)})
	}
	remaining := 10 + 2 + len(p.ClientID) // variable header, client id
	if p.WillTopic != "" {
		remaining += 2 + len(p.WillTopic) + 2 + len(p.WillMsg)
	}
	if p.Username != "" {
		remaining += 2 + len(p.Username)
	}
	if p.Password != "" {
		remaining += 2 + len(p.Password)
	}
	if size := packetSize(remaining); size > p.limit() {
		largest := parts[0]
		for _, pt := range parts[1:] {
			if pt.n > largest.n {
				largest = pt
			}
		}
		if es.Of(largest.f) == nil {
			add(largest.f, &ConnectTooLargeError{Size: size, Limit: p.limit()})
		}
	}
	return es
}

// limit is the packet limit in force.
func (p Playground) limit() int {
	if p.MaxPacket <= 0 {
		return defaultMaxPacket
	}
	return p.MaxPacket
}

// packetSize is the size of a packet whose remaining length is remaining.
func packetSize(remaining int) int {
	header := 2
	for n := remaining; n > 127; n /= 128 {
		header++
	}
	return header + remaining
}

// Subscribe checks the subscribe form.
func (p Playground) Subscribe() Errors {
	if err := topic.ValidateFilter(p.SubFilter); err != nil {
		return Errors{{SubFilter, err}}
	}
	return nil
}

// Publish checks the publish form. The payload is checked against the
// packet limit only for a single message: a burst sends the tutorial's JSON
// instead.
func (p Playground) Publish() Errors {
	var es Errors
	add := func(f Field, err error) {
		if err != nil {
			es = append(es, FieldError{f, err})
		}
	}
	topicErr := topic.ValidateName(p.PubTopic)
	add(PubTopic, topicErr)
	count, countErr := number(PubCount, p.PubCount, 1, MaxCount)
	if topicErr == nil && (countErr != nil || count == 1) {
		if size := client.PublishSize(p.PubTopic, len(p.PubPayload), p.PubQoS); size > p.limit() {
			add(PubPayload, &client.TooLargeError{Size: size, Limit: p.limit()})
		}
	}
	add(PubCount, countErr)
	_, err := number(PubWindow, p.PubWindow, 1, MaxWindow)
	add(PubWindow, err)
	return es
}

// number parses a whole number from min to max.
// The exercises' number fields (the publisher's and the integration's).
const (
	ExGap      Field = "gap-ms"   // a pause between messages, in milliseconds
	ExWindow   Field = "window"   // messages in flight at most
	ExMessages Field = "messages" // messages in a burst
)

// Number reads a whole number from min to max typed in field f, or says
// it is not one (a RangeError).
func Number(f Field, s string, min, max int) (int, error) { return number(f, s, min, max) }

// Millis reads a time in whole milliseconds from 0 to MaxMillis typed in
// field f, or says it is not one (a MillisError).
func Millis(f Field, s string) (time.Duration, error) { return millis(f, s) }

func number(f Field, s string, min, max int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < min || n > max {
		return 0, &RangeError{Field: f, Min: min, Max: max}
	}
	return n, nil
}
