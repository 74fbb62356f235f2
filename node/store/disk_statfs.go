//go:build linux || darwin || freebsd

package store

import (
	"fmt"
	"syscall"
)

// statfsFree is the space an unprivileged process may still write on the
// file system holding dir (statfs's f_bavail blocks of f_bsize bytes).
func statfsFree(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1, fmt.Errorf("free space of %s: %w", dir, err)
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}
