package records

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// workbook writes an Excel workbook with excelize: sheets in order, each
// a header row and rows of typed cells (time.Time for a date cell, which
// Excel stores as a serial number with a date format).
func workbook(t testing.TB, date1904 bool, sheets ...struct {
	name string
	rows [][]any
}) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		yes := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type sheet = struct {
	name string
	rows [][]any
}

// TestImportXLSX imports workbooks as Excel writes them: labels as
// headers, dates as date cells (serial numbers, in both date systems),
// numbers and booleans as typed cells, a list's answer by its label; the
// first sheet or the one named.
func TestImportXLSX(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	header := []any{"Sud", "Stepen suda", "article", "Datum presude", "Broj okrivljenih", "victims", "Vrsta presude", "sentence_months", "compensation_awarded_eur", "assets_frozen", "Datum optužnice"}
	row := func(court string) []any {
		return []any{court, "Prvostepeni sud", "art_388", time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC), 2, 1, "Osuđujuća presuda", 36, 1500.5, true, "1.3.2023."}
	}
	want := `{"article":"art_388","assets_frozen":true,"compensation_awarded_eur":1500.5,"court":"Viši sud u Beogradu","court_level":"first_instance","decision_date":"2024-05-20","defendants":2,"indictment_date":"2023-03-01","sentence_months":36,"verdict":"convicted","victims":1}`
	for _, date1904 := range []bool{false, true} {
		tb := newBook(t)
		data := workbook(t, date1904,
			sheet{"Presude", [][]any{header, row("Viši sud u Beogradu"), {}, row("Viši sud u Beogradu")}},
			sheet{"Drugo", [][]any{header, row("Viši sud u Nišu")}})
		res, err := tb.Import(ctx, bytes.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatXLSX})
		if err != nil {
			t.Fatalf("1904 %v: %v", date1904, err)
		}
		if res.Records != 2 || res.Read != `read sheet "Presude" of 2 (--sheet chooses another)` {
			t.Fatalf("%+v", res)
		}
		l, _ := tb.List(ctx, Filter{Import: res.ID})
		r, _ := tb.Get(ctx, l[0].ID)
		if got := jsonOf(t, r.Fields); got != want {
			t.Fatalf("1904 %v: stored\n%s\nwant\n%s", date1904, got, want)
		}
		res, err = tb.Import(ctx, bytes.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatXLSX, Sheet: "Drugo"})
		if err != nil || res.Records != 1 {
			t.Fatalf("sheet Drugo: %+v %v", res, err)
		}
	}

	tb := newBook(t)
	bad := workbook(t, false, sheet{"Presude", [][]any{header, row("Viši sud u Beogradu"), {"X", "Prvostepeni sud", "art_388", "maj", 1, 1, "kriv", 1, "1.000", "možda"}}})
	for _, c := range []struct {
		name  string
		data  []byte
		sheet string
		want  []string
	}{
		{"bad row", bad, "", []string{"row 3, decision_date: must be a date such as 2024-05-20", `row 3, verdict: must be one of convicted, acquitted, dismissed, plea_agreement, got "kriv"`,
			`row 3, compensation_awarded_eur: is ambiguous`, `row 3, assets_frozen: must be true or false`}},
		{"no such sheet", bad, "Sheet9", []string{`the workbook has no sheet "Sheet9"; its sheets are "Presude"`}},
		{"not a workbook", []byte("court\nX\n"), "", []string{"the file is not an Excel workbook (.xlsx) kolo can read"}},
	} {
		_, err := tb.Import(ctx, bytes.NewReader(c.data), ImportOptions{Form: "rs.judgment", Format: FormatXLSX, Sheet: c.sheet})
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: got %v\nwant %q", c.name, err, w)
			}
		}
	}
	tb.assertEmpty(t)
}

// FuzzParseXLSX feeds workbooks and their mutations to the xlsx parser
// with the real caps (runParser): no panic, rows in order, answers only to
// the form's fields, problems of a known kind.
func FuzzParseXLSX(f *testing.F) {
	header := []any{"court", "decision_date", "victims", "verdict", "assets_frozen"}
	seeds := [][]byte{
		workbook(f, false, sheet{"A", [][]any{header, {"X", time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC), 3, "Conviction", true}}}),
		workbook(f, true, sheet{"A", [][]any{header, {}, {"Y", "20.5.2024.", "1,5", "kriv", "da"}}}, sheet{"B", [][]any{{"x"}}}),
		workbook(f, false, sheet{"A", [][]any{}}),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	if len(seeds) == 0 {
		f.Fatal("no seeds")
	}
	fi := schemaForm(f)
	f.Fuzz(func(t *testing.T, data []byte) { runParser(t, parseXLSX, fi, data, false) })
}
