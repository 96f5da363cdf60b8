// Command stripped is TestStrippedRuns' program: built as wasmbuild
// ships a wasm (data joined, line tables stripped), it collects garbage,
// grows its stack, asks for its caller and panics; the test reads what it
// prints.
package main

import (
	"fmt"
	"runtime"
)

//go:noinline
func deep(n int) int {
	var pad [256]byte // 2,000 such frames grow the 8 KB stack a goroutine starts with
	pad[n%256] = byte(n)
	if n == 0 {
		_, file, line, ok := runtime.Caller(0)
		fmt.Printf("caller: %s:%d %v\n", file, line, ok)
		var m map[string]int
		m["x"] = 1 // panics: a nil map
	}
	return deep(n-1) + int(pad[n%256])
}

func main() {
	var keep [][]byte
	for i := range 2000 {
		keep = append(keep, make([]byte, 10_000+i))
		if i%100 == 0 {
			keep = keep[:len(keep)/2] // garbage
			runtime.GC()
		}
	}
	fmt.Println("gc ok", len(keep))
	deep(2_000)
}
