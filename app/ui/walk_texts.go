package ui

import (
	"strings"

	"qosplayground/app/exercises"
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

// processingError says a reliable subscriber's processing error (a
// SubscriberEvent's Err, the lab's English) in the learner's language: a
// message for the errors the lab names, else the text as it is, shown as
// data.
func processingError(err string) any {
	switch {
	case err == exercises.ErrSimulatedAlert.Error():
		return i18n.SimulatedErr
	case strings.Contains(err, exercises.ErrPayloadNotJSON.Error()):
		return i18n.ErrPayloadNotJSON
	}
	return err
}
