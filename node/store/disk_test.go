package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDiskFull fills a real, size-limited file system (a 48 MiB tmpfs)
// through Put, Update and Batch until the store refuses: the refusal wraps
// ErrDiskFull and says what to do, every write acknowledged before it is
// still there (also after a restart), a refused Update or Batch is not
// half-written, deletions still go through, and the health check says so.
// Without the reserve, Badger wrote into its memory-mapped memtable past
// the end of the disk and the kernel killed the process (SIGBUS).
//
// Where a tmpfs cannot be mounted (not root), the same test runs on a
// temporary directory whose free space the store reads from a function the
// test gives it (a fault-injecting path, named so in the log).
func TestDiskFull(t *testing.T) {
	t.Parallel()
	const memtable = 1 << 20 // reserve: 8 MiB + 32 MiB = 40 MiB
	dir, err := mountTmpfs(t, 48<<20)
	var fake *fakeDisk
	if err != nil {
		t.Logf("no tmpfs (%v): testing with an injected free-space reading instead", err)
		dir = t.TempDir()
		fake = &fakeDisk{free: 48 << 20}
	}
	key := newKey(t)
	logs := &lockedBuffer{}
	open := func() *Store {
		o := Options{Dir: filepath.Join(dir, "store"), Key: key, MemTableBytes: memtable,
			HealthInterval: 20 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(logs, nil))}
		if fake != nil {
			o.freeBytes = fake.read
		}
		s, err := Open(o)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	defer func() { s.Close() }()

	val := make([]byte, 1000)
	acked := map[string][]byte{}
	var full error
	for i := 0; full == nil; i++ {
		if i > 100_000 {
			t.Fatalf("wrote %d values of 1 KB into a 48 MiB file system without a refusal", i)
		}
		rand.Read(val)
		k := fmt.Sprintf("k%06d", i)
		switch i % 3 {
		case 0:
			full = s.Put("record", []byte(k), val)
		case 1: // an Update of two entries: both or none
			full = s.Update(func(tx *Tx) error {
				if err := tx.Put("record", []byte(k), val); err != nil {
					return err
				}
				return tx.Put("index", []byte(k), val[:100])
			})
		case 2: // a Batch of ten: refused as a whole before its first entry
			full = s.Batch(func(b *Batch) error {
				for j := range 10 {
					if err := b.Put("bulk", fmt.Appendf(nil, "%s-%d", k, j), val); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if full == nil {
			acked[k] = bytes.Clone(val)
		}
		if fake != nil {
			fake.write(int64(len(val)) * 4)
		}
	}
	if !errors.Is(full, ErrDiskFull) {
		t.Fatalf("the first refused write: %v; want ErrDiskFull", full)
	}
	for _, w := range []string{s.Dir(), "free on its file system", "keeps 40.0 MiB free", "nothing was written", "free space on this disk"} {
		if !strings.Contains(full.Error(), w) {
			t.Errorf("refusal %q does not say %q", full, w)
		}
	}
	if len(acked) < 100 {
		t.Fatalf("only %d writes before the refusal: the test filled nothing", len(acked))
	}
	// The refused write is absent, whole: its key in no space.
	refused := fmt.Sprintf("k%06d", len(acked))
	for _, sp := range []Space{"record", "index"} {
		if _, err := s.Get(sp, []byte(refused)); !errors.Is(err, ErrNotFound) {
			t.Errorf("refused write's %s entry: %v, want not found", sp, err)
		}
	}
	n := 0
	s.Scan(context.Background(), "bulk", []byte(refused+"-"), func(_, _ []byte) error { n++; return nil })
	if n != 0 {
		t.Errorf("refused batch left %d entries", n)
	}
	// Reported by the health check, with one error line.
	waitFor(t, "health to report the full disk", func() bool { return strings.Contains(s.Health().Problem, "disk full") })
	if c := strings.Count(logs.String(), `msg="store cannot be written"`); c != 1 {
		t.Errorf("%d error lines about the full disk, want 1:\n%s", c, logs)
	}
	// Deletions go through: they are how space is made.
	var some string
	for k := range acked {
		some = k
		break
	}
	if err := s.Delete("record", []byte(some)); err != nil {
		t.Errorf("Delete on a full disk: %v", err)
	}
	delete(acked, some)

	check := func(when string) {
		t.Helper()
		for k, v := range acked {
			got, err := s.Get("record", []byte(k))
			if errors.Is(err, ErrNotFound) {
				got, err = s.Get("bulk", []byte(k+"-9"))
			}
			if err != nil || !bytes.Equal(got, v) {
				t.Fatalf("%s: acknowledged %s: %v (value equal: %v)", when, k, err, bytes.Equal(got, v))
			}
		}
	}
	check("on the full disk")
	if err := s.Close(); err != nil {
		t.Fatalf("Close on the full disk: %v", err)
	}
	s = open()
	check("after a restart")
}

// fakeDisk is the fault-injecting stand-in for a small file system, used
// only where a tmpfs cannot be mounted.
type fakeDisk struct {
	mu   sync.Mutex
	free int64
}

func (f *fakeDisk) read(string) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.free, nil
}

func (f *fakeDisk) write(n int64) {
	f.mu.Lock()
	f.free -= n
	f.mu.Unlock()
}

// lockedBuffer is a bytes.Buffer for a logger that goroutines share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls cond until it holds or 10 s have passed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReserveOff: a negative reserve turns the check off (a store whose
// platform cannot read free space behaves so too).
func TestReserveOff(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{Dir: t.TempDir(), Key: newKey(t), ReserveBytes: -1, HealthInterval: -1,
		freeBytes: func(string) (int64, error) { return 0, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Put("record", []byte("k"), []byte("v")); err != nil {
		t.Fatalf("Put with the reserve off on a 'full' disk: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), probeFile)); !os.IsNotExist(err) {
		t.Errorf("probe file left behind: %v", err)
	}
}
