package exercises

import "testing"

// TestUnheardJudge: what became of a message sent while the subscriber was
// stopped (issue 13, item 7).
func TestUnheardJudge(t *testing.T) {
	subs := DefaultSubscriptions()
	alert := Unheard{Topic: "alerts/temperature_high", MessageID: 5, QoS: 1}
	for _, tc := range []struct {
		name        string
		u           Unheard
		arrived, sp bool
		subs        []Subscription
		want        Fate
	}{
		{"arrived", alert, true, true, subs, FateKept},
		{"never subscribed", alert, false, false, nil, FateNoSession},
		{"no match", Unheard{Topic: "misc/x", QoS: 1}, false, true, subs, FateNoMatch},
		{"sent at QoS 0", Unheard{Topic: "alerts/x", QoS: 0}, false, true, subs, FateQoS0},
		{"subscribed at QoS 0", Unheard{Topic: "sensors/x", QoS: 2}, false, true, subs, FateQoS0},
		{"should have come", alert, false, true, subs, FateMissing},
	} {
		if got := tc.u.Judge(tc.arrived, tc.sp, tc.subs); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if !FateNoSession.Dropped() || FateKept.Dropped() || FateMissing.Dropped() {
		t.Error("Dropped")
	}
	if Unmatched("alerts/x", subs) || !Unmatched("misc/x", subs) {
		t.Error("Unmatched")
	}
}
