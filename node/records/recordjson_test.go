package records

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// sameAsMarshal fails t unless recordJSON and summaryJSON give what
// json.Marshal gives for r and its summary (the stored format), errors
// included.
func sameAsMarshal(t *testing.T, r Record) {
	t.Helper()
	want, werr := json.Marshal(r)
	got, gerr := recordJSON(r)
	if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
		t.Fatalf("record:\n got %s (%v)\nwant %s (%v)", got, gerr, want, werr)
	}
	s := r.Summary()
	want, werr = json.Marshal(s)
	got, gerr = summaryJSON(s)
	if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
		t.Fatalf("summary:\n got %s (%v)\nwant %s (%v)", got, gerr, want, werr)
	}
}

// recordJSON writes the stored format, which is encoding/json's: a record
// written by an import reads back as before, and a record stored before
// reads as it did (the bytes are the same).
func TestRecordJSONIsMarshal(t *testing.T) {
	now := time.Date(2025, 3, 4, 10, 11, 12, 345000000, time.UTC)
	base := Record{ID: newID(), Kind: sdk.KindJudgment, Form: "rs.judgment@2", Country: "RS", Date: "2025-03-03",
		Created: now, Updated: now.Add(time.Hour), Author: testAuthor, Version: 3}
	_, rows := benchRows(t, 1)
	odd := map[string]any{
		"html":      "a <b> & c",
		"lt":        "a < b",
		"gt":        "a > b",
		"amp":       "a & b",
		"quote":     `say "no" \ then`,
		"control":   "line\nbreak\ttab\x01\x7f",
		"separator": "para\u2028graph\u2029",
		"invalid":   "bad \xff byte",
		"cyrillic":  "Виши суд у Новом Саду",
		"floats":    []any{0.0, math.Copysign(0, -1), 1e-7, 1e-6, 1e20, 1e21, 123.456, -2.5e-10, 1.7976931348623157e308},
		"mixed":     []any{"a", 1.0, nil, true, map[string]any{"z": 1.0, "a": "x"}},
		"nested":    map[string]any{"b": []any{}, "a": nil},
		"empty":     []any{},
		"none":      []any(nil),
		"strings":   []string{"x", "<y>"},
		"nilstr":    []string(nil),
		"int":       int64(-42),
		"int32":     int32(7),
		"number":    json.Number("12.50"),
		"big":       1e300,
		"tiny":      5e-324,
		"k\"ey<&>":  "v",
		"":          "empty key",
		"f":         false,
	}
	cases := map[string]func(r *Record){
		"bench row": func(r *Record) {
			r.Fields = rows[0]
			r.Common = sdk.Common{"verdict": "convicted", "victims": int64(2)}
		},
		"odd values": func(r *Record) { r.Fields = odd; r.Common = sdk.Common(odd) },
		"empty maps": func(r *Record) { r.Fields = sdk.Answers{}; r.Common = nil },
		"everything optional": func(r *Record) {
			r.SubJurisdiction, r.Deleted, r.Import = "fbih", true, newID()
		},
		"purged": func(r *Record) {
			r.Purged = &Purge{At: now, By: "retention", Fields: []string{"notes"}}
			r.Fields = sdk.Answers{"case_number": "K 1/24", "court": "Sud"}
		},
		"brief with escapes": func(r *Record) {
			r.Fields = sdk.Answers{"case_number": "K <1>/24 & \"2\"", "court": "Sud\u2028", "verdict": "x\xfe"}
		},
		"zone":         func(r *Record) { r.Created = now.In(time.FixedZone("CET", 3600)) },
		"odd zone":     func(r *Record) { r.Created = now.In(time.FixedZone("odd", 3601)) },
		"year 10000":   func(r *Record) { r.Updated = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"NaN":          func(r *Record) { r.Common = sdk.Common{"eur": math.NaN()} },
		"infinity":     func(r *Record) { r.Fields = sdk.Answers{"x": []any{math.Inf(1)}} },
		"bad key text": func(r *Record) { r.ID, r.Author = "id\x00", "\xffauthor" },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			r := base
			change(&r)
			sameAsMarshal(t, r)
		})
	}
}

// FuzzRecordJSON holds recordJSON to json.Marshal for any answers a file
// or a request can hold, as fields and as indicators.
func FuzzRecordJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":null,"b":1.5,"c":true,"d":"x<&>","e":["p","q"],"f":[],"g":{"h":[1,"x"]},"i":[null]}`,
		`{"verdict":"convicted","sentence_months":48,"international_law_cited":["palermo"]}`, `{"a":-0,"b":1e308,"c":1e-7,"d":1e21}`,
		"{\"x\":\"\\u2028\\u0000\\\\\"}", `{"notes":"Žrtva je saslušana putem video-linka"}`} {
		f.Add([]byte(s), "rs", int64(3))
	}
	now := time.Date(2025, 3, 4, 10, 11, 12, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte, text string, n int64) {
		var a map[string]any
		if json.Unmarshal(data, &a) != nil {
			return
		}
		r := Record{ID: text, Kind: sdk.Kind(text), Form: text, Country: text, SubJurisdiction: text, Date: text,
			Created: now, Updated: now.Add(time.Duration(n)), Author: text, Version: int(n), Import: text,
			Fields: a, Common: sdk.Common(a)}
		sameAsMarshal(t, r)
	})
}
