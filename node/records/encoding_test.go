package records

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestImportLegacyEncodings: a CSV file saved by Excel on a Serbian Latin
// or Croatian Windows (Windows-1250), or a Serbian Cyrillic or Macedonian
// one (Windows-1251), imports with its letters right, detected or named
// with Encoding, and the result says how it was read. A file that is
// neither gets one message for the whole file.
func TestImportLegacyEncodings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	good := answers(t, "rs", "judgment.v2.json")
	latin := with(good, map[string]any{"court": "Viši sud u Nišu", "notes": "Žrtva je saslušana; čekaju se đački dokazi. Ćirilica: ne."})
	cyrillic := with(good, map[string]any{"court": "Виши суд у Нишу", "notes": "Жртва је саслушана путем видео-линка; пресуда је правоснажна. Ѓорѓи, Ќосе, Ѕвонко."})
	cols := keysOf(latin)
	encode := func(cm *charmap.Charmap, s string) string {
		out, err := cm.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	cases := []struct {
		name, data, encoding, wantRead string
		want                           map[string]any
	}{
		{"Windows-1250, detected", encode(charmap.Windows1250, csvOf(cols, ";", latin, latin)), "", "read as Windows-1250 (detected: the file is not UTF-8)", latin},
		{"Windows-1251, detected", encode(charmap.Windows1251, csvOf(cols, ";", cyrillic)), "", "read as Windows-1251 (detected: the file is not UTF-8)", cyrillic},
		{"Windows-1251, named", encode(charmap.Windows1251, csvOf(cols, ",", cyrillic)), "cp1251", "read as Windows-1251 (named with --encoding)", cyrillic},
		{"UTF-8 stays UTF-8", csvOf(cols, ",", cyrillic), "", "", cyrillic},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tb := newBook(t)
			res, err := tb.Import(ctx, strings.NewReader(c.data), ImportOptions{Form: "rs.judgment", Format: FormatCSV, Encoding: c.encoding, AllowDuplicates: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Read != c.wantRead {
				t.Errorf("read %q, want %q", res.Read, c.wantRead)
			}
			l, _ := tb.List(ctx, Filter{Import: res.ID})
			r, err := tb.Get(ctx, l[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Fields["court"] != c.want["court"] || r.Fields["notes"] != c.want["notes"] {
				t.Errorf("stored court %q, notes %q; want %q, %q", r.Fields["court"], r.Fields["notes"], c.want["court"], c.want["notes"])
			}
		})
	}

	// A file in no encoding kolo can tell is refused with one message
	// for the whole file, not one per cell.
	tb := newBook(t)
	data := "court,notes\nX," + "Vi\x98i sud, \x98\x98" + "\n"
	_, err := tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	var ie *ImportError
	if !errors.Is(err, ErrInvalid) || errors.As(err, &ie) || strings.Count(err.Error(), "\n") > 0 ||
		!strings.Contains(err.Error(), "--encoding windows-1250 or windows-1251") {
		t.Fatalf("got %v; want one line for the file, naming --encoding", err)
	}
	if _, err := ParseEncoding("latin2"); err == nil || !strings.Contains(err.Error(), "utf-8, windows-1250, windows-1251") {
		t.Errorf("unknown encoding: %v", err)
	}
	tb.assertEmpty(t)
}
