package records

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestImportDuplicatesAndUpdates: importing the same file twice, or an
// export, adds no copies. Rows with a record's _id update it (a new
// version) or leave it as it is; rows without that look like a record
// held (the same case number and court) are refused unless
// AllowDuplicates; DryRun says what would happen and stores nothing; an
// export imported on another node restores the records under their IDs.
func TestImportDuplicatesAndUpdates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	file := judgmentsCSV(t, 3)
	csvImport := func(data string, opts ImportOptions) (ImportResult, error) {
		opts.Form, opts.Format = "rs.judgment", FormatCSV
		return tb.Import(ctx, strings.NewReader(data), opts)
	}
	res, err := csvImport(file, ImportOptions{})
	if err != nil || res.Added != 3 || res.Records != 3 {
		t.Fatalf("first import: %+v %v", res, err)
	}

	// The same file again: three probable duplicates, nothing stored.
	_, err = csvImport(file, ImportOptions{})
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Errors) != 3 || !strings.Contains(ie.Errors[0].Error(), "row 2, is a probable duplicate of record ") ||
		!strings.Contains(err.Error(), "--allow-duplicates") {
		t.Fatalf("second import: %v", err)
	}
	if l, _ := tb.List(ctx, Filter{}); len(l) != 3 {
		t.Fatalf("%d records after a refused import", len(l))
	}

	// The export imports back as it is: three records unchanged.
	var exp strings.Builder
	if _, err := tb.Export(ctx, &exp, Filter{Form: "rs.judgment"}, FormatCSV); err != nil {
		t.Fatal(err)
	}
	res, err = csvImport(exp.String(), ImportOptions{})
	if err != nil || res.Unchanged != 3 || res.Records != 0 || res.ID != "" {
		t.Fatalf("export re-imported: %+v %v", res, err)
	}

	// One changed row updates its record; a dry run first stores nothing.
	changed := strings.Replace(exp.String(), "K 1/2024", "K 1/2024-A", 1)
	res, err = csvImport(changed, ImportOptions{DryRun: true})
	if err != nil || !res.DryRun || res.Updated != 1 || res.Unchanged != 2 || res.ID != "" {
		t.Fatalf("dry run: %+v %v", res, err)
	}
	l, _ := tb.List(ctx, Filter{})
	for _, s := range l {
		if s.Version != 1 {
			t.Fatalf("the dry run stored a version: %+v", s)
		}
	}
	res, err = csvImport(changed, ImportOptions{})
	if err != nil || res.Updated != 1 || res.Unchanged != 2 || res.Added != 0 {
		t.Fatalf("update: %+v %v", res, err)
	}
	var updated WithHistory
	for _, s := range l {
		h, err := tb.History(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if h.Record.Version == 2 {
			updated = h
		}
	}
	if updated.Record.Fields["case_number"] != "K 1/2024-A" || len(updated.History) != 1 || updated.History[0].Fields["case_number"] != "K 1/2024" {
		t.Fatalf("updated record: %+v", updated)
	}

	// The old export now names version 1 of a record at version 2.
	_, err = csvImport(strings.Replace(exp.String(), "K 1/2024", "K 1/2024-B", 1), ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "_version: is 1, but record "+updated.Record.ID+" is at version 2 now: it changed since this file was exported") {
		t.Fatalf("stale export: %v", err)
	}

	// --allow-duplicates adds copies on purpose.
	res, err = csvImport(file, ImportOptions{AllowDuplicates: true})
	if err != nil || res.Added != 3 {
		t.Fatalf("allowed duplicates: %+v %v", res, err)
	}

	// A deleted record is not brought back by a row naming it.
	if _, err := tb.Delete(ctx, updated.Record.ID); err != nil {
		t.Fatal(err)
	}
	_, err = csvImport(exp.String(), ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "names record "+updated.Record.ID+", which is deleted") {
		t.Fatalf("deleted record: %v", err)
	}

	// On another node, the export restores the records under their IDs.
	other := newBook(t)
	res, err = other.Import(ctx, strings.NewReader(exp.String()), ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	if err != nil || res.Added != 3 {
		t.Fatalf("restore: %+v %v", res, err)
	}
	if r, err := other.Get(ctx, updated.Record.ID); err != nil || r.Fields["case_number"] != "K 1/2024" {
		t.Fatalf("restored record: %+v %v", r, err)
	}
}

// TestImportUpdateCap: one import changes at most MaxImportUpdates records
// held (their versions go in one atomic commit); one more is refused, and
// nothing changes.
func TestImportUpdateCap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	if _, err := tb.Import(ctx, strings.NewReader(judgmentsCSV(t, MaxImportUpdates+1)), ImportOptions{Form: "rs.judgment", Format: FormatCSV}); err != nil {
		t.Fatal(err)
	}
	var exp strings.Builder
	if _, err := tb.Export(ctx, &exp, Filter{Form: "rs.judgment"}, FormatCSV); err != nil {
		t.Fatal(err)
	}
	changed := strings.ReplaceAll(exp.String(), "video-linka.", "video-linka (izmena).")
	_, err := tb.Import(ctx, strings.NewReader(changed), ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	if err == nil || !strings.Contains(err.Error(), "one more than the 500 records held one import may change") {
		t.Fatalf("got %v", err)
	}
	l, _ := tb.List(ctx, Filter{})
	for _, s := range l {
		if s.Version != 1 {
			t.Fatalf("record %s changed by a refused import", s.ID)
		}
	}
}
