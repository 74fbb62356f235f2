package records

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// hostileImports are files of 16 MiB that a spreadsheet never writes but
// a careless export or a hostile file does: each must be refused with an
// error naming the row and the cap, without holding the file in memory
// many times over (issue 7, hole 6: one row of 8.4 million cells took
// 2.5 GiB of heap).
func hostileImports(t testing.TB) []struct {
	name, data string
	format     Format
	want       string
} {
	const size = 16 << 20
	good := answers(t, "rs", "judgment.v2.json")
	cols := keysOf(good)
	ok := csvOf(cols, ",", good)   // header and one good row
	line := jsonOf(t, good) + "\n" // one good JSON line
	manyKeys := func() string {    // a line under the line cap with thousands of keys
		var b strings.Builder
		b.WriteString("{")
		for i := 0; b.Len() < MaxRecordBytes-20; i++ {
			fmt.Fprintf(&b, `"k%d":1,`, i)
		}
		b.WriteString(`"z":1}` + "\n")
		return b.String()
	}()
	return []struct {
		name, data string
		format     Format
		want       string
	}{
		{"millions of empty cells", ok + strings.Repeat(",", size) + "\n", FormatCSV,
			fmt.Sprintf("row 3, has more than %d cells, the most one row may have", MaxRowCells)},
		{"millions of cells with values", ok + strings.Repeat("x,", size/2) + "\n", FormatCSV,
			fmt.Sprintf("row 3, has more than %d cells", MaxRowCells)},
		{"quoted multi-line record of millions of cells", ok + strings.Repeat("\"a\nb\",", size/6) + "\n", FormatCSV,
			fmt.Sprintf("row 3, has more than %d cells", MaxRowCells)},
		{"an unclosed quote", ok + ok[strings.IndexByte(ok, '\n')+1:] + "\"" + strings.Repeat("text\n", size/5), FormatCSV,
			"row 4, is larger than 256 KiB, the most one row may hold: a quoted cell starting on line 4 of the file is not closed within it"},
		{"one huge header", strings.Repeat("x", size) + "\n", FormatCSV,
			"row 1, is larger than 256 KiB, the most one row may hold"},
		{"jsonl: one huge line", line + strings.Repeat(" ", size) + "\n", FormatJSONL,
			"line 2, is larger than 256 KiB, the most one record may hold"},
		{"jsonl: lines of thousands of keys", line + strings.Repeat(manyKeys, size/len(manyKeys)), FormatJSONL,
			fmt.Sprintf("line 2, has more answers than the %d fields of rs.judgment@2", len(schemaForm(t).Fields))},
	}
}

// TestImportHostileFileBoundedMemory imports each hostile file through
// Book.Import and checks the error and that the import allocated less
// than 64 MiB in all (runtime.MemStats.TotalAlloc; the test does not run
// in parallel, so the count is its own).
func TestImportHostileFileBoundedMemory(t *testing.T) {
	ctx := context.Background()
	plugins(t) // the plugin processes start before the measurement
	for _, c := range hostileImports(t) {
		t.Run(c.name, func(t *testing.T) {
			tb := newBook(t)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := tb.Import(ctx, strings.NewReader(c.data), ImportOptions{Form: "rs.judgment", Format: c.format})
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %.600v\nwant ErrInvalid with %q", err, c.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("a %d MiB file made the import allocate %d MiB; at most 64 MiB allowed", len(c.data)>>20, alloc>>20)
			}
			tb.assertEmpty(t)
		})
	}
}

// TestImportStopsAfterMaxErrors: a file whose every row is bad is refused
// with the first MaxImportErrors problems; the rows after the point where
// checking stopped are counted, not checked.
func TestImportStopsAfterMaxErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	good := answers(t, "rs", "judgment.v2.json")
	cols := keysOf(good)
	const n = 20000
	rows := make([]sdk.Answers, n)
	for i := range rows {
		rows[i] = with(good, map[string]any{"sentence_months": "12 mj"})
	}
	_, err := tb.Import(ctx, strings.NewReader(csvOf(cols, ",", rows...)), ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an *ImportError", err)
	}
	if len(ie.Errors) != MaxImportErrors || ie.Errors[0].Error() != `row 2, sentence_months: must be a whole number 0..600, written such as 12 or 1500, got "12 mj"` {
		t.Fatalf("listed %d problems, the first %v", len(ie.Errors), ie.Errors[0])
	}
	if ie.Unchecked == 0 || ie.Rows+ie.Unchecked != n || ie.UncheckedFrom != ie.Rows+2 {
		t.Fatalf("rows checked %d, not checked %d from row %d; want them to add up to %d", ie.Rows, ie.Unchecked, ie.UncheckedFrom, n)
	}
	if ie.Rows > 4*chunkRows {
		t.Errorf("checked %d rows after %d problems; checking should stop within a few chunks", ie.Rows, MaxImportErrors)
	}
	want := fmt.Sprintf("checking stopped after %d problems: the %d rows from row %d on were not checked", MaxImportErrors, ie.Unchecked, ie.UncheckedFrom)
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error does not say what was not checked (%q):\n%.300s…%s", want, err, err.Error()[len(err.Error())-300:])
	}
	tb.assertEmpty(t)
}
