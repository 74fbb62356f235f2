package records

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/store"
)

// TestPurge: a purge erases the personal and free-text answers of every
// version, keeps the other answers and the indicators, and adds a version
// that says when and by whom. A second purge finds nothing to erase.
func TestPurge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	a := answers(t, "rs", "judgment.v2.json")
	a["notes"] = "Žrtva: Marija P., rođena 1999."
	a["defendant_initials"] = "D. J."
	rec, err := tb.Add(ctx, "rs.judgment", a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tb.Edit(ctx, rec.ID, with(a, map[string]any{"sentence_months": 40.0})); err != nil {
		t.Fatal(err)
	}
	before, _ := tb.History(ctx, rec.ID)
	purged, err := tb.Purge(ctx, rec.ID, "Ana (monitor)")
	if err != nil {
		t.Fatal(err)
	}
	if purged.Version != 3 || purged.Purged == nil || purged.Purged.By != "Ana (monitor)" ||
		strings.Join(purged.Purged.Fields, ",") != "case_number,defendant_initials,notes" {
		t.Fatalf("purge version: %+v %+v", purged, purged.Purged)
	}
	h, err := tb.History(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range append(h.History, h.Record) {
		for _, k := range []string{"case_number", "defendant_initials", "notes"} {
			if _, ok := r.Fields[k]; ok {
				t.Errorf("version %d still holds %s", r.Version, k)
			}
		}
		if r.Fields["court"] != a["court"] {
			t.Errorf("version %d lost its court", r.Version)
		}
	}
	if jsonOf(t, h.Record.Common) != jsonOf(t, before.Record.Common) {
		t.Errorf("indicators changed:\n%s\n%s", jsonOf(t, h.Record.Common), jsonOf(t, before.Record.Common))
	}
	if l, _ := tb.List(ctx, Filter{}); len(l) != 1 || strings.Contains(strings.Join(l[0].Brief, " "), a["case_number"].(string)) {
		t.Errorf("list after purge: %+v", l)
	}
	if _, err := tb.Purge(ctx, rec.ID, "Ana"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "were purged on") {
		t.Errorf("second purge: %v", err)
	}
	// An edit after a purge is a normal version again.
	if e, err := tb.Edit(ctx, rec.ID, with(h.Record.Fields, map[string]any{"notes": "nova napomena"})); err != nil || e.Purged != nil {
		t.Errorf("edit after purge: %+v %v", e.Purged, err)
	}
}

// TestPurgedAnswerLeavesStoreFiles is the canary test: a unique text in a
// record's free-text and personal answers, edited (so that the history
// holds it) and deleted, is found in the store's files before the purge
// and in none after it once the store is compacted. The store is opened
// without its encryption key here so that the files can be searched.
func TestPurgedAnswerLeavesStoreFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "store")
	var st *store.Store
	var b *Book
	open := func() {
		t.Helper()
		var err error
		if st, err = store.Open(store.Options{Dir: dir}); err != nil {
			t.Fatal(err)
		}
		if b, err = Open(ctx, st, plugins(t), testAuthor, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	reopen := func() { // closing writes the memtable out to the tables
		t.Helper()
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		open()
	}
	open()
	t.Cleanup(func() { st.Close() })
	// Random text, searched for in pieces: Snappy, which compresses the
	// tables, may write a few bytes of a piece as a copy of earlier bytes,
	// but not of every piece.
	raw := make([]byte, 48)
	rand.Read(raw)
	canary := base64.RawURLEncoding.EncodeToString(raw)
	a := answers(t, "rs", "judgment.v2.json")
	a["notes"] = "napomena " + canary
	a["case_number"] = "K " + canary[16:48]
	rec, err := b.Add(ctx, "rs.judgment", a)
	if err != nil {
		t.Fatal(err)
	}
	reopen()
	if _, err := b.Edit(ctx, rec.ID, with(a, map[string]any{"sentence_months": 44.0})); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Delete(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	reopen()
	if n := filesHolding(t, dir, canary); n == 0 {
		t.Fatal("control: the canary is in no file before the purge; the search cannot see it")
	}
	if _, err := b.Purge(ctx, rec.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if err := st.Compact(); err != nil {
		t.Fatal(err)
	}
	reopen()
	if n := filesHolding(t, dir, canary); n != 0 {
		t.Fatalf("the purged canary is still in %d file(s) of the store after compaction", n)
	}
	h, err := b.History(ctx, rec.ID)
	if err != nil || h.Record.Purged == nil || len(h.History) != 3 {
		t.Fatalf("after compaction: %+v %v", h.Record, err)
	}
}

// filesHolding counts the files under dir that contain one of the four
// 16-byte pieces of canary.
func filesHolding(t *testing.T, dir, canary string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a file Badger or the store's health probe removed as the walk went
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(canary[:16])) || bytes.Contains(b, []byte(canary[16:32])) ||
			bytes.Contains(b, []byte(canary[32:48])) || bytes.Contains(b, []byte(canary[48:64])) {
			t.Logf("%s holds the canary", filepath.Base(path))
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRetention: the rule lists the records dated more than N years ago
// that hold personal answers; the first run is a dry run; from a day
// later, it purges them; records within the period keep their answers.
func TestRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	a := answers(t, "rs", "judgment.v2.json")
	a["notes"] = "napomena"
	old, err := tb.Add(ctx, "rs.judgment", with(a, map[string]any{"indictment_date": "2012-01-10", "decision_date": "2013-03-01", "case_number": "K 1/2013"}))
	if err != nil {
		t.Fatal(err)
	}
	recent, err := tb.Add(ctx, "rs.judgment", with(a, map[string]any{"case_number": "K 2/2024"}))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ids, dry, err := tb.Retain(ctx, 10, now)
	if err != nil || !dry || len(ids) != 1 || ids[0] != old.ID {
		t.Fatalf("first run: %v dry=%v %v", ids, dry, err)
	}
	if r, _ := tb.Get(ctx, old.ID); r.Fields["notes"] == nil {
		t.Fatal("the dry run purged")
	}
	if _, dry, _ := tb.Retain(ctx, 10, now.Add(time.Hour)); !dry {
		t.Fatal("purged within a day of the dry run")
	}
	ids, dry, err = tb.Retain(ctx, 10, now.Add(25*time.Hour))
	if err != nil || dry || len(ids) != 1 {
		t.Fatalf("second day: %v dry=%v %v", ids, dry, err)
	}
	if r, _ := tb.Get(ctx, old.ID); r.Fields["notes"] != nil || r.Purged == nil || !strings.Contains(r.Purged.By, "records.retention_years: 10") {
		t.Fatalf("old record after the rule: %+v", r)
	}
	if r, _ := tb.Get(ctx, recent.ID); r.Fields["notes"] != "napomena" {
		t.Fatal("a recent record lost its answers")
	}
	// A changed rule starts with a dry run again.
	if _, dry, _ := tb.Retain(ctx, 5, now.Add(50*time.Hour)); !dry {
		t.Fatal("a changed rule purged without a dry run")
	}
}
