package ui

import (
	"fmt"
	"testing"

	"qosplayground/app/exercises"
	"qosplayground/app/i18n"
)

// The lab's processing errors reach a Japanese page in Japanese (issue
// 13, item 16: "alert processing error: simulated…" was English there).
func TestProcessingError(t *testing.T) {
	notJSON := fmt.Errorf("alerts processing error: %w: %v", exercises.ErrPayloadNotJSON, "invalid character")
	for _, c := range []struct {
		err  string
		want any
	}{
		{exercises.ErrSimulatedAlert.Error(), i18n.SimulatedErr},
		{notJSON.Error(), i18n.ErrPayloadNotJSON},
		{"something else", "something else"},
	} {
		if got := processingError(c.err); got != c.want {
			t.Errorf("processingError(%q) = %v, want %v", c.err, got, c.want)
		}
	}
}
