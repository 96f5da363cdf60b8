// This file is not part of the qosplayground module: see nohttp_wasm.go.
// It replaces go-app v9.8.0's pkg/app/route.go in the browser build, the
// same router without routes matched by a regular expression.
//
// Why: the router's regexp field keeps regexp's compiler and matcher in
// app.wasm (a *regexp.Regexp can be unmarshalled, so Compile is linked
// too), about 240 KB of code; the playground routes by exact paths only
// (app/ui Routes). RouteWithRegexp and RouteWithRegexpFunc are still
// there, and panic: a regexp route added one day fails at once in every
// browser test instead of silently never matching.

package app

import (
	"reflect"
	"sync"
)

var (
	routes = makeRouter()
)

// Route set the type of component to be mounted when a page is navigated to the
// given path.
func Route(path string, c Composer) {
	RouteFunc(path, newZeroComponentFunc(c))
}

// RouteWithRegexp is not in the playground's browser build (see above).
func RouteWithRegexp(pattern string, c Composer) {
	RouteWithRegexpFunc(pattern, newZeroComponentFunc(c))
}

// RouteFunc set a function that creates the component to be mounted when a page
// is navigated to the given path.
func RouteFunc(path string, newComponent func() Composer) {
	routes.route(path, newComponent)
}

// RouteWithRegexpFunc is not in the playground's browser build (see above).
func RouteWithRegexpFunc(pattern string, newComponent func() Composer) {
	panic("go-app RouteWithRegexp: the playground's app.wasm routes exact paths only (wasm/_goapp/route_wasm.go)")
}

func newZeroComponentFunc(c Composer) func() Composer {
	componentType := reflect.TypeOf(c)

	return func() Composer {
		return reflect.New(componentType.Elem()).Interface().(Composer)
	}
}

type router struct {
	mu     sync.RWMutex
	routes map[string]func() Composer
}

func makeRouter() router {
	return router{
		routes: make(map[string]func() Composer),
	}
}

func (r *router) route(path string, newComponent func() Composer) {
	r.mu.Lock()
	defer r.mu.Unlock()

	r.routes[path] = newComponent
}

func (r *router) createComponent(path string) (Composer, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()

	newComponent, isRouted := r.routes[path]
	if !isRouted {
		return nil, false
	}

	return newComponent(), true
}
