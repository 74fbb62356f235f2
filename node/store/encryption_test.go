package store

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEncryptionAtRest writes record-like values holding a unique canary
// (in the key too) through every write path, closes the store and reads
// every file under its directory byte by byte. Encrypted, the canary is
// nowhere; with encryption off the same check finds it, so the check is real.
func TestEncryptionAtRest(t *testing.T) {
	t.Parallel()
	for _, encrypted := range []bool{true, false} {
		t.Run(fmt.Sprintf("encrypted=%v", encrypted), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var key []byte
			if encrypted {
				key = newKey(t)
			}
			canary := newCanary(t)
			writeCanary(t, dir, key, canary)

			files, found := filesHolding(t, dir, []byte(canary))
			if files == 0 {
				t.Fatalf("no files under %s", dir)
			}
			switch {
			case encrypted && len(found) > 0:
				t.Errorf("canary %s found in plain text in %v", canary, found)
			case !encrypted && len(found) == 0:
				t.Errorf("with encryption off the canary is in none of %d files: the check cannot fail", files)
			case !encrypted:
				t.Logf("encryption off: canary found in %v (of %d files)", found, files)
			}
		})
	}
}

func newCanary(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "canary-" + hex.EncodeToString(b)
}

// writeCanary writes the canary through Update (small value, in the LSM
// tree), Put of a large value (in the value log) and Batch, then closes.
func writeCanary(t *testing.T, dir string, key []byte, canary string) {
	t.Helper()
	s, err := Open(Options{Dir: dir, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	record := fmt.Sprintf(`{"id":"r-%s","kind":"judgment","form":"rs.judgment@1","country":"RS",`+
		`"fields":{"victim_name":"%s","notes":"free text %s"},"common":{"verdict":"convicted"}}`, canary, canary, canary)
	err = s.Update(func(tx *Tx) error {
		return tx.Put("record", []byte("r-"+canary), []byte(record))
	})
	if err != nil {
		t.Fatal(err)
	}
	// Above valueThreshold: this value goes to the value log.
	large := strings.Repeat(record, valueThreshold/len(record)+2)
	if err := s.Put("attachment", []byte("a-"+canary), []byte(large)); err != nil {
		t.Fatal(err)
	}
	err = s.Batch(func(b *Batch) error {
		return b.Put("import", []byte("i-"+canary), []byte(record))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// filesHolding reads every regular file under dir and returns how many there
// are and the names of those that contain needle.
func filesHolding(t *testing.T, dir string, needle []byte) (files int, found []string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		if bytes.Contains(b, needle) {
			found = append(found, filepath.Base(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, found
}
