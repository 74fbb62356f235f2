package sdk

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestRuleCodes: every rule a monitor meets carries its code and its args
// in the documented order, beside the English Rule, which is unchanged.
func TestRuleCodes(t *testing.T) {
	t.Parallel()
	form := testForm
	form.Fields = append(append([]Field(nil), testForm.Fields...),
		Field{ID: "max_only", Type: TypeNumber, Max: ptr(10), Label: Label{"en": "Max"}},
		Field{ID: "int_max_only", Type: TypeInt, Max: ptr(5), Label: Label{"en": "Int max"}},
		Field{ID: "plain_number", Type: TypeNumber, Min: ptr(1), Label: Label{"en": "Min"}},
		Field{ID: "plain_int", Type: TypeInt, Label: Label{"en": "Int"}},
	)
	one := func(set Answers) FieldError {
		t.Helper()
		a := validAnswers()
		for k, v := range set {
			if v == nil {
				delete(a, k)
			} else {
				a[k] = v
			}
		}
		errs := ValidateAnswers(form, a, testNow)
		if len(errs) != 1 {
			t.Fatalf("%v: %d errors %v, want 1", set, len(errs), errs)
		}
		return errs[0]
	}
	tests := []struct {
		name string
		got  FieldError
		want FieldError
	}{
		{"required", one(Answers{"court": nil}), FieldError{Field: "court", Rule: "is required", Code: RuleRequired}},
		{"range", one(Answers{"sentence_months": 601.0}), FieldError{Field: "sentence_months", Rule: "must be 0..600", Got: "601", Code: RuleRange, Args: []string{"0", "600"}}},
		{"whole min", one(Answers{"defendants": -2.0}), FieldError{Field: "defendants", Rule: "must be a whole number of at least 0", Got: "-2", Code: RuleWholeMin, Args: []string{"0"}}},
		{"whole max", one(Answers{"int_max_only": 6.0}), FieldError{Field: "int_max_only", Rule: "must be a whole number of at most 5", Got: "6", Code: RuleWholeMax, Args: []string{"5"}}},
		{"whole number", one(Answers{"plain_int": 1.5}), FieldError{Field: "plain_int", Rule: "must be a whole number", Got: "1.5", Code: RuleWholeNumber}},
		{"min", one(Answers{"plain_number": 0.5}), FieldError{Field: "plain_number", Rule: "must be a number of at least 1", Got: "0.5", Code: RuleMin, Args: []string{"1"}}},
		{"max", one(Answers{"max_only": 10.5}), FieldError{Field: "max_only", Rule: "must be a number of at most 10", Got: "10.5", Code: RuleMax, Args: []string{"10"}}},
		{"number", one(Answers{"amount": true}), FieldError{Field: "amount", Rule: "must be a number", Got: "true", Code: RuleNumber}},
		{"boolean", one(Answers{"appeal": "yes"}), FieldError{Field: "appeal", Rule: "must be true or false", Got: "yes", Code: RuleBoolean}},
		{"one of", one(Answers{"verdict": "guilty"}), FieldError{Field: "verdict", Rule: "must be one of convicted, acquitted", Got: "guilty", Code: RuleOneOf, Args: []string{"convicted", "acquitted"}}},
		{"list of", one(Answers{"law": []any{"gdpr"}}), FieldError{Field: "law", Rule: "must be a list of values from palermo, echr", Got: "gdpr", Code: RuleListOf, Args: []string{"palermo", "echr"}}},
		{"not a list", one(Answers{"law": "palermo"}), FieldError{Field: "law", Rule: "must be a list of values from palermo, echr", Got: "palermo", Code: RuleListOf, Args: []string{"palermo", "echr"}}},
		{"repeat", one(Answers{"law": []any{"echr", "echr"}}), FieldError{Field: "law", Rule: "must not repeat a value", Got: "echr", Code: RuleRepeat}},
		{"date format", one(Answers{"decision_date": "30.6.2025"}), FieldError{Field: "decision_date", Rule: "must be a date YYYY-MM-DD", Got: "30.6.2025", Code: RuleDateFormat}},
		{"date after today", one(Answers{"decision_date": "2025-07-01"}), FieldError{Field: "decision_date", Rule: "must not be in the future (after 2025-06-30)", Got: "2025-07-01", Code: RuleDateAfterToday, Args: []string{"2025-06-30"}}},
		{"date before earliest", one(Answers{"decision_date": "0202-01-01"}), FieldError{Field: "decision_date", Rule: "must not be before 1900-01-01", Got: "0202-01-01", Code: RuleDateBeforeEarliest, Args: []string{EarliestDate}}},
		{"too long", one(Answers{"case_number": "K 1234"}), FieldError{Field: "case_number", Rule: "must be at most 5 characters", Got: "6 characters", Code: RuleTooLong, Args: []string{"5", "6"}}},
		{"control character", one(Answers{"court": "a\x07"}), FieldError{Field: "court", Rule: "must not contain control characters", Got: "U+0007", Code: RuleControlChar}},
	}
	s := judgmentSpec()
	rule := func(set Answers) FieldError {
		t.Helper()
		a := judgmentAnswers()
		for k, v := range set {
			a[k] = v
		}
		errs, err := s.Validate(context.Background(), a)
		if err != nil || len(errs) != 1 {
			t.Fatalf("%v: errors %v, %v; want one", set, errs, err)
		}
		return errs[0]
	}
	tests = append(tests, []struct {
		name string
		got  FieldError
		want FieldError
	}{
		{"before field", rule(Answers{"decision_date": "2023-12-31"}), FieldError{Field: "decision_date", Rule: "must not be before indictment_date (2024-01-01)", Got: "2023-12-31",
			Code: RuleBeforeField, Args: []string{"indictment_date", "2024-01-01"}}},
		{"more than field", rule(Answers{"child_victims": 3.0}), FieldError{Field: "child_victims", Rule: "must not be more than victims (2)", Got: "3",
			Code: RuleMoreThanField, Args: []string{"victims", "2"}}},
		{"only when", rule(Answers{"verdict": "acquitted"}), FieldError{Field: "sentence_months", Rule: "may be answered only when verdict is convicted or plea_agreement",
			Code: RuleOnlyWhen, Args: []string{"verdict", "convicted", "plea_agreement"}}},
	}...)
	_, cells := AnswersFromStrings(testForm, map[string]string{"sentence_months": "12 mj", "appeal": "maybe", "amount": "x"})
	if len(cells) != 3 {
		t.Fatalf("cells: %v", cells)
	}
	tests = append(tests, []struct {
		name string
		got  FieldError
		want FieldError
	}{
		{"cell range", cells[0], FieldError{Field: "sentence_months", Rule: "must be 0..600", Got: "12 mj", Code: RuleRange, Args: []string{"0", "600"}}},
		{"cell number", cells[1], FieldError{Field: "amount", Rule: "must be a number", Got: "x", Code: RuleNumber}},
		{"cell boolean", cells[2], FieldError{Field: "appeal", Rule: "must be true or false", Got: "maybe", Code: RuleBoolean}},
	}...)
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", tt.name, tt.got, tt.want)
		}
	}
}

// TestRuleTexts: every rule code has its text in every language, with as
// many %s as the English one (the code's args), and nothing else for fmt.
func TestRuleTexts(t *testing.T) {
	t.Parallel()
	codes := []string{RuleRequired, RuleRange, RuleMin, RuleMax, RuleNumber, RuleWholeMin, RuleWholeMax, RuleWholeNumber,
		RuleBoolean, RuleOneOf, RuleListOf, RuleRepeat, RuleDateFormat, RuleDateBeforeEarliest, RuleDateAfterToday,
		RuleTooLong, RuleControlChar, RuleBeforeField, RuleMoreThanField, RuleOnlyWhen}
	for _, c := range codes {
		l, ok := uiTexts[RuleKey(c)]
		if !ok {
			t.Errorf("code %s has no text", c)
			continue
		}
		n := strings.Count(l["en"], "%s")
		for _, lang := range Languages {
			if got := strings.Count(l[lang], "%s"); got != n || strings.Count(l[lang], "%") != n {
				t.Errorf("code %s in %s: %q has %d %%s, English %d", c, lang, l[lang], got, n)
			}
		}
	}
	if got := UIText("sr-Cyrl", RuleKey(RuleBeforeField)); got != "не сме бити пре %s (%s)" {
		t.Errorf("before_field in sr-Cyrl: %q", got)
	}
}
