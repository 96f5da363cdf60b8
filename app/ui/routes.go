// Package ui holds the playground's go-app components and its routes.
//
// Components are thin views: the MQTT client, topic rules and (later) the
// lab live in packages that import neither go-app nor syscall/js. A paho
// callback never touches a component field: events come back to the UI
// goroutine through ctx.Dispatch.
package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Routes registers every page of the learners. The learners' wasm calls it
// so the tab can route, and the server so it can pre-render the same pages
// (the teacher's board is TeacherRoute, in a wasm of its own).
func Routes() {
	app.RouteFunc("/", func() app.Composer { return newPlayground() })
	app.RouteFunc("/lab/publisher", func() app.Composer { return newPublisherPage() })
	app.RouteFunc("/lab/subscriber", func() app.Composer { return newSubscriberPage() })
	app.RouteFunc("/lab/integration", func() app.Composer { return newIntegrationPage() })
	app.RouteFunc("/lab/task1", func() app.Composer { return newTask1Page() })
	app.RouteFunc("/lab/faults", func() app.Composer { return newFaultsPage() })
}

// Pages are the paths of the pages Routes registers.
var Pages = []string{"/", "/lab/publisher", "/lab/subscriber", "/lab/integration", "/lab/task1", "/lab/faults"}
