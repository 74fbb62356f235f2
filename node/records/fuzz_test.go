package records

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// schemaForm reads a built-in form's pinned schema, so the parsers can be
// fuzzed without a plugin process.
func schemaForm(t testing.TB) sdk.FormInfo {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "plugins", "forms", "rs", "testdata", "judgment.v2.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fi sdk.FormInfo
	if err := json.Unmarshal(b, &fi); err != nil {
		t.Fatal(err)
	}
	return fi
}

// seedFiles adds the import test files matching pattern as seeds and
// returns how many it added.
func seedFiles(f *testing.F, pattern string) int {
	files, _ := filepath.Glob(filepath.Join("testdata", "import", pattern))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	return len(files)
}

// runParser runs p on data, with the caps an import has (MaxImportBytes,
// MaxRecordBytes, MaxRowCells, MaxImportErrors, chunkRows, chunkBytes:
// none is lowered for the fuzzer), and checks what any parser must
// guarantee.
func runParser(t *testing.T, p parser, fi sdk.FormInfo, data []byte, lines bool) {
	runParserOf(t, p, fi, data, lines, false)
}

// runParserOf is runParser for rows that are lines (JSON Lines) or records
// (a JSON export) rather than spreadsheet rows.
func runParserOf(t *testing.T, p parser, fi sdk.FormInfo, data []byte, lines, records bool) {
	fields := map[string]bool{}
	for _, fd := range fi.Fields {
		fields[fd.ID] = true
	}
	var chunks []rowChunk
	in := &limitedReader{r: bytes.NewReader(data), left: MaxImportBytes, limit: MaxImportBytes}
	c := newChunkerFor(in, new(atomic.Int64), func(ch rowChunk) error {
		chunks = append(chunks, ch)
		return nil
	})
	err := p(&source{in: in}, fi, c)
	last := 0
	first := 2 // CSV: the header is row 1
	if lines || records {
		first = 1
	}
	problems, unchecked := 0, 0
	for _, ch := range chunks {
		if len(ch.pre) != len(ch.answers) || len(ch.rows) != len(ch.answers) {
			t.Fatalf("chunk out of step: %d rows, %d answers, %d pre", len(ch.rows), len(ch.answers), len(ch.pre))
		}
		if ch.read > chunkRows || ch.size > chunkBytes+MaxRecordBytes+2 {
			t.Fatalf("chunk of %d rows, %d bytes: more than the caps (%d rows, %d bytes and a row)", ch.read, ch.size, chunkRows, chunkBytes)
		}
		if unchecked > 0 && ch.read > 0 {
			t.Fatalf("rows checked after checking stopped at row %d", ch.uncheckedFrom)
		}
		unchecked += ch.unchecked
		for i, a := range ch.answers {
			if ch.rows[i] <= last || ch.rows[i] < first {
				t.Fatalf("row %d after row %d", ch.rows[i], last)
			}
			last = ch.rows[i]
			if len(a) > len(fi.Fields) {
				t.Fatalf("row %d: %d answers held for a form of %d fields", ch.rows[i], len(a), len(fi.Fields))
			}
			if !lines && !records {
				for k := range a {
					if !fields[k] {
						t.Fatalf("row %d: answer to %q, not a field of the form", ch.rows[i], k)
					}
				}
			}
		}
		for _, re := range append(ch.errs, flatten(ch.pre)...) {
			problems++
			if re.Row < 1 || re.Rule == "" || re.Line != lines || re.Record != records {
				t.Fatalf("bad row error %+v", re)
			}
		}
	}
	// Checking stops once MaxImportErrors problems are found; the row that
	// reaches the cap may bring up to a row's worth more.
	if problems > MaxImportErrors+MaxRowCells+1 {
		t.Fatalf("%d problems collected; checking should stop after %d", problems, MaxImportErrors)
	}
	var re RowError
	if err != nil && !errors.As(err, &re) && !errors.Is(err, ErrInvalid) {
		t.Fatalf("parser error of no known kind: %v", err)
	}
}

// hostileSeeds are files that reach the caps: more cells than MaxRowCells,
// a row or quoted cell over MaxRecordBytes, more problems than
// MaxImportErrors, a JSON line with more keys than the form has fields.
func hostileSeeds(lines bool) [][]byte {
	if lines {
		keys := "{" + strings.Repeat(`"a":1,`, 300) + `"b":1}` + "\n"
		return [][]byte{
			[]byte(keys),
			[]byte(`{"notes":"` + strings.Repeat("x", MaxRecordBytes) + "\"}\n{}\n"),
			[]byte(strings.Repeat("{\"victims\":\"x\"}\n", MaxImportErrors+50)),
			[]byte(strings.Repeat("[\n", MaxImportErrors*3)),
		}
	}
	return [][]byte{
		[]byte("court\n" + strings.Repeat(",", MaxRowCells) + "\n"),
		[]byte(strings.Repeat("court,", MaxRowCells) + "\n"),
		[]byte("court\n\"" + strings.Repeat("a\n", MaxRecordBytes/2+1)),
		[]byte("court,victims\n" + strings.Repeat("X,x\n", MaxImportErrors*3)),
		[]byte("court,victims\n" + strings.Repeat("X,1,\"2\n\",3,4\n", 300)),
	}
}

func flatten(pre [][]RowError) []RowError {
	var out []RowError
	for _, p := range pre {
		out = append(out, p...)
	}
	return out
}

func FuzzParseCSV(f *testing.F) {
	if n := seedFiles(f, "*.csv"); n == 0 {
		f.Fatal("no CSV seeds in testdata/import")
	}
	for _, s := range hostileSeeds(false) {
		f.Add(s)
	}
	for _, s := range []string{"", "\ufeff", "court\n", "court;victims\nX;3\n", "\"court\nX", "a,b\n\"x", "\xff\xfe", "court,,\nX,,Y\n", ",,,\n,,,\n"} {
		f.Add([]byte(s))
	}
	fi := schemaForm(f)
	f.Fuzz(func(t *testing.T, data []byte) { runParser(t, parseCSV, fi, data, false) })
}

func FuzzParseJSONL(f *testing.F) {
	if n := seedFiles(f, "*.jsonl"); n == 0 {
		f.Fatal("no JSON Lines seeds in testdata/import")
	}
	for _, s := range hostileSeeds(true) {
		f.Add(s)
	}
	for _, s := range []string{"", "\ufeff{}", "{}\n\n{}", "{\"court\":1}\r\n[", "\xff", "{\"a\":1,\"a\":2}"} {
		f.Add([]byte(s))
	}
	fi := schemaForm(f)
	f.Fuzz(func(t *testing.T, data []byte) { runParser(t, parseJSONL, fi, data, true) })
}

// FuzzCSVGuard checks the guard in front of encoding/csv against
// encoding/csv alone: where the guard lets a file through, encoding/csv
// reads the same records, with the same error; where it stops at row R,
// encoding/csv alone finds row R over a cap (MaxRowCells cells or
// MaxRecordBytes bytes), or fails at row R itself.
func FuzzCSVGuard(f *testing.F) {
	if n := seedFiles(f, "*.csv"); n == 0 {
		f.Fatal("no CSV seeds in testdata/import")
	}
	for _, s := range hostileSeeds(false) {
		f.Add(s)
	}
	for _, s := range []string{"a,b\n\n\r\n\"x\ny\",\"\"\"\"\n", "\"a\"\"\n\n\",b\r\nc", "\r", "a\rb\n\r\n", "\"", "a\"b\n"} {
		f.Add([]byte(s))
	}
	type row struct {
		cells []string
		size  int64
	}
	read := func(r io.Reader) ([]row, error) {
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1
		var out []row
		for {
			start := cr.InputOffset()
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			out = append(out, row{rec, cr.InputOffset() - start})
			if err != nil {
				return out, err
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		plain, plainErr := read(bytes.NewReader(data))
		guarded, guardErr := read(newCSVGuard(bytes.NewReader(data), ','))
		var re RowError
		if !errors.As(guardErr, &re) {
			if fmt.Sprint(guardErr) != fmt.Sprint(plainErr) || len(guarded) != len(plain) {
				t.Fatalf("through the guard: %d rows, error %v; alone: %d rows, error %v", len(guarded), guardErr, len(plain), plainErr)
			}
			for i := range plain {
				if !slices.Equal(plain[i].cells, guarded[i].cells) {
					t.Fatalf("row %d through the guard %q, alone %q", i+1, guarded[i].cells, plain[i].cells)
				}
			}
			return
		}
		if re.Row < 1 || re.Row > len(plain) {
			t.Fatalf("guard stopped at row %d (%v); encoding/csv alone read %d rows (%v)", re.Row, re, len(plain), plainErr)
		}
		p := plain[re.Row-1]
		overCap := len(p.cells) > MaxRowCells || p.size > MaxRecordBytes
		if !overCap && !(re.Row == len(plain) && plainErr != nil) {
			t.Fatalf("guard stopped at row %d (%v), which encoding/csv reads within the caps: %d cells, %d bytes", re.Row, re, len(p.cells), p.size)
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	seeds := []string{
		`[]`, "[\n" + `{"id":"aaaaaaaaaaaaaaaaaaaaaaaaaa","form":"rs.judgment@2","version":1,"fields":{"court":"X","victims":2}}` + "\n]\n",
		`[{"id":"x","form":"ba.judgment@1","fields":{}},{"form":"rs.judgment@1","deleted":true}]`,
		`[{"form":"rs","fields":[1]}]`, `[{"form":"rs.judgment@2","fields":{"a":1,"a":2}}`, `{"court":"X"}`, "\ufeff[]", `[1,2,3]`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if len(seeds) == 0 {
		f.Fatal("no seeds")
	}
	fi := schemaForm(f)
	f.Fuzz(func(t *testing.T, data []byte) { runParserOf(t, parseJSON, fi, data, false, true) })
}
