// Package tabbroker says which broker a tab talks to: the server's (its
// managed Mosquitto, its embedded mochi-mqtt, an external broker, a NATS
// cluster) or the tab's own in-tab broker (package intab), and what follows
// from it: the URL the tab's clients dial, whether the server's gateway
// stands between them (cuts, network conditions at once), whether the
// broker can be restarted and with which persistence, and why the tab runs
// on its own broker when it does.
//
// One function, New, builds a Broker from the page's facts (Facts): the
// page's address, the static build, the learner's choice, the server's
// answer to GET /api/broker or its silence. The changes a page sees
// (Answered, FallBack, Choose) change a fact and build again. The pages
// branch on a Broker's fields and methods only, never on a URL's scheme.
//
// It imports no go-app: the page keeps the tab's Broker in go-app's state
// (app/ui, inbroker.go).
package tabbroker

import (
	"context"
	"errors"
	"net/url"
	"time"

	"qosplayground/app/brokerapi"
	"qosplayground/app/classroom"
	"qosplayground/app/intab"
	"qosplayground/app/transport"
)

// Kind names a broker as the server's broker API names its mode
// (brokerapi.Status.Mode).
type Kind string

// The kinds of broker a tab can talk to.
const (
	// Unknown is the server's broker before the server said which it is.
	Unknown     Kind = ""
	Mosquitto   Kind = "mosquitto"
	Embedded    Kind = "embedded"
	External    Kind = "external"
	NATSCluster Kind = brokerapi.ModeNATSCluster
	Cluster     Kind = brokerapi.ModeCluster
	InTab       Kind = brokerapi.ModeInTab
)

// Reason says why a tab runs on its in-tab broker.
type Reason string

// The reasons (Broker.Reason).
const (
	OnServer    Reason = ""            // it does not: the tab uses the server's broker
	Static      Reason = "static"      // the static build (make static): there is no server
	Unreachable Reason = "unreachable" // the server did not answer: the tab fell back
	Chosen      Reason = "chosen"      // the learner chose it in the playground
)

// Choice is the learner's pick in the playground's broker selector.
type Choice int

// The choices (Facts.Choice).
const (
	NoChoice    Choice = iota // the learner has not picked: the facts decide
	ChoseServer               // the server's broker, whatever the facts say
	ChoseInTab                // the in-tab broker
)

// Facts are what a page knows about where its broker is.
type Facts struct {
	// Page is the page's address: the server's /mqtt and its broker API
	// are on its origin.
	Page url.URL
	// Static is true in the static build, which has no server.
	Static bool
	// Unreachable is true once the server did not answer (its broker API
	// at the first page, or a connection that failed with
	// transport.ErrUnreachable).
	Unreachable bool
	// Choice is the learner's latest pick; it wins over Static and over an
	// Unreachable that came before it.
	Choice Choice
	// Status is the server's answer to GET /api/broker, nil until it came.
	Status *brokerapi.Status
	// Learner and Room are the classroom's learner token and room, which
	// the server's /mqtt URL carries; both "" outside classroom mode.
	Learner, Room string
}

// Broker is the broker a tab talks to.
type Broker struct {
	Kind   Kind
	Reason Reason // why the tab runs on its in-tab broker; OnServer otherwise
	// URL is what the tab's clients dial: the server's /mqtt on the page's
	// origin (with the learner token in classroom mode), or intab.URL.
	URL string
	// APIBase is the scheme and host of the server's broker API
	// (brokerapi.GetStatus); "" on the in-tab broker.
	APIBase string
	// Facts are what the Broker was built from, for the next one.
	Facts Facts
}

// New builds the tab's Broker from the page's facts.
func New(f Facts) Broker {
	var reason Reason
	switch {
	case f.Choice == ChoseInTab:
		reason = Chosen
	case f.Choice == ChoseServer:
		reason = OnServer
	case f.Unreachable:
		reason = Unreachable
	case f.Static:
		reason = Static
	}
	if reason != OnServer {
		return Broker{Kind: InTab, Reason: reason, URL: intab.URL, Facts: f}
	}
	page := f.Page
	b := Broker{Kind: Unknown, URL: transport.BrokerURL(&page), APIBase: page.Scheme + "://" + page.Host, Facts: f}
	if f.Learner != "" {
		b.URL = classroom.BrokerURL(b.URL, page.Host, f.Learner, f.Room)
	}
	if f.Status != nil {
		b.Kind = Kind(f.Status.Mode)
	}
	return b
}

// Known reports whether the tab has decided on its broker: the zero Broker
// has not (the server's pre-render, or a tab before its first page
// mounted).
func (b Broker) Known() bool { return b.URL != "" }

// InTab reports whether the tab runs on its own broker.
func (b Broker) InTab() bool { return b.Kind == InTab }

// FellBack reports whether the tab runs on its own broker because the
// server could not be reached: the in-tab broker as the tab's fallback,
// not as the learner's choice or the static build's only broker.
func (b Broker) FellBack() bool { return b.Reason == Unreachable }

// ShownURL is URL as a page shows and logs it: without the learner token,
// which would let whoever reads the screen take over the tab's sessions.
func (b Broker) ShownURL() string { return classroom.WithoutToken(b.URL) }

// ThroughGateway reports whether the tab's connections pass through the
// server's gateway, which cuts them for the fault lab and applies network
// conditions to a live connection at once. The in-tab broker's link has
// none: it can only be restarted, and it shapes a connection only if it
// was shaped when it was dialled. A Broker not yet Known is the server's.
func (b Broker) ThroughGateway() bool { return !b.InTab() }

// ReportsToBoard reports whether the tab can tell the teacher's board its
// progress: the board listens on the server's broker only.
func (b Broker) ReportsToBoard() bool { return !b.InTab() }

// Restartable says whether the broker can be restarted from the page and,
// if not, why (a brokerapi.Why constant, with the server's words in
// English): the in-tab broker always, the server's broker as its status
// says, nothing while that status is unknown (ok false, why "").
func (b Broker) Restartable() (ok bool, whyNot, reasonIfNot string) {
	switch {
	case b.InTab():
		return true, "", ""
	case b.Facts.Status == nil:
		return false, "", ""
	}
	st := b.Facts.Status
	return st.RestartAllowed, st.WhyNot, st.ReasonIfNot
}

// PersistenceChoices are the persistence settings a restart of the broker
// can choose from (brokerapi.PersistenceChoices).
func (b Broker) PersistenceChoices() []string { return brokerapi.PersistenceChoices(string(b.Kind)) }

// MayBeMosquitto and MayBeMochi say whether the broker may be Mosquitto or
// mochi-mqtt (brokerapi.MayBeMosquitto, MayBeMochi).
func (b Broker) MayBeMosquitto() bool { return brokerapi.MayBeMosquitto(string(b.Kind)) }
func (b Broker) MayBeMochi() bool     { return brokerapi.MayBeMochi(string(b.Kind)) }

// StatusTimeout bounds a page's wait for the broker's status: the in-tab
// broker's first answer waits for its worker to fetch and compile
// broker.wasm.
func (b Broker) StatusTimeout() time.Duration {
	if b.InTab() {
		return 30 * time.Second
	}
	return ProbeTimeout
}

// ProbeTimeout bounds the first page's check whether the server answers.
const ProbeTimeout = 5 * time.Second

// Status asks the broker for its status, as GET /api/broker answers it:
// the in-tab broker's own, or the server's.
func (b Broker) Status(ctx context.Context) (brokerapi.Status, error) {
	if b.InTab() {
		return intab.Status(ctx)
	}
	return brokerapi.GetStatus(ctx, b.APIBase)
}

// Restarter is what restarts the broker for faultlab.RestartConfig: the
// in-tab broker's Restart, or nil for the server's broker API.
func (b Broker) Restarter() func(context.Context, brokerapi.RestartRequest) (brokerapi.RestartResult, error) {
	if b.InTab() {
		return intab.Restart
	}
	return nil
}

// Answered is the Broker after the server's broker API answered the first
// page's check (GET /api/broker) with st or err: the server's broker, now
// of a known kind; unchanged if the server refused (it is reachable); the
// in-tab broker if the server gave no answer at all. (A fetch that fails
// is a server that cannot be reached as surely as a WebSocket that does,
// and it costs the gateway no connection at every page load; offline, the
// service worker answers only the app's own files.)
func (b Broker) Answered(st brokerapi.Status, err error) Broker {
	switch {
	case err == nil:
		f := b.Facts
		f.Status = &st
		return New(f)
	case errors.Is(err, brokerapi.ErrRefused):
		return b
	}
	return b.FallBack()
}

// FallBack is the Broker once the server cannot be reached: the in-tab
// broker, unless the tab is on it already.
func (b Broker) FallBack() Broker {
	if b.InTab() {
		return b
	}
	f := b.Facts
	f.Unreachable, f.Choice = true, NoChoice
	return New(f)
}

// Choose is the Broker after the learner picked the in-tab broker (inTab)
// or the server's.
func (b Broker) Choose(inTab bool) Broker {
	f := b.Facts
	f.Choice = ChoseServer
	if inTab {
		f.Choice = ChoseInTab
	}
	return New(f)
}

// FallsBack reports whether a connection's failure means the server cannot
// be reached, so that the tab falls back to its own broker (FallBack).
func FallsBack(err error) bool { return errors.Is(err, transport.ErrUnreachable) }

// Moved reports whether the tab's clients dial another broker in now than
// in was: a page re-reads what depends on the broker then (its URL, its
// status), and not when only what the tab knows of the same broker grew.
func Moved(was, now Broker) bool { return was.URL != now.URL }
