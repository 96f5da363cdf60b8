//go:build linux

package main

import "syscall"

// childProcAttr: the kernel kills a child when this command dies, even by
// SIGKILL; its own process group keeps a terminal's Ctrl-C for this command,
// which then stops the children in order.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}
