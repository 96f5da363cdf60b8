package ui

import (
	"strings"
	"testing"

	"qosplayground/app/i18n"
	"qosplayground/app/sidebyside"
)

// TestSbsFindingText: every finding is said with the run's own numbers in
// both languages, and a late first arrival gets the explanation of the
// broker the page runs on.
func TestSbsFindingText(t *testing.T) {
	res := sidebyside.Result{Rows: [3]sidebyside.Row{
		{QoS: 0, Sent: 10, Received: 7, Lost: 3},
		{QoS: 1, Sent: 10, Received: 10, AppCopies: 2, Order: sidebyside.OrderOf([]int64{1, 2, 3, 2, 3, 4, 6, 5, 7, 8, 9, 10})},
		{QoS: 2, Sent: 10, Received: 10, WireCopies: 4, Order: sidebyside.OrderOf([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})},
	}}
	mochi, other := i18n.SbsFirstLateMochi.In(i18n.EN), i18n.SbsFirstLateOther.In(i18n.EN)
	for _, mode := range []string{"embedded", "mosquitto", ""} {
		for _, f := range res.Findings() {
			for _, l := range []i18n.Lang{i18n.EN, i18n.JA} {
				text := sbsFindingText(l, mode, f)
				if text == "" || strings.Contains(text, "%!") {
					t.Errorf("%s, QoS %d, point %d, on %q: %q", l, f.QoS, f.Point, mode, text)
				}
			}
			if f.Point != sidebyside.FirstLate {
				continue
			}
			text := sbsFindingText(i18n.EN, mode, f)
			if !strings.Contains(text, "6, [5], 7") || !strings.Contains(text, "message 5 after 6") {
				t.Errorf("the late first arrival without its example: %q", text)
			}
			if got, want := strings.Contains(text, mochi), mode != "mosquitto"; got != want {
				t.Errorf("on %q, mochi's explanation shown: %v, want %v", mode, got, want)
			}
			if got, want := strings.Contains(text, other), mode != "embedded"; got != want {
				t.Errorf("on %q, the other explanation shown: %v, want %v", mode, got, want)
			}
		}
	}
}
