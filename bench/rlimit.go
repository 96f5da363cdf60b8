package main

import (
	"fmt"
	"syscall"
)

// openFilesLimit returns the soft limit on open files.
func openFilesLimit() (uint64, error) {
	var rl syscall.Rlimit
	err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
	return rl.Cur, err
}

// raiseOpenFiles raises the soft limit on open files to the hard limit, so
// that the learners' sockets fit; the server and Mosquitto, started by this
// process, inherit it. It returns the new soft limit.
func raiseOpenFiles() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, fmt.Errorf("reading the open files limit: %w", err)
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
			return 0, fmt.Errorf("raising the open files limit to %d: %w", rl.Max, err)
		}
	}
	return rl.Cur, nil
}
