package ui

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/client"
	"qosplayground/app/expconfig"
	"qosplayground/app/i18n"
	"qosplayground/app/topic"
	"qosplayground/app/wiretap"
)

// maxMessages bounds the message list, and maxLog the activity log, so a long
// session keeps a small DOM.
const (
	maxMessages = 200
	maxLog      = 100
)

// received is a delivered message with what the page knows of its QoS.
type received struct {
	client.Message
	PubQoS  int // the QoS this tab published it at, -1 if not from this tab
	Granted int // the QoS granted to the matching subscription, -1 if unknown
}

// subscription is one row of the subscription list.
type subscription struct {
	Filter    string
	Requested byte
	Granted   byte
}

// playground is the first, plain page: connect, subscribe, publish and
// watch messages arrive.
type playground struct {
	app.Compo
	lang i18n.Lang

	// Connection form.
	brokerURL   string
	clientID    string
	clean       bool
	keepAlive   string // seconds, as typed
	willTopic   string
	willPayload string
	willQoS     byte
	willRetain  bool
	username    string
	password    string

	// Subscribe form.
	subFilter string
	subQoS    byte
	subErr    error

	// Publish form.
	pubTopic   string
	pubPayload string
	pubQoS     byte
	pubRetain  bool
	pubErr     error

	// What the client reported.
	cl             *client.Client
	state          client.State
	sessionPresent bool
	connErr        error
	subs           []subscription
	messages       []received       // newest first
	log            []logLine        // newest first
	tapped         packetLog        // filled by the wire tap on paho's goroutines
	packets        []wiretap.Packet // the tap's packets as last drawn, newest first
	selected       int              // the Seq of the packet shown in detail
}

// onSelect shows packet seq in detail.
func (p *playground) onSelect(seq int) app.EventHandler {
	return func(ctx app.Context, e app.Event) { p.selected = seq }
}

func newPlayground() *playground {
	p := &playground{state: client.Disconnected}
	p.setConfig(expconfig.DefaultPlayground())
	return p
}

// setConfig fills the forms from an experiment's configuration.
func (p *playground) setConfig(c expconfig.Playground) {
	p.clean, p.keepAlive = c.Clean, strconv.Itoa(c.KeepAlive)
	p.subFilter, p.subQoS = c.SubFilter, c.SubQoS
	p.pubTopic, p.pubPayload, p.pubQoS, p.pubRetain = c.PubTopic, c.PubPayload, c.PubQoS, c.PubRetain
	p.willTopic, p.willPayload, p.willQoS, p.willRetain = c.WillTopic, c.WillPayload, c.WillQoS, c.WillRetain
}

// syncURL writes the forms into the page's URL, without a new history
// entry, so that the address bar always holds a link to this experiment.
func (p *playground) syncURL() {
	keepAlive, err := strconv.Atoi(p.keepAlive)
	if err != nil {
		keepAlive = expconfig.DefaultPlayground().KeepAlive
	}
	u := *app.Window().URL()
	q := u.Query()
	expconfig.Playground{
		Clean: p.clean, KeepAlive: keepAlive,
		SubFilter: p.subFilter, SubQoS: p.subQoS,
		PubTopic: p.pubTopic, PubPayload: p.pubPayload, PubQoS: p.pubQoS, PubRetain: p.pubRetain,
		WillTopic: p.willTopic, WillPayload: p.willPayload, WillQoS: p.willQoS, WillRetain: p.willRetain,
	}.Query(q)
	u.RawQuery = q.Encode()
	app.Window().Get("history").Call("replaceState", nil, "", u.String())
}

// OnMount fills in what only the browser knows: the language, the page's
// own origin for the broker URL, and a fresh client id.
func (p *playground) OnMount(ctx app.Context) {
	observeLang(ctx, &p.lang)
	p.brokerURL = brokerURL()
	p.clientID = "playground-" + randomSuffix()
	cfg, errs := expconfig.ParsePlayground(app.Window().URL().Query())
	p.setConfig(cfg)
	for _, err := range errs {
		p.addLog(true, i18n.LogBadLink, err.Error())
	}
}

// OnDismount closes the connection when the page goes away.
func (p *playground) OnDismount() {
	if p.cl != nil {
		go p.cl.Disconnect()
	}
}

func (p *playground) addLog(bad bool, msg i18n.Msg, args ...any) {
	p.log = append([]logLine{{At: time.Now(), Msg: msg, Args: args, Bad: bad}}, p.log...)
	if len(p.log) > maxLog {
		p.log = p.log[:maxLog]
	}
}

// apply handles a client event on the UI goroutine.
func (p *playground) apply(cl *client.Client, ev client.Event) {
	if cl != p.cl {
		return // an event from a client the learner has replaced
	}
	switch ev.Kind {
	case client.EventState:
		p.state = ev.State
		switch ev.State {
		case client.Connected:
			p.sessionPresent = ev.SessionPresent
			p.connErr = nil
			p.addLog(false, i18n.LogConnack, ev.SessionPresent)
		case client.Disconnected:
			p.subs = nil
			if ev.Err != nil {
				p.connErr = ev.Err
				p.addLog(true, i18n.LogDisconnectedErr, ev.Err)
			} else {
				p.addLog(false, i18n.LogDisconnected)
			}
		}
	case client.EventMessage:
		r := received{Message: ev.Message, PubQoS: -1, Granted: -1}
		if q, ok := wiretap.SentQoS(p.tapped.snapshot(), ev.Message.Topic, ev.Message.Payload); ok {
			r.PubQoS = int(q)
		}
		for _, s := range p.subs {
			if topic.Matches(s.Filter, ev.Message.Topic) && int(s.Granted) > r.Granted {
				r.Granted = int(s.Granted)
			}
		}
		p.messages = append([]received{r}, p.messages...)
		if len(p.messages) > maxMessages {
			p.messages = p.messages[:maxMessages]
		}
	}
}

func (p *playground) onConnect(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if p.state != client.Disconnected {
		return
	}
	p.syncURL()
	keepAlive, err := strconv.Atoi(p.keepAlive)
	if err != nil || keepAlive < 1 || keepAlive > 65535 {
		p.connErr = newUIError(i18n.KeepAliveInvalid)
		return
	}
	var cl *client.Client
	cl, err = client.New(client.Options{
		URL:          p.brokerURL,
		ClientID:     p.clientID,
		CleanSession: p.clean,
		KeepAlive:    time.Duration(keepAlive) * time.Second,
		MaxPacket:    maxPacket(),
		Username:     p.username,
		Password:     p.password,
		Will:         client.Will{Topic: p.willTopic, Payload: []byte(p.willPayload), QoS: p.willQoS, Retain: p.willRetain},
		WrapConn: wiretap.New(func(pk wiretap.Packet) {
			p.tapped.add(pk, func() {
				ctx.Dispatch(func(ctx app.Context) { p.packets = p.tapped.snapshot() })
			})
		}).Wrap,
	}, func(ev client.Event) {
		ctx.Dispatch(func(ctx app.Context) { p.apply(cl, ev) })
	})
	if err != nil {
		p.connErr = err
		return
	}
	p.cl, p.connErr, p.subs = cl, nil, nil
	p.addLog(false, i18n.LogConnect, p.clientID, p.clean, p.brokerURL)
	ctx.Async(func() { cl.Connect() }) // the outcome arrives as events
}

func (p *playground) onDisconnect(ctx app.Context, e app.Event) {
	if cl := p.cl; cl != nil {
		ctx.Async(cl.Disconnect)
	}
}

func (p *playground) onSubscribe(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.syncURL()
	filter, qos := p.subFilter, p.subQoS
	if err := topic.ValidateFilter(filter); err != nil {
		p.subErr = err
		return
	}
	if p.state != client.Connected {
		p.subErr = newUIError(i18n.ConnectFirst)
		return
	}
	p.subErr = nil
	cl := p.cl
	ctx.Async(func() {
		granted, err := cl.Subscribe(filter, qos)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.subErr = err
				p.addLog(true, i18n.LogSubFailed, filter, err)
				return
			}
			p.subs = append(removeSub(p.subs, filter), subscription{Filter: filter, Requested: qos, Granted: granted})
			p.addLog(false, i18n.LogSuback, filter, int(qos), int(granted))
		})
	})
}

func removeSub(subs []subscription, filter string) []subscription {
	out := subs[:0:0]
	for _, s := range subs {
		if s.Filter != filter {
			out = append(out, s)
		}
	}
	return out
}

func (p *playground) onUnsubscribe(filter string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		cl := p.cl
		ctx.Async(func() {
			err := cl.Unsubscribe(filter)
			ctx.Dispatch(func(ctx app.Context) {
				if err != nil {
					p.addLog(true, i18n.LogUnsubFailed, filter, err)
					return
				}
				p.subs = removeSub(p.subs, filter)
				p.addLog(false, i18n.LogUnsuback, filter)
			})
		})
	}
}

func (p *playground) onPublish(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.syncURL()
	name, payload, qos, retain := p.pubTopic, p.pubPayload, p.pubQoS, p.pubRetain
	if err := topic.ValidateName(name); err != nil {
		p.pubErr = err
		return
	}
	if p.state != client.Connected {
		p.pubErr = newUIError(i18n.ConnectFirst)
		return
	}
	p.pubErr = nil
	cl := p.cl
	ctx.Async(func() {
		start := time.Now()
		err := cl.Publish(name, []byte(payload), qos, retain)
		took := time.Since(start)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.pubErr = err
				p.addLog(true, i18n.LogPubFailed, name, err)
				return
			}
			p.addLog(false, i18n.LogPublished, name, int(qos), confirmation(qos), took.Round(100*time.Microsecond).String())
		})
	})
}

// confirmation names what completes a publish at each QoS.
func confirmation(qos byte) i18n.Msg {
	switch qos {
	case 1:
		return i18n.ConfirmQoS1
	case 2:
		return i18n.ConfirmQoS2
	}
	return i18n.ConfirmQoS0
}
