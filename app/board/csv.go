package board

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"qosplayground/app/checkpoints"
)

// CSV is the board as a spreadsheet: a header, then one line per learner
// in order o, the same rows and marks as the page shows: tab, name, page,
// one column per checkpoint (1 earned, 0 not), checkpoints earned, the
// last experiment, the last change (RFC 3339, UTC) and whether the learner
// is idle at now. Texts a learner wrote cannot start a formula.
func (b *Board) CSV(o Order, now time.Time) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := []string{"tab", "name", "page"}
	for _, c := range checkpoints.All {
		head = append(head, string(c.ID))
	}
	w.Write(append(head, "checkpoints", "last_experiment", "last_change", "idle"))
	for _, r := range b.Rows(o) {
		line := []string{r.Tab, cell(r.Name), cell(r.Page)}
		for _, c := range checkpoints.All {
			line = append(line, map[bool]string{true: "1", false: "0"}[r.Has(c.ID)])
		}
		line = append(line, strconv.Itoa(len(r.Checkpoints)), cell(r.Last), r.At.UTC().Format(time.RFC3339), strconv.FormatBool(r.Idle(now)))
		w.Write(line)
	}
	w.Flush()
	return buf.Bytes()
}

// cell keeps a spreadsheet from reading a learner's text as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
