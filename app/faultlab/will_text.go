package faultlab

import "qosplayground/app/i18n"

// LeaveLabel names each way of leaving, as the page's buttons say it.
func LeaveLabel(leave string) i18n.Msg {
	switch leave {
	case LeaveCrash:
		return i18n.CrashCrash
	case LeaveFreeze:
		return i18n.CrashFreeze
	case LeaveDisconnect:
		return i18n.CrashDisconnect
	}
	return i18n.Msg{}
}

// Texts say the will lesson's result: its headline (CrashDelivered takes
// the way of leaving and the seconds until the will came, CrashNone the way
// of leaving) and the explanation of what the broker did.
func (w WillResult) Texts() (headline, explain i18n.Msg) {
	if !w.Delivered {
		return i18n.CrashNone, i18n.CrashExplainBye
	}
	switch w.Leave {
	case LeaveCrash:
		return i18n.CrashDelivered, i18n.CrashExplainOpen
	case LeaveFreeze:
		return i18n.CrashDelivered, i18n.CrashExplainIdle
	}
	return i18n.CrashDelivered, i18n.Msg{}
}
