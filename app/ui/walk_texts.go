package ui

import (
	"qosplayground/app/i18n"
)

// labWords is a text of the lab's own (the tutorial's English words, such
// as a record's result or error) where the page is English, and nothing
// where it is not: a Japanese page shows the translated account beside it,
// never the English (issue 13, item 16).
func labWords(l i18n.Lang, s string) string {
	if l != i18n.EN {
		return ""
	}
	return s
}
