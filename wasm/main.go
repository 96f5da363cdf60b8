// Command wasm is the playground's browser entry point, built with
// GOOS=js GOARCH=wasm into web/app.wasm. The teacher's board is a wasm of
// its own (wasm/teacher), loaded only on its page.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/ui"
)

func main() {
	ui.Routes()
	app.RunWhenOnBrowser()
}
