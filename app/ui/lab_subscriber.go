package ui

import (
	"fmt"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/client"
	"qosplayground/app/lab"
)

// maxShownHistory bounds the received-messages table.
const maxShownHistory = 50

// families in the order the page lists their work times.
var families = []string{lab.FamilySensors, lab.FamilyAlerts, lab.FamilyActuators, lab.FamilyImportant, lab.FamilyGeneric}

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

	running        bool
	sessionPresent bool
	err            string
	cl             *client.Client
	sub            *lab.ReliableSubscriber
	stop           chan struct{}
	stats          lab.Stats
	history        []lab.Record
	log            *feed
	lines          []logLine
}

func newSubscriberPage() *subscriberPage {
	p := &subscriberPage{
		maxRetries: "3", retryMS: "2000", ttlMin: "10", pruneMin: "5",
		testTopic: "alerts/temperature_high", testID: "1", testQoS: 1,
		workMS: make(map[string]*string), log: newFeed(100),
	}
	for _, s := range lab.DefaultSubscriptions() {
		p.subs = append(p.subs, subRow{s.Filter, s.QoS})
	}
	for f, d := range lab.DefaultWorkTimes() {
		v := strconv.Itoa(int(d / time.Millisecond))
		p.workMS[f] = &v
	}
	return p
}

// OnMount picks this tab's client id.
func (p *subscriberPage) OnMount(ctx app.Context) {
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

// config reads the form into a subscriber configuration.
func (p *subscriberPage) config() (lab.SubscriberConfig, error) {
	var cfg lab.SubscriberConfig
	var err error
	for _, r := range p.subs {
		cfg.Subscriptions = append(cfg.Subscriptions, lab.Subscription{Filter: r.Filter, QoS: r.QoS})
	}
	cfg.WorkTimes = make(map[string]time.Duration)
	for _, f := range families {
		if cfg.WorkTimes[f], err = parseMillis(f+" work time", *p.workMS[f]); err != nil {
			return cfg, err
		}
	}
	if cfg.MaxRetries, err = parseCount("attempts", p.maxRetries, 1, 10); err != nil {
		return cfg, err
	}
	if cfg.RetryDelay, err = parseMillis("retry delay", p.retryMS); err != nil {
		return cfg, err
	}
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = -1 // none: the lab's zero means "the tutorial's 2 s"
	}
	ttl, err := parseCount("record lifetime", p.ttlMin, 1, 1440)
	if err != nil {
		return cfg, err
	}
	prune, err := parseCount("cleanup interval", p.pruneMin, 1, 1440)
	if err != nil {
		return cfg, err
	}
	cfg.RecordTTL, cfg.PruneEvery = time.Duration(ttl)*time.Minute, time.Duration(prune)*time.Minute
	cfg.SimulateAlertFailure = p.failAlert
	return cfg, nil
}

func (p *subscriberPage) onStart(ctx app.Context, e app.Event) {
	if p.running {
		return
	}
	cfg, err := p.config()
	if err != nil {
		p.err = err.Error()
		return
	}
	log := p.log
	cfg.OnEvent = func(ev lab.SubscriberEvent) { logSubscriberEvent(log, ev) }
	sub := lab.NewReliableSubscriber(cfg)
	cl, err := client.New(client.Options{URL: brokerURL(), ClientID: p.clientID, CleanSession: false, ManualAck: true},
		func(ev client.Event) {
			switch {
			case ev.Kind == client.EventMessage:
				sub.Handle(ev.Message)
			case ev.Kind == client.EventState && ev.State == client.Disconnected && ev.Err != nil:
				log.add(true, "connection lost: %v", ev.Err)
			}
		})
	if err != nil {
		sub.Close()
		p.err = userError(err)
		return
	}
	p.running, p.err, p.cl, p.sub, p.stop = true, "", cl, sub, make(chan struct{})
	log.add(false, "connecting %s with clean session off", p.clientID)
	stop := p.stop
	ctx.Async(func() {
		sp, err := cl.Connect()
		if err == nil {
			err = sub.Subscribe(cl)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				p.err = userError(err)
				log.add(true, "%v", err)
				p.running = false
				p.shutdown()
				return
			}
			p.sessionPresent = sp
			log.add(false, "✅ connected, session present: %v", sp)
			for _, s := range sub.Config().Subscriptions {
				log.add(false, "📡 subscribed to %s at QoS %d", s.Filter, s.QoS)
			}
		})
	})
	whileRunning(ctx, stop, func(ctx app.Context) {
		if s := p.sub; s != nil {
			p.stats = s.Stats()
			h := s.History()
			if len(h) > maxShownHistory {
				h = h[len(h)-maxShownHistory:]
			}
			p.history = h
		}
		p.lines = p.log.snapshot()
	})
}

func logSubscriberEvent(log *feed, ev lab.SubscriberEvent) {
	r := ev.Record
	switch ev.Kind {
	case lab.EventReceived:
		dup := ""
		if r.Dup {
			dup = " (DUP=1)"
		}
		log.add(false, "📥 %s QoS %d%s: %s", r.Topic, r.QoS, dup, r.Key)
	case lab.EventDuplicate:
		log.add(false, "🔄 duplicate detected, not processed again: %s", r.Key)
	case lab.EventRetry:
		log.add(true, "⚠️ attempt %d failed: %s; retrying", r.Attempts, ev.Err)
	case lab.EventProcessed:
		log.add(false, "✅ %s", r.Result)
	case lab.EventFailed:
		log.add(true, "❌ all %d attempts failed: %s", r.Attempts, ev.Err)
	case lab.EventPruned:
		log.add(false, "🧹 cleaned up %d old message records", ev.Count)
	}
}

func (p *subscriberPage) onStopClick(ctx app.Context, e app.Event) {
	if !p.running {
		return
	}
	p.log.add(false, "stopped; the session stays at the broker (clean session off)")
	p.lines = p.log.snapshot()
	p.running = false
	p.shutdown()
}

// onSendTest publishes one tutorial-style message to the subscriber; the
// same message id twice makes a duplicate.
func (p *subscriberPage) onSendTest(ctx app.Context, e app.Event) {
	id, err := strconv.ParseInt(p.testID, 10, 64)
	if err != nil {
		p.err = "message_id: a whole number"
		return
	}
	topic, qos, log, url := p.testTopic, p.testQoS, p.log, brokerURL()
	payload := lab.Payload{MessageID: id, Content: "test message " + p.testID, MessageType: "test", QoS: qos,
		Timestamp: lab.FormatTimestamp(time.Now()), Sender: lab.Sender}.Encode()
	ctx.Async(func() {
		cl, err := client.New(client.Options{URL: url, ClientID: tabID() + "test_publisher", CleanSession: true}, func(client.Event) {})
		if err == nil {
			if _, err = cl.Connect(); err == nil {
				err = cl.Publish(topic, payload, qos, false)
				cl.Disconnect()
			}
		}
		if err != nil {
			log.add(true, "test publish: %v", err)
		} else {
			log.add(false, "📤 sent message_id %d to %s at QoS %d", id, topic, qos)
		}
		ctx.Dispatch(func(ctx app.Context) { p.lines = p.log.snapshot() })
	})
}

// Render draws the page.
func (p *subscriberPage) Render() app.UI {
	b := binder{c: p, disabled: p.running}
	return app.Div().Class("page").Body(
		pageHeader("/lab/subscriber", nil),
		app.Main().Class("grid").Body(
			app.Section().Class("card").Aria("labelledby", "h-subcfg").Body(
				app.H2().ID("h-subcfg").Text("Reliable subscriber (Exercise 2)"),
				app.P().Class("help").Text("Clean session off. Each message is identified by topic:message_id (or a hash of topic, payload and QoS); it counts as processed only when its processing succeeds, and a duplicate is counted but never processed twice."),
				app.P().Class("help", "ack-note").Text("Acknowledgement: the PUBACK (QoS 1) or PUBREC (QoS 2) is sent after processing ends. If the tab dies while processing, the broker still has the message and sends it again (DUP) to this session; the duplicate check makes that safe."),
				app.FieldSet().Disabled(p.running).Body(
					app.Legend().Text("Subscriptions"),
					app.Range(p.subs).Slice(func(i int) app.UI {
						id := "sub-" + strconv.Itoa(i)
						return app.Div().Class("row").Body(
							app.Label().For(id+"-filter").Class("sr-only").Text("Filter "+strconv.Itoa(i+1)),
							app.Input().ID(id+"-filter").Type("text").Value(p.subs[i].Filter).OnInput(p.ValueTo(&p.subs[i].Filter)),
							app.Label().For(id+"-qos").Class("sr-only").Text("QoS "+strconv.Itoa(i+1)),
							qosSelect(id+"-qos", p.subs[i].QoS, qosTo(&p.subs[i].QoS)),
						)
					}),
				),
				app.Div().Class("buttons").Body(
					app.Button().ID("sub-start").Type("button").Class("primary").Disabled(p.running).OnClick(p.onStart).Text("Start"),
					app.Button().ID("sub-stop").Type("button").Disabled(!p.running).OnClick(p.onStopClick).Text("Stop"),
				),
				errorLine("lab-error", p.err),
			),
			app.Section().Class("card").Aria("labelledby", "h-subproc").Body(
				app.H2().ID("h-subproc").Text("Processing"),
				app.Range(families).Slice(func(i int) app.UI {
					f := families[i]
					return b.numberField("Work time: "+f+" (ms)", "work-"+f, p.workMS[f], 0, 600000, "")
				}),
				b.numberField("Attempts per message", "max-retries", &p.maxRetries, 1, 10, "The tutorial tries 3 times."),
				b.numberField("Delay between attempts (ms)", "retry-delay", &p.retryMS, 0, 600000, "The tutorial waits 2 s."),
				app.Div().Class("field", "check").Body(
					app.Input().ID("fail-alert").Type("checkbox").Checked(p.failAlert).Disabled(p.running).OnChange(checkedTo(&p.failAlert)),
					app.Label().For("fail-alert").Text("Simulate the alert failure"),
					app.Small().Class("help").Text("As in the tutorial: an alert on a topic containing \"high\" whose identity ends in 3 fails every attempt."),
				),
				b.numberField("Keep processed records (minutes)", "ttl", &p.ttlMin, 1, 1440, ""),
				b.numberField("Clean up every (minutes)", "prune", &p.pruneMin, 1, 1440, ""),
			),
			app.Section().Class("card").Aria("labelledby", "h-subsend").Body(
				app.H2().ID("h-subsend").Text("Send it a message"),
				app.P().Class("help").Text("Send the same message_id twice to see a duplicate detected and not processed again."),
				field("Topic", "test-topic", app.Input().ID("test-topic").Type("text").Value(p.testTopic).OnInput(p.ValueTo(&p.testTopic)), ""),
				field("message_id", "test-id", app.Input().ID("test-id").Type("number").Value(p.testID).OnInput(p.ValueTo(&p.testID)), ""),
				field("QoS", "test-qos", qosSelect("test-qos", p.testQoS, qosTo(&p.testQoS)), ""),
				app.Div().Class("buttons").Body(
					app.Button().ID("send-test").Type("button").OnClick(p.onSendTest).Text("Send"),
				),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-substats").Body(
				app.H2().ID("h-substats").Text("Statistics"),
				app.P().ID("sub-status").Attr("data-running", strconv.FormatBool(p.running)).Text(p.statusText()),
				statsTable("sub-stats", p.stats),
				app.If(len(p.history) > 0, recordsTable("sub-history", p.history)),
			),
			app.Section().Class("card", "wide").Aria("labelledby", "h-sublog").Body(
				app.H2().ID("h-sublog").Text("Log"),
				renderLog("sub-log", p.lines),
			),
		),
	)
}

func (p *subscriberPage) statusText() string {
	if !p.running {
		return "Stopped."
	}
	return fmt.Sprintf("Listening as %s (session present: %s).", p.clientID, yesNo(p.sessionPresent))
}
