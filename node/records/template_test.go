package records

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestTemplateRoundTrip writes the Excel template of rs.judgment in
// Serbian, fills one row as a monitor would (picking from its drop-down
// lists, typing a date into a date cell) and imports it: the answers are
// stored as the form's values. The template has a drop-down for each
// closed list, typed date and number columns, required columns marked and
// a sheet that explains every field.
func TestTemplateRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fi := schemaForm(t)
	var buf bytes.Buffer
	if err := WriteTemplate(&buf, fi, "sr-Latn", FormatXLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 3 || sheets[1] != "Polja" || sheets[2] != "Liste" {
		t.Fatalf("sheets %q", sheets)
	}
	main := sheets[0]
	header, err := f.GetRows(main)
	if err != nil || len(header) == 0 {
		t.Fatal(err)
	}
	col := map[string]string{} // field id → column letter
	for i, h := range header[0] {
		m := templateHeader.FindStringSubmatch(h)
		if m == nil {
			t.Fatalf("header %q has no [field id]", h)
		}
		c, _ := excelize.ColumnNumberToName(i + 1)
		col[m[1]] = c
	}
	if header[0][0] != "Broj predmeta [case_number]" || !strings.Contains(strings.Join(header[0], "|"), "Datum presude * [decision_date]") {
		t.Errorf("headers %q", header[0])
	}
	dvs, err := f.GetDataValidations(main)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[strings.Split(dv.Sqref, ":")[0]] = dv.Type + " " + dv.Formula1
	}
	for id, want := range map[string]string{"verdict": "list 'Liste'!$", "assets_frozen": "list 'Liste'!$", "decision_date": "date", "victims": "whole", "compensation_awarded_eur": "decimal"} {
		if got := lists[col[id]+"2"]; !strings.HasPrefix(got, want) {
			t.Errorf("%s (column %s): validation %q, want %q…", id, col[id], got, want)
		}
	}
	explained, _ := f.GetRows("Polja")
	if len(explained) != len(fi.Fields)+1 || !strings.Contains(explained[len(explained)-1][3], "da/ne") {
		t.Errorf("fields sheet: %d rows, last %q", len(explained), explained[len(explained)-1])
	}
	verdicts, _ := f.GetCols("Liste")
	var pick string
	for _, c := range verdicts {
		if c[0] == "verdict" {
			pick = c[2] // the second verdict: Oslobađajuća presuda
		}
	}
	if pick != "Oslobađajuća presuda" {
		t.Fatalf("verdict list %q", verdicts)
	}

	// The monitor fills row 2.
	fill := map[string]any{"court": "Viši sud u Nišu", "court_level": "Prvostepeni sud", "article": "čl. 388 – trgovina ljudima",
		"decision_date": time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), "defendants": 1, "victims": 2, "verdict": pick, "assets_frozen": "ne"}
	for id, v := range fill {
		if err := f.SetCellValue(main, col[id]+"2", v); err != nil {
			t.Fatal(err)
		}
	}
	var filled bytes.Buffer
	if err := f.Write(&filled); err != nil {
		t.Fatal(err)
	}
	tb := newBook(t)
	res, err := tb.Import(ctx, &filled, ImportOptions{Form: "rs.judgment", Format: FormatXLSX})
	if err != nil {
		t.Fatalf("%v (the label of art_388 in the schema may differ: %q)", err, fi.Fields[3].Options[0].Label["sr-Latn"])
	}
	l, _ := tb.List(ctx, Filter{Import: res.ID})
	r, _ := tb.Get(ctx, l[0].ID)
	want := `{"article":"art_388","assets_frozen":false,"court":"Viši sud u Nišu","court_level":"first_instance","decision_date":"2024-03-04","defendants":1,"verdict":"acquitted","victims":2}`
	if got := jsonOf(t, r.Fields); got != want {
		t.Fatalf("stored\n%s\nwant\n%s", got, want)
	}

	// The CSV template is the header row, as a Serbian Excel opens it.
	buf.Reset()
	if err := WriteTemplate(&buf, fi, "sr-Cyrl", FormatCSV); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\ufeffБрој предмета [case_number];Суд * [court];") {
		t.Fatalf("CSV template %.80q", buf.String())
	}
	if err := WriteTemplate(&buf, fi, "fr", FormatXLSX); err == nil || err.Error() != `language "fr": rs.judgment@2 is written in en, sr-Latn, sr-Cyrl, hr, bs, mk` {
		t.Fatalf("unknown language: %v", err)
	}
}
