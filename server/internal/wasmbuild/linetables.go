package wasmbuild

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
)

// A Go program carries, in its data, a table of its functions (the
// runtime's pclntab): each function's name, its stack frame sizes and
// stack maps, which the runtime needs to grow stacks and to collect
// garbage, and two tables that map each instruction to a source file and
// line, which only stack traces read (a panic's traceback, runtime.Caller,
// runtime.CallersFrames). In app.wasm those two tables are 224 KB, 118 KB
// of its brotli download (1.553 -> 1.435 MB, bench/README.md section 3),
// about 0.65 s on a phone's Slow 4G. stripLineTables zeroes them and sets
// each function's pcfile and pcln offsets to 0, which the runtime reads as
// "no table": a traceback still names every function, with "?:0" for its
// file and line (runtime.funcline1). The builds with -symbols, for
// profiles and debugging, keep them.
//
// The layout is the Go 1.20+ pclntab (runtime/symtab.go pcHeader,
// runtime/runtime2.go _func): stripLineTables refuses a module whose
// header it does not find, and the build then fails rather than shipping a
// module it does not understand. TestAppLineTables checks the result
// against the module before.

// pclnMagic is the pcHeader's first 8 bytes in a wasm build: the Go 1.20+
// magic, two zero pads, the minimum instruction size (1) and the pointer
// size (8).
var pclnMagic = []byte{0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8}

// stripLineTablesFile rewrites the wasm module in file (stripLineTables).
func stripLineTablesFile(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	out, _, err := stripLineTables(b)
	if err != nil {
		return fmt.Errorf("wasmbuild: %s: %w", file, err)
	}
	return os.WriteFile(file, out, 0o644)
}

// pclnTab is the part of a module's data that holds the runtime's function
// table: the bytes of the data segment that holds it, from its pcHeader on.
type pclnTab struct {
	b           []byte // the segment's bytes from the pcHeader on (aliases the module)
	nfunc       int
	pctab, ftab int // offsets of pctab and the function table from the header
}

// findPclnTab finds the function table in module's data section.
func findPclnTab(module []byte) (pclnTab, error) {
	var t pclnTab
	sections, err := wasmSections(module)
	if err != nil {
		return t, err
	}
	for _, s := range sections {
		if s.id != sectionData {
			continue
		}
		segs, err := dataSegments(s.body)
		if err != nil {
			return t, err
		}
		for _, seg := range segs {
			i := bytes.Index(seg.data, pclnMagic)
			if i < 0 {
				continue
			}
			h := seg.data[i:]
			if len(h) < 72 {
				return t, fmt.Errorf("%w: the function table's header is cut", errWasm)
			}
			le := binary.LittleEndian
			t = pclnTab{b: h, nfunc: int(le.Uint64(h[8:])), pctab: int(le.Uint64(h[56:])), ftab: int(le.Uint64(h[64:]))}
			if t.nfunc <= 0 || t.pctab <= 0 || t.ftab <= t.pctab || t.ftab+8*t.nfunc > len(h) {
				return t, fmt.Errorf("%w: the function table's header does not fit its segment (%d functions, pctab %d, functab %d, %d bytes)", errWasm, t.nfunc, t.pctab, t.ftab, len(h))
			}
			return t, nil
		}
	}
	return t, fmt.Errorf("%w: no Go function table (pcHeader) in the data", errWasm)
}

// goFunc is one function's entry (_func) in the function table.
type goFunc struct {
	at                 int // offset of the _func from the header
	pcsp, pcfile, pcln uint32
	pcdata             []uint32
}

// funcs reads the function table's entries.
func (t pclnTab) funcs() ([]goFunc, error) {
	le := binary.LittleEndian
	fs := make([]goFunc, 0, t.nfunc)
	for k := range t.nfunc {
		off := t.ftab + int(le.Uint32(t.b[t.ftab+8*k+4:]))
		if off+44 > len(t.b) {
			return nil, fmt.Errorf("%w: function %d's entry is outside the table", errWasm, k)
		}
		f := t.b[off:]
		g := goFunc{at: off, pcsp: le.Uint32(f[16:]), pcfile: le.Uint32(f[20:]), pcln: le.Uint32(f[24:])}
		npcdata := int(le.Uint32(f[28:]))
		if off+44+4*npcdata > len(t.b) {
			return nil, fmt.Errorf("%w: function %d's pcdata is outside the table", errWasm, k)
		}
		for q := range npcdata {
			g.pcdata = append(g.pcdata, le.Uint32(f[44+4*q:]))
		}
		fs = append(fs, g)
	}
	return fs, nil
}

// pcTableLen is the length of the pc-value table at off in pctab, decoded
// as the runtime's pcvalue does: pairs of a value delta and a pc delta,
// ending at a zero value delta after the first pair.
func (t pclnTab) pcTableLen(off uint32) (int, error) {
	tab := t.b[t.pctab:t.ftab]
	i := int(off)
	for first := true; ; first = false {
		v, j, err := readUleb(tab, i)
		if err != nil {
			return 0, err
		}
		if v == 0 && !first {
			return j - int(off), nil
		}
		if _, i, err = readUleb(tab, j); err != nil {
			return 0, err
		}
	}
}

// stripLineTables returns the module with its functions' file and line
// tables zeroed (see above) and how many bytes of tables it zeroed. Tables
// are shared between functions, and a table's bytes may also serve as
// another function's stack-size or pcdata table: those are kept.
func stripLineTables(module []byte) ([]byte, int, error) {
	out := append([]byte(nil), module...)
	t, err := findPclnTab(out)
	if err != nil {
		return nil, 0, err
	}
	fs, err := t.funcs()
	if err != nil {
		return nil, 0, err
	}
	keep := map[uint32]bool{}
	for _, f := range fs {
		keep[f.pcsp] = true
		for _, p := range f.pcdata {
			keep[p] = true
		}
	}
	// Which bytes of pctab the kept tables use: a dropped table must not
	// overlap one (the linker stores each distinct table once, whole, so
	// none does; a linker that shared a table's tail would be refused).
	used := make([]bool, t.ftab-t.pctab)
	for off := range keep {
		if off == 0 {
			continue
		}
		n, err := t.pcTableLen(off)
		if err != nil {
			return nil, 0, err
		}
		for i := range n {
			used[int(off)+i] = true
		}
	}
	zeroed := 0
	done := map[uint32]bool{}
	for _, f := range fs {
		for _, off := range []uint32{f.pcfile, f.pcln} {
			if off == 0 || keep[off] || done[off] {
				continue
			}
			done[off] = true
			n, err := t.pcTableLen(off)
			if err != nil {
				return nil, 0, err
			}
			for i := range n {
				if used[int(off)+i] {
					return nil, 0, fmt.Errorf("%w: a line table overlaps a stack table at pctab+%d", errWasm, int(off)+i)
				}
			}
			clear(t.b[t.pctab+int(off) : t.pctab+int(off)+n])
			zeroed += n
		}
	}
	for _, f := range fs {
		clear(t.b[f.at+20 : f.at+28]) // pcfile, pcln
	}
	return out, zeroed, nil
}
