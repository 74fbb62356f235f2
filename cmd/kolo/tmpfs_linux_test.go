package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// mountTmpfs mounts a tmpfs of size bytes on a fresh directory, unmounted
// when the test ends, or says why it cannot (not root; a container without
// CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, size int64) (string, error) {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		return "", fmt.Errorf("mount -t tmpfs -o size=%d tmpfs %s: %w", size, dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir, nil
}

// freeBytes is the space left on the file system holding dir.
func freeBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// fillTo takes space on dir's file system with a file (allocated, not
// sparse) until about free bytes are left, and returns the file's path.
func fillTo(t *testing.T, dir string, free int64) string {
	t.Helper()
	p := filepath.Join(dir, fmt.Sprintf("filler-%d", free))
	take := freeBytes(t, dir) - free
	if take <= 0 {
		t.Fatalf("%s has %d bytes free, already less than %d", dir, freeBytes(t, dir), free)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Fallocate(int(f.Fd()), 0, 0, take); err != nil {
		t.Fatalf("fallocate %d bytes in %s: %v", take, dir, err)
	}
	return p
}
