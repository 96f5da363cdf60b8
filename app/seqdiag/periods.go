package seqdiag

import (
	"time"

	"qosplayground/app/netcond"
)

// Since returns periods with a new one from at, for conditions c, unless
// the link already has c; at most max are kept, the oldest dropped (their
// packets, if still drawn, are drawn flat).
func Since(periods []Period, at time.Time, c netcond.Conditions, max int) []Period {
	if n := len(periods); n > 0 && periods[n-1].Conditions == c {
		return periods
	}
	periods = append(periods, Period{From: at, Conditions: c})
	if len(periods) > max {
		periods = periods[len(periods)-max:]
	}
	return periods
}
