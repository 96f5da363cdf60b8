package ui

import (
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/expconfig"
	"qosplayground/app/i18n"
)

// A link can carry an experiment (package expconfig) and, with autorun=1,
// start it as soon as the page is drawn: a course page places a ready
// experiment in an iframe next to its text. Pages that run something read
// their settings in OnMount with linkQuery and start once with autorun.
// What an autorun does earns no learning checkpoint: a page passes
// checkpoints.ByLink for a run it started by itself, and
// checkpoints.Earned drops that run's facts.

// linkQuery is the query string the page was opened with.
func linkQuery() url.Values { return app.Window().URL().Query() }

// autorun reports whether the link asks for the page's run at once.
func autorun() bool { return expconfig.Autorun(linkQuery()) }

// linkError says which of a link's settings were ignored, or nil.
func linkError(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, err := range errs {
		msgs[i] = err.Error()
	}
	return newUIError(i18n.LogBadLink, strings.Join(msgs, "; "))
}
