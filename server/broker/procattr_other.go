//go:build !linux

package broker

import "syscall"

// childProcAttr returns nil on systems other than Linux: they have no parent-death
// signal, so a managed Mosquitto child can outlive a server that is killed hard.
func childProcAttr() *syscall.SysProcAttr {
	return nil
}
