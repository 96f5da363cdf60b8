// Package playground holds the playground page's decisions without the
// page (app/ui draws them): the client a Connect makes from the forms, the
// experiment link the address bar keeps, which failures still show, what
// a connection's change of state does to the page, and what completes a
// publish at each QoS.
//
// It imports no go-app; app/ui imports it as pg (its component is called
// playground too).
package playground

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"qosplayground/app/client"
	"qosplayground/app/expconfig"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
	"qosplayground/app/tabbroker"
)

// Form is the playground's forms as the learner typed them.
type Form struct {
	ClientID    string
	Clean       bool
	KeepAlive   string // seconds, as typed
	Reconnect   bool   // auto-reconnect
	WillTopic   string
	WillPayload string
	WillQoS     byte
	WillRetain  bool
	Username    string
	Password    string

	SubFilter string
	SubQoS    byte

	PubTopic   string
	PubPayload string
	PubQoS     byte
	PubRetain  bool
	PubCount   string // messages per click, as typed
	PubWindow  string // in-flight window of a burst, as typed

	// Net is the network conditions preset the link names ("" for none).
	Net string
}

// Checks is the forms as package formcheck checks them, with the broker
// URL as typed and the server's packet limit (0: the client's default).
func (f Form) Checks(brokerURL string, maxPacket int) formcheck.Playground {
	return formcheck.Playground{
		BrokerURL: brokerURL, ClientID: f.ClientID, Clean: f.Clean, KeepAlive: f.KeepAlive,
		WillTopic: f.WillTopic, WillMsg: f.WillPayload, Username: f.Username, Password: f.Password,
		SubFilter: f.SubFilter,
		PubTopic:  f.PubTopic, PubPayload: f.PubPayload, PubQoS: f.PubQoS, PubCount: f.PubCount, PubWindow: f.PubWindow,
		MaxPacket: maxPacket,
	}
}

// Config is the experiment the forms hold, as a link carries it. A number
// that is not one (the learner is typing it) keeps its default; a number
// out of range is kept, for the link to say as the learner typed it.
func (f Form) Config() expconfig.Playground {
	d := expconfig.DefaultPlayground()
	number := func(s string, def int) int {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
		return def
	}
	return expconfig.Playground{
		Clean: f.Clean, KeepAlive: number(f.KeepAlive, d.KeepAlive), Reconnect: f.Reconnect,
		PubCount: number(f.PubCount, d.PubCount), Window: number(f.PubWindow, d.Window),
		SubFilter: f.SubFilter, SubQoS: f.SubQoS,
		PubTopic: f.PubTopic, PubPayload: f.PubPayload, PubQoS: f.PubQoS, PubRetain: f.PubRetain,
		WillTopic: f.WillTopic, WillPayload: f.WillPayload, WillQoS: f.WillQoS, WillRetain: f.WillRetain,
		Net: f.Net,
	}
}

// LinkURL is the page's address with the forms' experiment in its query,
// the other parameters (lang, embed, room…) kept: the page writes it into
// the address bar at each act, so that the address bar always holds a link
// to this experiment.
func LinkURL(page url.URL, f Form) string {
	q := page.Query()
	f.Config().Query(q)
	page.RawQuery = q.Encode()
	return page.String()
}

// ReconnectMax caps the client's back-off between reconnections: a learner
// watching a blip should not wait paho's default ten minutes.
const ReconnectMax = 5 * time.Second

// ClientOptions are the options of the client a Connect makes from the
// forms, dialling url (the broker's, with the classroom's token), with the
// server's packet limit (0: the client's default). The caller adds the
// wire tap (WrapConn).
func (f Form) ClientOptions(url string, maxPacket int) client.Options {
	keepAlive, _ := strconv.Atoi(strings.TrimSpace(f.KeepAlive))
	return client.Options{
		URL:           url,
		ClientID:      f.ClientID,
		CleanSession:  f.Clean,
		KeepAlive:     time.Duration(keepAlive) * time.Second,
		AutoReconnect: f.Reconnect,
		ReconnectMax:  ReconnectMax,
		MaxPacket:     maxPacket,
		Username:      f.Username,
		Password:      f.Password,
		Will:          client.Will{Topic: f.WillTopic, Payload: []byte(f.WillPayload), QoS: f.WillQoS, Retain: f.WillRetain},
	}
}

// Failure is a subscribe's or a publish's failure, kept with what it was
// about: it shows while the form still says the same, and goes once the
// learner has changed it (they are trying something else).
type Failure struct {
	Err error
	For string // the filter, or the topic and payload; "" shows it whatever the form says
}

// Fails is a failure that shows whatever the form says ("connect first").
func Fails(err error) Failure { return Failure{Err: err} }

// SubFailed is a subscribe's failure for filter.
func SubFailed(err error, filter string) Failure { return Failure{Err: err, For: filter} }

// PubFailed is a publish's failure for topic and payload.
func PubFailed(err error, topic, payload string) Failure {
	return Failure{Err: err, For: pubKey(topic, payload)}
}

func pubKey(topic, payload string) string { return topic + "\x00" + payload }

func (fl Failure) shown(now string) error {
	if fl.Err != nil && fl.For != "" && fl.For != now {
		return nil
	}
	return fl.Err
}

// ShownSub is the subscribe failure to show under the form: none once the
// learner has changed the filter it was about.
func (f Form) ShownSub(fl Failure) error { return fl.shown(f.SubFilter) }

// ShownPub is the publish failure to show under the form: none once the
// learner has changed the topic or the payload it was about.
func (f Form) ShownPub(fl Failure) error { return fl.shown(pubKey(f.PubTopic, f.PubPayload)) }

// Change is what a client's change of state does to the page.
type Change struct {
	// DropSubs empties the list of subscriptions: the connection closed,
	// or it came back without its session.
	DropSubs bool
	// Forgotten says so in the log: the client reconnected and the broker
	// kept no session, so it forgot the subscriptions the list showed.
	Forgotten bool
	// ClearErrors drops the errors shown: connected, "connect first" and
	// the like no longer hold.
	ClearErrors bool
	// StopAutorun ends a link's autorun: the connection closed.
	StopAutorun bool
	// FallBack moves the tab to its own broker for the next Connect: the
	// server cannot be reached (tabbroker.FallsBack).
	FallBack bool
}

// OnState is what the page does when its client reaches state, with the
// CONNACK's session present flag (Connected) or the error that ended the
// connection (Disconnected), while the page lists subs subscriptions.
func OnState(state client.State, sessionPresent bool, err error, subs int) Change {
	switch state {
	case client.Connected:
		forgotten := !sessionPresent && subs > 0
		return Change{DropSubs: forgotten, Forgotten: forgotten, ClearErrors: true}
	case client.Disconnected:
		return Change{DropSubs: true, StopAutorun: true, FallBack: err != nil && tabbroker.FallsBack(err)}
	}
	return Change{}
}

// Confirmation names what completes a publish at qos: nothing at QoS 0,
// the PUBACK at 1, the PUBCOMP at 2.
func Confirmation(qos byte) i18n.Msg {
	switch qos {
	case 1:
		return i18n.ConfirmQoS1
	case 2:
		return i18n.ConfirmQoS2
	}
	return i18n.ConfirmQoS0
}
