package ui

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/i18n"
)

// updateNotice tells the learner that a new version of the app is ready and
// offers to reload into it.
//
// The installed app starts from the service worker's cache, so after the
// server is upgraded a tab first runs the old wasm while the worker fetches
// the new one in the background. Once the worker holds the new version, a
// reload runs it; until then the old one is all there is. The notice
// appears as soon as the new version is ready, whichever of two signals
// comes first:
//
//   - go-app calls OnAppUpdate when the new worker is installed, but only
//     if the wasm is already running: a fast install before the wasm has
//     started is never reported;
//   - so the notice also asks the worker that controls the tab which
//     version it holds (a message the server adds to go-app's worker, see
//     server/pwa.go) on mount and whenever the controlling worker changes,
//     and compares it with the version this tab was started from.
//
// It is a live region (role="status") present from the start, so screen
// readers announce the text when it appears; it sits fixed at the bottom of
// the window and takes no room while empty. "Later" puts it away for this
// page: a learner in the middle of a run finishes it first.
type updateNotice struct {
	app.Compo
	lang      i18n.Lang
	ready     bool
	dismissed bool
	stop      func() // removes the worker listeners
}

func newUpdateNotice() *updateNotice { return &updateNotice{lang: firstLang()} }

// OnPreRender draws the server's pre-render in the request's language.
func (n *updateNotice) OnPreRender(ctx app.Context) { n.lang = preRenderLang(ctx) }

func (n *updateNotice) OnMount(ctx app.Context) {
	observeLang(ctx, &n.lang)
	n.ready = n.ready || ctx.AppUpdateAvailable()
	if app.IsClient && !n.ready {
		n.stop = watchWorker(app.Getenv("GOAPP_VERSION"), func() {
			ctx.Dispatch(func(app.Context) { n.ready = true })
		})
	}
}

func (n *updateNotice) OnDismount() {
	if n.stop != nil {
		n.stop()
		n.stop = nil
	}
}

// OnAppUpdate is go-app's signal: a new version is installed.
func (n *updateNotice) OnAppUpdate(ctx app.Context) { n.ready = true }

func (n *updateNotice) Render() app.UI {
	box := app.Div().ID("update-notice").Attr("role", "status").
		Style("position", "fixed").Style("left", "0").Style("right", "0").Style("bottom", "0").
		Style("z-index", "1000").Style("display", "flex").Style("justify-content", "center").
		Style("pointer-events", "none")
	if !n.ready || n.dismissed {
		return box
	}
	return box.Body(
		app.Div().
			Style("pointer-events", "auto").Style("margin", "12px").Style("max-width", "720px").
			Style("display", "flex").Style("flex-wrap", "wrap").Style("align-items", "center").Style("gap", "8px 16px").
			Style("padding", "10px 16px").Style("border-radius", "8px").
			Style("background", "var(--accent, #1f4e79)").Style("color", "#fff").
			Style("box-shadow", "0 4px 16px rgba(0, 0, 0, 0.3)").
			Body(
				app.P().Style("margin", "0").Style("flex", "1 1 240px").Style("font-weight", "600").
					Text(i18n.UpdateReady.In(n.lang)),
				app.Button().ID("update-reload").Type("button").
					Style("background", "#ffc857").Style("color", "#1b1f23").Style("border-color", "#ffc857").
					OnClick(func(ctx app.Context, e app.Event) { ctx.Reload() }).
					Text(i18n.UpdateReload.In(n.lang)),
				app.Button().ID("update-later").Type("button").
					Style("background", "transparent").Style("color", "#fff").Style("border-color", "#fff").
					OnClick(func(ctx app.Context, e app.Event) { n.dismissed = true }).
					Text(i18n.UpdateLater.In(n.lang)),
			),
	)
}

// watchWorker calls newer when the service worker controlling the tab
// holds a version other than mine, and returns a function that stops
// watching. newer may be called more than once.
func watchWorker(mine string, newer func()) (stop func()) {
	sw := app.Window().Get("navigator").Get("serviceWorker")
	if !sw.Truthy() || mine == "" {
		return func() {}
	}
	onMessage := app.FuncOf(func(this app.Value, args []app.Value) any {
		if len(args) == 0 {
			return nil
		}
		data := args[0].Get("data")
		if data.Type() != app.TypeObject {
			return nil
		}
		if v := data.Get("qosPlaygroundVersion"); v.Type() == app.TypeString && v.String() != "?" && v.String() != mine {
			newer()
		}
		return nil
	})
	ask := func() {
		if c := sw.Get("controller"); c.Truthy() {
			c.Call("postMessage", map[string]any{"qosPlaygroundVersion": "?"})
		}
	}
	onControllerChange := app.FuncOf(func(app.Value, []app.Value) any {
		ask()
		return nil
	})
	sw.Call("addEventListener", "message", onMessage)
	sw.Call("addEventListener", "controllerchange", onControllerChange)
	sw.Call("startMessages")
	ask()
	return func() {
		sw.Call("removeEventListener", "message", onMessage)
		sw.Call("removeEventListener", "controllerchange", onControllerChange)
		onMessage.Release()
		onControllerChange.Release()
	}
}
