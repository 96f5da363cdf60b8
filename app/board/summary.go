package board

import (
	"strconv"
	"strings"

	"qosplayground/app/lab"
)

// Task1Summary is the report's Last for a Task 1 run: the scenario, each
// stream's QoS and its verdict, in the run's order, e.g.
// "task1 factory: temperature 2 costly, anomaly 1 fits, cooling 0 can-lose".
// It uses the playground's ids, the same in both languages.
func Task1Summary(scenario string, res []lab.StreamResult) string {
	var b strings.Builder
	b.WriteString("task1 " + scenario + ":")
	for i, r := range res {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(" " + r.Stream.ID + " " + strconv.Itoa(int(r.QoS)) + " " + string(r.Verdict))
	}
	return cut(b.String(), MaxLast)
}
