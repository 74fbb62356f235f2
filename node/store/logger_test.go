package store

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for Badger's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newLogger(level slog.Level) (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: level})), buf
}

// At the info level a node logs by default, Badger is silent through a
// normal open, write, close and through a wrong-key open (whose error Open
// returns); at debug its messages come through, marked lib=badger.
func TestBadgerLogs(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	info, infoBuf := newLogger(slog.LevelInfo)
	s, err := Open(Options{Dir: dir, Key: key, Logger: info})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put("meta", []byte("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{Dir: dir, Key: newKey(t), Logger: info}); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("wrong key: err = %v", err)
	}
	if out := infoBuf.String(); out != "" {
		t.Errorf("Badger logged at info level or above:\n%s", out)
	}

	debug, debugBuf := newLogger(slog.LevelDebug)
	s, err = Open(Options{Dir: dir, Key: key, Logger: debug})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	out := debugBuf.String()
	if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, "lib=badger") {
		t.Errorf("at debug level, Badger's messages are missing or unmarked:\n%s", out)
	}
}

func TestBadgerLoggerLevels(t *testing.T) {
	t.Parallel()
	l, buf := newLogger(slog.LevelDebug)
	b := newBadgerLogger(l, newHealth(l))
	b.Errorf("e %d\n", 1)
	b.Errorf("e %d\n", 2) // Badger retrying: no second error line
	b.Warningf("w %d", 2)
	b.Infof("i %d", 3)
	b.Debugf("d %d", 4)
	b.opening.Store(true)
	b.Errorf("open failed")
	want := []string{
		`level=ERROR msg="store cannot be written" problem="Badger cannot write its files: e 1;`,
		`level=DEBUG msg="e 1" lib=badger`,
		`level=DEBUG msg="e 2" lib=badger`,
		`level=WARN msg="w 2" lib=badger`,
		`level=DEBUG msg="i 3" lib=badger`,
		`level=DEBUG msg="d 4" lib=badger`,
		`level=DEBUG msg="open failed" lib=badger`,
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), buf)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %q, want it to contain %q", i, lines[i], w)
		}
	}
	newBadgerLogger(nil, nil).Errorf("discarded")            // must not panic
	newBadgerLogger(nil, newHealth(nil)).Errorf("discarded") // nor this
}
