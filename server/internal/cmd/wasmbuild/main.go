// Command wasmbuild builds a package of the playground for the browser as it
// ships (see package wasmbuild): `make build` runs
//
//	go run ./server/internal/cmd/wasmbuild -o web/app.wasm ./wasm
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"qosplayground/server/internal/wasmbuild"
)

func main() {
	out := flag.String("o", "", "the .wasm file to write")
	symbols := flag.Bool("symbols", false, "keep the function names and the source lines of stack traces (for profiles, size analysis and debugging)")
	lines := flag.Bool("lines", false, "keep the source lines of stack traces (a panic's file:line), which builds leave out (-symbols keeps them too)")
	dumpdep := flag.String("dumpdep", "", "write the linker's reasons for keeping each symbol (caller -> callee) to this file")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: wasmbuild -o FILE.wasm PACKAGE")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	err := wasmbuild.Build(context.Background(), wasmbuild.Options{Package: flag.Arg(0), Out: *out, Symbols: *symbols, KeepLines: *lines, DumpDep: *dumpdep})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
