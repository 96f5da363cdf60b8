// Command wasmsize says what a Go WebAssembly binary is made of: the size of
// its code by package (the function bodies of the code section, named by the
// name section), and of its other sections. Build the wasm with its function
// names first:
//
//	go run ./server/internal/cmd/wasmbuild -symbols -o /tmp/app.wasm ./wasm
//	go run ./server/internal/cmd/wasmsize /tmp/app.wasm
//	go run ./server/internal/cmd/wasmsize -n 0 -by prefix /tmp/app.wasm   # every package, grouped
//	go run ./server/internal/cmd/wasmsize -diff /tmp/old.wasm /tmp/app.wasm  # what changed
//	go run ./server/internal/cmd/wasmsize -funcs qosplayground_app_ui /tmp/app.wasm  # its largest functions
//
// Each package's "gz" column is its function bodies, concatenated and
// compressed alone with gzip -9: a rough share of the compressed file
// (brotli of the whole file does better than the sum, and -symbols does not
// change the code). Two builds can be compared with -diff OLD.wasm.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("n", 40, "packages to list, largest first (0: all)")
	by := flag.String("by", "package", "package, or prefix (go-app, qosplayground/app/..., std, other modules)")
	diff := flag.String("diff", "", "an older .wasm (with names) to compare with: the change per package")
	funcs := flag.String("funcs", "", "list the largest functions of this `package` (as the report names it) instead, -n of them")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: wasmsize [-n N] [-by package|prefix] [-diff OLD.wasm] FILE.wasm")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if *funcs != "" {
		if err := listFuncs(os.Stdout, flag.Arg(0), *funcs, *top); err != nil {
			fmt.Fprintln(os.Stderr, "wasmsize:", err)
			os.Exit(1)
		}
		return
	}
	cur, err := load(flag.Arg(0), *by)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
	var old *report
	if *diff != "" {
		if old, err = load(*diff, *by); err != nil {
			fmt.Fprintln(os.Stderr, "wasmsize:", err)
			os.Exit(1)
		}
	}
	cur.print(os.Stdout, old, *top)
}

// listFuncs writes the top largest function bodies of package pkg in the
// wasm at path (all with top 0), largest first.
func listFuncs(out io.Writer, path, pkg string, top int) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	m, err := parse(b)
	if err != nil {
		return err
	}
	if len(m.names) == 0 {
		return errors.New(path + ": no function names (build it with wasmbuild -symbols)")
	}
	type fn struct {
		name string
		size int
	}
	var fs []fn
	total := 0
	for i, body := range m.bodies {
		if name := m.names[m.imported+i]; packageOf(name) == pkg {
			fs = append(fs, fn{name, len(body)})
			total += len(body)
		}
	}
	if len(fs) == 0 {
		return fmt.Errorf("%s: no function of package %q (the names are as the report prints them)", path, pkg)
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].size > fs[j].size })
	fmt.Fprintf(out, "%s: %d functions, %d bytes of code\n", pkg, len(fs), total)
	for i, f := range fs {
		if top > 0 && i >= top {
			break
		}
		fmt.Fprintf(out, "%9d  %s\n", f.size, f.name)
	}
	return nil
}

type pkgSize struct {
	name  string
	funcs int
	raw   int
	gz    int
	body  bytes.Buffer
}

type report struct {
	file     int
	sections map[string]int
	pkgs     map[string]*pkgSize
}

func load(path, by string) (*report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := parse(b)
	if err != nil {
		return nil, err
	}
	if len(m.names) == 0 {
		return nil, errors.New(path + ": no function names (build it with wasmbuild -symbols)")
	}
	r := &report{file: len(b), sections: m.sections, pkgs: map[string]*pkgSize{}}
	for i, body := range m.bodies {
		name := m.names[m.imported+i]
		key := packageOf(name)
		if by == "prefix" {
			key = group(key)
		}
		p := r.pkgs[key]
		if p == nil {
			p = &pkgSize{name: key}
			r.pkgs[key] = p
		}
		p.funcs++
		p.raw += len(body)
		p.body.Write(body)
	}
	for _, p := range r.pkgs {
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		w.Write(p.body.Bytes())
		w.Close()
		p.gz = z.Len()
		p.body = bytes.Buffer{}
	}
	return r, nil
}

func (r *report) print(out *os.File, old *report, top int) {
	fmt.Fprintf(out, "file %.3f MB\n", float64(r.file)/1e6)
	var secs []string
	for s := range r.sections {
		secs = append(secs, s)
	}
	sort.Slice(secs, func(i, j int) bool { return r.sections[secs[i]] > r.sections[secs[j]] })
	for _, s := range secs {
		fmt.Fprintf(out, "  section %-10s %9d\n", s, r.sections[s])
	}
	var ps []*pkgSize
	var sumRaw, sumGz int
	for _, p := range r.pkgs {
		ps = append(ps, p)
		sumRaw += p.raw
		sumGz += p.gz
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].raw > ps[j].raw })
	fmt.Fprintf(out, "\ncode by package: %d bytes in %d packages (gz of each alone: %d)\n", sumRaw, len(ps), sumGz)
	if old != nil {
		fmt.Fprintf(out, "%9s %8s %6s %9s %8s  %s\n", "raw", "gz", "funcs", "Δraw", "Δgz", "package")
	} else {
		fmt.Fprintf(out, "%9s %8s %6s  %s\n", "raw", "gz", "funcs", "package")
	}
	if old != nil {
		// Packages gone since the old build count as changes too.
		for name := range old.pkgs {
			if r.pkgs[name] == nil {
				ps = append(ps, &pkgSize{name: name})
			}
		}
		sort.Slice(ps, func(i, j int) bool {
			return abs(ps[i].raw-rawOf(old, ps[i].name)) > abs(ps[j].raw-rawOf(old, ps[j].name))
		})
	}
	for i, p := range ps {
		if top > 0 && i >= top {
			break
		}
		if old != nil {
			o := old.pkgs[p.name]
			var oraw, ogz int
			if o != nil {
				oraw, ogz = o.raw, o.gz
			}
			if p.raw == oraw {
				continue
			}
			fmt.Fprintf(out, "%9d %8d %6d %+9d %+8d  %s\n", p.raw, p.gz, p.funcs, p.raw-oraw, p.gz-ogz, p.name)
			continue
		}
		fmt.Fprintf(out, "%9d %8d %6d  %s\n", p.raw, p.gz, p.funcs, p.name)
	}
}

func rawOf(r *report, name string) int {
	if p := r.pkgs[name]; p != nil {
		return p.raw
	}
	return 0
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// packageOf is the Go package of a function's name in the name section,
// where the linker writes "/" as "_" and a dot inside a path element as
// "_2e": "github.com_eclipse_paho_2emqtt_2egolang.__Client_.Publish" →
// "github.com_eclipse_paho_2emqtt_2egolang", "type_.eq.x" → "type_".
func packageOf(sym string) string {
	from := 0
	if i := strings.IndexByte(sym, '.'); i > 0 {
		// The dot of a module's host name ("github.com_…") is not the
		// package's end.
		rest := sym[i+1:]
		for _, tld := range []string{"com_", "org_", "io_", "in_", "net_", "dev_"} {
			if host := strings.TrimPrefix(sym[:i], "vendor_"); strings.HasPrefix(rest, tld) && !strings.Contains(host, "_") {
				from = i + 1
				break
			}
		}
	}
	dot := strings.IndexByte(sym[from:], '.')
	if dot < 0 {
		return sym
	}
	return sym[:from+dot]
}

// group folds packages into the parts the README talks about.
func group(pkg string) string {
	switch {
	case strings.HasPrefix(pkg, "github.com_maxence_charriere_go_app"):
		return "go-app"
	case strings.HasPrefix(pkg, "qosplayground_"):
		return pkg
	case pkg == "runtime" || strings.HasPrefix(pkg, "internal_runtime"):
		return "runtime"
	case strings.HasPrefix(pkg, "crypto") || strings.HasPrefix(pkg, "vendor_golang.org_x_crypto"):
		return "crypto/..."
	case strings.HasPrefix(pkg, "net_http") || strings.HasPrefix(pkg, "vendor_golang.org_x_net"):
		return "net/http/..."
	case strings.Contains(pkg, "."):
		// Another module: its host and the next two path elements.
		parts := strings.SplitN(pkg, "_", 4)
		if len(parts) > 3 {
			parts = parts[:3]
		}
		return strings.Join(parts, "_")
	}
	return pkg
}

type module struct {
	sections map[string]int
	imported int
	bodies   [][]byte
	names    map[int]string
}

var sectionNames = map[byte]string{0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}

func parse(b []byte) (*module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a wasm file")
	}
	m := &module{sections: map[string]int{}, names: map[int]string{}}
	r := reader{b: b, i: 8}
	for r.i < len(b) {
		id := r.byte()
		size := int(r.uleb())
		if r.err != nil || r.i+size > len(b) {
			return nil, errors.New("truncated section")
		}
		sec := reader{b: b[r.i : r.i+size]}
		name := sectionNames[id]
		switch id {
		case 0:
			cname := sec.name()
			name = "custom:" + cname
			if cname == "name" {
				m.readNames(&sec)
			}
		case 2:
			n := int(sec.uleb())
			for k := 0; k < n && sec.err == nil; k++ {
				sec.name()
				sec.name()
				kind := sec.byte()
				switch kind {
				case 0:
					sec.uleb()
					m.imported++
				case 1:
					sec.byte()
					sec.limits()
				case 2:
					sec.limits()
				case 3:
					sec.byte()
					sec.byte()
				}
			}
		case 10:
			n := int(sec.uleb())
			for k := 0; k < n && sec.err == nil; k++ {
				sz := int(sec.uleb())
				m.bodies = append(m.bodies, sec.bytes(sz))
			}
		}
		if sec.err != nil {
			return nil, fmt.Errorf("section %s: %v", name, sec.err)
		}
		m.sections[name] += size
		r.i += size
	}
	return m, r.err
}

func (m *module) readNames(r *reader) {
	for r.i < len(r.b) && r.err == nil {
		id := r.byte()
		size := int(r.uleb())
		sub := reader{b: r.bytes(size)}
		if id != 1 {
			continue
		}
		n := int(sub.uleb())
		for k := 0; k < n && sub.err == nil; k++ {
			idx := int(sub.uleb())
			m.names[idx] = sub.name()
		}
	}
}

type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		r.err = errors.New("unexpected end")
		return 0
	}
	c := r.b[r.i]
	r.i++
	return c
}

func (r *reader) uleb() uint64 {
	v, n := binary.Uvarint(r.b[min(r.i, len(r.b)):])
	if n <= 0 {
		r.err = errors.New("bad LEB128")
		return 0
	}
	r.i += n
	return v
}

func (r *reader) bytes(n int) []byte {
	if r.i+n > len(r.b) {
		r.err = errors.New("unexpected end")
		return nil
	}
	s := r.b[r.i : r.i+n]
	r.i += n
	return s
}

func (r *reader) name() string { return string(r.bytes(int(r.uleb()))) }

func (r *reader) limits() {
	if r.byte()&1 != 0 {
		r.uleb()
	}
	r.uleb()
}
