package ui

import (
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

var testForm = sdk.FormInfo{ID: "rs.judgment", Version: 1, Kind: sdk.KindJudgment, Country: "RS",
	Title: sdk.Label{"en": "Judgment", "sr-Cyrl": "Пресуда"},
	Fields: []sdk.Field{
		{ID: "court", Type: sdk.TypeString, Required: true, Label: sdk.Label{"en": "Court", "sr-Cyrl": "Суд"}},
		{ID: "notes", Type: sdk.TypeText, Label: sdk.Label{"en": "Notes"}},
		{ID: "victims", Type: sdk.TypeInt, Label: sdk.Label{"en": "Victims"}},
		{ID: "amount", Type: sdk.TypeNumber, Label: sdk.Label{"en": "Amount"}},
		{ID: "appeal", Type: sdk.TypeBool, Label: sdk.Label{"en": "Appeal"}},
		{ID: "decision_date", Type: sdk.TypeDate, Label: sdk.Label{"en": "Decision", "sr-Cyrl": "Датум пресуде"}},
		{ID: "indictment_date", Type: sdk.TypeDate, Label: sdk.Label{"en": "Indictment", "sr-Cyrl": "Датум оптужнице"}},
		{ID: "verdict", Type: sdk.TypeChoice, Label: sdk.Label{"en": "Verdict"}, Options: []sdk.Option{{Value: "a", Label: sdk.Label{"en": "A"}}, {Value: "b", Label: sdk.Label{"en": "B"}}}},
		{ID: "forms", Type: sdk.TypeSet, Label: sdk.Label{"en": "Forms"}, Options: []sdk.Option{{Value: "x", Label: sdk.Label{"en": "X"}}, {Value: "y", Label: sdk.Label{"en": "Y"}}}},
	}}

// TestAnswersFromForm: a posted form becomes the answers a monitor meant:
// empty inputs are no answer, numbers are numbers (a number that is not
// one is kept as typed, for the plugin to refuse beside its field), a
// set is a list, yes/no a bool, text keeps its lines.
func TestAnswersFromForm(t *testing.T) {
	t.Parallel()
	form := url.Values{
		"f.court": {" Viši sud "}, "f.notes": {"line 1\r\nline 2"}, "f.victims": {"3"}, "f.amount": {"12,5"},
		"f.appeal": {"false"}, "f.decision_date": {""}, "f.verdict": {"b"}, "f.forms": {"x", "y"}, "f.unknown": {"z"}, "csrf": {"t"},
	}
	got := answersFromForm(testForm, form)
	want := sdk.Answers{"court": "Viši sud", "notes": "line 1\nline 2", "victims": 3.0, "amount": "12,5", "appeal": false,
		"verdict": "b", "forms": []any{"x", "y"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("answers\n%#v\nwant\n%#v", got, want)
	}
}

// TestRecordFormProblems: the plugin's problems go beside the field they
// name, with the other fields' ids in a rule written as their labels; a
// problem of the whole record is listed above the form.
func TestRecordFormProblems(t *testing.T) {
	t.Parallel()
	errs := []sdk.FieldError{
		{Field: "decision_date", Rule: "must not be before indictment_date (2024-05-02)", Got: "2024-03-01"},
		{Field: "", Rule: "too many errors"},
	}
	rf := newRecordForm(testForm, "sr-Cyrl", sdk.Answers{"decision_date": "2024-03-01", "forms": []any{"y"}}, errs, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	var dd, sets formField
	for _, f := range rf.Fields {
		switch f.ID {
		case "decision_date":
			dd = f
		case "forms":
			sets = f
		default:
			if len(f.Errors) > 0 {
				t.Errorf("field %s has errors %v", f.ID, f.Errors)
			}
		}
	}
	if len(dd.Errors) != 1 || dd.Errors[0] != `must not be before «Датум оптужнице» (2024-05-02), got "2024-03-01"` {
		t.Errorf("decision_date's errors: %q", dd.Errors)
	}
	if dd.DescribedBy() != "error-decision_date" || dd.Max != "2026-01-02" || dd.Min != sdk.EarliestDate || dd.Value != "2024-03-01" || dd.Label != "Датум пресуде" {
		t.Errorf("decision_date's input: %+v", dd)
	}
	if sets.Input != "checkboxes" || sets.Options[0].Checked || !sets.Options[1].Checked {
		t.Errorf("the set: %+v", sets)
	}
	if len(rf.Problems) != 2 || rf.Problems[0].InputID != "" || rf.Problems[0].Text != "too many errors" || rf.Problems[1].InputID != "f-decision_date" {
		t.Errorf("problems above the form: %+v", rf.Problems)
	}
}

// TestProblemInLanguage: a problem with a rule code reads in the page's
// language, the fields it names as their labels and a closed list's
// values as their options' labels; a problem whose code the page does not
// know, or whose args do not fit its code, reads as the plugin's English
// rule.
func TestProblemInLanguage(t *testing.T) {
	t.Parallel()
	fields := map[string]sdk.Field{}
	for _, f := range testForm.Fields {
		fields[f.ID] = f
	}
	for _, tc := range []struct {
		lang string
		e    sdk.FieldError
		want string
	}{
		{"sr-Cyrl", sdk.FieldError{Field: "decision_date", Rule: "must not be before indictment_date (2024-05-02)", Got: "2024-03-01",
			Code: sdk.RuleBeforeField, Args: []string{"indictment_date", "2024-05-02"}},
			`не сме бити пре «Датум оптужнице» (2024-05-02), унето "2024-03-01"`},
		{"hr", sdk.FieldError{Field: "court", Rule: "is required", Code: sdk.RuleRequired}, "mora biti ispunjeno"},
		{"mk", sdk.FieldError{Field: "victims", Rule: "must be 0..600", Got: "601", Code: sdk.RuleRange, Args: []string{"0", "600"}},
			`мора да биде од 0 до 600, внесено "601"`},
		{"en", sdk.FieldError{Field: "amount", Rule: "may be answered only when verdict is a or b", Code: sdk.RuleOnlyWhen, Args: []string{"verdict", "a", "b"}},
			"may be answered only when «Verdict» is «A» or «B»"},
		{"sr-Latn", sdk.FieldError{Field: "verdict", Rule: "must be one of a, b", Got: "c", Code: sdk.RuleOneOf, Args: []string{"a", "b"}},
			`mora biti jedno od: «A», «B», uneto "c"`},
		{"bs", sdk.FieldError{Field: "court", Rule: "must be at most 5 characters", Got: "6 characters", Code: sdk.RuleTooLong, Args: []string{"5", "6"}},
			"smije imati najviše 5 znakova, ima 6"},
		// An unknown code: the English rule, ids as labels.
		{"sr-Cyrl", sdk.FieldError{Field: "decision_date", Rule: "must be after indictment_date", Got: "2024-03-01", Code: "after_field", Args: []string{"indictment_date"}},
			`must be after «Датум оптужнице», got "2024-03-01"`},
		// A known code with args that do not fit it: the English rule.
		{"sr-Cyrl", sdk.FieldError{Field: "decision_date", Rule: "must not be before indictment_date", Code: sdk.RuleBeforeField, Args: []string{"indictment_date"}},
			"must not be before «Датум оптужнице»"},
		// No code (a plugin older than rule codes): the English rule.
		{"sr-Cyrl", sdk.FieldError{Field: "court", Rule: "is required"}, "is required"},
	} {
		if got := problemText(tc.e, tc.lang, fields); got != tc.want {
			t.Errorf("%s %s %v:\n got %q\nwant %q", tc.lang, tc.e.Code, tc.e.Args, got, tc.want)
		}
	}
	// Every code the page knows has its text in the catalogue.
	for code := range ruleShapes {
		if k := sdk.RuleKey(code); sdk.UIText("sr-Cyrl", k) == string(k) {
			t.Errorf("code %s has no text", code)
		}
	}
}
