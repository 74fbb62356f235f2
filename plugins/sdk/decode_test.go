package sdk

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeAnswers(t *testing.T) {
	t.Parallel()
	a, err := DecodeAnswers(strings.NewReader(` {"court": "Sud", "victims": 2, "law": ["palermo"], "appeal": true, "x": null} `))
	if err != nil {
		t.Fatal(err)
	}
	want := Answers{"court": "Sud", "victims": 2.0, "law": []any{"palermo"}, "appeal": true, "x": nil}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("DecodeAnswers: %#v", a)
	}
	for _, tt := range []struct{ in, want string }{
		{`["court"]`, "answers must be a JSON object of field ids to values"},
		{`"court"`, "answers must be a JSON object of field ids to values"},
		{``, "answers: unexpected EOF"},
		{`{"court": "Sud"`, "answers: unexpected EOF"},
		{`{"court": "Sud", "court": "Sud 2"}`, `answers: field "court" appears twice`},
		{`{"court": "Sud"} {}`, "answers: unexpected data after the JSON object"},
		{`{"court": "Sud"} x`, "answers: unexpected data after the JSON object"},
		{"{\"court\": \"Sud \xff\"}", "answers are not valid UTF-8 (first bad byte at offset 15)"},
		{`{"court": tru}`, `answers: field "court": invalid character '}' in literal true (expecting 'e')`},
	} {
		_, err := DecodeAnswers(strings.NewReader(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("DecodeAnswers(%q): %v, want %q", tt.in, err, tt.want)
		}
	}
	big := append([]byte(`{"notes": "`), bytes.Repeat([]byte("a"), MaxAnswersBytes)...)
	big = append(big, `"}`...)
	if _, err := DecodeAnswers(bytes.NewReader(big)); err == nil || err.Error() != "answers are larger than 1048576 bytes" {
		t.Errorf("oversized answers: %v", err)
	}
}

func TestAnswersFromStrings(t *testing.T) {
	t.Parallel()
	row := map[string]string{
		"court": "Viši sud", "sentence_months": " 36 ", "amount": "1500.50", "appeal": "da",
		"law": "palermo; echr", "decision_date": "2024-01-31", "verdict": "convicted", "notes": "", "extra": "x",
	}
	a, errs := AnswersFromStrings(testForm, row)
	if errs != nil {
		t.Fatal(errs)
	}
	want := Answers{"court": "Viši sud", "sentence_months": 36.0, "amount": 1500.5, "appeal": true,
		"law": []any{"palermo", "echr"}, "decision_date": "2024-01-31", "verdict": "convicted", "extra": "x"}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("AnswersFromStrings:\n%#v\nwant\n%#v", a, want)
	}
	assertErrors(t, ValidateAnswers(testForm, a, testNow), []string{"extra: is not a field of xx.judgment@3"})

	_, errs = AnswersFromStrings(testForm, map[string]string{"sentence_months": "12 mj", "appeal": "maybe", "defendants": "two", "court": "x"})
	assertErrors(t, errs, []string{
		`sentence_months: must be 0..600, got "12 mj"`,
		`defendants: must be a whole number of at least 0, got "two"`,
		`appeal: must be true or false, got "maybe"`,
	})
}
