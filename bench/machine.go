package main

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// Machine says where the figures were measured: they mean little without it.
type Machine struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	MemoryGiB  int    `json:"memory_gib"`
	Kernel     string `json:"kernel"`
	Go         string `json:"go"`
	Mosquitto  string `json:"mosquitto"`
	Chromium   string `json:"chromium,omitempty"`
	OpenFiles  uint64 `json:"open_files_limit"`
	LocalPorts string `json:"local_port_range"`
}

func describeMachine(mosquittoPath, chromiumPath string) Machine {
	m := Machine{
		CPU:        "unknown",
		Cores:      runtime.NumCPU(),
		Kernel:     strings.TrimSpace(readFile("/proc/sys/kernel/osrelease")),
		Go:         runtime.Version(),
		Mosquitto:  firstLine(mosquittoPath, "-h"),
		LocalPorts: strings.Join(strings.Fields(readFile("/proc/sys/net/ipv4/ip_local_port_range")), "–"),
	}
	if chromiumPath != "" {
		m.Chromium = lineWith(chromiumPath, "Chromium", "--version")
	}
	m.OpenFiles, _ = openFilesLimit()
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	for line := range strings.Lines(readFile("/proc/meminfo")) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
			m.MemoryGiB = int((atoi(f[1]) + 512*1024) / (1024 * 1024))
		}
	}
	return m
}

func readFile(name string) string {
	b, _ := os.ReadFile(name)
	return string(b)
}

// lineWith runs a program and returns the first line it prints that holds
// word (Debian's chromium wrapper script may complain before the version).
func lineWith(path, word string, args ...string) string {
	out, _ := exec.Command(path, args...).CombinedOutput()
	for line := range strings.Lines(string(out)) {
		if strings.Contains(line, word) {
			return strings.TrimSpace(line)
		}
	}
	return "unknown"
}

// firstLine runs a program and returns the first non-empty line it prints
// (Mosquitto prints its version with -h, and exits 3).
func firstLine(path string, args ...string) string {
	out, _ := exec.Command(path, args...).CombinedOutput()
	for line := range strings.Lines(string(out)) {
		if s := strings.TrimSpace(line); s != "" {
			return s
		}
	}
	return "unknown"
}

func atoi(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// loadAverage is the machine's load average over the last minute, or 0
// where /proc/loadavg cannot be read.
func loadAverage() float64 {
	f := strings.Fields(readFile("/proc/loadavg"))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}
