package records

import (
	"context"
	"strings"
	"testing"
)

// TestJSONExportRestores: the JSON export is a backup. Imported on another
// node, form by form, it adds the records under their IDs and on their own
// form versions, says which records of other forms it skipped, and
// imported again it adds nothing.
func TestJSONExportRestores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	v1, err := tb.Add(ctx, "rs.judgment@1", answers(t, "rs", "judgment.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := tb.Add(ctx, "rs.judgment", answers(t, "rs", "judgment.v2.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tb.Add(ctx, "ba.judgment", answers(t, "ba", "judgment.v1.json")); err != nil {
		t.Fatal(err)
	}
	var backup strings.Builder
	if _, err := tb.Export(ctx, &backup, Filter{}, FormatJSON); err != nil {
		t.Fatal(err)
	}
	other := newBook(t)
	res, err := other.Import(ctx, strings.NewReader(backup.String()), ImportOptions{Form: "rs.judgment", Format: FormatJSON})
	if err != nil || res.Added != 2 || res.Read != "skipped 1 record of other forms (import each with its --form): ba.judgment" {
		t.Fatalf("restore: %+v %v", res, err)
	}
	for _, want := range []Record{v1, v2} {
		got, err := other.Get(ctx, want.ID)
		if err != nil || got.Form != want.Form || jsonOf(t, got.Fields) != jsonOf(t, want.Fields) || jsonOf(t, got.Common) != jsonOf(t, want.Common) {
			t.Fatalf("restored %s: %+v %v\nwant %+v", want.ID, got, err, want)
		}
	}
	for _, b := range []*testBook{other, tb} {
		res, err = b.Import(ctx, strings.NewReader(backup.String()), ImportOptions{Form: "rs.judgment", Format: FormatJSON})
		if err != nil || res.Unchanged != 2 || res.Records != 0 {
			t.Fatalf("the backup again: %+v %v", res, err)
		}
	}
	bad := strings.Replace(backup.String(), `"form":"rs.judgment@1"`, `"form":"rs.judgment@9"`, 1)
	if _, err := other.Import(ctx, strings.NewReader(bad), ImportOptions{Form: "rs.judgment", Format: FormatJSON}); err == nil ||
		!strings.Contains(err.Error(), "record 1, form: is rs.judgment@9, which no plugin serves here") {
		t.Fatalf("unknown form version: %v", err)
	}
	if _, err := other.Import(ctx, strings.NewReader(`{"court": "X"}`), ImportOptions{Form: "rs.judgment", Format: FormatJSON}); err == nil ||
		!strings.Contains(err.Error(), "not a kolo JSON export") {
		t.Fatalf("not an export: %v", err)
	}
}
