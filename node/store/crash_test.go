package store

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenAfterCrashLeftEmptyLog: a kill between Badger creating a new
// memtable or value-log file and sizing it leaves an empty file; Badger's
// Open then failed for good ("while opening memtables ... Create a new
// file", Badger issue 2207; TestCrashDaemon in cmd/kolo found it). The
// store opens, with its data.
func TestOpenAfterCrashLeftEmptyLog(t *testing.T) {
	t.Parallel()
	for _, files := range [][]string{{"00099.mem"}, {"00098.mem", "00099.mem"}, {"000099.vlog"}} {
		t.Run(strings.Join(files, "+"), func(t *testing.T) {
			t.Parallel()
			dir, key := t.TempDir(), newKey(t)
			s, err := Open(Options{Dir: dir, Key: key, HealthInterval: -1})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Put("record", []byte("r1"), []byte("kept")); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var logs bytes.Buffer
			s, err = Open(Options{Dir: dir, Key: key, HealthInterval: -1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatalf("Open after a crash left %v empty: %v", files, err)
			}
			defer s.Close()
			if v := mustGet(t, s, "record", "r1"); v != "kept" {
				t.Fatalf("r1 = %q", v)
			}
			if err := s.Put("record", []byte("r2"), []byte("new")); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(logs.String(), "empty log file") {
				t.Errorf("the repair is not logged:\n%s", logs.String())
			}
		})
	}
}
