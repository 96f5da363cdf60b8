package ui

import (
	"strings"
	"testing"

	"qosplayground/app/i18n"
	"qosplayground/app/sidebyside"
)

// TestSbsFindingText: every finding is said with the run's own numbers in
// both languages, and a late first arrival gets its example and what is
// known of why.
func TestSbsFindingText(t *testing.T) {
	res := sidebyside.Result{Rows: [3]sidebyside.Row{
		{QoS: 0, Sent: 10, Received: 7, Lost: 3},
		{QoS: 1, Sent: 10, Received: 10, AppCopies: 2, Order: sidebyside.OrderOf([]int64{1, 2, 3, 2, 3, 4, 6, 5, 7, 8, 9, 10})},
		{QoS: 2, Sent: 10, Received: 10, WireCopies: 4, Order: sidebyside.OrderOf([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})},
	}}
	late := 0
	for _, f := range res.Findings() {
		for _, l := range []i18n.Lang{i18n.EN, i18n.JA} {
			text := sbsFindingText(l, f)
			if text == "" || strings.Contains(text, "%!") {
				t.Errorf("%s, QoS %d, point %d: %q", l, f.QoS, f.Point, text)
			}
			if f.Point == sidebyside.FirstLate && !strings.HasSuffix(text, i18n.SbsFirstLateWhy.In(l)) {
				t.Errorf("%s: the late first arrival without why: %q", l, text)
			}
		}
		if f.Point != sidebyside.FirstLate {
			continue
		}
		late++
		text := sbsFindingText(i18n.EN, f)
		if !strings.Contains(text, "6, [5], 7") || !strings.Contains(text, "message 5 after 6") {
			t.Errorf("the late first arrival without its example: %q", text)
		}
	}
	if late != 1 {
		t.Errorf("%d findings of a late first arrival, want 1", late)
	}
}
