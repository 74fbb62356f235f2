package records

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
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

// runParser runs p on data and checks what any parser must guarantee.
func runParser(t *testing.T, p parser, fi sdk.FormInfo, data []byte, lines bool) {
	fields := map[string]bool{}
	for _, fd := range fi.Fields {
		fields[fd.ID] = true
	}
	var chunks []rowChunk
	in := &limitedReader{r: strings.NewReader(string(data)), left: 1 << 20, limit: 1 << 20}
	err := p(in, fi, func(ch rowChunk) error {
		chunks = append(chunks, ch)
		return nil
	})
	last := 0
	first := 2 // CSV: the header is row 1
	if lines {
		first = 1
	}
	for _, ch := range chunks {
		if len(ch.pre) != len(ch.answers) || len(ch.rows) != len(ch.answers) {
			t.Fatalf("chunk out of step: %d rows, %d answers, %d pre", len(ch.rows), len(ch.answers), len(ch.pre))
		}
		for i, a := range ch.answers {
			if ch.rows[i] <= last || ch.rows[i] < first {
				t.Fatalf("row %d after row %d", ch.rows[i], last)
			}
			last = ch.rows[i]
			if !lines {
				for k := range a {
					if !fields[k] {
						t.Fatalf("row %d: answer to %q, not a field of the form", ch.rows[i], k)
					}
				}
			}
		}
		for _, re := range append(ch.errs, flatten(ch.pre)...) {
			if re.Row < 1 || re.Rule == "" || re.Line != lines {
				t.Fatalf("bad row error %+v", re)
			}
		}
	}
	var re RowError
	if err != nil && !errors.As(err, &re) && !errors.Is(err, ErrInvalid) {
		t.Fatalf("parser error of no known kind: %v", err)
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
	for _, s := range []string{"", "\ufeff{}", "{}\n\n{}", "{\"court\":1}\r\n[", "\xff", "{\"a\":1,\"a\":2}"} {
		f.Add([]byte(s))
	}
	fi := schemaForm(f)
	f.Fuzz(func(t *testing.T, data []byte) { runParser(t, parseJSONL, fi, data, true) })
}
