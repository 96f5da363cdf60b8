// Command teacher is the teacher's board in the browser (GOOS=js
// GOARCH=wasm, built into web/teacher.wasm): the page /teacher only, which
// the server serves with -teacher-key-file to a signed-in teacher. The
// learners' app.wasm leaves the board out (43 KB of brotli every learner
// would download for a page only a teacher opens); app.js fetches this
// file instead of app.wasm on /teacher (server/appfilter.go).
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/ui"
)

func main() {
	ui.TeacherRoute()
	app.RunWhenOnBrowser()
}
