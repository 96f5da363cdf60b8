package wasmbuild

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
)

// Go's wasm linker writes the program's data (read-only data, type
// descriptors, the function table, initialised variables) as data
// segments, starting a new segment wherever a run of 8 or more zero bytes
// can be skipped, up to 100,000 segments: an 8-byte segment header costs
// less than 8 zeros in the raw file. app.wasm has 100,000 of them. But the
// browser downloads app.wasm compressed, and there the trade is the other
// way round: a run of zeros compresses to almost nothing, while each
// header's address and length are numbers the compressor cannot predict.
// Joining segments whose gap is at most maxDataGap zero bytes made app.wasm
// 10.0 → 10.9 MB raw but 1.668 → 1.552 MB brotli and 2.363 → 2.185 MB gzip
// -9 (bench/README.md, section 3). The module's memory at start is the
// same byte for byte.
const maxDataGap = 4096

// packDataFile rewrites the wasm module in file with its data segments
// joined (packDataSegments).
func packDataFile(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	packed, err := packDataSegments(b, maxDataGap)
	if err != nil {
		return fmt.Errorf("wasmbuild: %s: %w", file, err)
	}
	return os.WriteFile(file, packed, 0o644)
}

// wasmSection is one section of a module: its id and its body.
type wasmSection struct {
	id   byte
	body []byte
}

// dataSegment is an active data segment of memory 0: its address and
// bytes.
type dataSegment struct {
	addr int64
	data []byte
}

const (
	sectionData      = 11
	sectionDataCount = 12
)

var errWasm = errors.New("not a wasm module this packer knows")

// packDataSegments returns the module with each run of data segments whose
// gaps are at most maxGap bytes joined into one segment, the gaps filled
// with zeros (memory starts zeroed, so the module's initial memory does not
// change). Every other section is copied as it is. It refuses segments
// other than Go's (active, memory 0, an i32.const address).
func packDataSegments(module []byte, maxGap int64) ([]byte, error) {
	sections, err := wasmSections(module)
	if err != nil {
		return nil, err
	}
	count := -1
	for i, s := range sections {
		if s.id != sectionData {
			continue
		}
		segs, err := dataSegments(s.body)
		if err != nil {
			return nil, err
		}
		joined, err := joinSegments(segs, maxGap)
		if err != nil {
			return nil, err
		}
		body := binary.AppendUvarint(nil, uint64(len(joined)))
		for _, seg := range joined {
			body = append(body, 0, 0x41) // active, memory 0; i32.const
			body = appendSleb(body, seg.addr)
			body = append(body, 0x0b) // end
			body = binary.AppendUvarint(body, uint64(len(seg.data)))
			body = append(body, seg.data...)
		}
		sections[i].body, count = body, len(joined)
	}
	var out bytes.Buffer
	out.Write(module[:8])
	for _, s := range sections {
		if s.id == sectionDataCount && count >= 0 {
			s.body = binary.AppendUvarint(nil, uint64(count))
		}
		out.WriteByte(s.id)
		out.Write(binary.AppendUvarint(nil, uint64(len(s.body))))
		out.Write(s.body)
	}
	return out.Bytes(), nil
}

// joinSegments sorts the segments by address and joins each to the one
// before when the gap between them is at most maxGap bytes (the gap
// becomes zeros). Go's linker does not write them in the order of their
// addresses (app.wasm's function table comes before the data that lies
// below it), and a segment applied later would otherwise fill an earlier
// one lying in its gap with zeros. Sorting keeps the memory the same as
// long as no two segments overlap, which it checks.
func joinSegments(segs []dataSegment, maxGap int64) ([]dataSegment, error) {
	segs = slices.Clone(segs)
	slices.SortStableFunc(segs, func(a, b dataSegment) int { return cmp.Compare(a.addr, b.addr) })
	for i := 1; i < len(segs); i++ {
		if prev := segs[i-1]; prev.addr+int64(len(prev.data)) > segs[i].addr {
			return nil, fmt.Errorf("%w: data segments at %d and %d overlap", errWasm, prev.addr, segs[i].addr)
		}
	}
	var joined []dataSegment
	for _, seg := range segs {
		if n := len(joined); n > 0 {
			last := &joined[n-1]
			gap := seg.addr - (last.addr + int64(len(last.data)))
			if gap >= 0 && gap <= maxGap {
				last.data = append(last.data, make([]byte, gap)...)
				last.data = append(last.data, seg.data...)
				continue
			}
		}
		joined = append(joined, dataSegment{seg.addr, append([]byte(nil), seg.data...)})
	}
	return joined, nil
}

// wasmSections splits a module into its sections.
func wasmSections(m []byte) ([]wasmSection, error) {
	if len(m) < 8 || !bytes.Equal(m[:8], []byte{0, 'a', 's', 'm', 1, 0, 0, 0}) {
		return nil, fmt.Errorf("%w: no wasm header", errWasm)
	}
	var out []wasmSection
	for i := 8; i < len(m); {
		id := m[i]
		n, j, err := readUleb(m, i+1)
		if err != nil {
			return nil, err
		}
		if j+int(n) > len(m) || int(n) < 0 {
			return nil, fmt.Errorf("%w: section %d overruns the file", errWasm, id)
		}
		out = append(out, wasmSection{id, m[j : j+int(n)]})
		i = j + int(n)
	}
	return out, nil
}

// dataSegments reads a data section's segments.
func dataSegments(body []byte) ([]dataSegment, error) {
	n, i, err := readUleb(body, 0)
	if err != nil {
		return nil, err
	}
	segs := make([]dataSegment, 0, n)
	for range n {
		var flags uint64
		if flags, i, err = readUleb(body, i); err != nil {
			return nil, err
		}
		if flags != 0 || i >= len(body) || body[i] != 0x41 {
			return nil, fmt.Errorf("%w: a data segment that is not active in memory 0 at an i32.const", errWasm)
		}
		var addr int64
		if addr, i, err = readSleb(body, i+1); err != nil {
			return nil, err
		}
		if i >= len(body) || body[i] != 0x0b {
			return nil, fmt.Errorf("%w: a data segment's address is not a single i32.const", errWasm)
		}
		var size uint64
		if size, i, err = readUleb(body, i+1); err != nil {
			return nil, err
		}
		if i+int(size) > len(body) {
			return nil, fmt.Errorf("%w: a data segment overruns its section", errWasm)
		}
		segs = append(segs, dataSegment{addr, body[i : i+int(size)]})
		i += int(size)
	}
	if i != len(body) {
		return nil, fmt.Errorf("%w: %d bytes after the last data segment", errWasm, len(body)-i)
	}
	return segs, nil
}

// readUleb reads the unsigned LEB128 number at b[i:] (Go's uvarint is the
// same encoding) and returns it with the offset after it.
func readUleb(b []byte, i int) (uint64, int, error) {
	if i >= len(b) {
		return 0, i, fmt.Errorf("%w: a bad LEB128 number", errWasm)
	}
	v, n := binary.Uvarint(b[i:])
	if n <= 0 {
		return 0, i, fmt.Errorf("%w: a bad LEB128 number", errWasm)
	}
	return v, i + n, nil
}

func readSleb(b []byte, i int) (int64, int, error) {
	var v int64
	for shift := 0; i < len(b) && shift < 64; shift += 7 {
		c := b[i]
		i++
		v |= int64(c&0x7f) << shift
		if c < 0x80 {
			if c&0x40 != 0 && shift+7 < 64 {
				v -= 1 << (shift + 7)
			}
			return v, i, nil
		}
	}
	return 0, i, fmt.Errorf("%w: a bad LEB128 number", errWasm)
}

func appendSleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
