//go:build unix

package node

import (
	"io/fs"
	"syscall"
)

// allocated is the space a file's blocks take on disk (st_blocks counts
// 512-byte units on every Unix).
func allocated(fi fs.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int64(st.Blocks) * 512
	}
	return fi.Size()
}
