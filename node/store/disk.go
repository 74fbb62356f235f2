package store

import (
	"errors"
	"fmt"
)

// ErrDiskFull is returned by a write (Update, Put, Batch) when the file
// system holding the store has less free space than the store's reserve:
// nothing of that write is stored, and what was stored before stays.
var ErrDiskFull = errors.New("disk full")

// Badger writes its memtables, and the tables it flushes and compacts, into
// files that it sizes first and then fills through memory mappings. On a
// full disk such a write does not fail with an error: the kernel kills the
// process (SIGBUS), in the middle of whatever it was doing. So the store
// refuses writes while the free space is under a reserve that covers what
// Badger may still write by itself: both memtable files (each twice
// MemTableBytes), the flush of a memtable, a compaction of level 0 (five
// tables of about a memtable each) and a margin for the manifest, the
// discard file and the value log's head.
const (
	reserveMemtables = 8        // memtables' worth of bytes kept free
	reserveMargin    = 32 << 20 // plus this
)

// defaultReserve is the free space the store keeps for Badger's own writes
// with memtables of mem bytes.
func defaultReserve(mem int64) int64 { return reserveMemtables*mem + reserveMargin }

// batchCheckBytes is how many bytes a Batch writes between two checks of
// the free space: far under the reserve, so no check can be passed by a
// write that then fills the disk.
const batchCheckBytes = 1 << 20

// checkSpace returns an error wrapping ErrDiskFull when writing need more
// bytes would leave less than the reserve free on the store's file system.
// Where the free space cannot be read (a platform without statfs), it lets
// the write through.
func (s *Store) checkSpace(need int64) error {
	if s.reserve <= 0 {
		return nil
	}
	free, err := s.freeBytes(s.dir)
	if err != nil || free < 0 {
		return nil // the health check reports a directory it cannot read
	}
	if free-need >= s.reserve {
		return nil
	}
	err = s.fullError(free)
	s.health.noteFull(err)
	return err
}

// fullError is the refusal of a write when free bytes are left.
func (s *Store) fullError(free int64) error {
	return fmt.Errorf("store %s: %w: %s free on its file system, and the store keeps %s free for its own work (flushing and compacting its tables); nothing was written: free space on this disk, or move the node's home to a larger one",
		s.dir, ErrDiskFull, HumanBytes(free), HumanBytes(s.reserve))
}

// recoverBytes: a store reported full is reported writable again once this
// much more than the reserve is free (a refused write of up to a Batch's
// check interval then goes through), so the report does not flap.
const recoverBytes = batchCheckBytes

// fullProblem is the health check's view of the free space: the refusal a
// write would get, or "" (also where the free space cannot be read).
func (s *Store) fullProblem() string {
	if s.reserve <= 0 {
		return ""
	}
	free, err := s.freeBytes(s.dir)
	switch {
	case err != nil || free < 0:
		return ""
	case free < s.reserve, s.health.has(problemFull) && free < s.reserve+recoverBytes:
		return s.fullError(free).Error()
	}
	return ""
}

// HumanBytes formats n bytes for a person: "512 B", "3.4 MiB".
func HumanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
