package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// TestRecordLifecycle: add, get, list, edit (a new version, the old one in
// the history), delete (a tombstone, kept in the history).
func TestRecordLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	a := answers(t, "rs", "judgment.v2.json")

	rec, err := tb.Add(ctx, "rs.judgment", a)
	if err != nil {
		t.Fatal(err)
	}
	if !idPattern.MatchString(rec.ID) || rec.Form != "rs.judgment@2" || rec.Kind != sdk.KindJudgment ||
		rec.Country != "RS" || rec.Version != 1 || rec.Author != testAuthor || rec.Deleted ||
		rec.Date != a["decision_date"] || rec.Created.IsZero() || !rec.Created.Equal(rec.Updated) {
		t.Fatalf("added record: %+v", rec)
	}
	if got, want := jsonOf(t, rec.Common), jsonOf(t, golden(t, "rs", "judgment.v2.common.json")); got != want {
		t.Fatalf("indicators:\n got %s\nwant %s", got, want)
	}
	got, err := tb.Get(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, got) != jsonOf(t, rec) {
		t.Fatalf("Get differs from Add:\n%s\n%s", jsonOf(t, got), jsonOf(t, rec))
	}
	if _, ok := got.Common["defendants"].(int64); !ok {
		t.Errorf("stored count read back as %T, want int64 (canonical)", got.Common["defendants"])
	}
	l, err := tb.List(ctx, Filter{})
	if err != nil || len(l) != 1 || jsonOf(t, l[0]) != jsonOf(t, rec.Summary()) {
		t.Fatalf("List: %+v %v", l, err)
	}
	// The list tells records apart: case number, court, verdict.
	if got, want := strings.Join(l[0].Brief, "|"), fmt.Sprintf("%s|%s|%s", a["case_number"], a["court"], a["verdict"]); got != want {
		t.Errorf("list brief %q, want %q", got, want)
	}

	// Edit: version 2, history holds version 1.
	a2 := with(a, map[string]any{"sentence_months": 40.0, "decision_date": "2024-06-03"})
	ed, err := tb.Edit(ctx, rec.ID, a2)
	if err != nil {
		t.Fatal(err)
	}
	if ed.Version != 2 || ed.Form != rec.Form || !ed.Created.Equal(rec.Created) || ed.Date != "2024-06-03" ||
		ed.Common["sentence_months"] != int64(40) || ed.ID != rec.ID {
		t.Fatalf("edited: %+v", ed)
	}
	h, err := tb.History(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h.Record.Version != 2 || len(h.History) != 1 || jsonOf(t, h.History[0]) != jsonOf(t, rec) {
		t.Fatalf("history after edit: %s", jsonOf(t, h))
	}
	if v1, ok := h.Version(1); !ok || v1.Fields["sentence_months"] != a["sentence_months"] {
		t.Fatalf("version 1: %+v", v1)
	}
	if l, _ := tb.List(ctx, Filter{}); len(l) != 1 || l[0].Date != "2024-06-03" || l[0].Version != 2 {
		t.Fatalf("List after an edit that moved the date: %+v", l)
	}

	// Delete: a tombstone version 3; versions 1 and 2 kept.
	del, err := tb.Delete(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !del.Deleted || del.Version != 3 || del.Fields != nil || del.Common != nil {
		t.Fatalf("tombstone: %+v", del)
	}
	h, err = tb.History(ctx, rec.ID)
	if err != nil || !h.Record.Deleted || len(h.History) != 2 || h.History[1].Fields["sentence_months"] != 40.0 {
		t.Fatalf("history after delete: %s %v", jsonOf(t, h), err)
	}
	if l, _ := tb.List(ctx, Filter{}); len(l) != 0 {
		t.Fatalf("deleted record listed: %+v", l)
	}
	if l, _ := tb.List(ctx, Filter{Deleted: true}); len(l) != 1 || !l[0].Deleted {
		t.Fatalf("List with deleted: %+v", l)
	}
	if _, err := tb.Edit(ctx, rec.ID, a); !errors.Is(err, ErrDeleted) {
		t.Fatalf("edit of a deleted record: %v", err)
	}
	if _, err := tb.Delete(ctx, rec.ID); !errors.Is(err, ErrDeleted) {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := tb.Get(ctx, "aaaaaaaaaaaaaaaaaaaaaaaaaa"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get of a missing record: %v", err)
	}
	if _, err := tb.Get(ctx, "../../etc"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("get of a malformed id: %v", err)
	}
	// An edit that its form refuses changes nothing.
	if n := tb.entries(t); n[spaceHistory] != 2 {
		t.Fatalf("history entries: %v", n)
	}
}

// TestFormEvolution: a record entered on rs.judgment@1 reads, edits and
// recomputes with version 1 while version 2 is served.
func TestFormEvolution(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	if fi, ok := tb.forms.Latest("rs.judgment"); !ok || fi.Version != 2 {
		t.Fatalf("the test needs rs.judgment@2 served; latest is %+v", fi)
	}
	a := answers(t, "rs", "judgment.v1.json")
	rec, err := tb.Add(ctx, "rs.judgment@1", a)
	if err != nil {
		t.Fatal(err)
	}
	want := jsonOf(t, golden(t, "rs", "judgment.v1.common.json"))
	tb.reopen(t)
	got, err := tb.Get(ctx, rec.ID)
	if err != nil || got.Form != "rs.judgment@1" || jsonOf(t, got.Common) != want {
		t.Fatalf("read back: %v %+v", err, got)
	}
	c, err := tb.Indicators(ctx, rec.ID)
	if err != nil || jsonOf(t, c) != want {
		t.Fatalf("recomputed with version 1: %v\n got %s\nwant %s", err, jsonOf(t, c), want)
	}
	// An edit stays on version 1: a version 2 question is refused.
	_, err = tb.Edit(ctx, rec.ID, with(a, map[string]any{"appeal_filed": true}))
	if err == nil || !strings.Contains(err.Error(), "appeal_filed: is not a field of rs.judgment@1") {
		t.Fatalf("edit with a v2 field: %v", err)
	}
	ed, err := tb.Edit(ctx, rec.ID, with(a, map[string]any{"victims": 4.0}))
	if err != nil || ed.Form != "rs.judgment@1" || ed.Common["victims"] != int64(4) {
		t.Fatalf("edit on v1: %v %+v", err, ed)
	}
}

// TestBadRecordStoresNothing: each kind of bad input to Add is refused with
// a message naming the field and the rule, and leaves the store empty.
func TestBadRecordStoresNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	a := answers(t, "rs", "judgment.v2.json")
	tomorrow := time.Now().AddDate(0, 0, 2).Format(sdk.DateLayout)
	cases := []struct {
		name string
		form string
		a    sdk.Answers
		want string
	}{
		{"unknown form", "rs.verdict", a, `unknown form "rs.verdict"`},
		{"unknown version", "rs.judgment@9", a, "unknown form rs.judgment@9: rs.judgment is served in version 1, 2"},
		{"bad reference", "rs.judgment@x", a, "version after @ must be a whole number"},
		{"unknown field", "rs.judgment", with(a, map[string]any{"judge": "X"}), "judge: is not a field of rs.judgment@2"},
		{"missing required", "rs.judgment", with(a, map[string]any{"court": nil}), "court: is required"},
		{"wrong type", "rs.judgment", with(a, map[string]any{"victims": "three"}), `victims: must be 0..100000, got "three"`},
		{"outside list", "rs.judgment", with(a, map[string]any{"verdict": "guilty"}), `verdict: must be one of convicted, acquitted, dismissed, plea_agreement, got "guilty"`},
		{"out of range", "rs.judgment", with(a, map[string]any{"sentence_months": 700.0}), `sentence_months: must be 0..600, got "700"`},
		{"decision before indictment", "rs.judgment", with(a, map[string]any{"indictment_date": "2024-06-01", "decision_date": "2024-05-01"}), "decision_date"},
		{"date in the future", "rs.judgment", with(a, map[string]any{"decision_date": tomorrow}), "decision_date: must not be in the future"},
		{"impossible date", "rs.judgment", with(a, map[string]any{"decision_date": "2024-02-30"}), "decision_date: must be a date YYYY-MM-DD"},
		{"too large", "rs.judgment", with(a, map[string]any{"notes": strings.Repeat("ž", MaxRecordBytes/2)}), "at most 262144 (256 KiB) allowed"},
	}
	for _, c := range cases {
		_, err := tb.Add(ctx, c.form, c.a)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want ErrInvalid with %q", c.name, err, c.want)
		}
	}
	// Invalid UTF-8 and oversized JSON are refused when the answers are read.
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"invalid UTF-8", []byte("{\"court\": \"Vi\xc5i sud\"}"), "not valid UTF-8"},
		{"too large", []byte(`{"notes": "` + strings.Repeat("a", MaxRecordBytes) + `"}`), "larger than 256 KiB"},
		{"not an object", []byte(`["court"]`), "must be a JSON object"},
		{"key twice", []byte(`{"court": "a", "court": "b"}`), `field "court" appears twice`},
	} {
		_, err := ParseAnswers(c.data)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want ErrInvalid with %q", c.name, err, c.want)
		}
	}
	tb.assertEmpty(t)
}

// TestSubJurisdiction: a Bosnian record keeps its sub_jurisdiction answer
// as the record's sub-jurisdiction, and lists filter by country.
func TestSubJurisdiction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	rec, err := tb.Add(ctx, "ba.judgment", answers(t, "ba", "judgment.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Country != "BA" || rec.SubJurisdiction != "rs" {
		t.Fatalf("BA record: country %q, sub-jurisdiction %q", rec.Country, rec.SubJurisdiction)
	}
	if _, err := tb.Add(ctx, "rs.judgment", answers(t, "rs", "judgment.v2.json")); err != nil {
		t.Fatal(err)
	}
	l, err := tb.List(ctx, Filter{Country: "BA"})
	if err != nil || len(l) != 1 || l[0].SubJurisdiction != "rs" {
		t.Fatalf("BA list: %+v %v", l, err)
	}
}

// TestListFilters: kind, form (id or reference), country, date range,
// import.
func TestListFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	j := answers(t, "rs", "judgment.v2.json")
	var ids []string
	for _, d := range []string{"2023-01-10", "2023-12-31", "2024-01-01", "2024-07-15"} {
		r, err := tb.Add(ctx, "rs.judgment", with(j, map[string]any{"decision_date": d, "indictment_date": nil}))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	old, err := tb.Add(ctx, "rs.judgment@1", answers(t, "rs", "judgment.v1.json")) // 2024-05-20
	if err != nil {
		t.Fatal(err)
	}
	eng, err := tb.Add(ctx, "rs.engagement", answers(t, "rs", "engagement.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	count := func(f Filter) int {
		t.Helper()
		l, err := tb.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(l); i++ {
			if l[i-1].Date > l[i].Date {
				t.Fatalf("list not in date order: %+v", l)
			}
		}
		return len(l)
	}
	for _, c := range []struct {
		f    Filter
		want int
	}{
		{Filter{}, 6},
		{Filter{Kind: sdk.KindJudgment}, 5},
		{Filter{Kind: sdk.KindEngagement}, 1},
		{Filter{Form: "rs.judgment"}, 5},
		{Filter{Form: "rs.judgment@1"}, 1},
		{Filter{Form: "rs.judgment@2"}, 4},
		{Filter{Country: "RS"}, 6},
		{Filter{Country: "HR"}, 0},
		{Filter{Kind: sdk.KindJudgment, Since: "2024-01-01"}, 3},
		{Filter{Kind: sdk.KindJudgment, Until: "2023-12-31"}, 2},
		{Filter{Kind: sdk.KindJudgment, Since: "2023-12-31", Until: "2024-01-01"}, 2},
		{Filter{Kind: sdk.KindJudgment, Since: "2024-05-20", Until: "2024-05-20"}, 1},
	} {
		if got := count(c.f); got != c.want {
			t.Errorf("List(%+v) = %d records, want %d", c.f, got, c.want)
		}
	}
	if eng.Date != "2025-02-12" || old.Date != "2024-05-20" {
		t.Errorf("dated %q and %q; want the meeting's and the decision's dates", eng.Date, old.Date)
	}
	if l, _ := tb.List(ctx, Filter{Since: "2025-01-01"}); len(l) != 1 || l[0].ID != eng.ID {
		t.Errorf("since 2025 across kinds: %+v", l)
	}
	if l, _ := tb.List(ctx, Filter{Until: "2023-12-31"}); len(l) != 2 || l[0].ID != ids[0] || l[1].ID != ids[1] {
		t.Errorf("until 2023 across kinds: %+v", l)
	}
	// Each streams the same records as List, with their indicators.
	n := 0
	err = tb.Each(ctx, Filter{Kind: sdk.KindJudgment, Since: "2024-01-01"}, func(r Record) error {
		if r.Kind != sdk.KindJudgment || r.Date < "2024-01-01" || r.Common["decision_date"] != r.Date {
			t.Errorf("Each gave %+v", r)
		}
		n++
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("Each: %d records, %v", n, err)
	}
	for _, f := range []Filter{{Kind: "verdict"}, {Since: "2024-13-01"}, {Since: "2024-02-01", Until: "2024-01-01"}, {Country: "rs"}, {Form: "@1"}} {
		if _, err := tb.List(ctx, f); !errors.Is(err, ErrInvalid) {
			t.Errorf("List(%+v): %v; want ErrInvalid", f, err)
		}
	}
	q, err := FilterFromQuery(Filter{Kind: sdk.KindJudgment, Form: "rs.judgment@2", Since: "2024-01-01", Deleted: true}.Query())
	if err != nil || q != (Filter{Kind: sdk.KindJudgment, Form: "rs.judgment@2", Since: "2024-01-01", Deleted: true}) {
		t.Fatalf("query round trip: %+v %v", q, err)
	}
}

// TestExportRoundTrip: JSON export holds exactly the stored records; a CSV
// export imports back into another node with the same answers.
func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	v2 := answers(t, "rs", "judgment.v2.json")
	v2["notes"] = "Prvi red; \"navodnici\", zarez\ni novi red."
	var want []Record
	for _, a := range []sdk.Answers{v2, with(v2, map[string]any{"decision_date": "2024-11-02", "international_law_cited": nil})} {
		r, err := tb.Add(ctx, "rs.judgment", a)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	v1, err := tb.Add(ctx, "rs.judgment@1", answers(t, "rs", "judgment.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	gone, err := tb.Add(ctx, "rs.judgment", v2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tb.Delete(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := tb.Add(ctx, "rs.engagement", answers(t, "rs", "engagement.v1.json")); err != nil {
		t.Fatal(err)
	}

	// JSON: every current record that is not deleted, by date.
	var js strings.Builder
	n, err := tb.Export(ctx, &js, Filter{Kind: sdk.KindJudgment}, FormatJSON)
	if err != nil || n != 3 {
		t.Fatalf("json export: %d, %v", n, err)
	}
	var got []Record
	if err := json.Unmarshal([]byte(js.String()), &got); err != nil {
		t.Fatalf("json export does not parse: %v\n%s", err, js.String())
	}
	byID := map[string]Record{}
	for _, r := range got {
		byID[r.ID] = r
	}
	for _, r := range append(want, v1) {
		if jsonOf(t, byID[r.ID]) != jsonOf(t, r) {
			t.Errorf("exported %s:\n got %s\nwant %s", r.ID, jsonOf(t, byID[r.ID]), jsonOf(t, r))
		}
	}
	if _, ok := byID[gone.ID]; ok {
		t.Error("a deleted record was exported")
	}

	// CSV: one form (any version); more forms need --form.
	var cs strings.Builder
	if _, err := tb.Export(ctx, &cs, Filter{}, FormatCSV); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "--form") {
		t.Fatalf("csv export of two forms: %v", err)
	}
	n, err = tb.Export(ctx, &cs, Filter{Form: "rs.judgment"}, FormatCSV)
	if err != nil || n != 3 {
		t.Fatalf("csv export: %d %v", n, err)
	}
	if !strings.HasPrefix(cs.String(), "\uFEFF_id;_form;_date;_created;_updated;_version;case_number;") {
		t.Fatalf("csv header: %.120q", cs.String())
	}
	// The v2 rows re-import on rs.judgment@2 with the same answers; the
	// v1 row too (its answers are a subset of v2's).
	other := newBook(t)
	res, err := other.Import(ctx, strings.NewReader(cs.String()), ImportOptions{Form: "rs.judgment", Format: FormatCSV})
	if err != nil || res.Records != 3 || res.Form != "rs.judgment@2" {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	imported, err := other.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, s := range imported {
		r, err := other.Get(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		fields[jsonOf(t, r.Fields)] = true
	}
	for _, r := range append(want, v1) {
		if !fields[jsonOf(t, r.Fields)] {
			t.Errorf("answers of %s not found after the CSV round trip: %s\nhave %v", r.ID, jsonOf(t, r.Fields), fields)
		}
	}
}

// TestPrivateFieldsNeverInIndicatorsOrLogs: the notes and the personal
// fields are stored, exported, but never in the indicators or in any log
// line of the Book or of the plugins, whatever happens to the record.
func TestPrivateFieldsNeverInIndicatorsOrLogs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	const canary = "CANARY-Marija-Petrović-1987"
	a := answers(t, "rs", "judgment.v2.json")
	a["notes"] = "Svedočila je " + canary + "."
	a["case_number"] = "K " + canary
	a["defendant_initials"] = canary[:10]

	rec, err := tb.Add(ctx, "rs.judgment", a)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Fields["notes"] != a["notes"] {
		t.Fatal("notes not stored")
	}
	if _, err := tb.Edit(ctx, rec.ID, with(a, map[string]any{"victims": 5.0})); err != nil {
		t.Fatal(err)
	}
	// A refused record with the canary in a bad value.
	if _, err := tb.Add(ctx, "rs.judgment", with(a, map[string]any{"court": canary + strings.Repeat("x", 300)})); err == nil {
		t.Fatal("an overlong court was accepted")
	}
	data := csvOf(keysOf(a), ";", a, with(a, map[string]any{"victims": "mnogo " + canary}))
	if _, err := tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatCSV}); err == nil {
		t.Fatal("bad import accepted")
	}
	data = csvOf(keysOf(a), ";", a, a)
	if _, err := tb.Import(ctx, strings.NewReader(data), ImportOptions{Form: "rs.judgment", Format: FormatCSV, AllowDuplicates: true}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if _, err := tb.Export(ctx, &out, Filter{}, FormatJSON); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), canary) {
		t.Fatal("the export lacks the notes: it is the partner's own data")
	}
	h, err := tb.History(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range append(h.History, h.Record) {
		if strings.Contains(jsonOf(t, r.Common), canary[:10]) {
			t.Errorf("version %d: indicators hold a private answer: %s", r.Version, jsonOf(t, r.Common))
		}
	}
	l, _ := tb.List(ctx, Filter{})
	for _, s := range l {
		r, _ := tb.Get(ctx, s.ID)
		if strings.Contains(jsonOf(t, r.Common), canary[:10]) {
			t.Errorf("imported record %s: indicators hold a private answer", s.ID)
		}
	}
	for name, logs := range map[string]string{"book": tb.logs.String(), "plugins": shared.logs.String()} {
		if logs == "" && name == "book" {
			t.Errorf("no %s logs at all: the check proves nothing", name)
		}
		if strings.Contains(logs, canary[:10]) {
			t.Errorf("%s logs hold a private answer:\n%s", name, logs)
		}
	}
}
