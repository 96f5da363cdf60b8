// Command testshards runs the module's tests as `go test ./...` does, but
// with one package's tests (the server's: its browser tests run one after
// another for ten minutes, mostly waiting on the page, the broker and the
// network conditions they set) split into shards that run side by side,
// each in a process of its own, next to the other packages' tests.
//
//	go run ./server/internal/cmd/testshards -split ./server -shards 3 -race -timeout 20m
//
// The split package's test binary is built once (go test -c) and run once
// per shard with -test.run naming that shard's tests exactly; the tests
// are dealt out in name order, so each shard gets its share of the long
// browser tests. A shard's output is printed when it ends, as go test
// prints a package's; the exit status is 1 if any test failed.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	split := flag.String("split", "./server", "the package whose tests are split into shards")
	shards := flag.Int("shards", 3, "how many processes run the split package's tests")
	race := flag.Bool("race", false, "build with the race detector")
	timeout := flag.Duration("timeout", 20*time.Minute, "each test process's time limit")
	flag.Parse()
	if err := run(*split, *shards, *race, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "testshards:", err)
		os.Exit(1)
	}
}

func run(split string, shards int, race bool, timeout time.Duration) error {
	if shards < 1 {
		return fmt.Errorf("-shards %d: want 1 or more", shards)
	}
	splitPkg, err := goList(split)
	if err != nil {
		return err
	}
	all, err := goList("./...")
	if err != nil {
		return err
	}
	others := slices.DeleteFunc(all, func(p string) bool { return p == splitPkg[0] })

	tmp, err := os.MkdirTemp("", "testshards-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "split.test")
	build := []string{"test", "-c", "-o", bin}
	if race {
		build = append(build, "-race")
	}
	if out, err := exec.Command("go", append(build, split)...).CombinedOutput(); err != nil {
		return fmt.Errorf("go test -c %s: %v\n%s", split, err, out)
	}
	dir, err := pkgDir(split)
	if err != nil {
		return err
	}
	names, err := listTests(bin, dir)
	if err != nil {
		return err
	}
	groups := deal(names, shards)

	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
	)
	fail := func(what string) {
		mu.Lock()
		failed = append(failed, what)
		mu.Unlock()
	}
	// The other packages, as go test ./... runs them (its own output).
	wg.Go(func() {
		args := []string{"test", "-count=1", "-timeout", timeout.String()}
		if race {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, others...)...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fail("the other packages")
		}
	})
	for i, g := range groups {
		wg.Go(func() {
			name := fmt.Sprintf("%s [shard %d/%d: %d tests]", splitPkg[0], i+1, len(groups), len(g))
			start := time.Now()
			cmd := exec.Command(bin, "-test.run", runPattern(g), "-test.count=1", "-test.timeout="+timeout.String())
			cmd.Dir = dir
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			mu.Lock()
			defer mu.Unlock()
			secs := time.Since(start).Seconds()
			if err != nil {
				os.Stdout.Write(out.Bytes())
				fmt.Printf("FAIL\t%s\t%.3fs\n", name, secs)
				failed = append(failed, name)
				return
			}
			fmt.Printf("ok  \t%s\t%.3fs\n", name, secs)
		})
	}
	wg.Wait()
	if len(failed) > 0 {
		return fmt.Errorf("failed: %s", strings.Join(failed, "; "))
	}
	return nil
}

// goList returns the import paths of the packages pattern names.
func goList(pattern string) ([]string, error) {
	out, err := exec.Command("go", "list", pattern).Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v", pattern, err)
	}
	return strings.Fields(string(out)), nil
}

// pkgDir is the folder of the package, where go test runs its binary.
func pkgDir(pattern string) (string, error) {
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", pattern).Output()
	if err != nil {
		return "", fmt.Errorf("go list -f {{.Dir}} %s: %v", pattern, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// listTests asks the test binary for its top-level tests.
func listTests(bin, dir string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-test.list", ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s -test.list: %v", bin, err)
	}
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if n := strings.TrimSpace(sc.Text()); strings.HasPrefix(n, "Test") {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s -test.list: no tests", bin)
	}
	return names, nil
}

// deal deals names, in name order, into n groups (fewer if there are
// fewer names), as cards are dealt.
func deal(names []string, n int) [][]string {
	names = slices.Sorted(slices.Values(names))
	n = min(n, len(names))
	groups := make([][]string, n)
	for i, name := range names {
		groups[i%n] = append(groups[i%n], name)
	}
	return groups
}

// runPattern is the -test.run pattern that matches exactly names (their
// subtests included).
func runPattern(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = regexp.QuoteMeta(n)
	}
	return "^(" + strings.Join(q, "|") + ")$"
}
