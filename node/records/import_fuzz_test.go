package records

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importForms are the forms FuzzImport imports onto: the latest version,
// an older one, and another kind and country (the shared plugin host
// serves rs and ba).
var importForms = []string{"rs.judgment", "rs.judgment@1", "ba.victim_support", "rs.police_case"}

// FuzzImport runs whole imports (Book.Import: reading, the form plugin's
// check, writing to the encrypted store) of arbitrary files at the real
// caps, as `kolo record import` does. An import stores all its rows or
// nothing: a refusal leaves every key space as it was and says why (an
// ImportError naming rows, or ErrInvalid); a success adds exactly the
// records it reports, all listed under its import id, on the form asked
// for.
//
// One Book (one store) serves a fuzzing process; it is replaced when it
// holds many records, so that each input's checks stay quick.
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "import", "*"))
	if len(files) == 0 {
		f.Fatal("no import seeds in testdata/import")
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(0), b) // the judgments of rs.judgment's latest version
	}
	for _, lines := range []bool{false, true} {
		for _, s := range hostileSeeds(lines) {
			f.Add(uint8(0), s)
		}
	}
	f.Add(uint8(2), []byte("court,victims\n\"Viši sud u Beogradu\",2\n"))
	f.Add(uint8(1), []byte("{}\n"))
	ctx := context.Background()
	tb := newBook(f)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		if n := tb.entries(t)[spaceRecord]; n > 2000 {
			tb = newBook(t)
		}
		form := importForms[int(which)%len(importForms)]
		format := FormatCSV // or JSON Lines, by the file's shape
		if t := bytes.TrimLeft(data, "\ufeff \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			format = FormatJSONL
		}
		before := tb.entries(t)
		res, err := tb.Import(ctx, bytes.NewReader(data), ImportOptions{Form: form, Format: format})
		after := tb.entries(t)
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) && !errors.Is(err, ErrInvalid) {
				t.Fatalf("import refused with an error of no known kind: %v", err)
			}
			if errors.As(err, &ie) && (len(ie.Errors) == 0 || len(ie.Errors) > MaxImportErrors+MaxRowCells+1) {
				t.Fatalf("import refused with %d row errors: %v", len(ie.Errors), err)
			}
			for sp, n := range after {
				if before[sp] != n {
					t.Fatalf("a refused import changed %s: %d entries, %d before (%v)", sp, n, before[sp], err)
				}
			}
			return
		}
		if added := after[spaceRecord] - before[spaceRecord]; added != res.Records {
			t.Fatalf("import says %d records, stored %d", res.Records, added)
		}
		list, err := tb.List(ctx, Filter{Import: res.ID})
		if err != nil || len(list) != res.Records {
			t.Fatalf("import %s: %d records listed, %d stored (%v)", res.ID, len(list), res.Records, err)
		}
		want, _, _ := strings.Cut(form, "@")
		for _, s := range list {
			if s.Form != res.Form || !strings.HasPrefix(s.Form, want+"@") || (strings.Contains(form, "@") && s.Form != form) {
				t.Fatalf("import onto %s (result: %s) stored a record on %s", form, res.Form, s.Form)
			}
		}
	})
}

// TestImportFuzzSeeds: FuzzImport's seeds from testdata/import include
// files that import whole, so the fuzzer explores successes too.
func TestImportFuzzSeeds(t *testing.T) {
	t.Parallel()
	tb := newBook(t)
	res, err := tb.Import(context.Background(), strings.NewReader(readTestdata(t, "judgments-comma.csv")), ImportOptions{Form: importForms[0], Format: FormatCSV})
	if err != nil || res.Records == 0 {
		t.Fatalf("seed judgments-comma.csv on %s: %+v %v", importForms[0], res, err)
	}
}
