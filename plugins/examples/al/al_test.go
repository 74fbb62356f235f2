package main

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

// conviction is a judgment as a monitor enters it: the answers are JSON,
// so numbers are float64.
var conviction = sdk.Answers{
	"case_number":     "PN 231/2023",
	"court":           "Gjykata e Posaçme e Shkallës së Parë",
	"court_level":     "first_instance",
	"article":         "art_110a",
	"exploitation":    "sexual",
	"indictment_date": "2023-02-01",
	"decision_date":   "2024-01-15",
	"defendants":      2.0,
	"victims":         3.0,
	"child_victims":   1.0,
	"verdict":         "convicted",
	"sentence_months": 84.0,
	"assets_frozen":   true,
	"notes":           "Viktima u dëgjua pa praninë e të pandehurve.",
}

// convictionCommon is what conviction normalises to. The case number and
// the notes are not in it: they are personal and free text.
var convictionCommon = sdk.Common{
	"court_level": "first_instance", "offence": "thb", "exploitation": "sexual",
	"indictment_date": "2023-02-01", "decision_date": "2024-01-15", "proceedings_days": 348,
	"defendants": 2, "victims": 3, "child_victims": 1, "verdict": "convicted",
	"sentence_months": 84, "below_statutory_minimum": true, "assets_frozen": true,
}

// ref is the reference of version v of the form of kind, "al.judgment@1":
// made from Country, like the forms' ids.
func ref(kind sdk.Kind, v int) string {
	return strings.ToLower(Country) + "." + string(kind) + "@" + strconv.Itoa(v)
}

func with(a sdk.Answers, kv ...any) sdk.Answers {
	out := sdk.Answers{}
	for k, v := range a {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// examples are the records plugintest checks every form against.
var examples = []plugintest.Example{
	{Form: ref(kJ, 1), Name: "conviction under 110/a", Answers: conviction, Common: convictionCommon},
	{Form: ref(kJ, 1), Name: "field errors", Answers: with(conviction, "sentence_months", "7 vjet", "judge", "X"),
		Errors: []sdk.FieldError{
			{Field: "judge", Rule: "is not a field of " + ref(kJ, 1)},
			{Field: "sentence_months", Rule: "must be 0..600", Got: "7 vjet"},
		}},
	// Rules across fields run once every field is right on its own.
	{Form: ref(kJ, 1), Name: "decision before indictment", Answers: with(conviction, "decision_date", "2022-12-01"),
		Errors: []sdk.FieldError{
			{Field: "decision_date", Rule: "must not be before indictment_date (2023-02-01)", Got: "2022-12-01"},
		}},
	{Form: ref(kJ, 2), Name: "child trafficking, law cited", Answers: with(conviction, "article", "art_128b", "sentence_months", 150.0,
		"international_law_cited", []any{"palermo", "coe_convention"}),
		Common: sdk.Common(with(sdk.Answers(convictionCommon), "offence", "thb_child", "sentence_months", 150, "below_statutory_minimum", false,
			"international_law_cited", []string{"palermo", "coe_convention"}))},
	{Form: ref(kT, 1), Name: "adjourned", Answers: sdk.Answers{"court": "Gjykata e Apelit Tiranë", "date": "2024-05-06",
		"hearing_held": false, "adjourned_reason": "interpreter_absent"}},
	{Form: ref(kP, 1), Answers: sdk.Answers{"opened_date": "2024-02-10", "stage": "investigation", "referral_source": "ngo",
		"suspects": 1.0, "cross_border": true, "information_requests_sent": 2.0, "information_requests_answered": 1.0}},
	{Form: ref(kV, 1), Answers: sdk.Answers{"victim_code": "V-17", "victim_status": "identified", "identified_by": "referral_team",
		"age_group": "child", "sex": "female", "services": []any{"shelter", "education"}, "individual_plan": true, "outcome": "ongoing"}},
	{Form: ref(kL, 1), Answers: sdk.Answers{"identifier": "Projektligji për dëmshpërblimin e viktimave", "type": "victim_compensation",
		"stage": "consultation", "stage_date": "2024-03-01", "greta_recommendation": true}},
	{Form: ref(kE, 1), Answers: sdk.Answers{"date": "2024-04-18", "body": "ministry_justice", "purpose": "recommendations"}},
}

func TestForms(t *testing.T) {
	t.Parallel()
	plugintest.Run(t, Forms(), examples...)
}

// TestFormsAreWellMade holds the forms to the rules of the forms shipped
// with kolo: Albanian and English on every label, AL and CodeVersion on
// every form, a form of every kind, personal fields marked.
func TestFormsAreWellMade(t *testing.T) {
	t.Parallel()
	plugintest.Suite{Country: Country, CodeVersion: CodeVersion, Languages: []string{"en", "sq"}, Forms: Forms()}.WellMade(t)
}

func TestBinary(t *testing.T) {
	t.Parallel()
	plugintest.RunBinary(t, plugintest.Build(t, "."), examples...)
}

// A record entered on version 1 is read with version 1 after version 2
// shipped: same validation, same indicators. Version 2's new field is not
// accepted on version 1.
func TestVersion1RecordsStayReadable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var v1 sdk.Form
	for _, f := range Forms() {
		if fi, _ := f.Describe(ctx); fi.Ref() == ref(kJ, 1) {
			v1 = f
		}
	}
	c, err := v1.Normalize(ctx, conviction)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := sdk.CanonicalCommon(sdk.KindJudgment, convictionCommon)
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("version 1 record:\n got %v\nwant %v", c, want)
	}
	errs, _ := v1.Validate(ctx, with(conviction, "international_law_cited", []any{"palermo"}))
	if len(errs) != 1 || errs[0].Field != "international_law_cited" {
		t.Fatalf("version 2 field on version 1: %v", errs)
	}
}
