//go:build unix

package precompress

import (
	"os"
	"syscall"
)

// inode is the file's inode number: a file renamed into place over another
// of the same size and time is still a different file.
func inode(info os.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
