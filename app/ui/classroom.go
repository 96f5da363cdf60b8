package ui

import (
	"net/url"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/board"
	"qosplayground/app/checkpoints"
	"qosplayground/app/classroom"
	"qosplayground/app/i18n"
	"qosplayground/app/tabbroker"
)

// EnvClassroom names the go-app environment variable in which the server
// says it runs a classroom (-classroom): "1", or unset.
const EnvClassroom = "QOS_CLASSROOM"

// sessionStorage keys of the tab's classroom identity. sessionStorage is
// per tab and survives a reload, which is what a learner token must do: a
// reload keeps the tab's client ids, so its persistent sessions, and its
// room; another tab, or the same page opened again, is another learner.
const (
	storageToken = "qos-classroom-learner"
	storageRoom  = "qos-classroom-room"
)

// classroomMode reports whether the server keeps learners apart: the tab
// then sends its learner token and room with every connection and builds
// its client ids with its prefix (package qosplayground/app/classroom).
func classroomMode() bool { return app.IsClient && app.Getenv(EnvClassroom) == "1" }

var (
	learnerOnce sync.Once
	learner     struct {
		token       string
		room        string // normalized; "" for the tab's own room
		badLinkRoom string // a ?room= of the page's link that is not a code
	}
)

// learnerState reads (or makes) the tab's token and room, once per tab
// load. A ?room= in the page's link wins over the stored room, so that a
// teacher's link puts the tab in that room.
func learnerState() {
	learnerOnce.Do(func() {
		learner.token = sessionGet(storageToken)
		if classroom.CheckToken(learner.token) != nil {
			learner.token = classroom.NewToken()
			sessionSet(storageToken, learner.token)
		}
		learner.room, _ = classroom.NormalizeRoom(sessionGet(storageRoom))
		if q := app.Window().URL().Query(); q.Has(classroom.RoomParam) {
			room, err := classroom.NormalizeRoom(q.Get(classroom.RoomParam))
			if err != nil {
				learner.badLinkRoom = q.Get(classroom.RoomParam)
			}
			learner.room = room
			sessionSet(storageRoom, room)
		}
	})
}

// classroomIDPrefix is tabID in classroom mode: the prefix the gateway
// requires of every client id of this tab.
func classroomIDPrefix() string {
	learnerState()
	return classroom.IDPrefix(learner.token)
}

// classroomURL adds the learner token and room to the /mqtt URL base in
// classroom mode, and returns base unchanged otherwise, or when base is not
// this server's (the token goes to no one else).
func classroomURL(base string) string {
	if !classroomMode() {
		return base
	}
	learnerState()
	return classroom.BrokerURL(base, app.Window().URL().Host, learner.token, learner.room)
}

// sessionGet reads a sessionStorage item, "" when absent or when the
// browser refuses the storage (a sandboxed iframe throws on access: the
// tab then gets a fresh identity at each load, and still works).
func sessionGet(key string) (v string) {
	defer func() {
		if recover() != nil {
			v = ""
		}
	}()
	r := app.Window().Get("sessionStorage").Call("getItem", key)
	if r.IsNull() || r.IsUndefined() {
		return ""
	}
	return r.String()
}

// sessionSet writes a sessionStorage item ("" removes it), if the browser
// lets it.
func sessionSet(key, value string) {
	defer func() { recover() }()
	s := app.Window().Get("sessionStorage")
	if value == "" {
		s.Call("removeItem", key)
		return
	}
	s.Call("setItem", key, value)
}

// classroomBadge shows, in classroom mode, which room the tab is in and
// lets the learner join a room by its code or go back to their own. A
// change reloads the page: every page reads the room when it connects, and
// a connection open in the old room must not stay.
type classroomBadge struct {
	app.Compo
	lang  i18n.Lang
	code  string // as typed
	bad   bool   // the typed code is not a room code
	name  string // the display name for the teacher's board, as typed
	saved bool   // the name was just saved

	progress checkpoints.Progress // observed, to report it to the board
	offer    board.Offer          // the teacher's offer shown, if offerOK
	offerOK  bool
	broker   tabbroker.Broker // the board listens on the server's broker only
}

func newClassroomBadge() *classroomBadge { return &classroomBadge{lang: firstLang()} }

// OnPreRender draws the server's pre-render in the request's language.
func (c *classroomBadge) OnPreRender(ctx app.Context) { c.lang = preRenderLang(ctx) }

func (c *classroomBadge) OnMount(ctx app.Context) {
	observeLang(ctx, &c.lang)
	observeBroker(ctx, &c.broker, nil)
	if classroomMode() {
		learnerState()
		c.code = learner.room
	}
	if boardReporting(c.broker) {
		// The badge is on every page: it tells the teacher's board the
		// page and each new checkpoint.
		c.name = sessionGet(storageName)
		ctx.ObserveState(stateProgress).OnChange(func() { sendReport(ctx) }).Value(&c.progress)
		offers.mu.Lock()
		offers.listener = func() {
			ctx.Dispatch(func(app.Context) { c.offer, c.offerOK = currentOffer() })
		}
		offers.mu.Unlock()
		c.offer, c.offerOK = currentOffer()
		sendReport(ctx)
	}
}

// onOfferOpen opens the teacher's offer: the learner's click, never the
// page by itself. A whole load, so that the page reads the offer's
// settings as from any link.
func (c *classroomBadge) onOfferOpen(ctx app.Context, e app.Event) {
	sessionSet(storageOfferDone, c.offer.ID())
	app.Window().Get("location").Call("assign", c.offer.Link)
}

func (c *classroomBadge) onOfferDismiss(ctx app.Context, e app.Event) {
	sessionSet(storageOfferDone, c.offer.ID())
	c.offerOK = false
}

// onName saves the display name the teacher's board shows.
func (c *classroomBadge) onName(ctx app.Context, e app.Event) {
	e.PreventDefault()
	sessionSet(storageName, board.NewReport(c.name, "/", checkpoints.Progress{}, "", time.Time{}).Name)
	c.name = sessionGet(storageName)
	c.saved = true
	sendReport(ctx)
}

func (c *classroomBadge) Render() app.UI {
	if !classroomMode() {
		return app.Span().ID("classroom").Hidden(true)
	}
	learnerState() // Render may come before OnMount
	l := c.lang
	room := i18n.ClassroomPrivate.In(l)
	if learner.room != "" {
		room = learner.room
	}
	return app.Div().ID("classroom").Class("classroom").Attr("data-room", learner.room).Body(
		app.Details().Body(
			app.Summary().ID("classroom-room").Text(i18n.T(l, i18n.ClassroomRoomIs, room)),
			app.P().Class("help").Text(i18n.ClassroomHelp.In(l)),
			app.Form().OnSubmit(c.onJoin).Body(
				app.Label().For("room-code").Text(i18n.ClassroomCodeLabel.In(l)),
				app.Input().ID("room-code").Type("text").Attr("autocomplete", "off").
					Attr("maxlength", classroom.MaxRoomLength).Value(c.code).OnInput(c.ValueTo(&c.code)),
				app.Button().ID("room-join").Type("submit").Text(i18n.ClassroomJoin.In(l)),
				app.If(learner.room != "",
					app.Button().ID("room-leave").Type("button").OnClick(c.onLeave).Text(i18n.ClassroomLeave.In(l)),
				),
			),
			app.P().ID("room-error").Class("error").Attr("role", "alert").Hidden(!c.bad).Text(i18n.ClassroomBadCode.In(l)),
			app.If(boardReporting(c.broker),
				app.Form().ID("board-name-form").OnSubmit(c.onName).Body(
					app.P().Class("help").Text(i18n.BoardSeesHelp.In(l)),
					app.Label().For("board-name").Text(i18n.BoardNameLabel.In(l)),
					app.Input().ID("board-name").Type("text").Attr("autocomplete", "off").
						Attr("maxlength", board.MaxName).Value(c.name).OnInput(c.ValueTo(&c.name)),
					app.Button().ID("board-name-save").Type("submit").Text(i18n.BoardNameSave.In(l)),
					app.Span().ID("board-name-saved").Attr("role", "status").Text(func() string {
						if c.saved {
							return i18n.BoardNameSaved.In(l)
						}
						return ""
					}()),
				),
			),
		),
		app.If(c.offerOK, c.offerBanner(l)),
		app.If(learner.badLinkRoom != "",
			app.P().Class("error").Attr("role", "alert").Text(i18n.T(l, i18n.ClassroomBadLinkRoom, learner.badLinkRoom)),
		),
	)
}

func (c *classroomBadge) onJoin(ctx app.Context, e app.Event) {
	e.PreventDefault()
	room, err := classroom.NormalizeRoom(c.code)
	if err != nil {
		c.bad = true
		return
	}
	enterRoom(room)
}

func (c *classroomBadge) onLeave(ctx app.Context, e app.Event) { enterRoom("") }

// enterRoom stores the room, puts it in the page's link (so the address
// bar can be shared, and a reload keeps it) and reloads the page.
func enterRoom(room string) {
	sessionSet(storageRoom, room)
	u := *app.Window().URL()
	q := u.Query()
	if room == "" {
		q.Del(classroom.RoomParam)
	} else {
		q.Set(classroom.RoomParam, room)
	}
	u.RawQuery = q.Encode()
	app.Window().Get("location").Call("replace", u.String())
}

// playgroundID is the playground's client id: its tab's prefix in
// classroom mode, where the gateway refuses any other.
func playgroundID() string {
	if classroomMode() {
		return tabID() + "playground"
	}
	return "playground-" + randomSuffix()
}

// noticeLog turns a text message from the gateway into a line of the
// activity log, in the learner's language.
func noticeLog(raw string) (i18n.Msg, []any) {
	n, err := classroom.ParseNotice([]byte(raw))
	if err != nil {
		return i18n.LogServerNotice, []any{raw}
	}
	var reason any
	switch n.Reason {
	case classroom.ReasonDollar:
		reason = i18n.ClassroomReasonDollar
	case classroom.ReasonTooLong:
		reason = i18n.ClassroomReasonTooLong
	case classroom.ReasonClientID:
		reason = phraseOf(i18n.ClassroomReasonClientID, tabID())
	case classroom.ReasonInvalid:
		reason = i18n.ClassroomReasonInvalid
	default:
		reason = n.Detail
	}
	switch n.Kind {
	case classroom.KindDropped:
		return i18n.LogClassroomDropped, []any{n.Topic, reason}
	case classroom.KindRefusedFilter:
		return i18n.LogClassroomFilter, []any{n.Topic, reason}
	}
	return i18n.LogClassroomConnect, []any{n.Topic, reason}
}

// offerBanner is the teacher's suggestion, with open and dismiss.
func (c *classroomBadge) offerBanner(l i18n.Lang) app.UI {
	return app.Div().ID("offer-banner").Class("offer").Attr("role", "status").Attr("data-link", c.offer.Link).Body(
		app.Span().Text(i18n.T(l, i18n.OfferBanner, offerTitle(l, c.offer.Link))),
		app.Button().ID("offer-open").Type("button").Class("small", "primary").OnClick(c.onOfferOpen).Text(i18n.OfferOpen.In(l)),
		app.Button().ID("offer-dismiss").Type("button").Class("small").OnClick(c.onOfferDismiss).Text(i18n.OfferDismiss.In(l)),
	)
}

// offerTitle names an offer's page, and its settings when it has some.
func offerTitle(l i18n.Lang, link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	name := pageName(l, u.Path)
	if u.RawQuery != "" {
		name += " (" + u.RawQuery + ")"
	}
	return name
}
