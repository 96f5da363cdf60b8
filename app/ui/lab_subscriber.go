package ui

import (
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/checkpoints"
	"qosplayground/app/client"
	"qosplayground/app/exercises"
	"qosplayground/app/formcheck"
	"qosplayground/app/i18n"
)

// maxShownHistory bounds the received-messages table.
const maxShownHistory = 50

// familyLabels name the processing families (formcheck.Families lists
// them in the page's order).
var familyLabels = map[string]i18n.Msg{
	exercises.FamilySensors:   i18n.FamilySensors,
	exercises.FamilyAlerts:    i18n.FamilyAlerts,
	exercises.FamilyActuators: i18n.FamilyActuators,
	exercises.FamilyImportant: i18n.FamilyImportant,
	exercises.FamilyGeneric:   i18n.FamilyGeneric,
}

// subRow is one editable subscription.
type subRow struct {
	Filter string
	QoS    byte
}

// subscriberPage is Exercise 2 and Task 2: the reliable subscriber, with
// every setting of the tutorial editable, and a small publisher to send it
// messages (and duplicates) from the same page.
type subscriberPage struct {
	app.Compo
	lang  i18n.Lang
	embed embedView

	clientID   string
	subs       []subRow
	workMS     map[string]*string
	maxRetries string
	retryMS    string
	failAlert  bool
	ttlMin     string
	pruneMin   string

	testTopic string
	testID    string
	testQoS   byte
	sendErr   error // the test send's error, shown next to it

	// What became of test messages sent while the subscriber was stopped
	// (exercises.Unheard): the latest one's fate is shown next to the send
	// button. sessionSubs are the subscriptions of the last run: those
	// the broker keeps in the subscriber's persistent session.
	unheard     []exercises.Followed
	unmatched   string // a topic the running subscriber does not hear, sent to
	sessionSubs []exercises.Subscription
	arrivals    *keySet
	sends       int // test messages sent: each from a client id of its own

	running        bool
	sessionPresent bool
	err            error
	cl             *client.Client
	sub            *exercises.ReliableSubscriber
	stop           chan struct{}
	stats          exercises.Stats
	history        []exercises.Record
	log            *feed
	lines          []logLine
}

func newSubscriberPage() *subscriberPage {
	p := &subscriberPage{
		lang:       firstLang(),
		embed:      tabEmbed(),
		maxRetries: "3", retryMS: "2000", ttlMin: "10", pruneMin: "5",
		testTopic: "alerts/temperature_high", testID: "1", testQoS: 1,
		workMS: make(map[string]*string), log: newFeed(100), arrivals: newKeySet(),
	}
	for _, s := range exercises.DefaultSubscriptions() {
		p.subs = append(p.subs, subRow{s.Filter, s.QoS})
	}
	for f, d := range exercises.DefaultWorkTimes() {
		v := strconv.Itoa(int(d / time.Millisecond))
		p.workMS[f] = &v
	}
	return p
}

// OnMount follows the tab's language and picks this tab's client id.
func (p *subscriberPage) OnMount(ctx app.Context) {
	observeLang(ctx, &p.lang)
	p.clientID = tabID() + "reliable_subscriber"
}

// OnDismount stops the subscriber when the learner leaves the page.
func (p *subscriberPage) OnDismount() {
	p.shutdown()
}

func (p *subscriberPage) shutdown() {
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	cl, sub := p.cl, p.sub
	p.cl, p.sub = nil, nil
	go func() {
		if cl != nil {
			cl.Disconnect()
		}
		if sub != nil {
			sub.Close()
		}
	}()
}

// config reads the form into a subscriber configuration
// (formcheck.Subscriber).
func (p *subscriberPage) config() (exercises.SubscriberConfig, error) {
	form := formcheck.Subscriber{MaxRetries: p.maxRetries, RetryMS: p.retryMS, FailAlert: p.failAlert,
		TTLMin: p.ttlMin, PruneMin: p.pruneMin, WorkMS: map[string]string{}}
	for _, r := range p.subs {
		form.Subscriptions = append(form.Subscriptions, exercises.Subscription{Filter: r.Filter, QoS: r.QoS})
	}
	for f, v := range p.workMS {
		form.WorkMS[f] = *v
	}
	return form.Config()
}

// phraseMsg makes a one-argument message usable where a Msg is wanted, in
// both languages.
func phraseMsg(msg, arg i18n.Msg) i18n.Msg {
	return i18n.Msg{EN: i18n.T(i18n.EN, msg, arg.EN), JA: i18n.T(i18n.JA, msg, arg.JA)}
}

func (p *subscriberPage) onStart(ctx app.Context, e app.Event) {
	if p.running {
		return
	}
	cfg, err := p.config()
	if err != nil {
		p.err = err
		return
	}
	// What this run receives: a message sent while the subscriber was
	// stopped is judged by whether it comes now.
	p.arrivals = newKeySet()
	log, arrivals := p.log, p.arrivals
	var retried atomic.Bool
	cfg.OnEvent = func(ev exercises.SubscriberEvent) {
		logSubscriberEvent(log, ev)
		if ev.Kind == exercises.EventRetry {
			retried.Store(true)
		}
	}
	sub := exercises.NewReliableSubscriber(cfg)
	cl, err := client.New(client.Options{URL: brokerURL(ctx), ClientID: p.clientID, CleanSession: false, ManualAck: true},
		func(ev client.Event) {
			switch {
			case ev.Kind == client.EventMessage:
				arrivals.add(exercises.DedupKey(ev.Message.Topic, ev.Message.Payload, ev.Message.QoS))
				sub.Handle(ev.Message)
			case ev.Kind == client.EventState && ev.State == client.Disconnected && ev.Err != nil:
				log.add(true, i18n.ConnectLost, ev.Err)
			}
		})
	if err != nil {
		sub.Close()
		p.err = err
		return
	}
	p.running, p.err, p.cl, p.sub, p.stop, p.unmatched = true, nil, cl, sub, make(chan struct{}), ""
	sessionSubs := p.sessionSubs
	if sessionSubs == nil {
		// Not started from this page yet: a session the broker may hold
		// from an earlier visit subscribed as the form does, at best.
		sessionSubs = sub.Config().Subscriptions
	}
	log.add(false, i18n.LogSubConnecting, p.clientID)
	stop := p.stop
	ctx.Async(func() {
		sp, err := cl.Connect()
		connackAt := cl.ConnackAt() // before the messages a kept session brings, logged as they came
		if err == nil {
			err = sub.Subscribe(cl)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = err
				log.add(true, i18n.LogRunFailed, i18n.SubscribeButton, err)
				p.running = false
				p.shutdown()
				return
			}
			p.sessionPresent = sp
			p.sessionSubs = sub.Config().Subscriptions
			log.addAt(connackAt, false, i18n.LogSubConnected, sp)
			for _, s := range sub.Config().Subscriptions {
				log.add(false, i18n.LogSubscribed, s.Filter, int(s.QoS))
			}
			p.judgeUnheard(ctx, stop, sp, sessionSubs)
		})
	})
	whileRunning(ctx, stop, func(ctx app.Context) {
		if s := p.sub; s != nil {
			p.stats = s.Stats()
			recordFacts(ctx, checkpoints.SubscriberFacts(p.stats, retried.Load())...)
			h := s.History()
			if len(h) > maxShownHistory {
				h = h[len(h)-maxShownHistory:]
			}
			p.history = h
		}
		p.lines = p.log.snapshot()
	})
}

// judgeUnheard says what became of the test messages sent while the
// subscriber was stopped, once those the broker kept for its session have
// come (exercises.UnheardSettle).
func (p *subscriberPage) judgeUnheard(ctx app.Context, stop chan struct{}, sessionPresent bool, subs []exercises.Subscription) {
	if !exercises.Waiting(p.unheard) {
		return
	}
	ctx.Async(func() {
		select {
		case <-time.After(exercises.UnheardSettle):
		case <-stop:
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			for _, i := range exercises.JudgeWaiting(p.unheard, p.arrivals.has, sessionPresent, subs) {
				u := p.unheard[i]
				text := u.Text()
				p.log.add(u.Fate.Dropped(), text.Msg, text.Args...)
			}
			p.lines = p.log.snapshot()
		})
	})
}

// keySet is the set of message identities the subscriber's client
// received, written on paho's goroutine.
type keySet struct {
	mu   sync.Mutex // guards keys
	keys map[string]bool
}

func newKeySet() *keySet { return &keySet{keys: make(map[string]bool)} }

func (k *keySet) add(key string) {
	k.mu.Lock()
	k.keys[key] = true
	k.mu.Unlock()
}

func (k *keySet) has(key string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys[key]
}

func logSubscriberEvent(log *feed, ev exercises.SubscriberEvent) {
	r := ev.Record
	switch ev.Kind {
	case exercises.EventReceived:
		dup := any("")
		if r.Dup {
			dup = i18n.LogDupFlag
		}
		log.add(false, i18n.LogReceived, r.Topic, int(r.QoS), dup, r.Key)
	case exercises.EventDuplicate:
		log.add(false, i18n.LogDuplicate, r.Key)
	case exercises.EventRetry:
		if ev.Delay > 0 {
			log.add(true, i18n.LogRetryIn, r.Attempts, ev.Attempts, exercises.ProcessingError(ev.Err), exercises.DurationText(ev.Delay))
		} else {
			log.add(true, i18n.LogRetryNow, r.Attempts, ev.Attempts, exercises.ProcessingError(ev.Err))
		}
	case exercises.EventProcessed:
		rt := r.ResultText()
		log.add(false, rt.Msg, rt.Args...)
	case exercises.EventFailed:
		log.add(true, i18n.LogFailed, r.Attempts, exercises.ProcessingError(ev.Err))
	case exercises.EventPruned:
		log.add(false, i18n.LogPruned, ev.Count)
	}
}

func (p *subscriberPage) onStopClick(ctx app.Context, e app.Event) {
	if !p.running {
		return
	}
	p.log.add(false, i18n.LogSubStopped)
	p.lines = p.log.snapshot()
	p.running = false
	p.shutdown()
}

// testMessage checks the test message's form: its message_id and topic.
func (p *subscriberPage) testMessage() (int64, error) {
	return formcheck.TestMessage(p.testTopic, p.testID)
}

// onTestInput stores a field of the test message and, when the error shown
// was the form's own, checks the form again: the error goes once its cause
// is fixed.
func (p *subscriberPage) onTestInput(v *string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		*v = ctx.JSSrc().Get("value").String()
		var sendFailed sendError
		if p.sendErr != nil && !errors.As(p.sendErr, &sendFailed) {
			_, p.sendErr = p.testMessage()
		}
	}
}

// sendError is a test send that the broker or the network refused (the
// form was fine).
type sendError struct{ err error }

func (e sendError) Error() string { return e.err.Error() }
func (e sendError) Unwrap() error { return e.err }

// onSendTest publishes one tutorial-style message to the subscriber; the
// same message id twice makes a duplicate. A message sent while the
// subscriber is stopped is followed until it starts (exercises.Unheard).
func (p *subscriberPage) onSendTest(ctx app.Context, e app.Event) {
	id, err := p.testMessage()
	if p.sendErr = err; err != nil {
		return
	}
	// A client id of its own per send: two quick sends under one id made
	// the broker close the first connection (a takeover) before its
	// PUBLISH was acknowledged, and that message was lost.
	p.sends++
	topicName, qos, log, url, clientID := p.testTopic, p.testQoS, p.log, brokerURL(ctx), tabID()+"test_publisher_"+strconv.Itoa(p.sends)
	payload := exercises.Payload{MessageID: id, Content: "test message " + p.testID, MessageType: "test", QoS: qos,
		Timestamp: exercises.FormatTimestamp(time.Now()), Sender: exercises.Sender}.Encode()
	running := p.running
	var subs []exercises.Subscription
	if p.sub != nil {
		subs = p.sub.Config().Subscriptions
	}
	u := exercises.Unheard{Topic: topicName, MessageID: id, QoS: qos, Key: exercises.DedupKey(topicName, payload, qos)}
	ctx.Async(func() {
		cl, err := client.New(client.Options{URL: url, ClientID: clientID, CleanSession: true}, func(client.Event) {})
		if err == nil {
			if _, err = cl.Connect(); err == nil {
				err = cl.Publish(topicName, payload, qos, false)
				cl.Disconnect()
			}
		}
		if err != nil {
			log.add(true, i18n.LogTestFailed, err)
		} else {
			log.add(false, i18n.LogTestSent, int(id), topicName, int(qos))
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.lines = p.log.snapshot()
			if err != nil {
				p.sendErr = sendError{err}
				return
			}
			p.sendErr, p.unmatched = nil, ""
			follow, unmatched := exercises.Sent(u, running, subs)
			if follow != nil {
				p.unheard = append(p.unheard, *follow)
			}
			if unmatched {
				p.unmatched = topicName
			}
		})
	})
}

// renderFate says what became of the last test message sent while the
// subscriber was stopped, or that the running subscriber does not hear the
// last one's topic.
func (p *subscriberPage) renderFate() app.UI {
	l := p.lang
	switch {
	case p.unmatched != "":
		return app.P().ID("test-fate").Class("labs-fate").Attr("role", "status").
			DataSet("state", "unmatched").Text(tr(l, i18n.FateUnmatched, p.unmatched))
	case len(p.unheard) > 0:
		u := p.unheard[len(p.unheard)-1]
		text := u.Text()
		return app.P().ID("test-fate").Class("labs-fate").Attr("role", "status").
			DataSet("state", u.Fate.State()).DataSet("fate", string(u.Fate)).Text(tr(l, text.Msg, text.Args...))
	}
	return app.P().ID("test-fate").Attr("role", "status").DataSet("state", "").Hidden(true)
}

// Render draws the page.
func (p *subscriberPage) Render() app.UI {
	l := p.lang
	b := binder{c: p, lang: l, disabled: p.running}
	willFail := false
	if id, err := p.testMessage(); err == nil && p.failAlert {
		willFail = exercises.TestWillFail(p.testTopic, id)
	}
	return app.Div().Class("page", "labs-tables").Body(
		pageHeader(l, p.embed, "/lab/subscriber", nil),
		app.Main().Class("grid").Body(
			app.Section().Class("card").Aria("labelledby", "h-subcfg").Body(
				app.H2().ID("h-subcfg").Text(i18n.SubLabHeading.In(l)),
				app.P().Class("help").Text(i18n.SubLabHelp.In(l)),
				app.P().Class("help", "ack-note").Text(i18n.AckNote.In(l)),
				app.P().ID("sub-locked").Class("help", "labs-locked").Hidden(!p.running).Text(i18n.SubLocked.In(l)),
				app.FieldSet().Disabled(p.running).Body(
					app.Legend().Text(i18n.SubscriptionsLeg.In(l)),
					app.Range(p.subs).Slice(func(i int) app.UI {
						id := "sub-" + strconv.Itoa(i)
						return app.Div().Class("row").Body(
							app.Label().For(id+"-filter").Class("sr-only").Text(tr(l, i18n.FilterN, i+1)),
							app.Input().ID(id+"-filter").Type("text").Value(p.subs[i].Filter).OnInput(p.ValueTo(&p.subs[i].Filter)),
							app.Label().For(id+"-qos").Class("sr-only").Text(tr(l, i18n.QoSN, i+1)),
							qosSelect(l, id+"-qos", p.subs[i].QoS, qosTo(&p.subs[i].QoS)),
						)
					}),
				),
				app.Div().Class("buttons").Body(
					app.Button().ID("sub-start").Type("button").Class("primary").Disabled(p.running).OnClick(p.onStart).Text(i18n.StartButton.In(l)),
					app.Button().ID("sub-stop").Type("button").Disabled(!p.running).OnClick(p.onStopClick).Text(i18n.StopButton.In(l)),
				),
				errorLine(l, "lab-error", p.err),
			),
			app.Section().Class("card").Aria("labelledby", "h-subproc").Body(
				app.H2().ID("h-subproc").Text(i18n.ProcessingHead.In(l)),
				app.P().ID("sub-locked-proc").Class("help", "labs-locked").Hidden(!p.running).Text(i18n.SubLocked.In(l)),
				app.Range(formcheck.Families).Slice(func(i int) app.UI {
					f := formcheck.Families[i]
					return b.numberField(phraseMsg(i18n.WorkTimeLabel, familyLabels[f]), string(formcheck.WorkTime(f)), p.workMS[f], 0, formcheck.MaxMillis, i18n.Msg{})
				}),
				b.numberField(i18n.AttemptsLabel, string(formcheck.SubAttempts), &p.maxRetries, 1, formcheck.MaxAttempts, i18n.AttemptsHelp),
				b.numberField(i18n.RetryDelayLabel, string(formcheck.SubRetryDelay), &p.retryMS, 0, formcheck.MaxMillis, i18n.RetryDelayHelp),
				b.checkField("fail-alert", &p.failAlert, i18n.FailAlertLabel, i18n.Msg{}),
				app.P().ID("fail-alert-rule").Class("help").Text(i18n.FailAlertHelp.In(l)),
				b.numberField(i18n.TTLLabel, string(formcheck.SubTTL), &p.ttlMin, 1, formcheck.MaxMinutes, i18n.Msg{}),
				b.numberField(i18n.PruneLabel, string(formcheck.SubPrune), &p.pruneMin, 1, formcheck.MaxMinutes, i18n.Msg{}),
			),
			app.Section().Class("card").Aria("labelledby", "h-subsend").Body(
				app.H2().ID("h-subsend").Text(i18n.SendHeading.In(l)),
				app.P().Class("help").Text(i18n.SendHelp.In(l)),
				field(l, i18n.TopicLabel.In(l), "test-topic", app.Input().ID("test-topic").Type("text").Value(p.testTopic).OnInput(p.onTestInput(&p.testTopic)), i18n.Msg{}),
				field(l, "message_id", "test-id", app.Input().ID("test-id").Type("number").Value(p.testID).OnInput(p.onTestInput(&p.testID)), i18n.Msg{}),
				field(l, i18n.QoSLabel.In(l), "test-qos", qosSelect(l, "test-qos", p.testQoS, qosTo(&p.testQoS)), i18n.Msg{}),
				app.Div().Class("buttons").Body(
					app.Button().ID("send-test").Type("button").OnClick(p.onSendTest).Text(i18n.SendButton.In(l)),
				),
				app.P().ID("test-will-fail").Class("help", "labs-will-fail").Hidden(!willFail).Text(i18n.TestWillFail.In(l)),
				p.renderSendError(),
				p.renderFate(),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-substats").Body(
				app.H2().ID("h-substats").Text(i18n.StatsHeading.In(l)),
				app.P().ID("sub-status").Attr("data-running", strconv.FormatBool(p.running)).Text(p.statusText()),
				statsTable(l, "sub-stats", p.stats),
				app.If(len(p.history) > 0, recordsTable(l, "sub-history", p.history)),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-sublog").Body(
				app.H2().ID("h-sublog").Text(i18n.LogHeading.In(l)),
				renderLog(l, "sub-log", i18n.LogHeading, p.lines),
			),
		),
	)
}

// renderSendError shows the test send's error next to it: the form's own
// in the learner's language, or what refused the message.
func (p *subscriberPage) renderSendError() app.UI {
	l := p.lang
	text := errText(l, p.sendErr)
	var failed sendError
	if errors.As(p.sendErr, &failed) {
		text = tr(l, i18n.TestSendFailed, failed.err)
	}
	return app.P().ID("test-send-error").Class("error").Attr("role", "alert").Hidden(p.sendErr == nil).Text(text)
}

func (p *subscriberPage) statusText() string {
	return say(p.lang, exercises.SubscriberStatus(p.running, p.clientID, p.sessionPresent))
}
