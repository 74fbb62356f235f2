package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Health says whether the store can be written. A store that cannot (its
// directory removed, its disk full, a write that fails, Badger unable to
// flush) is reported while the node runs, not at its next stop.
type Health struct {
	// Problem is "" when the store can be written, else one line saying
	// what is wrong and what to do.
	Problem string `json:"problem,omitempty"`
	// Since is when the problem was first seen.
	Since time.Time `json:"since,omitzero"`
}

// OK reports whether the store can be written.
func (h Health) OK() bool { return h.Problem == "" }

// Health checks of a running store, and how long a Badger error counts.
const (
	// DefaultHealthInterval is how often the store checks its directory
	// and its free space.
	DefaultHealthInterval = 2 * time.Second
	// probeEvery: one check in this many also writes, syncs and removes a
	// small file in the directory (an I/O error or a read-only file system
	// shows there), so an idle laptop's disk is written every 10 seconds
	// at most.
	probeEvery = 5
	// badgerErrorWindow: a Badger error (a failed flush or compaction,
	// which Badger retries every second) keeps the store reported as
	// unwritable until this long has passed without another.
	badgerErrorWindow = 10 * time.Second
	// probeFile is the file the write probe writes and removes; Badger
	// ignores files it does not know.
	probeFile = "kolo-health-probe"
)

// The kinds of problem, in the order they are reported when several hold:
// the first says most about what to do.
const (
	problemDir = iota
	problemProbe
	problemFull
	problemBadger
	problemKinds
)

// health is the store's state of health: one message per kind of problem,
// the one reported, and when it started. Its methods are safe for
// concurrent use.
type health struct {
	log *slog.Logger // the node's logger; nil discards

	mu       sync.Mutex
	problems [problemKinds]string
	badgerAt time.Time // when Badger last logged an error
	kind     int       // the kind reported, -1 for none
	since    time.Time
}

func newHealth(log *slog.Logger) *health { return &health{log: log, kind: -1} }

// get returns the problem reported, if any.
func (h *health) get() Health {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.kind < 0 {
		return Health{}
	}
	return Health{Problem: h.problems[h.kind], Since: h.since}
}

// set records kind's problem ("" for none) and reports a change.
func (h *health) set(kind int, problem string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.problems[kind] = problem
	h.update()
}

// update picks the problem to report and logs one line when it changes:
// an error when the store becomes unwritable, a warning when it stays so
// for another reason, info when it can be written again. h.mu held.
func (h *health) update() {
	if h.problems[problemBadger] != "" && time.Since(h.badgerAt) > badgerErrorWindow {
		h.problems[problemBadger] = ""
	}
	kind := -1
	for k, p := range h.problems {
		if p != "" {
			kind = k
			break
		}
	}
	if kind == h.kind {
		return
	}
	was := h.kind
	h.kind = kind
	if kind < 0 {
		h.since = time.Time{}
		h.logf(slog.LevelInfo, "store can be written again")
		return
	}
	if was >= 0 {
		// Still unwritable, for another reason: the error line was said.
		h.logf(slog.LevelWarn, "store still cannot be written", "problem", h.problems[kind])
		return
	}
	h.since = time.Now()
	h.logf(slog.LevelError, "store cannot be written", "problem", h.problems[kind])
}

func (h *health) logf(level slog.Level, msg string, args ...any) {
	if h.log != nil {
		h.log.Log(context.Background(), level, msg, args...)
	}
}

// noteFull records a write refused for want of space (the check loop
// clears it once there is space again).
func (h *health) noteFull(err error) { h.set(problemFull, err.Error()) }

// noteBadger records an error Badger logged while running.
func (h *health) noteBadger(msg string) {
	first, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	h.badgerAt = time.Now()
	h.problems[problemBadger] = "Badger cannot write its files: " + first + "; see the log lines with lib=badger (level debug) and the store's disk"
	h.update()
}

// has reports whether a problem of kind is known.
func (h *health) has(kind int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.problems[kind] != ""
}

// Health returns whether the store can be written now.
func (s *Store) Health() Health { return s.health.get() }

// watchHealth checks the store's directory, free space and (every
// probeEvery checks) a write to its disk, every interval until Close.
func (s *Store) watchHealth(interval time.Duration) {
	defer close(s.healthDone)
	t := time.NewTicker(interval)
	defer t.Stop()
	for n := 0; ; n++ {
		s.checkHealth(n%probeEvery == 0)
		select {
		case <-s.healthStop:
			return
		case <-t.C:
		}
	}
}

// checkHealth runs the checks once; probe adds the write probe.
func (s *Store) checkHealth(probe bool) {
	s.health.set(problemDir, s.dirProblem())
	if probe {
		p := ""
		// A file or directory that vanished under the probe is a directory
		// being removed, which the check above reports as such (now or at
		// the next check), not a disk error.
		if err := s.probe(s.dir); err != nil && !errors.Is(err, os.ErrNotExist) && s.dirProblem() == "" {
			p = fmt.Sprintf("writing a file in %s fails (%v): check the disk (dmesg, smartctl) and the file system; the node cannot store anything until this is fixed", s.dir, err)
		}
		s.health.set(problemProbe, p)
	}
	s.health.set(problemFull, s.fullProblem())
	s.health.mu.Lock()
	s.health.update() // let a Badger error age out
	s.health.mu.Unlock()
	s.checks.Add(1)
}

// dirProblem says what is wrong with the store's directory itself: gone
// (removed or moved away while the node ran) or replaced by another.
func (s *Store) dirProblem() string {
	fi, err := os.Stat(s.dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Sprintf("its directory %s is gone (removed or moved while the node ran): nothing can be stored; stop the node and restore its home from a backup (kolo restore)", s.dir)
	case err != nil:
		return fmt.Sprintf("its directory %s cannot be read: %v", s.dir, err)
	case s.dirInfo != nil && !os.SameFile(fi, s.dirInfo):
		return fmt.Sprintf("its directory %s was replaced by another while the node ran: stop the node before changing its home", s.dir)
	}
	return ""
}

// writeProbe creates, writes, syncs and removes a small file in dir.
func writeProbe(dir string) error {
	p := filepath.Join(dir, probeFile)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write([]byte("kolo\n"))
	serr := f.Sync()
	cerr := f.Close()
	rerr := os.Remove(p)
	return errors.Join(werr, serr, cerr, rerr)
}

// CloseContext is Close bounded by ctx: when ctx ends first (Badger cannot
// flush to a directory that is gone, say) it returns an error saying why,
// and the store is left to the process's exit. What the store had
// acknowledged is in its write-ahead log and is read again at the next
// start, unless the directory itself is gone.
func (s *Store) CloseContext(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		why := "a write in flight or Badger's flush did not finish; what the store acknowledged is in its write-ahead log, read again at the next start"
		if h := s.Health(); !h.OK() {
			why = h.Problem
		}
		return fmt.Errorf("close store %s: not closed in time (%s)", s.dir, why)
	}
}
