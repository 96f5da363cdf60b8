package wasmbuild

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"qosplayground/internal/testenv"
)

// TestAppLineTables: app.wasm as it ships is app.wasm with its line tables
// (built with KeepLines) after stripLineTables, and that leaves every
// function's stack tables where they were, and changes no byte but the
// zeroed line tables and the two offsets of each function.
func TestAppLineTables(t *testing.T) {
	shipped, err := os.ReadFile(built(t, "../../../wasm"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	withLines := filepath.Join(dir, "lines.wasm")
	buildMu.Lock()
	err = Build(context.Background(), Options{Package: "../../../wasm", Out: withLines, KeepLines: true})
	buildMu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(withLines)
	if err != nil {
		t.Fatal(err)
	}
	after, zeroed, err := stripLineTables(before)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after, shipped) {
		t.Fatal("app.wasm as built is not its build with line tables, stripped: Build does not strip them")
	}
	if zeroed < 100_000 {
		t.Errorf("zeroed %d bytes of line tables, expected the 200 KB or so of app.wasm", zeroed)
	}
	tb, err := findPclnTab(before)
	if err != nil {
		t.Fatal(err)
	}
	ta, err := findPclnTab(after)
	if err != nil {
		t.Fatal(err)
	}
	fb, _ := tb.funcs()
	fa, err := ta.funcs()
	if err != nil {
		t.Fatal(err)
	}
	if len(fa) != len(fb) || len(fa) < 1000 {
		t.Fatalf("%d functions before, %d after", len(fb), len(fa))
	}
	changed := make([]bool, len(tb.b)) // the bytes allowed to change
	withLinesFuncs := 0
	for i, f := range fb {
		g := fa[i]
		if g.pcsp != f.pcsp || !equalU32(g.pcdata, f.pcdata) {
			t.Fatalf("function %d's stack tables moved", i)
		}
		if g.pcfile != 0 || g.pcln != 0 {
			t.Fatalf("function %d still has line tables (%d, %d)", i, g.pcfile, g.pcln)
		}
		if f.pcln != 0 {
			withLinesFuncs++
		}
		for j := f.at + 20; j < f.at+28; j++ {
			changed[j] = true
		}
		for _, off := range []uint32{f.pcfile, f.pcln} {
			if off == 0 {
				continue
			}
			n, _ := tb.pcTableLen(off)
			for j := range n {
				changed[tb.pctab+int(off)+j] = true
			}
		}
	}
	if withLinesFuncs < len(fb)/2 {
		t.Errorf("only %d of %d functions had a line table before", withLinesFuncs, len(fb))
	}
	for i := range tb.b {
		if tb.b[i] != ta.b[i] && !changed[i] {
			t.Fatalf("byte %d of the function table changed outside the line tables", i)
		}
	}
	// Outside the function table's segment, nothing changed.
	if len(before) != len(after) {
		t.Fatalf("the module's size changed: %d -> %d", len(before), len(after))
	}
	start := bytes.Index(before, tb.b[:64])
	if !bytes.Equal(before[:start], after[:start]) || !bytes.Equal(before[start+len(tb.b):], after[start+len(tb.b):]) {
		t.Error("bytes outside the function table changed")
	}
	t.Logf("%d functions, %d bytes of line tables zeroed", len(fa), zeroed)
}

func equalU32(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStripLineTablesRefusesOthers(t *testing.T) {
	m := module([]dataSegment{{16, []byte("no function table here")}})
	if _, _, err := stripLineTables(m); err == nil {
		t.Error("a module without Go's function table: no error")
	}
	// A header whose offsets point past its segment.
	h := append([]byte(nil), pclnMagic...)
	h = binary.LittleEndian.AppendUint64(h, 10)   // nfunc
	h = append(h, make([]byte, 40)...)            // nfiles, unused, funcname, cu, filetab
	h = binary.LittleEndian.AppendUint64(h, 1000) // pctab
	h = binary.LittleEndian.AppendUint64(h, 2000) // functab
	if _, _, err := stripLineTables(module([]dataSegment{{16, h}})); err == nil {
		t.Error("a function table that does not fit its segment: no error")
	}
}

// TestStrippedRuns runs a program built as wasmbuild ships it (its data
// joined, its line tables stripped) under Node.js with Go's wasm_exec: it
// collects garbage and grows its stack (which read the stack tables the
// strip keeps), its caller has no file and line, and its panic still
// names each function.
func TestStrippedRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm program")
	}
	node := testenv.Need(t, "node", "/usr/bin/nodejs")
	out := filepath.Join(t.TempDir(), "stripped.wasm")
	if err := Build(context.Background(), Options{Package: "./testdata/stripped", Out: out}); err != nil {
		t.Fatal(err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	execJS := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec_node.js")
	if _, err := os.Stat(execJS); err != nil {
		execJS = filepath.Join(strings.TrimSpace(string(goroot)), "misc", "wasm", "wasm_exec_node.js")
	}
	b, err := exec.Command(node, execJS, out).CombinedOutput()
	got := string(b)
	if err == nil {
		t.Fatalf("the program did not panic:\n%s", got)
	}
	for _, want := range []string{"gc ok ", "caller: ?:0 true", "panic: assignment to entry in nil map", "main.deep(", "main.main()"} {
		if !strings.Contains(got, want) {
			t.Errorf("the output lacks %q:\n%.2000s", want, got)
		}
	}
	if strings.Contains(got, "fatal error") || strings.Contains(got, "unknown pc") {
		t.Errorf("the runtime failed:\n%.2000s", got)
	}
}
