package plugintest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

func judgment() sdk.Spec {
	fields := sdk.IndicatorFields(sdk.KindJudgment, "verdict", "sentence_months", "decision_date")
	fields[0] = fields[0].Require()
	// Keep the catalogue's labels in English only, like the title.
	for i := range fields {
		fields[i].Label = sdk.Label{"en": fields[i].Label["en"]}
		for j := range fields[i].Options {
			fields[i].Options[j].Label = sdk.Label{"en": fields[i].Options[j].Label["en"]}
		}
	}
	return sdk.Spec{
		Info: sdk.FormInfo{ID: "me.judgment", Version: 1, Kind: sdk.KindJudgment, Country: "ME",
			Title: sdk.Label{"en": "Judgment"}, Fields: fields},
		Now: func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) },
	}
}

var goodExamples = []Example{
	{Form: "me.judgment@1", Name: "conviction", Answers: sdk.Answers{"verdict": "convicted", "sentence_months": 36.0},
		Common: sdk.Common{"verdict": "convicted", "sentence_months": 36}},
	{Form: "me.judgment@1", Name: "no verdict", Answers: sdk.Answers{"sentence_months": 36.0},
		Errors: []sdk.FieldError{{Field: "verdict", Rule: "is required"}}},
	{Form: "me.judgment@1", Name: "no verdict, with its rule code", Answers: sdk.Answers{"sentence_months": 36.0},
		Errors: []sdk.FieldError{{Field: "verdict", Rule: "is required", Code: sdk.RuleRequired}}},
}

// recorder stands in for *testing.T to see what the checks report.
type recorder struct {
	errors []string
	fatal  bool
}

type fatal struct{}

func (r *recorder) Helper()                   {}
func (r *recorder) Logf(string, ...any)       {}
func (r *recorder) Errorf(f string, a ...any) { r.errors = append(r.errors, fmt.Sprintf(f, a...)) }
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...); r.fatal = true; panic(fatal{}) }
func (r *recorder) String() string            { return strings.Join(r.errors, "\n") }
func (r *recorder) has(substr string) bool    { return strings.Contains(r.String(), substr) }
func (r *recorder) run(c checker, ex []Example) {
	defer func() {
		if v := recover(); v != nil && v != (fatal{}) {
			panic(v)
		}
	}()
	runChecks(r, c, ex)
}

func TestGoodPluginPasses(t *testing.T) {
	t.Parallel()
	Run(t, []sdk.Form{judgment()}, goodExamples...)
}

type badMapping struct{ sdk.Spec }

func (b badMapping) Normalize(context.Context, sdk.Answers) (sdk.Common, error) {
	return sdk.Common{"verdict": "guilty"}, nil
}

func TestProblemsAreReported(t *testing.T) {
	t.Parallel()
	badCountry := judgment()
	badCountry.Info.ID, badCountry.Info.Country = "zz.judgment", "ZZ"
	missingLang := judgment()
	missingLang.Info.Title = sdk.Label{"en": "Judgment", "sq": "Vendim"}
	for _, tc := range []struct {
		name     string
		forms    []sdk.Form
		examples []Example
		want     string
	}{
		{"country", []sdk.Form{badCountry}, nil, `form zz.judgment@1: country "ZZ" is not an ISO 3166-1 alpha-2 country code`},
		{"language", []sdk.Form{missingLang}, goodExamples, `form me.judgment@1: field verdict label has no "sq" text (the title has)`},
		{"id", []sdk.Form{func() sdk.Form { s := judgment(); s.Info.ID = "me.verdicts"; return s }()}, goodExamples[:0],
			"form me.verdicts@1: id must be <country>.<kind>, me.judgment"},
		{"no valid example", []sdk.Form{judgment()}, goodExamples[1:], "form me.judgment@1 has no valid example"},
		{"unknown form", []sdk.Form{judgment()}, []Example{{Form: "me.judgment@2"}}, `example of me.judgment@2: no such form (the plugin serves me.judgment@1)`},
		{"wrong errors", []sdk.Form{judgment()}, []Example{goodExamples[0], {Form: "me.judgment@1", Name: "x", Answers: sdk.Answers{}, Errors: []sdk.FieldError{{Field: "verdict", Rule: "must be given"}}}},
			`example "x" of me.judgment@1: errors`},
		{"wrong rule code", []sdk.Form{judgment()}, []Example{goodExamples[0], {Form: "me.judgment@1", Name: "x", Answers: sdk.Answers{}, Errors: []sdk.FieldError{{Field: "verdict", Rule: "is required", Code: sdk.RuleOneOf}}}},
			`example "x" of me.judgment@1: errors`},
		{"invalid example", []sdk.Form{judgment()}, []Example{{Form: "me.judgment@1", Name: "y", Answers: sdk.Answers{}}},
			`example "y" of me.judgment@1: should be valid, got sdk.FieldError{Field:"verdict", Rule:"is required", Got:"", Code:"required", Args:[]string(nil)}`},
		{"wrong indicators", []sdk.Form{judgment()}, []Example{{Form: "me.judgment@1", Answers: goodExamples[0].Answers, Common: sdk.Common{"verdict": "acquitted"}}},
			`example of me.judgment@1: indicators`},
		{"bad mapping", []sdk.Form{badMapping{judgment()}}, goodExamples, "example \"conviction\" of me.judgment@1: normalises to invalid indicators"},
		{"bad mapping, made-up record", []sdk.Form{badMapping{judgment()}}, goodExamples, "form me.judgment@1: a record made up with every field answered normalises to invalid indicators"},
		{"bad schema", []sdk.Form{sdk.Spec{Info: sdk.FormInfo{ID: "me.judgment", Version: 2, Kind: sdk.KindJudgment, Country: "ME"}}}, nil, "forms are not well made"},
	} {
		paths := []string{"in-process", "grpc"}
		if tc.name == "bad schema" {
			paths = paths[:1] // sdk.Serve itself refuses a form without fields
		}
		for _, path := range paths {
			t.Run(tc.name+"/"+path, func(t *testing.T) {
				var c checker = localForms(tc.forms)
				if path == "grpc" {
					c = serveInProcess(t, tc.forms)
				}
				var r recorder
				r.run(c, tc.examples)
				if !r.has(tc.want) {
					t.Errorf("want a report containing %q, got:\n%s", tc.want, r.String())
				}
			})
		}
	}
}

func TestMadeUp(t *testing.T) {
	t.Parallel()
	got := madeUp(judgment().Info)
	if len(got) != 2 || len(got[0]) != 3 || len(got[1]) != 1 || got[1]["verdict"] != "convicted" || got[0]["sentence_months"] != 0.0 {
		t.Fatalf("got %v", got)
	}
}
