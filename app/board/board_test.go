package board

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"qosplayground/app/checkpoints"
	"qosplayground/app/classroom"
	"qosplayground/app/exercises"
	"qosplayground/app/faultlab"
	"qosplayground/app/task1"
)

var t0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

func progress(facts ...checkpoints.Fact) checkpoints.Progress {
	var p checkpoints.Progress
	p.Record(t0, facts...)
	return p
}

func TestReportRoundTrip(t *testing.T) {
	p := progress(checkpoints.DuplicateDetected, checkpoints.ScenarioRun, "unknown-fact")
	r := NewReport("  Aiko\n", "/lab/task1", p, "factory: 1/2/0", t0.Add(1500*time.Millisecond))
	if r.Name != "Aiko" || len(r.Checkpoints) != 1 || r.Checkpoints[0] != "duplicates" {
		t.Errorf("NewReport: %+v, want name Aiko and checkpoint duplicates", r)
	}
	if strings.Contains(strings.Join(func() []string {
		var s []string
		for _, f := range r.Facts {
			s = append(s, string(f))
		}
		return s
	}(), ","), "unknown") {
		t.Errorf("unknown fact kept: %v", r.Facts)
	}
	b := r.Encode()
	if len(b) > classroom.MaxProgress {
		t.Errorf("report of %d bytes, over classroom.MaxProgress", len(b))
	}
	back, err := Decode(b)
	if err != nil || !back.Same(r) || !back.At.Equal(r.At) {
		t.Errorf("Decode(Encode(r)) = %+v, %v; want %+v", back, err, r)
	}
	// The longest report still fits the gateway's bound.
	var all checkpoints.Progress
	for _, c := range checkpoints.All {
		all.Record(t0, c.Requires...)
	}
	big := NewReport(strings.Repeat("名", 500), "/"+strings.Repeat("p", MaxPage-1), all, strings.Repeat("\"<>", 500), t0)
	if n := len(big.Encode()); n > classroom.MaxProgress {
		t.Errorf("the largest report has %d bytes, over classroom.MaxProgress %d", n, classroom.MaxProgress)
	}
	if got := len([]rune(big.Name)); got != MaxName {
		t.Errorf("name of %d runes, want cut to %d", got, MaxName)
	}
}

func TestDecodeCleans(t *testing.T) {
	for _, bad := range []string{"", "null", "x", `{"name":"no version"}`, `[1]`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q): no error", bad)
		}
	}
	r, err := Decode([]byte(`{"v":1,"name":"a\u0000b\nc","page":"javascript:alert(1)","checkpoints":["retries","nope","qos-levels"],"facts":["retry-done","x"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "a b c" || r.Page != "" {
		t.Errorf("name %q page %q: want control characters gone and a page that is not a path dropped", r.Name, r.Page)
	}
	if len(r.Checkpoints) != 2 || r.Checkpoints[0] != "qos-levels" || r.Checkpoints[1] != "retries" {
		t.Errorf("checkpoints %v, want [qos-levels retries] in the tutorial's order", r.Checkpoints)
	}
	if len(r.Facts) != 1 {
		t.Errorf("facts %v, want only the known one", r.Facts)
	}
}

func TestBoard(t *testing.T) {
	var b Board
	a := NewReport("Aiko", "/", progress(checkpoints.DuplicateDetected, checkpoints.RetryDone), "", t0)
	k := NewReport("ken", "/lab/task1", progress(checkpoints.RetryDone), "", t0.Add(-10*time.Minute))
	z := NewReport("", "/", checkpoints.Progress{}, "", t0)
	if !b.Apply("progress/aaaa", a.Encode()) || !b.Apply("progress/bbbb", k.Encode()) || !b.Apply("progress/cccc", z.Encode()) {
		t.Fatal("Apply of a report: no change")
	}
	for _, ignored := range []struct{ topic, payload string }{
		{"offer", `{"v":1}`}, {"progress/x/y", `{"v":1}`}, {"progress/", `{"v":1}`}, {"progress/dddd", "junk"}, {"progress/dddd", ""},
	} {
		if b.Apply(ignored.topic, []byte(ignored.payload)) {
			t.Errorf("Apply(%q, %q) changed the board", ignored.topic, ignored.payload)
		}
	}
	if b.Len() != 3 {
		t.Fatalf("Len %d, want 3", b.Len())
	}
	c := b.Counts()
	if c["duplicates"] != 1 || c["retries"] != 2 || c["qos-levels"] != 0 || len(c) != len(checkpoints.All) {
		t.Errorf("Counts %v, want duplicates 1, retries 2, every checkpoint present", c)
	}
	names := func(rows []Row) string {
		var s []string
		for _, r := range rows {
			s = append(s, r.Name+"@"+r.Tab)
		}
		return strings.Join(s, " ")
	}
	if got := names(b.Rows(ByName)); got != "@cccc Aiko@aaaa ken@bbbb" {
		t.Errorf("ByName: %s", got)
	}
	if got := names(b.Rows(ByProgress)); got != "Aiko@aaaa ken@bbbb @cccc" {
		t.Errorf("ByProgress: %s", got)
	}
	if got := names(b.Rows(ByActivity)); got != "ken@bbbb @cccc Aiko@aaaa" {
		t.Errorf("ByActivity: %s", got)
	}
	if n := b.IdleCount(t0.Add(time.Minute)); n != 1 {
		t.Errorf("IdleCount a minute later: %d, want 1 (ken, quiet for 11 minutes)", n)
	}
	if n := b.IdleCount(t0.Add(IdleAfter)); n != 3 {
		t.Errorf("IdleCount at IdleAfter: %d, want 3", n)
	}
	// A newer report replaces the row; a cleared one removes it.
	a2 := NewReport("Aiko", "/lab/faults", progress(checkpoints.DuplicateDetected), "", t0.Add(time.Minute))
	b.Apply("progress/aaaa", a2.Encode())
	if rows := b.Rows(ByName); rows[1].Page != "/lab/faults" || b.Counts()["retries"] != 1 {
		t.Errorf("after a new report: %+v, counts %v", rows[1], b.Counts())
	}
	if !b.Apply("progress/bbbb", nil) || b.Len() != 2 {
		t.Errorf("clearing ken's row: Len %d, want 2", b.Len())
	}
}

func TestTask1Summary(t *testing.T) {
	res := []task1.StreamResult{
		{Stream: task1.Stream{ID: "temperature"}, QoS: 2, Verdict: task1.VerdictCostly},
		{Stream: task1.Stream{ID: "cooling"}, QoS: 0, Verdict: task1.VerdictCanLose},
	}
	if got, want := Task1Summary("factory", res), "task1 factory: temperature 2 costly, cooling 0 can-lose"; got != want {
		t.Errorf("Task1Summary: %q, want %q", got, want)
	}
}

// TestCSV: the CSV has the board's rows in the board's order, a column per
// checkpoint with the same marks, the counts adding up to Counts, and no
// learner text that a spreadsheet would run.
func TestCSV(t *testing.T) {
	var b Board
	b.Apply("progress/aaaa", NewReport("=HYPERLINK(\"x\")", "/lab/task1", progress(checkpoints.RetryDone), "task1 factory: a, b", t0).Encode())
	b.Apply("progress/bbbb", NewReport("Ken", "/", progress(checkpoints.RetryDone, checkpoints.DuplicateDetected), "", t0.Add(-time.Hour)).Encode())
	lines, err := csv.NewReader(bytes.NewReader(b.CSV(ByProgress, t0))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := b.Rows(ByProgress)
	if len(lines) != 1+len(rows) {
		t.Fatalf("%d lines, want a header and %d rows", len(lines), len(rows))
	}
	head := lines[0]
	col := func(name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %v", name, head)
		return -1
	}
	sums := map[checkpoints.ID]int{}
	for i, r := range rows {
		line := lines[1+i]
		if line[col("tab")] != r.Tab {
			t.Errorf("line %d is tab %s, the board's row %d is %s", i+1, line[0], i, r.Tab)
		}
		for _, c := range checkpoints.All {
			want := "0"
			if r.Has(c.ID) {
				want = "1"
				sums[c.ID]++
			}
			if got := line[col(string(c.ID))]; got != want {
				t.Errorf("tab %s, %s: %q, want %q", r.Tab, c.ID, got, want)
			}
		}
		if line[col("idle")] != strconv.FormatBool(r.Idle(t0)) {
			t.Errorf("tab %s idle %q", r.Tab, line[col("idle")])
		}
	}
	for id, n := range b.Counts() {
		if sums[id] != n {
			t.Errorf("%s: %d in the CSV, %d on the board", id, sums[id], n)
		}
	}
	if got := lines[2][col("name")]; got != `'=HYPERLINK("x")` {
		t.Errorf("a formula name came out as %q", got)
	}
	if got := lines[2][col("last_experiment")]; got != "task1 factory: a, b" {
		t.Errorf("last experiment %q", got)
	}
}

func TestTask1Tally(t *testing.T) {
	var b Board
	choose := func(tab, scenario string, qos map[string]byte) {
		r := NewReport(tab, "/lab/task1", checkpoints.Progress{}, "", t0)
		r.Task1 = &Task1Choices{Scenario: scenario, QoS: qos}
		if !b.Apply("progress/"+tab, r.Encode()) {
			t.Fatalf("Apply %s", tab)
		}
	}
	choose("a", "factory", map[string]byte{"temperature": 0, "anomaly": 1, "cooling": 2})
	choose("b", "factory", map[string]byte{"temperature": 2, "anomaly": 1, "cooling": 0, "bogus": 1})
	choose("c", "nowhere", map[string]byte{"temperature": 2})
	choose("d", "factory", map[string]byte{"cooling": 7})
	b.Apply("progress/e", NewReport("e", "/", checkpoints.Progress{}, "", t0).Encode())
	tally := b.Task1Tally()
	got := map[string][3]int{}
	for _, s := range tally {
		if s.Scenario != "factory" {
			t.Errorf("tally of %s: nobody ran it", s.Scenario)
		}
		got[s.Stream] = s.Counts
	}
	want := map[string][3]int{"temperature": {1, 0, 1}, "anomaly": {0, 2, 0}, "cooling": {1, 0, 1}}
	if len(tally) != 3 || tally[0].Stream != "temperature" || tally[2].Recommended != 2 {
		t.Errorf("tally %+v: want factory's three streams in order, cooling recommended at 2", tally)
	}
	for s, w := range want {
		if got[s] != w {
			t.Errorf("%s: %v, want %v", s, got[s], w)
		}
	}
	if r, _ := Decode(NewReport("x", "/", checkpoints.Progress{}, "", t0).Encode()); r.Task1 != nil {
		t.Errorf("a report without a run has Task1 %+v", r.Task1)
	}
}

func TestLessonSummary(t *testing.T) {
	r := faultlab.LessonResult{QoS: 1, Stats: exercises.Stats{TotalReceived: 2, DuplicatesDetected: 1, SuccessfullyProcessed: 1}}
	if got, want := LessonSummary(r), "faults lesson qos1: received 2, duplicates 1, processed 1"; got != want {
		t.Errorf("LessonSummary: %q, want %q", got, want)
	}
}

// The board reads back what the tabs wrote, to say it in the teacher's
// language; anything else is shown as it came.
func TestParseLast(t *testing.T) {
	res := []task1.StreamResult{
		{Stream: task1.Stream{ID: "light"}, QoS: 0, Verdict: task1.VerdictFits},
		{Stream: task1.Stream{ID: "doorlock"}, QoS: 1, Verdict: task1.VerdictCanDouble},
	}
	got := ParseLast(Task1Summary("smarthome", res))
	if got.Kind != "task1" || got.Scenario != "smarthome" || len(got.Streams) != 2 ||
		got.Streams[1] != (StreamChoice{Stream: "doorlock", QoS: 1, Verdict: task1.VerdictCanDouble}) {
		t.Errorf("task1: %+v", got)
	}
	lesson := faultlab.LessonResult{QoS: 1}
	lesson.Stats.TotalReceived, lesson.Stats.DuplicatesDetected, lesson.Stats.SuccessfullyProcessed = 2, 1, 1
	if got := ParseLast(LessonSummary(lesson)); got.Kind != "lesson" || got.QoS != 1 || got.Received != 2 || got.Duplicates != 1 || got.Processed != 1 {
		t.Errorf("lesson: %+v", got)
	}
	for _, bad := range []string{"", "hello", "task1 moon: light 0 fits", "task1 factory: light 0 fits", "task1 factory: cooling 3 fits",
		"task1 factory: cooling 2 great", "faults lesson qos4: received 1, duplicates 0, processed 1", "faults lesson qos1: received x, duplicates 0, processed 1"} {
		if got := ParseLast(bad); got.Kind != "" {
			t.Errorf("ParseLast(%q) = %+v, want nothing", bad, got)
		}
	}
}
