// Command wasm is the playground's browser entry point, built with
// GOOS=js GOARCH=wasm into web/app.wasm.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/ui"
)

func main() {
	ui.Routes()
	// The teacher's board: the server serves it only with
	// -teacher-key-file, to a signed-in teacher.
	ui.TeacherRoute()
	// Give the browser its main thread back once between the Go runtime's
	// start (with every package's init) and go-app's first drawing of the
	// page: they were one task of 1 to 1.5 s on a phone profile (make
	// bench, measurement 3), during which the pre-rendered page could not
	// even scroll.
	yieldToBrowser()
	app.RunWhenOnBrowser()
}

// yieldToBrowser returns in a task of the browser's own, after the events
// waiting. A time.Sleep does not do it: the Go runtime returns to the
// browser only when no goroutine can run, and goroutines the packages
// started run on meanwhile, past a short sleep.
func yieldToBrowser() {
	if app.IsServer {
		return
	}
	done := make(chan struct{})
	f := app.FuncOf(func(app.Value, []app.Value) any {
		close(done)
		return nil
	})
	app.Window().Call("setTimeout", f, 0)
	<-done
	f.Release()
}
