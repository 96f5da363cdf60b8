package seqdiag

import (
	"math"
	"strconv"
	"time"

	"qosplayground/app/netcond"
	"qosplayground/app/wiretap"
)

// # Slanted arrows
//
// When the learner has set network conditions, each packet takes time on
// the link, and its arrow slants by that time: the end the packet leaves
// from is drawn at the row's height (Y), the end it reaches lower (Y2).
// The tab knows when it sent a packet and when one arrived, and the
// conditions it set; it does not know when the broker sent or received
// one. So the slant is the link's time AS SET, not a measurement: the
// one-way latency, with the jitter as its mean, plus the time the packet's
// bytes take at the set bandwidth of its direction (netcond.Transmit). A
// sent packet's far end is its send time plus that; a received packet's
// near end is its arrival minus it. Both slant downwards, one pixel per
// SlantMS; the rows between arrows are not to time scale.

// Slant scale.
const (
	SlantMS  = 10  // milliseconds of link time per pixel of slant
	MaxSlant = 250 // the longest slant drawn (2.5 s): a longer time is capped, and says so
)

// Period is the conditions a tab's link had from a time on, until the
// next Period's From.
type Period struct {
	From time.Time
	netcond.Conditions
}

// ConditionsAt returns the conditions in force at t: those of the last
// period, in order of From, that began at or before t; a perfect link
// before the first.
func ConditionsAt(periods []Period, t time.Time) netcond.Conditions {
	var c netcond.Conditions
	for _, p := range periods {
		if p.From.After(t) {
			break
		}
		c = p.Conditions
	}
	return c
}

// MeanLatency is the mean one-way delay of conditions c: the latency,
// or, when the jitter is larger than the latency (delays are drawn from
// latency ± jitter and never below zero), the mean of the delays drawn.
func MeanLatency(c netcond.Conditions) time.Duration {
	l, j := float64(c.Latency()), float64(c.Jitter())
	if j <= l {
		return c.Latency()
	}
	// E[max(0, U(l-j, l+j))] = (l+j)² / 4j
	return time.Duration((l + j) * (l + j) / (4 * j))
}

// LinkTime is the time a packet of n bytes takes on a link with
// conditions c, as set: the mean one-way latency and the time its bytes
// take at the bandwidth of its direction (sent: up, received: down).
func LinkTime(c netcond.Conditions, sent bool, n int) time.Duration {
	kbps := c.DownKbps
	if sent {
		kbps = c.UpKbps
	}
	return MeanLatency(c) + netcond.Transmit(n, kbps)
}

// SlantOf returns the slant, in pixels, of an arrow for link time d, and
// whether it was capped at MaxSlant.
func SlantOf(d time.Duration) (px int, capped bool) {
	px = int(math.Round(float64(d) / float64(SlantMS*time.Millisecond)))
	if px > MaxSlant {
		return MaxSlant, true
	}
	return px, false
}

// linkOf returns a packet's link time under periods.
func linkOf(periods []Period, pk wiretap.Packet) time.Duration {
	if len(periods) == 0 {
		return 0
	}
	c := ConditionsAt(periods, pk.At)
	if c.IsZero() {
		return 0
	}
	return LinkTime(c, pk.Dir == wiretap.Sent, len(pk.Raw))
}

// Slanted reports whether any arrow of d slants.
func (d Diagram) Slanted() bool {
	for _, a := range d.Arrows {
		if a.Y2 != a.Y {
			return true
		}
	}
	return false
}

// ClientY is the height of the arrow's end at the client's lane: where
// the tab saw the packet.
func (a Arrow) ClientY() int {
	if a.X1 == ClientX {
		return a.Y
	}
	return a.Y2
}

// LabelY is the baseline of the arrow's label, centred between the lanes:
// above the arrow's higher end by LabelAbove on a flat arrow, and on a
// slanted one a quarter of the way down its slant, where the line still
// passes under the label's whole width.
func (a Arrow) LabelY() int { return a.Y + (a.Y2-a.Y)/4 - LabelAbove }

// Head returns the points of the arrow's head, "x,y x,y x,y": its tip at
// the far end (X2, Y2), 8 units long and 10 wide, along the arrow.
func (a Arrow) Head() string {
	dx, dy := float64(a.X2-a.X1), float64(a.Y2-a.Y)
	n := math.Hypot(dx, dy)
	if n == 0 {
		return ""
	}
	ux, uy := dx/n, dy/n
	bx, by := float64(a.X2)-8*ux, float64(a.Y2)-8*uy
	p1x, p1y := bx+5*uy, by-5*ux
	p2x, p2y := bx-5*uy, by+5*ux
	if p2y < p1y {
		p1x, p1y, p2x, p2y = p2x, p2y, p1x, p1y
	}
	return num(float64(a.X2)) + "," + num(float64(a.Y2)) + " " + num(p1x) + "," + num(p1y) + " " + num(p2x) + "," + num(p2y)
}

// num formats a coordinate with at most one decimal.
func num(v float64) string {
	r := math.Round(v*10) / 10
	if r == 0 {
		r = 0 // not "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}
