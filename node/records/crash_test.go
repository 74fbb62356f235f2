package records

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// crashEnv makes the test binary a process that stages an import in the
// store named by the variable (key in crashKeyEnv) and dies before the
// commit marker, without closing the store: a real crash.
const (
	crashEnv    = "KOLO_RECORDS_TEST_CRASH_STORE"
	crashKeyEnv = "KOLO_RECORDS_TEST_CRASH_KEY"
	crashRows   = 3000 // more than one Update could hold
	crashExit   = 7
)

// noForms serves nothing; the crash child writes records it made itself.
type noForms struct{}

func (noForms) Forms() []sdk.FormInfo                 { return nil }
func (noForms) Form(string, int) (sdk.FormInfo, bool) { return sdk.FormInfo{}, false }
func (noForms) Latest(string) (sdk.FormInfo, bool)    { return sdk.FormInfo{}, false }
func (noForms) Check(context.Context, string, int, []sdk.Answers) ([]sdk.Result, error) {
	return nil, errors.New("no forms")
}

var crashForm = sdk.FormInfo{ID: "rs.judgment", Version: 1, Kind: sdk.KindJudgment, Country: "RS"}

func crashChild(dir string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(1)
	}
	key, err := hex.DecodeString(os.Getenv(crashKeyEnv))
	if err != nil {
		fail(err)
	}
	st, err := store.Open(store.Options{Dir: dir, Key: key})
	if err != nil {
		fail(err)
	}
	ctx := context.Background()
	b, err := Open(ctx, st, noForms{}, testAuthor, Options{})
	if err != nil {
		fail(err)
	}
	recs := make([]staged, crashRows)
	for i := range recs {
		a := sdk.Answers{"court": "Viši sud u Beogradu", "decision_date": "2024-05-20", "notes": fmt.Sprint("row ", i)}
		recs[i], err = stage(b.newRecord(crashForm, a, sdk.Common{"decision_date": "2024-05-20"}, b.stamp(), ""))
		if err != nil {
			fail(err)
		}
	}
	imp := newID()
	if err := b.putImportState(imp, importState{State: statePending, Form: crashForm.Ref(), Records: len(recs)}); err != nil {
		fail(err)
	}
	if err := b.writeStaged(ctx, imp, recs, func(Progress) {}); err != nil {
		fail(err)
	}
	// Die between the batch and the commit marker, store still open.
	os.Exit(crashExit)
}

// TestCrashBeforeCommitLeavesNothing: a process writes an import's records
// and dies before its commit marker; the next Open shows none of them and
// removes them all.
func TestCrashBeforeCommitLeavesNothing(t *testing.T) {
	t.Parallel()
	tb := newBook(t)
	if err := tb.st.Close(); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), crashEnv+"="+tb.dir, crashKeyEnv+"="+hex.EncodeToString(tb.key))
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != crashExit {
		t.Fatalf("crash child: %v\n%s", err, out)
	}

	// The records are on disk…
	st, err := store.Open(store.Options{Dir: tb.dir, Key: tb.key})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := st.Scan(context.Background(), spaceRecord, nil, func(_, _ []byte) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if n != crashRows {
		t.Fatalf("the crashed import left %d records on disk; want %d (else this test proves nothing)", n, crashRows)
	}
	// …and Open makes them vanish.
	tb.open(t)
	if l, err := tb.List(context.Background(), Filter{Deleted: true}); err != nil || len(l) != 0 {
		t.Fatalf("after the crash: %d records listed (%v)", len(l), err)
	}
	tb.assertEmpty(t)
	if !strings.Contains(tb.logs.String(), "removed an import that was not committed") {
		t.Errorf("recovery not logged:\n%s", tb.logs)
	}
}

// TestPendingImportInvisible runs the import's steps one by one: between
// the batch and the commit marker nothing is visible, in this Book or in
// one opened after a restart (which removes the records); after the
// marker, everything is.
func TestPendingImportInvisible(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	fi, err := tb.resolve("rs.judgment@1")
	if err != nil {
		t.Fatal(err)
	}
	a := answers(t, "rs", "judgment.v1.json")
	data := csvOf(keysOf(a), ",", a, a, a)
	plan, err := tb.checkRows(ctx, &source{in: &limitedReader{r: strings.NewReader(data), left: MaxImportBytes, limit: MaxImportBytes}}, fi, parseCSV,
		newIdentity(tb.Book, fi, true), nil, func(Progress) {})
	recs := plan.recs
	if err != nil || len(recs) != 3 {
		t.Fatalf("checkRows: %d records, %v", len(recs), err)
	}

	var ids []string
	for _, r := range recs {
		ids = append(ids, r.id)
	}
	again := slices.Clone(recs) // writeStaged lets go of what it wrote

	imp := newID()
	if err := tb.putImportState(imp, importState{State: statePending, Form: fi.Ref(), Records: len(recs)}); err != nil {
		t.Fatal(err)
	}
	if err := tb.writeStaged(ctx, imp, recs, func(Progress) {}); err != nil {
		t.Fatal(err)
	}
	assertInvisible := func(when string) {
		t.Helper()
		if l, err := tb.List(ctx, Filter{Deleted: true}); err != nil || len(l) != 0 {
			t.Fatalf("%s: List shows %d records (%v)", when, len(l), err)
		}
		for _, id := range ids {
			if _, err := tb.Get(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Fatalf("%s: Get of a staged record: %v; want ErrNotFound", when, err)
			}
		}
		var buf strings.Builder
		if n, err := tb.Export(ctx, &buf, Filter{}, FormatJSON); err != nil || n != 0 {
			t.Fatalf("%s: export wrote %d records (%v)", when, n, err)
		}
	}
	assertInvisible("before the commit marker")
	if n := tb.entries(t)[spaceRecord]; n != 3 {
		t.Fatalf("staged records on disk: %d, want 3", n)
	}

	// A restart now (the process died here) removes them.
	tb.reopen(t)
	assertInvisible("after a restart")
	tb.assertEmpty(t)

	// The same steps with the marker: all visible at once.
	imp = newID()
	st := importState{State: statePending, Form: fi.Ref(), Records: len(recs)}
	if err := tb.putImportState(imp, st); err != nil {
		t.Fatal(err)
	}
	if err := tb.writeStaged(ctx, imp, again, func(Progress) {}); err != nil {
		t.Fatal(err)
	}
	assertInvisible("before the second commit marker")
	if err := tb.commitImport(imp, st, nil); err != nil {
		t.Fatal(err)
	}
	l, err := tb.List(ctx, Filter{Import: imp})
	if err != nil || len(l) != 3 {
		t.Fatalf("after the commit marker: %d records (%v)", len(l), err)
	}
	// Dying before the items are forgotten is harmless: Open forgets them.
	if n := tb.entries(t)[spaceImportItem]; n != 3 {
		t.Fatalf("items before forgetting: %d", n)
	}
	tb.reopen(t)
	if n := tb.entries(t); n[spaceImportItem] != 0 || n[spaceRecord] != 3 || n[spaceImport] != 1 {
		t.Fatalf("after restart: %v; want 3 records, 1 import marker, no items", n)
	}
	if l, err := tb.List(ctx, Filter{}); err != nil || len(l) != 3 {
		t.Fatalf("after restart: %d records (%v)", len(l), err)
	}
}

// TestOrphanRecordInvisible: a record of an import that has no commit
// marker stays invisible even when nothing names it for removal.
func TestOrphanRecordInvisible(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	rec := tb.newRecord(crashForm, sdk.Answers{"court": "x"}, sdk.Common{}, tb.stamp(), newID())
	val, idx, err := encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.st.Put(spaceRecord, []byte(rec.ID), val); err != nil {
		t.Fatal(err)
	}
	if err := tb.st.Put(spaceIndex, indexKey(rec.Summary()), idx); err != nil {
		t.Fatal(err)
	}
	tb.reopen(t)
	if _, err := tb.Get(ctx, rec.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of an orphan: %v", err)
	}
	if l, _ := tb.List(ctx, Filter{Deleted: true}); len(l) != 0 {
		t.Fatalf("orphan listed: %+v", l)
	}
}
