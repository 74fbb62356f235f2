package rs

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

func TestInvalidRecords(t *testing.T) {
	t.Parallel()
	suite().Invalid(t, []plugintest.Invalid{
		{Name: "unknown field", Form: "rs.judgment@1", Set: map[string]any{"sentence": 12.0}, Want: []string{`sentence: is not a field of rs.judgment@1`}},
		{Name: "field of version 2 on version 1", Form: "rs.judgment@1", Set: map[string]any{"international_law_cited": []any{"palermo"}},
			Want: []string{`international_law_cited: is not a field of rs.judgment@1`}},
		{Name: "missing court", Form: "rs.judgment@1", Set: map[string]any{"court": nil}, Want: []string{`court: is required`}},
		{Name: "missing decision date", Form: "rs.judgment@2", Set: map[string]any{"decision_date": ""}, Want: []string{`decision_date: is required`}},
		{Name: "sentence as text", Form: "rs.judgment@1", Set: map[string]any{"sentence_months": "12 mj"}, Want: []string{`sentence_months: must be 0..600, got "12 mj"`}},
		{Name: "sentence too long", Form: "rs.judgment@1", Set: map[string]any{"sentence_months": 700.0}, Want: []string{`sentence_months: must be 0..600, got "700"`}},
		{Name: "victims not whole", Form: "rs.judgment@1", Set: map[string]any{"victims": 2.5}, Want: []string{`victims: must be 0..100000, got "2.5"`}},
		{Name: "article outside the code", Form: "rs.judgment@1", Set: map[string]any{"article": "art_387"},
			Want: []string{`article: must be one of art_388, art_388_3, art_389, art_390, art_184, art_350, other, got "art_387"`}},
		{Name: "verdict outside list", Form: "rs.judgment@1", Set: map[string]any{"verdict": "guilty"},
			Want: []string{`verdict: must be one of convicted, acquitted, dismissed, plea_agreement, got "guilty"`}},
		{Name: "decision before indictment", Form: "rs.judgment@1", Set: map[string]any{"decision_date": "2023-01-01"},
			Want: []string{`decision_date: must not be before indictment_date (2023-02-14), got "2023-01-01"`}},
		{Name: "decision in the future", Form: "rs.judgment@1", Set: map[string]any{"decision_date": "2025-07-01"},
			Want: []string{`decision_date: must not be in the future (after 2025-06-30), got "2025-07-01"`}},
		{Name: "impossible date", Form: "rs.judgment@1", Set: map[string]any{"indictment_date": "2023-02-30"},
			Want: []string{`indictment_date: must be a date YYYY-MM-DD, got "2023-02-30"`}},
		{Name: "more child victims than victims", Form: "rs.judgment@1", Set: map[string]any{"child_victims": 4.0},
			Want: []string{`child_victims: must not be more than victims (3), got "4"`}},
		{Name: "sentence on an acquittal", Form: "rs.judgment@1", Set: map[string]any{"verdict": "acquitted"},
			Want: []string{`sentence_months: may be answered only when verdict is convicted or plea_agreement`}},
		{Name: "court name too long", Form: "rs.judgment@1", Set: map[string]any{"court": strings.Repeat("Sud ", 31)},
			Want: []string{`court: must be at most 120 characters, got "124 characters"`}},
		{Name: "notes too long", Form: "rs.judgment@1", Set: map[string]any{"notes": strings.Repeat("ž", 10_001)},
			Want: []string{`notes: must be at most 10000 characters, got "10001 characters"`}},
		{Name: "invalid UTF-8", Form: "rs.judgment@1", Set: map[string]any{"court": "Viši sud \xc5"}, Want: []string{`court: must be valid UTF-8 text`}},
		{Name: "international law outside list", Form: "rs.judgment@2", Set: map[string]any{"international_law_cited": []any{"palermo", "gdpr"}},
			Want: []string{`international_law_cited: must be a list of values from palermo, coe_convention, echr_art4, eu_directive_2011_36, got "gdpr"`}},
		{Name: "hearing too long", Form: "rs.trial_hearing@1", Set: map[string]any{"duration_minutes": 2000.0},
			Want: []string{`duration_minutes: must be 0..1440, got "2000"`}},
		{Name: "hearing without date", Form: "rs.trial_hearing@1", Set: map[string]any{"date": nil, "hearing_held": "ne"},
			Want: []string{`date: is required`, `hearing_held: must be true or false, got "ne"`}},
		{Name: "more answers than requests", Form: "rs.police_case@1", Set: map[string]any{"information_requests_answered": 5.0},
			Want: []string{`information_requests_answered: must not be more than information_requests_sent (4), got "5"`}},
		{Name: "identifying body of a potential victim", Form: "rs.victim_support@1", Set: map[string]any{"victim_status": "potential"},
			Want: []string{`identifying_body: may be answered only when victim_status is identified or not_identified`}},
		{Name: "service outside list", Form: "rs.victim_support@1", Set: map[string]any{"services": []any{"shelter", "housing"}},
			Want: []string{`services: must be a list of values from shelter, medical, psychological, legal_aid, education, financial, repatriation, got "housing"`}},
		{Name: "stage outside list", Form: "rs.legislation@1", Set: map[string]any{"stage": "signed"},
			Want: []string{`stage: must be one of draft, consultation, parliament, adopted, in_force, repealed, got "signed"`}},
		{Name: "no participants", Form: "rs.engagement@1", Set: map[string]any{"participants": 0.0}, Want: []string{`participants: must be 1..500, got "0"`}},
	})
}

// TestJudgmentEvolution: a record entered on rs.judgment@1 stays valid,
// and maps to the same indicators, now that version 2 is shipped next to
// it (see sdk.Spec on form evolution).
func TestJudgmentEvolution(t *testing.T) {
	t.Parallel()
	all := suite().Specs(t)
	v1, ok1 := all["rs.judgment@1"]
	v2, ok2 := all["rs.judgment@2"]
	if !ok1 || !ok2 {
		t.Fatal("Forms must serve rs.judgment versions 1 and 2")
	}
	b, err := os.ReadFile("testdata/judgment.v1.json") // entered on version 1
	if err != nil {
		t.Fatal(err)
	}
	rec, err := sdk.ParseAnswers(b)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c1, err := v1.Normalize(ctx, rec)
	if err != nil {
		t.Fatalf("v1 record under v1 after v2 was added: %v", err)
	}
	c2, err := v2.Normalize(ctx, rec)
	if err != nil {
		t.Fatalf("v1 record under v2: %v", err)
	}
	if !reflect.DeepEqual(c1, c2) {
		t.Errorf("v1 record maps differently under v2:\n%v\n%v", c1, c2)
	}
	// Version 2 is version 1 plus two optional fields, in the same order.
	if len(v2.Info.Fields) != len(v1.Info.Fields)+2 {
		t.Fatalf("v2 has %d fields, v1 %d", len(v2.Info.Fields), len(v1.Info.Fields))
	}
	for i, f := range v1.Info.Fields {
		if !reflect.DeepEqual(f, v2.Info.Fields[i]) {
			t.Errorf("v2 changed field %s of v1", f.ID)
		}
	}
}

func TestStatutoryMinimum(t *testing.T) {
	t.Parallel()
	s := suite().Specs(t)["rs.judgment@1"]
	for _, tt := range []struct {
		article string
		months  float64
		want    any
	}{
		{"art_388", 35, true},
		{"art_388", 36, false},
		{"art_388_3", 59, true}, // against a minor: at least five years
		{"art_388_3", 60, false},
		{"art_390", 12, nil}, // no minimum known for art. 390: left open
	} {
		a := sdk.Answers{"court": "Viši sud u Nišu", "court_level": "first_instance", "article": tt.article,
			"decision_date": "2024-01-01", "defendants": 1.0, "victims": 1.0, "verdict": "convicted", "sentence_months": tt.months}
		c, err := s.Normalize(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		if got := c["below_statutory_minimum"]; got != tt.want {
			t.Errorf("%s, %v months: below_statutory_minimum %v, want %v", tt.article, tt.months, got, tt.want)
		}
	}
}

// BenchmarkJudgment measures one judgment through Validate and Normalize
// in process, as the plugin does for each record it is sent.
func BenchmarkJudgment(b *testing.B) {
	data, err := os.ReadFile("testdata/judgment.v1.json")
	if err != nil {
		b.Fatal(err)
	}
	a, err := sdk.ParseAnswers(data)
	if err != nil {
		b.Fatal(err)
	}
	s := judgmentV1
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if errs, err := s.Validate(ctx, a); errs != nil || err != nil {
			b.Fatal(errs, err)
		}
		if _, err := s.Normalize(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeJudgment measures decoding one judgment's JSON.
func BenchmarkDecodeJudgment(b *testing.B) {
	data, err := os.ReadFile("testdata/judgment.v1.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := sdk.ParseAnswers(data); err != nil {
			b.Fatal(err)
		}
	}
}
