package store

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestDirectoryRemoved: the store's directory is removed while it runs.
// The health check reports it at once, with one error line, long before
// any stop; Close cannot finish (Badger retries its memtable flush every
// second, forever), so CloseContext returns at its deadline with an error
// that says why.
func TestDirectoryRemoved(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	dir := filepath.Join(home, "store")
	logs := &lockedBuffer{}
	s, err := Open(Options{Dir: dir, Key: newKey(t), HealthInterval: 20 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Health().OK() {
		t.Fatalf("a new store is unhealthy: %+v", s.Health())
	}
	if err := s.Put("record", []byte("r1"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(home); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the removed directory to be reported", func() bool {
		return strings.Contains(s.Health().Problem, "is gone")
	})
	h := s.Health()
	if !strings.Contains(h.Problem, dir) || !strings.Contains(h.Problem, "kolo restore") || h.Since.IsZero() {
		t.Errorf("health = %+v; want the directory, what to do and since when", h)
	}
	n := s.checks.Load()
	waitFor(t, "five more checks", func() bool { return s.checks.Load() >= n+5 })
	if c := strings.Count(logs.String(), "level=ERROR"); c != 1 {
		t.Errorf("%d error lines, want 1:\n%s", c, logs)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.CloseContext(ctx)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("CloseContext took %s with a 500 ms deadline", took)
	}
	if err == nil || !strings.Contains(err.Error(), "not closed in time") || !strings.Contains(err.Error(), "is gone") {
		t.Fatalf("CloseContext = %v; want an error saying the directory is gone", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("the error is not one line: %q", err)
	}
	// Badger's own retries stay at debug: still one error line.
	if c := strings.Count(logs.String(), "level=ERROR"); c != 1 {
		t.Errorf("after the close: %d error lines, want 1:\n%s", c, logs)
	}
}

// TestWriteProbeFails: an I/O error on the store's disk (injected into the
// write probe: a failing disk cannot be had in a test) is reported at the
// next probe, and the store says when it can be written again.
func TestWriteProbeFails(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	logs := &lockedBuffer{}
	s, err := Open(Options{Dir: t.TempDir(), Key: newKey(t), HealthInterval: 5 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
		probe: func(dir string) error {
			if fail.Load() {
				return &os.PathError{Op: "write", Path: filepath.Join(dir, probeFile), Err: syscall.EIO}
			}
			return writeProbe(dir)
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fail.Store(true)
	waitFor(t, "the I/O error to be reported", func() bool {
		return strings.Contains(s.Health().Problem, "input/output error")
	})
	fail.Store(false)
	waitFor(t, "the store to be writable again", func() bool { return s.Health().OK() })
	if !strings.Contains(logs.String(), "store can be written again") {
		t.Errorf("recovery not logged:\n%s", logs)
	}
}

// TestWriteProbeReal: the real probe writes, syncs and removes its file,
// and fails on a directory that is gone.
func TestWriteProbeReal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := writeProbe(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, probeFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("probe file left behind: %v", err)
	}
	if err := writeProbe(filepath.Join(dir, "gone")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("probe in a missing directory: %v", err)
	}
}
