package ui

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/board"
	"qosplayground/app/checkpoints"
	"qosplayground/app/classroom"
	"qosplayground/app/client"
	"qosplayground/app/i18n"
	"qosplayground/app/task1"
	"qosplayground/app/transport"
)

// teacherPath is the teacher's board. The server serves it only with
// -teacher-key-file, and only to a signed-in teacher (server/teacher.go).
const teacherPath = "/teacher"

// TeacherRoute registers the board's page. The teacher's wasm
// (wasm/teacher) registers it, the learners' app.wasm does not; the server
// registers it only with -teacher-key-file, so the static build and a
// server without a board have no such page.
func TeacherRoute() {
	app.RouteFunc(teacherPath, func() app.Composer { return newTeacherPage() })
}

// boardColumns are the checkpoints' short names, for the board's columns.
var boardColumns = map[checkpoints.ID]i18n.Msg{
	"qos-levels":         i18n.BoardColQoS,
	"persistent-session": i18n.BoardColPersistent,
	"duplicates":         i18n.BoardColDuplicates,
	"retries":            i18n.BoardColRetries,
	"qos-choice":         i18n.BoardColChoice,
}

// boardBatch is how long the board gathers reports before it redraws: a
// table of 300 rows takes longer to redraw than 300 reports take to come.
const boardBatch = 100 * time.Millisecond

// teacherPage is the board: one row per learner of the room, one column
// per checkpoint, updated as the learners' reports arrive over its own MQTT
// connection (the gateway lets it read the room's progress topics because
// the browser sends the teacher's session cookie with it).
type teacherPage struct {
	app.Compo
	lang  i18n.Lang
	room  string
	order board.Order
	b     board.Board
	state client.State
	err   error
	now   time.Time

	cl   *client.Client
	stop chan struct{}

	offer      board.OfferState // the room's offer (retained)
	offerLink  string           // as typed
	offerBad   bool             // the typed link is not a page of the playground
	confirming bool             // "clear the room" asked: the in-page confirmation is shown
	sendErr    error            // the last offer, withdrawal or clearing that failed
	inbox      board.Batch      // reports arriving together: applied in one dispatch, one redraw
}

func newTeacherPage() *teacherPage {
	return &teacherPage{order: board.ByName, state: client.Disconnected, now: time.Now()}
}

func (p *teacherPage) OnMount(ctx app.Context) {
	observeLang(ctx, &p.lang)
	p.room, _ = classroom.NormalizeRoom(app.Window().URL().Query().Get(classroom.RoomParam))
	if p.room == "" || app.Getenv(EnvTeacher) != "1" {
		return
	}
	p.stop = make(chan struct{})
	stop := p.stop
	ctx.Async(func() {
		t := time.NewTicker(10 * time.Second) // idle learners
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case now := <-t.C:
				ctx.Dispatch(func(app.Context) { p.now = now })
			}
		}
	})
	u, err := url.Parse(transport.BrokerURL(app.Window().URL()))
	if err != nil {
		p.err = err
		return
	}
	u.RawQuery = url.Values{classroom.TeacherParam: {"1"}, classroom.RoomParam: {p.room}}.Encode()
	cl, err := client.New(client.Options{
		URL: u.String(), ClientID: classroom.TeacherIDPrefix + randomSuffix() + randomSuffix(),
		CleanSession: true, AutoReconnect: true, ReconnectMax: 10 * time.Second,
	}, func(ev client.Event) { p.onEvent(ctx, ev) })
	if err != nil {
		p.err = err
		return
	}
	p.cl = cl
	p.state = client.Connecting
	ctx.Async(func() {
		_, err := cl.Connect()
		if err == nil {
			_, err = cl.Subscribe("progress/+", 1)
		}
		if err == nil {
			_, err = cl.Subscribe("offer", 1)
		}
		ctx.Dispatch(func(app.Context) {
			p.err = err
			if err == nil {
				p.state = client.Connected
			}
		})
	})
}

func (p *teacherPage) OnDismount() {
	if p.stop != nil {
		close(p.stop)
	}
	if p.cl != nil {
		go p.cl.Disconnect()
	}
}

// onEvent runs on paho's goroutine: it queues reports for the UI
// goroutine and returns at once.
func (p *teacherPage) onEvent(ctx app.Context, ev client.Event) {
	switch ev.Kind {
	case client.EventMessage:
		if p.inbox.Add(board.Message{Topic: ev.Message.Topic, Payload: ev.Message.Payload}) {
			// Reports come in bursts (a class that just ran the same
			// experiment): gather a burst's for a moment and redraw the
			// table once, rather than once per message.
			time.AfterFunc(boardBatch, func() { ctx.Dispatch(p.applyQueue) })
		}
	case client.EventState:
		cl := p.cl
		ctx.Dispatch(func(app.Context) { p.state, p.err = ev.State, ev.Err })
		if ev.State == client.Connected && cl != nil {
			// An automatic reconnection: clean session, so subscribe
			// again (the retained reports come back with it).
			go func() {
				cl.Subscribe("progress/+", 1)
				cl.Subscribe("offer", 1)
			}()
		}
	}
}

func (p *teacherPage) applyQueue(ctx app.Context) {
	p.offer = p.b.ApplyAll(p.inbox.Take(), p.offer, offerPages())
	p.now = time.Now()
}

// publish sends a retained message of the teacher's connection in the
// background and shows a failure.
func (p *teacherPage) publish(ctx app.Context, topics []string, payload []byte) {
	cl := p.cl
	if cl == nil {
		return
	}
	p.sendErr = nil
	ctx.Async(func() {
		var err error
		for _, t := range topics {
			if err = cl.Publish(t, payload, 1, true); err != nil {
				break
			}
		}
		ctx.Dispatch(func(app.Context) { p.sendErr = err })
	})
}

func (p *teacherPage) onOfferSend(ctx app.Context, e app.Event) {
	e.PreventDefault()
	link, err := board.CleanLink(p.offerLink, offerPages())
	p.offerBad = err != nil
	if err != nil {
		return
	}
	p.offerLink = link
	p.publish(ctx, []string{"offer"}, board.Offer{Link: link, At: time.Now()}.Encode())
}

func (p *teacherPage) onOfferWithdraw(ctx app.Context, e app.Event) {
	p.publish(ctx, []string{"offer"}, nil)
}

// onCSV downloads the board as CSV, in the order shown.
func (p *teacherPage) onCSV(ctx app.Context, e app.Event) {
	data := p.b.CSV(p.order, time.Now())
	blob := app.Window().Get("Blob").New([]any{string(data)}, map[string]any{"type": "text/csv;charset=utf-8"})
	href := app.Window().Get("URL").Call("createObjectURL", blob)
	a := app.Window().Get("document").Call("createElement", "a")
	a.Set("href", href)
	a.Set("download", "board-"+p.room+"-"+time.Now().Format("20060102-1504")+".csv")
	a.Call("click")
	ctx.After(time.Minute, func(app.Context) { app.Window().Get("URL").Call("revokeObjectURL", href) })
}

// onClear asks before clearing, in the page (see checklist.onReset).
func (p *teacherPage) onClear(ctx app.Context, e app.Event) {
	p.confirming = true
	focusSoon(ctx, "clear-cancel")
}

// onClearYes removes every learner's retained progress: an empty retained
// message on each row's topic. A learner still working comes back with
// its next change.
func (p *teacherPage) onClearYes(ctx app.Context, e app.Event) {
	p.confirming = false
	var topics []string
	for _, tab := range p.b.Tabs() {
		topics = append(topics, "progress/"+tab)
	}
	p.publish(ctx, topics, nil)
	focusSoon(ctx, "board-clear")
}

func (p *teacherPage) onClearCancel(ctx app.Context, e app.Event) {
	p.confirming = false
	focusSoon(ctx, "board-clear")
}

// onOrder reads the order from the select itself.
func (p *teacherPage) onOrder(ctx app.Context, e app.Event) {
	p.order = board.Order(ctx.JSSrc().Get("value").String())
}

func (p *teacherPage) Render() app.UI {
	l := p.lang
	return app.Div().Class("page", "teacher-page").Body(
		app.Header().Class("top").Body(
			app.Div().Class("title").Body(
				app.H1().Text(i18n.BoardTitle.In(l)),
				app.P().Class("tagline").Text(i18n.BoardTagline.In(l)),
			),
			langSwitch(l),
			app.Form().Class("board-room").Method("get").Action(teacherPath).Body(
				app.Label().For("board-room").Text(i18n.ClassroomCodeLabel.In(l)),
				app.Input().ID("board-room").Name(classroom.RoomParam).Type("text").Attr("autocomplete", "off").
					Attr("maxlength", classroom.MaxRoomLength).Value(p.room),
				app.Input().Type("hidden").Name("lang").Value(string(l)),
				app.Button().Type("submit").Text(i18n.BoardShowRoom.In(l)),
			),
			app.Form().Class("board-signout").Method("post").Action(teacherPath+"/signout").Body(
				app.Button().ID("board-signout").Type("submit").Class("small").Text(i18n.BoardSignOut.In(l)),
			),
		),
		app.Main().Body(p.body(l)),
	)
}

func (p *teacherPage) body(l i18n.Lang) app.UI {
	if app.IsClient && app.Getenv(EnvTeacher) != "1" {
		return app.P().ID("board-off").Text(i18n.BoardOff.In(l))
	}
	if p.room == "" {
		return app.P().ID("board-no-room").Text(i18n.BoardNoRoom.In(l))
	}
	rows := p.b.Rows(p.order)
	counts := p.b.Counts()
	idle := p.b.IdleCount(p.now)
	status := i18n.T(l, i18n.BoardStatus, p.room, len(rows), idle)
	return app.Div().Body(p.boardCard(l, rows, counts, idle, status), p.task1Card(l), p.offerCard(l))
}

// task1Card is the class's Task 1 choices per stream against the
// recommended QoS: a table per system, a bar per QoS, the recommended one
// marked.
func (p *teacherPage) task1Card(l i18n.Lang) app.UI {
	tally := p.b.Task1Tally()
	var groups [][]board.StreamTally // by scenario, in Task 1's order
	for i, s := range tally {
		if i == 0 || tally[i-1].Scenario != s.Scenario {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], s)
	}
	return app.Section().ID("task1-chart").Class("card", "wide").Aria("labelledby", "task1-chart-h").Body(
		app.H2().ID("task1-chart-h").Text(i18n.BoardTask1Heading.In(l)),
		app.If(len(tally) == 0, app.P().Class("help").Text(i18n.BoardTask1None.In(l))),
		app.Range(groups).Slice(func(g int) app.UI {
			streams := groups[g]
			// A region the keyboard can scroll: on a phone the table is
			// wider than the window.
			return app.Div().Class("table-wrap", "board-wrap").TabIndex(0).Attr("role", "region").
				Aria("label", task1.ScenarioName(streams[0].Scenario).In(l)).Body(
				app.Table().Class("results", "task1-chart").Attr("data-scenario", streams[0].Scenario).Body(
					app.Caption().Text(task1.ScenarioName(streams[0].Scenario).In(l)),
					app.THead().Body(app.Tr().Body(
						app.Th().Scope("col").Text(i18n.ColStream.In(l)),
						app.Th().Scope("col").Text("QoS 0"),
						app.Th().Scope("col").Text("QoS 1"),
						app.Th().Scope("col").Text("QoS 2"),
					)),
					app.TBody().Body(app.Range(streams).Slice(func(i int) app.UI {
						return task1TallyRow(l, streams[i])
					})),
				),
			)
		}),
		app.If(len(tally) > 0, app.P().Class("help").Text(i18n.BoardTask1Legend.In(l))),
	)
}

// task1TallyRow is one stream: how many learners chose each QoS, as a
// number and a bar, the recommended QoS marked.
func task1TallyRow(l i18n.Lang, s board.StreamTally) app.UI {
	total := s.Counts[0] + s.Counts[1] + s.Counts[2]
	return app.Tr().Attr("data-stream", s.Stream).Body(
		app.Th().Scope("row").Text(task1.StreamName(s.Stream).In(l)),
		app.Range(s.Counts[:]).Slice(func(q int) app.UI {
			n := s.Counts[q]
			pct := 0
			if total > 0 {
				pct = 100 * n / total
			}
			rec := byte(q) == s.Recommended
			label := strconv.Itoa(n)
			if rec {
				label += " ★"
			}
			return app.Td().Class("bar").Attr("data-qos", strconv.Itoa(q)).Attr("data-count", strconv.Itoa(n)).Attr("data-recommended", strconv.FormatBool(rec)).Body(
				app.Span().Class("bar-label").Text(label),
				app.If(rec, app.Span().Class("visually-hidden").Text(" "+i18n.BoardTask1Recommended.In(l))),
				app.Span().Class("bar-track").Aria("hidden", "true").Body(
					app.Span().Class("bar-fill").Style("width", strconv.Itoa(pct)+"%"),
				),
			)
		}),
	)
}

// offerCard sends the room an experiment, and shows the one out.
func (p *teacherPage) offerCard(l i18n.Lang) app.UI {
	current := i18n.OfferNone.In(l)
	if p.offer.OK {
		current = i18n.T(l, i18n.OfferCurrent, p.offer.Offer.Link)
	}
	return app.Section().ID("offer-card").Class("card", "wide").Aria("labelledby", "offer-h").Body(
		app.H2().ID("offer-h").Text(i18n.OfferHeading.In(l)),
		app.P().Class("help").Text(i18n.OfferHelp.In(l)),
		app.Form().ID("offer-form").Attr("novalidate", true).OnSubmit(p.onOfferSend).Body(
			app.Label().For("offer-link").Text(i18n.OfferLinkLabel.In(l)),
			app.Input().ID("offer-link").Type("text").Attr("autocomplete", "off").Attr("spellcheck", "false").
				Aria("invalid", strconv.FormatBool(p.offerBad)).Aria("describedby", "offer-link-error").
				Value(p.offerLink).OnInput(p.ValueTo(&p.offerLink)),
			app.P().ID("offer-link-error").Class("error").Hidden(!p.offerBad).Text(i18n.OfferBadLink.In(l)),
			app.Button().ID("offer-send").Type("submit").Class("primary").Disabled(p.cl == nil).Text(i18n.OfferSend.In(l)),
		),
		app.P().ID("offer-current").Attr("data-link", p.offer.Offer.Link).Body(
			app.Text(current+" "),
			app.If(p.offer.OK, app.Button().ID("offer-withdraw").Type("button").Class("small").OnClick(p.onOfferWithdraw).Text(i18n.OfferWithdraw.In(l))),
		),
	)
}

// boardCard is the table of the room's learners and its tools.
func (p *teacherPage) boardCard(l i18n.Lang, rows []board.Row, counts map[checkpoints.ID]int, idle int, status string) app.UI {
	return app.Section().ID("board-card").Class("card", "wide").Aria("labelledby", "board-h").Body(
		app.H2().ID("board-h").Text(i18n.T(l, i18n.BoardRoomHeading, p.room)),
		app.P().ID("board-status").Attr("role", "status").Attr("data-state", string(p.state)).Body(
			app.Text(status+" · "+connText(l, p.state)),
			app.If(p.err != nil, app.Span().Class("error").Text(" "+errText(l, p.err))),
		),
		app.Div().Class("board-tools").Body(
			app.Label().For("board-order").Text(i18n.BoardOrder.In(l)),
			app.Select().ID("board-order").OnChange(p.onOrder).Body(
				app.Option().Value(string(board.ByName)).Selected(p.order == board.ByName).Text(i18n.BoardByName.In(l)),
				app.Option().Value(string(board.ByProgress)).Selected(p.order == board.ByProgress).Text(i18n.BoardByProgress.In(l)),
				app.Option().Value(string(board.ByActivity)).Selected(p.order == board.ByActivity).Text(i18n.BoardByActivity.In(l)),
			),
		),
		app.Div().Class("buttons").Body(
			app.Button().ID("board-csv").Type("button").Class("small").Disabled(len(rows) == 0).OnClick(p.onCSV).Text(i18n.BoardCSV.In(l)),
			app.Button().ID("board-clear").Type("button").Class("small").Disabled(len(rows) == 0 || p.confirming).
				Aria("expanded", strconv.FormatBool(p.confirming)).Aria("controls", "clear-confirm").OnClick(p.onClear).Text(i18n.BoardClear.In(l)),
		),
		app.Div().ID("clear-confirm").Class("confirm").Attr("role", "alertdialog").Aria("labelledby", "clear-ask").Hidden(!p.confirming).Body(
			app.P().ID("clear-ask").Text(i18n.T(l, i18n.BoardClearAsk, len(rows), p.room)),
			app.Div().Class("buttons").Body(
				app.Button().ID("clear-yes").Type("button").Class("small", "danger").OnClick(p.onClearYes).Text(i18n.BoardClearYes.In(l)),
				app.Button().ID("clear-cancel").Type("button").Class("small").OnClick(p.onClearCancel).Text(i18n.CheckResetCancel.In(l)),
			),
		),
		app.If(p.sendErr != nil, app.P().ID("board-send-error").Class("error").Attr("role", "alert").Text(errText(l, p.sendErr))),
		app.If(len(rows) == 0, app.P().ID("board-empty").Class("help").Text(i18n.T(l, i18n.BoardEmpty, p.room))),
		app.Div().Class("table-wrap", "board-wrap").TabIndex(0).Attr("role", "region").
			Aria("label", i18n.T(l, i18n.BoardRoomHeading, p.room)).Body(
			app.Table().ID("board").Class("results", "board").Attr("data-rows", strconv.Itoa(len(rows))).Body(
				app.Caption().Class("visually-hidden").Text(i18n.T(l, i18n.BoardRoomHeading, p.room)),
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text(i18n.BoardLearner.In(l)),
					app.Range(checkpoints.All).Slice(func(i int) app.UI {
						c := checkpoints.All[i]
						return app.Th().Scope("col").Class("cp").Title(checkpointText[c.ID][0].In(l)).Text(boardColumns[c.ID].In(l))
					}),
					app.Th().Scope("col").Text(i18n.BoardPage.In(l)),
					app.Th().Scope("col").Text(i18n.BoardLast.In(l)),
					app.Th().Scope("col").Text(i18n.BoardActivity.In(l)),
				)),
				app.TBody().Body(
					app.Range(rows).Slice(func(i int) app.UI { return p.row(l, rows[i]) }),
				),
				app.TFoot().Body(app.Tr().Body(
					app.Th().Scope("row").Text(i18n.BoardCounts.In(l)),
					app.Range(checkpoints.All).Slice(func(i int) app.UI {
						id := checkpoints.All[i].ID
						return app.Td().Class("num").Attr("data-count-for", string(id)).Text(strconv.Itoa(counts[id]) + " / " + strconv.Itoa(len(rows)))
					}),
					app.Td().ColSpan(3).Text(i18n.T(l, i18n.BoardIdleCount, idle)),
				)),
			),
		),
	)
}

// row is one learner: the name (or the tab id), a mark per checkpoint,
// the page, the last experiment and how long ago the learner last moved.
func (p *teacherPage) row(l i18n.Lang, r board.Row) app.UI {
	name := r.Name
	if name == "" {
		name = i18n.T(l, i18n.BoardNoName, r.Tab[:min(6, len(r.Tab))])
	}
	idle := r.Idle(p.now)
	ago := int(p.now.Sub(r.At).Minutes())
	activity := i18n.T(l, i18n.BoardAgo, max(ago, 0))
	if idle {
		activity = i18n.T(l, i18n.BoardIdleFor, ago)
	}
	tr := app.Tr().Attr("data-tab", r.Tab).Attr("data-idle", strconv.FormatBool(idle))
	if idle {
		tr = tr.Class("idle")
	}
	return tr.Body(
		app.Th().Scope("row").Title(r.Tab).Text(name),
		app.Range(checkpoints.All).Slice(func(i int) app.UI {
			id := checkpoints.All[i].ID
			done := r.Has(id)
			mark, state := "—", i18n.CheckTodo
			if done {
				mark, state = "☑", i18n.CheckDoneState
			}
			return app.Td().Class("cp").Attr("data-checkpoint", string(id)).Attr("data-done", strconv.FormatBool(done)).Body(
				app.Span().Aria("hidden", "true").Text(mark),
				app.Span().Class("visually-hidden").Text(state.In(l)),
			)
		}),
		app.Td().Text(pageName(l, r.Page)),
		app.Td().Class("result").Text(lastText(l, r.Last)),
		app.Td().Text(activity),
	)
}

// pageName is a page's name in the navigation, or its path.
func pageName(l i18n.Lang, path string) string {
	for _, it := range navItems {
		if it.Path == path {
			return it.Label.In(l)
		}
	}
	return path
}

// connText is the board connection's state in words.
func connText(l i18n.Lang, s client.State) string {
	switch s {
	case client.Connected:
		return i18n.BoardLive.In(l)
	case client.Connecting, client.Reconnecting:
		return i18n.BoardConnecting.In(l)
	}
	return i18n.BoardOffline.In(l)
}

// lastText says a learner's last experiment in the teacher's language; a
// text the board cannot read back is shown as it came.
func lastText(l i18n.Lang, last string) string {
	e := board.ParseLast(last)
	switch e.Kind {
	case "task1":
		verdicts := map[task1.Verdict]i18n.Msg{task1.VerdictFits: i18n.BoardVerdictFits, task1.VerdictCanLose: i18n.BoardVerdictLose,
			task1.VerdictCanDouble: i18n.BoardVerdictDup, task1.VerdictCostly: i18n.BoardVerdictCost}
		parts := make([]string, len(e.Streams))
		for i, s := range e.Streams {
			parts[i] = tr(l, i18n.BoardLastStream, task1.StreamName(s.Stream).In(l), int(s.QoS), verdicts[s.Verdict].In(l))
		}
		sep := ", "
		if l == i18n.JA {
			sep = "、"
		}
		return tr(l, i18n.BoardLastTask1, task1.ScenarioName(e.Scenario).In(l), strings.Join(parts, sep))
	case "lesson":
		return tr(l, i18n.BoardLastLesson, int(e.QoS), e.Received, e.Duplicates, e.Processed)
	}
	return last
}
