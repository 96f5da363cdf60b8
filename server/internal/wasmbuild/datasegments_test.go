package wasmbuild

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"
)

// memoryImage is the memory a module's data segments write at start: the
// bytes from the lowest segment's address to the end of the highest.
func memoryImage(t *testing.T, module []byte) (lo int64, mem []byte, segments int) {
	t.Helper()
	sections, err := wasmSections(module)
	if err != nil {
		t.Fatal(err)
	}
	var segs []dataSegment
	for _, s := range sections {
		if s.id == sectionData {
			if segs, err = dataSegments(s.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(segs) == 0 {
		return 0, nil, 0
	}
	lo, hi := segs[0].addr, int64(0)
	for _, s := range segs {
		lo, hi = min(lo, s.addr), max(hi, s.addr+int64(len(s.data)))
	}
	mem = make([]byte, hi-lo)
	for _, s := range segs {
		copy(mem[s.addr-lo:], s.data)
	}
	return lo, mem, len(segs)
}

// module builds a module of a type section (kept as it is), a data
// section with segs and a data count section.
func module(segs []dataSegment) []byte {
	m := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	typ := []byte{1, 0x60, 0, 0} // one type: func() -> ()
	m = append(append(append(m, 1), binary.AppendUvarint(nil, uint64(len(typ)))...), typ...)
	cnt := binary.AppendUvarint(nil, uint64(len(segs)))
	m = append(append(append(m, sectionDataCount), binary.AppendUvarint(nil, uint64(len(cnt)))...), cnt...)
	body := binary.AppendUvarint(nil, uint64(len(segs)))
	for _, s := range segs {
		body = append(body, 0, 0x41)
		body = appendSleb(body, s.addr)
		body = append(body, 0x0b)
		body = binary.AppendUvarint(body, uint64(len(s.data)))
		body = append(body, s.data...)
	}
	return append(append(append(m, sectionData), binary.AppendUvarint(nil, uint64(len(body)))...), body...)
}

func TestPackDataSegments(t *testing.T) {
	segs := []dataSegment{
		{1<<20 + 10, []byte("out of order")}, // lies in no gap: a segment of its own, after sorting
		{2000, []byte("low")},                // below the next: written first by Go's linker, it would be zeroed by a join in emission order
		{4096, []byte("abc")},
		{4096 + 3 + 8, []byte("def")},         // gap 8: joined
		{4096 + 14 + 100, []byte{1, 2, 3, 4}}, // gap 100: joined
		{1 << 20, []byte("far")},              // gap of about 1 MB: a segment of its own
		{1<<20 + 3, []byte("next")},           // gap 0: joined
		{1<<20 + 1000, []byte("after")},       // gap after "out of order": joined
	}
	in := module(segs)
	out, err := packDataSegments(in, 4096)
	if err != nil {
		t.Fatal(err)
	}
	lo1, mem1, n1 := memoryImage(t, in)
	lo2, mem2, n2 := memoryImage(t, out)
	if lo1 != lo2 || !bytes.Equal(mem1, mem2) {
		t.Fatalf("the memory at start changed: from %d, %d bytes -> from %d, %d bytes", lo1, len(mem1), lo2, len(mem2))
	}
	if n1 != 8 || n2 != 2 {
		t.Errorf("segments %d -> %d, want 8 -> 2", n1, n2)
	}
	sections, _ := wasmSections(out)
	if len(sections) != 3 || sections[0].id != 1 || !bytes.Equal(sections[0].body, []byte{1, 0x60, 0, 0}) {
		t.Errorf("the other sections changed: %+v", sections)
	}
	if c, _, _ := readUleb(sections[1].body, 0); sections[1].id != sectionDataCount || c != 2 {
		t.Errorf("the data count section says %d, want 2", c)
	}
	// Negative and large addresses survive the signed LEB128 round trip.
	for _, a := range []int64{0, 63, 64, 8191, 1 << 30, -1} {
		if v, _, err := readSleb(appendSleb(nil, a), 0); err != nil || v != a {
			t.Errorf("sleb %d -> %d, %v", a, v, err)
		}
	}
}

func TestPackDataSegmentsRefusesOthers(t *testing.T) {
	m := module([]dataSegment{{16, []byte("x")}})
	// A passive segment (flags 1) is not Go's: refused, not mangled.
	i := bytes.LastIndex(m, []byte{0, 0x41, 16, 0x0b})
	m[i] = 1
	if _, err := packDataSegments(m, 4096); !errors.Is(err, errWasm) {
		t.Errorf("a passive segment: err %v, want errWasm", err)
	}
	overlap := module([]dataSegment{{16, []byte("abcdef")}, {18, []byte("x")}})
	if _, err := packDataSegments(overlap, 4096); !errors.Is(err, errWasm) {
		t.Errorf("overlapping segments: err %v, want errWasm", err)
	}
	if _, err := packDataSegments([]byte("not wasm"), 4096); !errors.Is(err, errWasm) {
		t.Errorf("not a module: err %v, want errWasm", err)
	}
}

// TestAppDataPacked: app.wasm as it ships has its data in a few segments,
// where Go's linker writes 100,000 (bench/README.md section 3: 116 KB less
// brotli), and packing it again changes nothing.
func TestAppDataPacked(t *testing.T) {
	b, err := os.ReadFile(built(t, "../../../wasm"))
	if err != nil {
		t.Fatal(err)
	}
	lo, mem, n := memoryImage(t, b)
	if n > 1000 {
		t.Errorf("app.wasm has %d data segments: wasmbuild did not join them", n)
	}
	again, err := packDataSegments(b, maxDataGap)
	if err != nil {
		t.Fatal(err)
	}
	lo2, mem2, _ := memoryImage(t, again)
	if lo != lo2 || !bytes.Equal(mem, mem2) {
		t.Error("packing app.wasm's data again changed its memory at start")
	}
	t.Logf("app.wasm: %d data segments, %d bytes of memory at start", n, len(mem))
}
