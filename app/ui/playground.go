package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/checkpoints"
	"qosplayground/app/client"
	"qosplayground/app/exercises"
	"qosplayground/app/expconfig"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
	"qosplayground/app/netcond"
	pg "qosplayground/app/playground"
	"qosplayground/app/tabbroker"
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
type subscription = topic.Subscription

// playground is the first, plain page: connect, subscribe, publish and
// watch messages arrive.
type playground struct {
	app.Compo
	lang  i18n.Lang
	embed embedView

	autorun expconfig.PlaygroundAutorun // where a link's autorun=1 is
	connBy  checkpoints.Starter         // who opened the current connection: the learner or the link's autorun

	// The forms as typed: the connection's, the subscription's and the
	// publish's (package playground holds their rules; its Net is filled
	// from the network card by typed).
	form      pg.Form
	brokerURL string
	broker    tabbroker.Broker // the tab's broker: the server's or the in-tab one (inbroker.go)
	subErr    pg.Failure       // the last subscribe's failure, shown while the filter is unchanged
	pubErr    pg.Failure       // the last publish's failure, shown while topic and payload are unchanged

	// A burst (count above 1): its records so far, redrawn while it runs.
	bursting  bool
	burstRecs []exercises.PublishRecord
	burstTook time.Duration

	// What the client reported.
	cl             *client.Client
	state          client.State
	sessionPresent bool
	connErr        error
	subs           []subscription
	messages       []received // newest first
	inbox          inbox      // messages on their way from paho's goroutine
	receivedTotal  int
	log            []logLine        // newest first
	tapped         packetLog        // filled by the wire tap on paho's goroutines
	packets        []wiretap.Packet // the tap's packets as last drawn, newest first
	selected       int              // the Seq of the packet shown in detail

	net netForm // the network conditions card (netcond.go)

	cap     captureForm // the capture card (capture.go, capture_playground.go)
	mounted app.Context // OnMount's: the replay's timers redraw through it
}

// onSelect shows packet seq in detail. Opening a packet of a publish is
// what earns the QoS characteristics checkpoint (package checkpoints).
func (p *playground) onSelect(seq int) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		p.selected = seq
		if p.cap.replay != nil {
			return // a file's packets earn nothing: the learner did not send them
		}
		for _, pk := range p.packets {
			if pk.Seq != seq {
				continue
			}
			if f, ok := checkpoints.Opened(pk.Type, pk.QoS); ok {
				recordFacts(ctx, f)
			}
			break
		}
	}
}

func newPlayground() *playground {
	p := &playground{lang: firstLang(), embed: tabEmbed(), state: client.Disconnected}
	p.setConfig(expconfig.DefaultPlayground())
	p.net.Fields = netcond.FieldsOf(netcond.Preset{})
	if app.IsClient {
		// Before the first drawing, as the server's pre-render has it:
		// empty, the form would show its error for one drawing. (The
		// tab's broker is in go-app's state, out of a constructor's reach:
		// the one the page's facts give, until OnMount reads the tab's.)
		p.brokerURL = tabbroker.New(tabFacts()).ShownURL()
	}
	return p
}

// setConfig fills the forms from an experiment's configuration.
func (p *playground) setConfig(c expconfig.Playground) {
	p.form.Clean, p.form.KeepAlive, p.form.Reconnect = c.Clean, strconv.Itoa(c.KeepAlive), c.Reconnect
	p.form.SubFilter, p.form.SubQoS = c.SubFilter, c.SubQoS
	p.form.PubTopic, p.form.PubPayload, p.form.PubQoS, p.form.PubRetain = c.PubTopic, c.PubPayload, c.PubQoS, c.PubRetain
	p.form.PubCount, p.form.PubWindow = strconv.Itoa(c.PubCount), strconv.Itoa(c.Window)
	p.form.WillTopic, p.form.WillPayload, p.form.WillQoS, p.form.WillRetain = c.WillTopic, c.WillPayload, c.WillQoS, c.WillRetain
	p.setNetPreset(c.Net)
}

// syncURL writes the forms into the page's URL, without a new history
// entry, so that the address bar always holds a link to this experiment.
func (p *playground) syncURL() {
	app.Window().Get("history").Call("replaceState", nil, "", pg.LinkURL(*app.Window().URL(), p.typed()))
}

// typed is the forms as the learner typed them, for package playground.
func (p *playground) typed() pg.Form {
	f := p.form
	f.Net = p.netLinkID()
	return f
}

// OnMount fills in what only the browser knows: the language, the page's
// own origin for the broker URL, and a fresh client id.
func (p *playground) OnMount(ctx app.Context) {
	p.mounted = ctx
	observeLang(ctx, &p.lang)
	observeBroker(ctx, &p.broker, func() { p.brokerURL = p.broker.ShownURL() })
	p.brokerURL = p.broker.ShownURL()
	p.form.ClientID = playgroundID()
	cfg, errs := expconfig.ParsePlayground(app.Window().URL().Query())
	p.setConfig(cfg)
	for _, err := range errs {
		p.addLog(true, i18n.LogBadLink, err.Error())
	}
	// The link's experiment, as the learner would run it by hand:
	// connect, subscribe, publish.
	if p.autorun = expconfig.StartPlayground(linkQuery()); p.autorun.Running() {
		p.connect(ctx)
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
func (p *playground) apply(ctx app.Context, cl *client.Client, ev client.Event) {
	if cl != p.cl {
		return // an event from a client the learner has replaced
	}
	switch ev.Kind {
	case client.EventNotice:
		msg, args := noticeLog(ev.Notice)
		p.addLog(true, msg, args...)
	case client.EventState:
		p.state = ev.State
		c := pg.OnState(ev.State, ev.SessionPresent, ev.Err, len(p.subs))
		if c.DropSubs {
			p.subs = nil
		}
		if c.Forgotten {
			p.addLog(true, i18n.LogSubsForgotten)
		}
		if c.ClearErrors {
			p.connErr, p.subErr, p.pubErr = nil, pg.Failure{}, pg.Failure{}
		}
		if c.StopAutorun {
			p.autorun.Stop()
		}
		switch ev.State {
		case client.Connected:
			p.sessionPresent = ev.SessionPresent
			p.addLog(false, i18n.LogConnack, ev.SessionPresent)
			recordFacts(ctx, checkpoints.Connack(p.connBy, ev.SessionPresent)...)
			if p.autorun.Connacked() {
				p.subscribe(ctx)
			}
		case client.Reconnecting:
			p.connErr = ev.Err
			p.addLog(true, i18n.LogReconnecting, ev.Err)
		case client.Disconnected:
			if ev.Err != nil {
				p.connErr = ev.Err
				p.addLog(true, i18n.LogDisconnectedErr, ev.Err)
				if c.FallBack {
					fellBack(ctx) // the next Connect uses the in-tab broker
				}
			} else {
				p.addLog(false, i18n.LogDisconnected)
			}
		}
	}
}

// drainInbox shows the messages received since the last drain, on the UI
// goroutine, with the QoS of the subscription that matched each.
func (p *playground) drainInbox(ctx app.Context) {
	batch, total := p.inbox.take()
	p.receivedTotal = total
	if len(batch) == 0 {
		return
	}
	newest := make([]received, 0, len(batch)+len(p.messages))
	for i := len(batch) - 1; i >= 0; i-- {
		r := batch[i]
		r.Granted = topic.Granted(p.subs, r.Topic)
		newest = append(newest, r)
	}
	// Nothing subscribed on this connection: the messages came from the
	// session the broker kept while this client was away.
	recordFacts(ctx, checkpoints.Delivered(p.connBy, p.sessionPresent, len(p.subs))...)
	p.messages = append(newest, p.messages...)
	if len(p.messages) > maxMessages {
		p.messages = p.messages[:maxMessages]
	}
}

func (p *playground) onConnect(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.autorun.Stop() // the learner takes over
	p.connect(ctx)
}

// refuse reports whether a form has errors; if so it stops a link's
// autorun and moves the focus to the first control in error, whose
// message is drawn next to it (playground_view.go).
func (p *playground) refuse(ctx app.Context, es formcheck.Errors) bool {
	if len(es) == 0 {
		return false
	}
	p.autorun.Stop()
	id := string(es.First())
	ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID(id); el.Truthy() {
			// The will's and the credentials' fields are in a <details>.
			if d := el.Call("closest", "details"); d.Truthy() {
				d.Set("open", true)
			}
			el.Call("focus")
		}
	})
	return true
}

func (p *playground) connect(ctx app.Context) {
	if p.state != client.Disconnected {
		return
	}
	// The address bar holds the experiment once the connection is on its
	// way (below).
	defer p.syncURL()
	if p.refuse(ctx, p.form.Checks(p.brokerURL, maxPacket()).Connection()) {
		return
	}
	opts := p.typed().ClientOptions(classroomURL(p.brokerURL), maxPacket())
	opts.WrapConn = wiretap.New(func(pk wiretap.Packet) {
		p.tapped.add(pk, func() {
			ctx.Dispatch(func(ctx app.Context) {
				if p.cap.replay == nil { // a capture file is shown: it stays
					p.packets = p.tapped.snapshot()
				}
			})
		})
	}).Wrap
	var cl *client.Client
	cl, err := client.New(opts, func(ev client.Event) {
		if ev.Kind == client.EventMessage {
			r := received{Message: ev.Message, PubQoS: -1, Granted: -1}
			if q, ok := p.tapped.sentQoS(ev.Message.Topic, ev.Message.Payload); ok {
				r.PubQoS = int(q)
			}
			p.inbox.add(r, func() { ctx.Dispatch(p.drainInbox) })
			return
		}
		ctx.Dispatch(func(ctx app.Context) { p.apply(ctx, cl, ev) })
	})
	if err != nil {
		p.connErr = err
		return
	}
	p.cl, p.connErr, p.subs = cl, nil, nil
	p.netOnConnect(cl)
	p.connBy = p.autorun.By()
	p.addLog(false, i18n.LogConnect, p.form.ClientID, p.form.Clean, p.brokerURL)
	ctx.Async(func() { cl.Connect() }) // the outcome arrives as events
	// Let Connect's goroutine open the WebSocket before this one goes on
	// (the address bar, then go-app's redraw of the page): the handshake
	// then runs while the page redraws, instead of after (client.Dialing).
	// Bounded, in case Connect's goroutine waits for this one.
	select {
	case <-cl.Dialing():
	case <-time.After(dialWait):
	}
}

// dialWait bounds how long connect waits for the client to begin dialling.
const dialWait = 100 * time.Millisecond

func (p *playground) onDisconnect(ctx app.Context, e app.Event) {
	if cl := p.cl; cl != nil {
		ctx.Async(cl.Disconnect)
	}
}

func (p *playground) onSubscribe(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.autorun.Stop()
	p.subscribe(ctx)
}

func (p *playground) subscribe(ctx app.Context) {
	p.syncURL()
	filter, qos := p.form.SubFilter, p.form.SubQoS
	if p.refuse(ctx, p.form.Checks(p.brokerURL, maxPacket()).Subscribe()) {
		return
	}
	if p.state != client.Connected {
		p.subErr = pg.Fails(newUIError(i18n.ConnectFirst))
		return
	}
	p.subErr = pg.Failure{}
	cl := p.cl
	ctx.Async(func() {
		granted, err := cl.Subscribe(filter, qos)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.subErr = pg.SubFailed(err, filter)
				p.autorun.Stop()
				p.addLog(true, i18n.LogSubFailed, filter, err)
				return
			}
			p.subs = topic.Replace(p.subs, subscription{Filter: filter, Requested: qos, Granted: granted})
			p.addLog(false, i18n.LogSuback, filter, int(qos), int(granted))
			if p.autorun.Subacked() {
				p.publish(ctx) // still the link's: it earns no checkpoint
				p.autorun.Stop()
			}
		})
	})
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
				p.subs = topic.Without(p.subs, filter)
				p.addLog(false, i18n.LogUnsuback, filter)
			})
		})
	}
}

func (p *playground) onPublish(ctx app.Context, e app.Event) {
	e.PreventDefault()
	p.publish(ctx)
}

func (p *playground) publish(ctx app.Context) {
	p.syncURL()
	name, payload, qos, retain := p.form.PubTopic, p.form.PubPayload, p.form.PubQoS, p.form.PubRetain
	by := p.autorun.By()
	if p.refuse(ctx, p.form.Checks(p.brokerURL, maxPacket()).Publish()) {
		return
	}
	count, _ := strconv.Atoi(strings.TrimSpace(p.form.PubCount))
	window, _ := strconv.Atoi(strings.TrimSpace(p.form.PubWindow))
	if p.state != client.Connected {
		p.pubErr = pg.Fails(newUIError(i18n.ConnectFirst))
		return
	}
	if p.bursting {
		return
	}
	p.pubErr = pg.Failure{}
	cl := p.cl
	if count > 1 {
		p.startBurst(ctx, cl, name, qos, count, window, by)
		return
	}
	ctx.Async(func() {
		start := time.Now()
		err := cl.Publish(name, []byte(payload), qos, retain)
		took := time.Since(start)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.pubErr = pg.PubFailed(err, name, payload)
				p.addLog(true, i18n.LogPubFailed, name, err)
				return
			}
			p.addLog(false, i18n.LogPublished, name, int(qos), pg.Confirmation(qos), took.Round(100*time.Microsecond).String())
			recordFacts(ctx, checkpoints.Published(by, qos)...)
		})
	})
}

// startBurst publishes count messages of the tutorial's JSON (each with its
// own message_id) through the lab's publisher, at most window of them
// unacknowledged, redrawing the tally while it runs.
func (p *playground) startBurst(ctx app.Context, cl *client.Client, name string, qos byte, count, window int, by checkpoints.Starter) {
	p.bursting, p.burstRecs, p.burstTook = true, nil, 0
	p.addLog(false, i18n.LogBurstStart, count, name, int(qos), window)
	pub := exercises.NewPublisher(cl, exercises.PublisherConfig{Window: window})
	start := time.Now()
	inBackground(ctx, func() error {
		return pub.Burst(context.Background(), name, qos, count)
	}, func(ctx app.Context, done bool, err error) {
		p.burstRecs, p.burstTook = pub.Records(), time.Since(start)
		if !done {
			return
		}
		p.bursting = false
		if err != nil {
			p.pubErr = pg.PubFailed(err, name, p.form.PubPayload)
			p.addLog(true, i18n.LogPubFailed, name, err)
			return
		}
		p.addLog(false, i18n.LogBurstDone, count, p.burstTook.Round(time.Millisecond).String())
		recordFacts(ctx, checkpoints.Earned(by, checkpoints.PublishFacts(p.burstRecs)...)...)
	})
}
