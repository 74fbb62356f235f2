package records

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "import", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportOneBadRowStoresNothing: a spreadsheet with one bad row is
// refused whole, naming the row as the spreadsheet numbers it, the field
// and the rule; the store stays empty.
func TestImportOneBadRowStoresNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	_, err := tb.Import(ctx, strings.NewReader(readTestdata(t, "judgments-bad-row.csv")),
		ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	var ie *ImportError
	if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v; want an *ImportError", err)
	}
	want := "import refused, nothing was stored: 1 problem in 1 of 5 rows\n" +
		`row 4, sentence_months: must be a whole number 0..600, written such as 12 or 1500, got "12 mj"`
	if err.Error() != want {
		t.Fatalf("error:\n%s\nwant:\n%s", err, want)
	}
	tb.assertEmpty(t)

	// The same file without the bad row imports whole.
	res, err := tb.Import(ctx, strings.NewReader(readTestdata(t, "judgments-comma.csv")),
		ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	if err != nil || res.Records != 5 || res.Form != "rs.judgment@2" || !idPattern.MatchString(res.ID) {
		t.Fatalf("good file: %+v %v", res, err)
	}
}

// TestImportBadInputStoresNothing: every class of bad input is refused
// with a message naming row, field and rule, and stores nothing.
func TestImportBadInputStoresNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	good := answers(t, "rs", "judgment.v2.json")
	cols := keysOf(good)
	head := strings.Join(cols, ",") + "\n"
	row := func(changes map[string]any) string {
		return strings.SplitN(csvOf(cols, ",", with(good, changes)), "\n", 2)[1]
	}
	ok := row(nil)
	tomorrow := time.Now().AddDate(0, 0, 2).Format(sdk.DateLayout)
	jsonl := func(changes map[string]any) string { return jsonOf(t, with(good, changes)) + "\n" }
	cases := []struct {
		name   string
		form   string
		format Format
		data   string
		cap    int64
		want   string
	}{
		{"unknown form", "rs.verdict", FormatCSV, head + ok, 0, `unknown form "rs.verdict"`},
		{"unknown format", "rs.judgment", "ods", head + ok, 0, `format "ods": import reads csv, xlsx (Excel), jsonl (JSON Lines) or json`},
		{"unknown column", "rs.judgment", FormatCSV, "judge," + head + "X," + ok, 0,
			"row 1, judge: is not a field of rs.judgment@2: the first row must hold the form's field ids"},
		{"column twice", "rs.judgment", FormatCSV, "court," + head + "X," + ok, 0, "row 1, court: is the header of columns A and L: a field may have one column only"},
		{"not a label of the form", "rs.judgment", FormatCSV, "Sud,Datum\nX,Y\n", 0, "row 1, Datum: is not a field of rs.judgment@2: the first row must hold the form's field ids or their labels"},
		{"missing required", "rs.judgment", FormatCSV, head + ok + row(map[string]any{"court": nil}), 0, "row 3, court: is required"},
		{"wrong type", "rs.judgment", FormatCSV, head + row(map[string]any{"victims": "three"}) + ok, 0, `row 2, victims: must be a whole number 0..100000, written such as 12 or 1500, got "three"`},
		{"not a bool", "rs.judgment", FormatCSV, head + row(map[string]any{"assets_frozen": "maybe"}), 0, `row 2, assets_frozen: must be true or false (also da/ne, да/не, TAČNO/NETAČNO, ТОЧНО/НЕТОЧНО, ISTINA/LAŽ, yes/no, 1/0), got "maybe"`},
		{"outside list", "rs.judgment", FormatCSV, head + row(map[string]any{"verdict": "guilty"}), 0, `row 2, verdict: must be one of convicted, acquitted, dismissed, plea_agreement, got "guilty"`},
		{"set value outside list", "rs.judgment", FormatCSV, head + row(map[string]any{"international_law_cited": "palermo;un_charter"}), 0, `row 2, international_law_cited: must be a list of values from`},
		{"decision before indictment", "rs.judgment", FormatCSV, head + ok + ok + row(map[string]any{"indictment_date": "2024-06-01", "decision_date": "2024-05-01"}), 0,
			`row 4, decision_date: must not be before indictment_date (2024-06-01), got "2024-05-01"`},
		{"date in the future", "rs.judgment", FormatCSV, head + row(map[string]any{"decision_date": tomorrow}), 0, "row 2, decision_date: must not be in the future"},
		{"date that is no date", "rs.judgment", FormatCSV, head + row(map[string]any{"decision_date": "20.5."}), 0, `row 2, decision_date: must be a date such as 2024-05-20, 20.05.2024. or 20.5.2024, got "20.5."`},
		{"not UTF-8 nor a Windows code page", "rs.judgment", FormatCSV, head + ok + row(map[string]any{"court": "Vi\x81i sud"}), 0, `the file is not UTF-8 text, nor clearly Windows-1250 (Latin) or Windows-1251 (Cyrillic)`},
		{"invalid UTF-8 cell, file named UTF-8", "rs.judgment", FormatCSV, "utf-8:" + head + ok + row(map[string]any{"court": "Vi\x9ai sud"}), 0, `row 3, court: must be UTF-8 text: save the file as "CSV UTF-8"`},
		{"UTF-16", "rs.judgment", FormatCSV, "\xff\xfe" + head, 0, `row 1, the file is UTF-16`},
		{"bare quote", "rs.judgment", FormatCSV, head + ok + `K 1/2024,Sud "X",` + ok, 0, "row 3, is not valid CSV (line 3 of the file"},
		{"cell beyond the header", "rs.judgment", FormatCSV, head + strings.TrimSuffix(ok, "\n") + ",extra\n", 0, "holds a value, but the header row has only"},
		{"row too large", "rs.judgment", FormatCSV, "notes," + head + strings.Repeat("a", MaxRecordBytes+1) + "," + ok, 0, "row 2, is larger than 256 KiB"},
		{"file too large", "rs.judgment", FormatCSV, head + strings.Repeat(ok, 20), 4 << 10, "the file is larger than 4 KiB, the most one import reads"},
		{"empty file", "rs.judgment", FormatCSV, "", 0, "row 1, the file is empty"},
		{"header only", "rs.judgment", FormatCSV, head, 0, "the file holds no records"},
		{"jsonl not JSON", "rs.judgment", FormatJSONL, jsonl(nil) + "{court: 1}\n", 0, "line 2, answers: invalid character 'c'"},
		{"jsonl unknown field", "rs.judgment", FormatJSONL, jsonl(nil) + jsonl(map[string]any{"judge": "X"}), 0, "line 2, judge: is not a field of rs.judgment@2"},
		{"jsonl invalid UTF-8", "rs.judgment", FormatJSONL, "utf-8:" + jsonl(nil) + "{\"court\": \"Vi\x9ai\"}\n", 0, "line 2, answers are not valid UTF-8"},
		{"jsonl line too large", "rs.judgment", FormatJSONL, `{"notes": "` + strings.Repeat("a", MaxRecordBytes) + "\"}\n" + jsonl(nil), 0, "line 1, is larger than 256 KiB"},
		{"jsonl wrong type", "rs.judgment", FormatJSONL, jsonl(map[string]any{"victims": "3"}), 0, `line 1, victims: must be 0..100000, got "3"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tb := newBook(t)
			if c.cap > 0 {
				tb.maxImport = c.cap
			}
			data, enc := c.data, ""
			if rest, ok := strings.CutPrefix(data, "utf-8:"); ok {
				data, enc = rest, EncodingUTF8
			}
			_, err := tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: c.form, Format: c.format, Encoding: enc})
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v\nwant ErrInvalid with %q", err, c.want)
			}
			tb.assertEmpty(t)
		})
	}
}

// TestImportSpreadsheetDialects: what spreadsheets write imports the same
// way: a byte-order mark, semicolons, CRLF, blank rows, quoted cells with
// line breaks, sets in one cell; and JSON Lines.
func TestImportSpreadsheetDialects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var want []string
	for i, c := range []struct {
		file   string
		format Format
	}{
		{"judgments-comma.csv", FormatCSV},
		{"judgments-semicolon.csv", FormatCSV},
		{"judgments.jsonl", FormatJSONL},
	} {
		tb := newBook(t)
		var stages []string
		res, err := tb.Import(ctx, strings.NewReader(readTestdata(t, c.file)), ImportOptions{Form: "rs.judgment", Format: c.format,
			Progress: func(p Progress) {
				if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
					stages = append(stages, p.Stage)
				}
			}})
		if err != nil || res.Records != 5 {
			t.Fatalf("%s: %+v %v", c.file, res, err)
		}
		if strings.Join(stages, ",") != "check,write" {
			t.Errorf("%s: progress stages %v", c.file, stages)
		}
		var got []string
		l, err := tb.List(ctx, Filter{Import: res.ID})
		if err != nil || len(l) != 5 {
			t.Fatalf("%s: listed %d (%v)", c.file, len(l), err)
		}
		for _, s := range l {
			r, err := tb.Get(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Import != res.ID {
				t.Errorf("record %s: import %q, want %q", r.ID, r.Import, res.ID)
			}
			got = append(got, jsonOf(t, r.Fields))
		}
		slices.Sort(got)
		if i == 0 {
			want = got
			if !strings.Contains(strings.Join(got, ""), `"international_law_cited":["palermo","coe_convention"]`) ||
				!strings.Contains(strings.Join(got, ""), `"notes":"Žrtva je saslušana; \"bez\" prisustva okrivljenog.\nDrugi red."`) {
				t.Fatalf("answers not read as written:\n%s", strings.Join(got, "\n"))
			}
			continue
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s reads differently from the comma CSV:\n%s\nwant\n%s", c.file, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestImportLarge: an import larger than one transaction holds is written
// whole, visible at once, with its bookkeeping gone after the commit.
func TestImportLarge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("-short: leaves out the 5,000-record import (seconds of encrypted writes); go test without -short runs it, as CI does")
	}
	ctx := context.Background()
	tb := newBook(t)
	const n = 5000 // ~7 MB of records: more than the ~2.4 MB one Update holds
	data := judgmentsCSV(t, n)
	res, err := tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	if err != nil || res.Records != n {
		t.Fatalf("%+v %v", res, err)
	}
	e := tb.entries(t)
	if e[spaceRecord] != n || e[spaceIndex] != n || e[spaceImportItem] != 0 || e[spaceImport] != 1 {
		t.Fatalf("store after the import: %v", e)
	}
	if l, err := tb.List(ctx, Filter{Import: res.ID}); err != nil || len(l) != n {
		t.Fatalf("listed %d of %d: %v", len(l), n, err)
	}
}

// judgmentsCSV is n valid Serbian judgments as a CSV file.
func judgmentsCSV(t testing.TB, n int) string {
	a := answers(t, "rs", "judgment.v2.json")
	a["notes"] = "Žrtva je saslušana putem video-linka."
	rows := make([]sdk.Answers, n)
	for i := range rows {
		rows[i] = with(a, map[string]any{"case_number": fmt.Sprintf("K %d/2024", i), "victims": float64(1 + i%7)})
	}
	return csvOf(keysOf(a), ",", rows...)
}
