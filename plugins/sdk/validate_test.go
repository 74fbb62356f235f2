package sdk

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// testNow is the fixed "today" of the validator tests.
var testNow = time.Date(2025, 6, 30, 15, 0, 0, 0, time.UTC)

// testForm has one field of every type.
var testForm = FormInfo{
	ID: "xx.judgment", Version: 3, Kind: KindJudgment, Country: "XX", Title: Label{"en": "Test"},
	Fields: []Field{
		{ID: "court", Type: TypeString, Required: true, Label: Label{"en": "Court"}},
		{ID: "case_number", Type: TypeString, MaxLen: 5, Personal: true, Label: Label{"en": "Case"}},
		{ID: "notes", Type: TypeText, Label: Label{"en": "Notes"}},
		{ID: "sentence_months", Type: TypeInt, Min: ptr(0), Max: ptr(600), Label: Label{"en": "Sentence"}},
		{ID: "defendants", Type: TypeInt, Min: ptr(0), Label: Label{"en": "Defendants"}},
		{ID: "amount", Type: TypeNumber, Label: Label{"en": "Amount"}},
		{ID: "appeal", Type: TypeBool, Label: Label{"en": "Appeal"}},
		{ID: "decision_date", Type: TypeDate, Required: true, Label: Label{"en": "Decision"}},
		{ID: "verdict", Type: TypeChoice, Label: Label{"en": "Verdict"}, Options: []Option{
			{Value: "convicted", Label: Label{"en": "Convicted"}}, {Value: "acquitted", Label: Label{"en": "Acquitted"}}}},
		{ID: "law", Type: TypeSet, Label: Label{"en": "Law"}, Options: []Option{
			{Value: "palermo", Label: Label{"en": "Palermo"}}, {Value: "echr", Label: Label{"en": "ECHR"}}}},
	},
}

func validAnswers() Answers {
	return Answers{
		"court": "Viši sud u Beogradu", "case_number": "K 12", "notes": "line one\nline two\ttab",
		"sentence_months": 36.0, "defendants": 2.0, "amount": -1.5, "appeal": false,
		"decision_date": "2025-06-30", "verdict": "convicted", "law": []any{"palermo", "echr"},
	}
}

func TestValidateAnswersValid(t *testing.T) {
	t.Parallel()
	if errs := ValidateAnswers(testForm, validAnswers(), testNow); errs != nil {
		t.Fatalf("valid answers refused: %v", errs)
	}
	// Go callers may pass Go integers and []string.
	a := validAnswers()
	a["sentence_months"], a["defendants"], a["law"] = 36, int64(2), []string{"echr"}
	if errs := ValidateAnswers(testForm, a, testNow); errs != nil {
		t.Fatalf("Go-typed answers refused: %v", errs)
	}
	// Absent, null and "" are no answer, which optional fields allow.
	a = Answers{"court": "x", "decision_date": "2020-01-01", "notes": "", "verdict": nil}
	if errs := ValidateAnswers(testForm, a, testNow); errs != nil {
		t.Fatalf("blank optional answers refused: %v", errs)
	}
}

func TestValidateAnswersErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		set  Answers // changes to validAnswers; a nil value deletes the key
		want []string
	}{
		{"unknown field", Answers{"sentence": 3.0}, []string{`sentence: is not a field of xx.judgment@3`}},
		{"unknown fields sorted, before field errors", Answers{"zz": 1.0, "aa": 1.0, "court": nil},
			[]string{`aa: is not a field of xx.judgment@3`, `zz: is not a field of xx.judgment@3`, `court: is required`}},
		{"missing required", Answers{"court": nil}, []string{`court: is required`}},
		{"empty required", Answers{"court": ""}, []string{`court: is required`}},
		{"string of wrong type", Answers{"court": 12.0}, []string{`court: must be text, got "12"`}},
		{"string too long", Answers{"case_number": "K 1234"}, []string{`case_number: must be at most 5 characters, got "6 characters"`}},
		{"string default cap", Answers{"court": strings.Repeat("ž", DefaultStringMaxLen+1)},
			[]string{`court: must be at most 200 characters, got "201 characters"`}},
		{"text default cap", Answers{"notes": strings.Repeat("a", DefaultTextMaxLen+1)},
			[]string{`notes: must be at most 10000 characters, got "10001 characters"`}},
		{"string at the cap", Answers{"court": strings.Repeat("ž", DefaultStringMaxLen)}, nil},
		{"invalid UTF-8", Answers{"court": "Sud \xff"}, []string{`court: must be valid UTF-8 text`}},
		{"control character in string", Answers{"court": "Sud\nu Beogradu"}, []string{`court: must not contain control characters, got "U+000A"`}},
		{"NUL in text", Answers{"notes": "a\x00b"}, []string{`notes: must not contain control characters, got "U+0000"`}},
		{"int not a number", Answers{"sentence_months": "12 mj"}, []string{`sentence_months: must be 0..600, got "12 mj"`}},
		{"int above max", Answers{"sentence_months": 601.0}, []string{`sentence_months: must be 0..600, got "601"`}},
		{"int below min", Answers{"sentence_months": -1.0}, []string{`sentence_months: must be 0..600, got "-1"`}},
		{"int not whole", Answers{"sentence_months": 12.5}, []string{`sentence_months: must be 0..600, got "12.5"`}},
		{"int with min only", Answers{"defendants": -2.0}, []string{`defendants: must be a whole number of at least 0, got "-2"`}},
		{"number not a number", Answers{"amount": true}, []string{`amount: must be a number, got "true"`}},
		{"number NaN", Answers{"amount": math.NaN()}, []string{`amount: must be a number, got "NaN"`}},
		{"number infinite", Answers{"amount": math.Inf(1)}, []string{`amount: must be a number, got "+Inf"`}},
		{"bool of wrong type", Answers{"appeal": "yes"}, []string{`appeal: must be true or false, got "yes"`}},
		{"date malformed", Answers{"decision_date": "30.6.2025"}, []string{`decision_date: must be a date YYYY-MM-DD, got "30.6.2025"`}},
		{"date impossible", Answers{"decision_date": "2025-02-30"}, []string{`decision_date: must be a date YYYY-MM-DD, got "2025-02-30"`}},
		{"date of wrong type", Answers{"decision_date": 20250101.0}, []string{`decision_date: must be a date YYYY-MM-DD, got "20250101"`}},
		{"date in the future", Answers{"decision_date": "2025-07-01"}, []string{`decision_date: must not be in the future (after 2025-06-30), got "2025-07-01"`}},
		{"date too early", Answers{"decision_date": "0202-01-01"}, []string{`decision_date: must not be before 1900-01-01, got "0202-01-01"`}},
		{"choice outside list", Answers{"verdict": "guilty"}, []string{`verdict: must be one of convicted, acquitted, got "guilty"`}},
		{"choice of wrong type", Answers{"verdict": []any{"convicted"}}, []string{`verdict: must be one of convicted, acquitted, got "[\"convicted\"]"`}},
		{"set value outside list", Answers{"law": []any{"palermo", "gdpr"}}, []string{`law: must be a list of values from palermo, echr, got "gdpr"`}},
		{"set not a list", Answers{"law": "palermo"}, []string{`law: must be a list of values from palermo, echr, got "palermo"`}},
		{"set with a number", Answers{"law": []any{1.0}}, []string{`law: must be a list of values from palermo, echr, got "[1]"`}},
		{"set repeats", Answers{"law": []any{"echr", "echr"}}, []string{`law: must not repeat a value, got "echr"`}},
		{"empty set is an answer", Answers{"law": []any{}}, nil},
		{"several errors in form order", Answers{"verdict": "x", "court": nil, "appeal": 1.0},
			[]string{`court: is required`, `appeal: must be true or false, got "1"`, `verdict: must be one of convicted, acquitted, got "x"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := validAnswers()
			for k, v := range tt.set {
				if v == nil {
					delete(a, k)
				} else {
					a[k] = v
				}
			}
			// "empty required" sets "" rather than deleting.
			if tt.name == "empty required" {
				a["court"] = ""
			}
			assertErrors(t, ValidateAnswers(testForm, a, testNow), tt.want)
		})
	}
}

func TestValidateAnswersCapsErrors(t *testing.T) {
	t.Parallel()
	a := validAnswers()
	for i := range 1000 {
		a[strings.Repeat("x", i%7+1)+string(rune('a'+i%26))+strings.Repeat("y", i)] = 1.0
	}
	errs := ValidateAnswers(testForm, a, testNow)
	if len(errs) != MaxFieldErrors+1 {
		t.Fatalf("got %d errors, want %d", len(errs), MaxFieldErrors+1)
	}
	if last := errs[len(errs)-1].Error(); last != "too many errors: only the first 50 are shown" {
		t.Errorf("last error %q", last)
	}
	if f := errs[0].Field; len([]rune(f)) > 65 {
		t.Errorf("unknown field name not clipped: %d characters", len([]rune(f)))
	}
}

func TestFieldErrorGotIsPrintable(t *testing.T) {
	t.Parallel()
	a := validAnswers()
	a["verdict"] = "\x1b[31mred\n" + strings.Repeat("long", 100)
	errs := ValidateAnswers(testForm, a, testNow)
	if len(errs) != 1 {
		t.Fatalf("errors: %v", errs)
	}
	got := errs[0].Got
	if strings.ContainsAny(got, "\x1b\n") || len([]rune(got)) > 65 {
		t.Errorf("Got %q is not clipped and escaped", got)
	}
}

func assertErrors(t *testing.T, errs []FieldError, want []string) {
	t.Helper()
	got := make([]string, len(errs))
	for i, e := range errs {
		got[i] = e.Error()
	}
	if len(want) == 0 && len(got) == 0 {
		return
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	if string(g) != string(w) {
		t.Errorf("errors:\n%s\nwant:\n%s", g, w)
	}
}
