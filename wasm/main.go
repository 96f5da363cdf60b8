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
	app.RunWhenOnBrowser()
}
