package records

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// scanned is what ScanIndicators gave for one record.
type scanned struct {
	date, country, sub string
	common             sdk.Common
}

func scanAll(t testing.TB, b *Book, r IndicatorRange) map[string]scanned {
	t.Helper()
	out := map[string]scanned{}
	last := ""
	err := b.ScanIndicators(context.Background(), r, func(v *IndicatorView) error {
		id, date := v.ID(), v.EventDate()
		if date < last {
			return fmt.Errorf("record %s dated %s after %s: not in date order", id, date, last)
		}
		last = date
		if v.Kind() != r.Kind {
			return fmt.Errorf("record %s: view of kind %s in a scan of %s", id, v.Kind(), r.Kind)
		}
		out[id] = scanned{date: date, country: v.Country(), sub: v.SubJurisdiction(), common: v.Common()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// queryable is c without the indicators the space does not keep (short
// public text), with sets in their closed list's order: what a view of it
// decodes to.
func queryable(t testing.TB, k sdk.Kind, c sdk.Common) sdk.Common {
	t.Helper()
	c, err := sdk.CanonicalCommon(k, c)
	if err != nil {
		t.Fatal(err)
	}
	out := sdk.Common{}
	for name, v := range c {
		ind, _ := sdk.LookupIndicator(k, name)
		switch ind.Type {
		case sdk.IndicatorString:
			continue
		case sdk.IndicatorSet:
			set := v.([]string)
			var ordered []string
			for _, o := range ind.OptionValues() {
				if slices.Contains(set, o) {
					ordered = append(ordered, o)
				}
			}
			if ordered == nil {
				ordered = []string{}
			}
			v = ordered
		}
		out[name] = v
	}
	return out
}

// TestIndicatorsFollowRecords: the indicator space holds exactly the
// current indicators of every record that is not deleted, after an add,
// an edit that moves the record's date and changes values, and a delete;
// a date range narrows the scan.
func TestIndicatorsFollowRecords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	rs, err := tb.Add(ctx, "rs.judgment", answers(t, "rs", "judgment.v2.json"))
	if err != nil {
		t.Fatal(err)
	}
	ba, err := tb.Add(ctx, "ba.judgment", answers(t, "ba", "judgment.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string, want ...Record) {
		t.Helper()
		got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindJudgment})
		if len(got) != len(want) {
			t.Fatalf("%s: %d records in the indicator space, want %d", when, len(got), len(want))
		}
		for _, r := range want {
			s, ok := got[r.ID]
			if !ok {
				t.Fatalf("%s: record %s missing from the indicator space", when, r.ID)
			}
			if s.date != r.Date || s.country != r.Country || s.sub != r.SubJurisdiction {
				t.Errorf("%s: record %s: date %s country %s sub %q, want %s %s %q", when, r.ID, s.date, s.country, s.sub, r.Date, r.Country, r.SubJurisdiction)
			}
			if g, w := jsonOf(t, s.common), jsonOf(t, queryable(t, r.Kind, r.Common)); g != w {
				t.Errorf("%s: record %s indicators:\n got %s\nwant %s", when, r.ID, g, w)
			}
		}
	}
	check("after add", rs, ba)
	if ba.SubJurisdiction != "rs" || ba.Country != "BA" {
		t.Fatalf("BA record: %+v", ba.Summary())
	}

	ed, err := tb.Edit(ctx, rs.ID, with(answers(t, "rs", "judgment.v2.json"), map[string]any{
		"decision_date": "2024-06-03", "sentence_months": 40.0, "verdict": "convicted",
		"compensation_claimed": false, "international_law_cited": []any{"echr_art4"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	check("after an edit that moved the date", ed, ba)
	if n := tb.entries(t)[spaceIndicators]; n != 2 {
		t.Fatalf("indicator entries after the edit: %d, want 2 (the old key removed)", n)
	}

	got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindJudgment, Since: "2024-06-01", Until: "2024-06-30"})
	if len(got) != 1 || got[ed.ID].date != "2024-06-03" {
		t.Fatalf("range scan of June 2024: %v", got)
	}
	if got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindPoliceCase}); len(got) != 0 {
		t.Fatalf("police cases: %v", got)
	}

	if _, err := tb.Delete(ctx, ba.ID); err != nil {
		t.Fatal(err)
	}
	check("after a delete", ed)
	if n := tb.entries(t)[spaceIndicators]; n != 1 {
		t.Fatalf("indicator entries after the delete: %d, want 1", n)
	}
	if err := tb.ScanIndicators(ctx, IndicatorRange{Kind: "ruling"}, func(*IndicatorView) error { return nil }); !errors.Is(err, ErrInvalid) {
		t.Fatalf("scan of an unknown kind: %v", err)
	}
}

// TestIndicatorsOfImportInvisibleUntilCommit: an import's indicator
// entries are written with its records and, like them, are invisible
// until its commit marker; an import removed at Open takes them along.
func TestIndicatorsOfImportInvisibleUntilCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	fi, err := tb.resolve("rs.judgment@2")
	if err != nil {
		t.Fatal(err)
	}
	a := answers(t, "rs", "judgment.v2.json")
	data := csvOf(keysOf(a), ",", a, a, a)
	stage := func() []staged {
		plan, err := tb.checkRows(ctx, &source{in: &limitedReader{r: strings.NewReader(data), left: MaxImportBytes, limit: MaxImportBytes}}, fi, parseCSV,
			newIdentity(tb.Book, fi, true), nil, func(Progress) {})
		recs := plan.recs
		if err != nil || len(recs) != 3 {
			t.Fatalf("checkRows: %d records, %v", len(recs), err)
		}
		return recs
	}
	imp := newID()
	st := importState{State: statePending, Form: fi.Ref(), Records: 3}
	if err := tb.putImportState(imp, st); err != nil {
		t.Fatal(err)
	}
	if err := tb.writeStaged(ctx, imp, stage(), func(Progress) {}); err != nil {
		t.Fatal(err)
	}
	if n := tb.entries(t)[spaceIndicators]; n != 3 {
		t.Fatalf("staged indicator entries: %d, want 3", n)
	}
	if got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindJudgment}); len(got) != 0 {
		t.Fatalf("indicators of a pending import are visible: %d", len(got))
	}
	tb.reopen(t) // the import was interrupted: Open removes it
	if n := tb.entries(t)[spaceIndicators]; n != 0 {
		t.Fatalf("indicator entries of a removed import: %d", n)
	}

	imp = newID()
	if err := tb.putImportState(imp, st); err != nil {
		t.Fatal(err)
	}
	if err := tb.writeStaged(ctx, imp, stage(), func(Progress) {}); err != nil {
		t.Fatal(err)
	}
	if got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindJudgment}); len(got) != 0 {
		t.Fatalf("before the commit marker: %d visible", len(got))
	}
	// A committed import beside the pending one: one scan shows the
	// first's records and not the second's.
	res, err := tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatCSV, AllowDuplicates: true})
	if err != nil || res.Records != 3 {
		t.Fatal(res, err)
	}
	if got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindJudgment}); len(got) != 3 {
		t.Fatalf("a committed and a pending import: %d visible, want 3", len(got))
	}
	if err := tb.commitImport(imp, st, nil); err != nil {
		t.Fatal(err)
	}
	got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindJudgment})
	if len(got) != 6 {
		t.Fatalf("after the commit marker: %d visible, want 6", len(got))
	}
	want := jsonOf(t, queryable(t, sdk.KindJudgment, sdk.Common(golden(t, "rs", "judgment.v2.common.json"))))
	for id, s := range got {
		if g := jsonOf(t, s.common); g != want {
			t.Errorf("imported %s:\n got %s\nwant %s", id, g, want)
		}
	}
	// Another whole import through the public call, as a monitor runs it.
	if res, err = tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatCSV, AllowDuplicates: true}); err != nil || res.Records != 3 {
		t.Fatal(res, err)
	}
	if got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindJudgment}); len(got) != 9 {
		t.Fatalf("after Import: %d visible, want 9", len(got))
	}
}

// TestIndicatorsBuiltAtOpen: a store written by a kolo without the
// indicator space (no entries, no format mark), or with an older format,
// gets the space built from its records at Open, stale entries removed;
// with the current mark, Open leaves the space alone.
func TestIndicatorsBuiltAtOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	var want []Record
	for i := range 4 {
		r, err := tb.Add(ctx, "rs.judgment", with(answers(t, "rs", "judgment.v2.json"), map[string]any{"victims": float64(i + 1)}))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	gone, err := tb.Delete(ctx, want[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	want = want[:3]
	pc, err := tb.Add(ctx, "rs.police_case", answers(t, "rs", "police_case.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	wipe := func() {
		t.Helper()
		var keys [][]byte
		if err := tb.st.Scan(ctx, spaceIndicators, nil, func(k, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if err := tb.st.Delete(spaceIndicators, k); err != nil {
				t.Fatal(err)
			}
		}
	}
	assertAll := func(when string) {
		t.Helper()
		got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindJudgment})
		if len(got) != len(want) {
			t.Fatalf("%s: %d judgments in the indicator space, want %d", when, len(got), len(want))
		}
		for _, r := range want {
			if g, w := jsonOf(t, got[r.ID].common), jsonOf(t, queryable(t, r.Kind, r.Common)); g != w {
				t.Fatalf("%s: %s:\n got %s\nwant %s", when, r.ID, g, w)
			}
		}
		if got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindPoliceCase}); len(got) != 1 || got[pc.ID].date != pc.Date {
			t.Fatalf("%s: police cases %v", when, got)
		}
	}

	// A store from before the indicator space: no entries, no mark.
	wipe()
	if err := tb.st.Delete(spaceIndicatorState, indicatorFormatKey); err != nil {
		t.Fatal(err)
	}
	tb.reopen(t)
	assertAll("built from an old store")
	if !strings.Contains(tb.logs.String(), "built the indicator space from the stored records") {
		t.Errorf("the build is not logged:\n%s", tb.logs)
	}

	// An older format, with a stale entry (of the deleted record) left in it.
	stale := gone
	stale.Deleted, stale.Common = false, sdk.Common{"victims": int64(99)}
	enc, err := encodeIndicators(stale)
	if err != nil {
		t.Fatal(err)
	}
	if err := tb.st.Put(spaceIndicators, indexKey(stale.Summary()), enc); err != nil {
		t.Fatal(err)
	}
	if err := tb.st.Put(spaceIndicatorState, indicatorFormatKey, []byte("0")); err != nil {
		t.Fatal(err)
	}
	tb.reopen(t)
	assertAll("rebuilt from an older format")

	// The current mark: Open trusts the space (the stale entry stays, so
	// the rebuild above is what removed it).
	if err := tb.st.Put(spaceIndicators, indexKey(stale.Summary()), enc); err != nil {
		t.Fatal(err)
	}
	tb.reopen(t)
	if got := scanAll(t, tb.Book, IndicatorRange{Kind: sdk.KindJudgment}); len(got) != len(want)+1 {
		t.Fatalf("with the current format mark Open rebuilt the space: %d entries", len(got))
	}
}

// TestIndicatorEncodingRoundTrip: for every kind, random values of every
// indicator (extremes included: 0, Max, 1900-01-01, every set value)
// decode to exactly what was encoded, each readable alone.
func TestIndicatorEncodingRoundTrip(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range sdk.Kinds {
		for n := range 300 {
			c := randomCommon(k, rng, n)
			r := Record{ID: newID(), Kind: k, Country: "BA", SubJurisdiction: "brcko", Common: c}
			if n%3 == 0 {
				r.Import = newID()
			}
			enc, err := encodeIndicators(r)
			if err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			v, err := parseIndicatorView(k, enc)
			if err != nil {
				t.Fatalf("%s: parse: %v", k, err)
			}
			if g, w := jsonOf(t, v.Common()), jsonOf(t, queryable(t, k, c)); g != w {
				t.Fatalf("%s:\n got %s\nwant %s", k, g, w)
			}
			if v.Country() != "BA" || v.SubJurisdiction() != "brcko" || string(v.imp) != r.Import {
				t.Fatalf("%s: header %q %q %q", k, v.Country(), v.SubJurisdiction(), v.imp)
			}
			// Typed reads of the wrong type report false.
			for i, ind := range sdk.Indicators(k) {
				_, isInt := v.Int(i)
				_, isBool := v.Bool(i)
				wantInt := v.Has(i) && (ind.Type == sdk.IndicatorCount || ind.Type == sdk.IndicatorDays || ind.Type == sdk.IndicatorMonths)
				if isInt != wantInt || isBool != (v.Has(i) && ind.Type == sdk.IndicatorBool) {
					t.Fatalf("%s.%s (%s): Int ok=%v Bool ok=%v", k, ind.Name, ind.Type, isInt, isBool)
				}
			}
		}
	}
	// The import ID spliced in later reads back.
	r := Record{ID: newID(), Kind: sdk.KindJudgment, Country: "RS", Common: sdk.Common{"verdict": "convicted"}}
	enc, _ := encodeIndicators(r)
	imp := newID()
	spliced, err := withImportIndicators(enc, imp)
	if err != nil {
		t.Fatal(err)
	}
	v, err := parseIndicatorView(sdk.KindJudgment, spliced)
	if err != nil || string(v.imp) != imp || v.Common()["verdict"] != "convicted" {
		t.Fatalf("spliced: %v %q %v", err, v.imp, v.Common())
	}
	if _, err := withImportIndicators(spliced, newID()); err == nil {
		t.Fatal("a second splice was accepted")
	}
}

// randomCommon draws a valid value for about two thirds of kind k's
// indicators; draw n == 0 takes the lowest values, n == 1 the highest.
func randomCommon(k sdk.Kind, rng *rand.Rand, n int) sdk.Common {
	c := sdk.Common{}
	for _, ind := range sdk.Indicators(k) {
		if n > 1 && rng.IntN(3) == 0 {
			continue
		}
		pick := func(hi int) int {
			switch n {
			case 0:
				return 0
			case 1:
				return hi - 1
			}
			return rng.IntN(hi)
		}
		switch ind.Type {
		case sdk.IndicatorBool:
			c[ind.Name] = pick(2) == 1
		case sdk.IndicatorCount, sdk.IndicatorDays, sdk.IndicatorMonths:
			c[ind.Name] = int64(pick(int(ind.Max) + 1))
		case sdk.IndicatorEUR:
			c[ind.Name] = float64(pick(int(ind.Max/1000))) * 1000.25 / 1000
			if n == 1 {
				c[ind.Name] = ind.Max
			}
		case sdk.IndicatorDate:
			d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, pick(60000))
			c[ind.Name] = d.Format(sdk.DateLayout)
		case sdk.IndicatorEnum:
			c[ind.Name] = ind.Options[pick(len(ind.Options))].Value
		case sdk.IndicatorSet:
			var vals []string
			for _, o := range ind.Options {
				if n == 1 || n > 1 && rng.IntN(2) == 0 {
					vals = append(vals, o.Value)
				}
			}
			c[ind.Name] = vals
		case sdk.IndicatorString:
			c[ind.Name] = "Viši sud u Beogradu"
		}
	}
	return c
}

// TestIndicatorSpaceHoldsNoPrivateAnswer: the raw values of the indicator
// space hold none of a record's personal or free-text answers.
func TestIndicatorSpaceHoldsNoPrivateAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	const canary = "CANARY-Jelena-Ilić-1990"
	a := answers(t, "rs", "judgment.v2.json")
	a["notes"] = "Svedočila je " + canary + "."
	a["case_number"] = "K " + canary
	if _, err := tb.Add(ctx, "rs.judgment", a); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := tb.st.Scan(ctx, spaceIndicators, nil, func(k, v []byte) error {
		n++
		if strings.Contains(string(k)+string(v), canary[:10]) || strings.Contains(string(v), "Viši sud") {
			return fmt.Errorf("indicator entry %q holds a private answer or text", k)
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("%d entries: %v", n, err)
	}
	// The same check finds the canary in the record space: it can fail.
	found := false
	_ = tb.st.Scan(ctx, spaceRecord, nil, func(_, v []byte) error {
		found = found || strings.Contains(string(v), canary)
		return nil
	})
	if !found {
		t.Fatal("the canary is not in the record space either: the check proves nothing")
	}
}

// A malformed value is refused, never a panic, and a view that parses
// answers every read.
func FuzzIndicatorView(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	seeds := 0
	for _, k := range sdk.Kinds {
		enc, err := encodeIndicators(Record{ID: "x", Kind: k, Country: "HR", Common: randomCommon(k, rng, 1)})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(k), enc)
		seeds++
	}
	if seeds == 0 {
		f.Fatal("no seeds")
	}
	f.Fuzz(func(t *testing.T, kind string, val []byte) {
		v, err := parseIndicatorView(sdk.Kind(kind), val)
		if err != nil {
			return
		}
		for i := range len(sdk.Indicators(sdk.Kind(kind))) + 2 {
			v.Has(i)
			v.Bool(i)
			v.Int(i)
			v.EUR(i)
			v.Date(i)
			v.Enum(i)
			v.Set(i)
		}
		v.Common()
	})
}
