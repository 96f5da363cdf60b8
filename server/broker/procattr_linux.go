//go:build linux

package broker

import "syscall"

// childProcAttr returns the process attributes for a managed Mosquitto child.
//
// Pdeathsig makes the kernel send SIGKILL to the child when the server dies, even
// when the server is killed with SIGKILL and runs no clean-up code, so no orphaned
// broker keeps the port and the database. Two caveats: the signal is tied to the
// OS thread that started the child, not to the whole process (a Go thread only
// ends when a goroutine locked to it exits; if that ever happens the supervisor
// restarts the child), and the kernel clears it when the child changes its user
// id, which is why the generated configuration keeps Mosquitto from dropping
// privileges when the server runs as root.
//
// Setpgid puts the child in a process group of its own, so a Ctrl-C in the
// terminal reaches only the server, which then stops the broker in order.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}
