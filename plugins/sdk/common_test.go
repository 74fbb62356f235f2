package sdk

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

func TestCheckCommon(t *testing.T) {
	t.Parallel()
	good := Common{
		"court_level": "appeal", "decision_date": "2024-01-31", "proceedings_days": int64(30),
		"defendants": int64(2), "victims": 3.0, "child_victims": 0, "sentence_months": int32(600),
		"compensation_awarded_eur": 1500.5, "assets_confiscated_eur": int64(0), "compensation_paid": false,
		"international_law_cited": []any{"palermo", "echr_art4"}, "offence": "thb",
	}
	if err := CheckCommon(KindJudgment, good); err != nil {
		t.Fatalf("good indicators refused: %v", err)
	}
	if err := CheckCommon(KindJudgment, Common{}); err != nil {
		t.Fatalf("no indicators refused: %v", err)
	}
	tests := []struct {
		name string
		kind Kind
		c    Common
		want string
	}{
		{"unknown kind", "trial", Common{}, `invalid common indicators: unknown kind "trial" (allowed: judgment, trial_hearing, police_case, victim_support, legislation, engagement)`},
		{"unknown indicator", KindJudgment, Common{"defendant_name": "A. B."},
			`invalid common indicators of kind judgment: defendant_name: is not a common indicator of kind judgment`},
		{"indicator of another kind", KindEngagement, Common{"verdict": "convicted"},
			`invalid common indicators of kind engagement: verdict: is not a common indicator of kind engagement`},
		{"enum outside list", KindJudgment, Common{"verdict": "guilty"},
			`invalid common indicators of kind judgment: verdict: must be one of convicted, acquitted, dismissed, plea_agreement, got "guilty"`},
		{"enum of wrong type", KindJudgment, Common{"verdict": true},
			`invalid common indicators of kind judgment: verdict: must be one of convicted, acquitted, dismissed, plea_agreement, got "true"`},
		{"negative count", KindJudgment, Common{"victims": int64(-1)},
			`invalid common indicators of kind judgment: victims: must be a whole number 0..100000, got "-1"`},
		{"count not whole", KindJudgment, Common{"victims": 1.5},
			`invalid common indicators of kind judgment: victims: must be a whole number 0..100000, got "1.5"`},
		{"count as text", KindJudgment, Common{"victims": "3"},
			`invalid common indicators of kind judgment: victims: must be a whole number 0..100000, got "3"`},
		{"months above max", KindJudgment, Common{"sentence_months": int64(601)},
			`invalid common indicators of kind judgment: sentence_months: must be a whole number 0..600, got "601"`},
		{"eur NaN", KindJudgment, Common{"compensation_awarded_eur": math.NaN()},
			`invalid common indicators of kind judgment: compensation_awarded_eur: must be an amount in EUR 0..10000000000, got "NaN"`},
		{"eur negative", KindJudgment, Common{"assets_confiscated_eur": -5.0},
			`invalid common indicators of kind judgment: assets_confiscated_eur: must be an amount in EUR 0..10000000000, got "-5"`},
		{"bool as text", KindJudgment, Common{"assets_frozen": "yes"},
			`invalid common indicators of kind judgment: assets_frozen: must be true or false, got "yes"`},
		{"bad date", KindJudgment, Common{"decision_date": "2024-13-01"},
			`invalid common indicators of kind judgment: decision_date: must be a date YYYY-MM-DD, got "2024-13-01"`},
		{"set outside list", KindJudgment, Common{"international_law_cited": []string{"gdpr"}},
			`invalid common indicators of kind judgment: international_law_cited: must be a list of values from palermo, coe_convention, echr_art4, eu_directive_2011_36, got "gdpr"`},
		{"set repeats", KindJudgment, Common{"international_law_cited": []string{"palermo", "palermo"}},
			`invalid common indicators of kind judgment: international_law_cited: must not repeat a value, got "palermo"`},
		{"string with a line break", KindTrialHearing, Common{"court": "Sud\nName: A. B."},
			`invalid common indicators of kind trial_hearing: court: must not contain control characters, got "U+000A"`},
		{"string empty", KindTrialHearing, Common{"court": ""},
			`invalid common indicators of kind trial_hearing: court: must be 1..200 characters, got "0 characters"`},
		{"string invalid UTF-8", KindLegislation, Common{"identifier": "\xff"},
			`invalid common indicators of kind legislation: identifier: must be valid UTF-8 text`},
		{"all problems, in name order", KindJudgment, Common{"verdict": "x", "aaa": 1, "victims": -1},
			`invalid common indicators of kind judgment: aaa: is not a common indicator of kind judgment; ` +
				`verdict: must be one of convicted, acquitted, dismissed, plea_agreement, got "x"; victims: must be a whole number 0..100000, got "-1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckCommon(tt.kind, tt.c)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("CheckCommon error:\n%v\nwant:\n%s", err, tt.want)
			}
			var ice *InvalidCommonError
			if tt.kind != "trial" && !errors.As(err, &ice) {
				t.Errorf("error is %T, want *InvalidCommonError", err)
			}
		})
	}
}

func TestCanonicalCommon(t *testing.T) {
	t.Parallel()
	// As indicators come back from JSON or protobuf.
	in := Common{"victims": 3.0, "sentence_months": 36, "compensation_awarded_eur": int64(100),
		"international_law_cited": []any{"palermo"}, "verdict": "convicted", "assets_frozen": true}
	got, err := CanonicalCommon(KindJudgment, in)
	if err != nil {
		t.Fatal(err)
	}
	want := Common{"victims": int64(3), "sentence_months": int64(36), "compensation_awarded_eur": 100.0,
		"international_law_cited": []string{"palermo"}, "verdict": "convicted", "assets_frozen": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CanonicalCommon:\n%#v\nwant\n%#v", got, want)
	}
	if _, err := CanonicalCommon(KindJudgment, Common{"x": 1}); err == nil {
		t.Error("CanonicalCommon accepted an unknown indicator")
	}
}

// CheckCanonical hands back canonical indicators as they are, converts
// the others as CanonicalCommon does, and refuses what it refuses.
func TestCheckCanonical(t *testing.T) {
	t.Parallel()
	canon := Common{"victims": int64(3), "compensation_awarded_eur": 100.0, "international_law_cited": []string{"palermo"},
		"verdict": "convicted", "assets_frozen": true, "decision_date": "2024-03-01"}
	got, err := CheckCanonical(KindJudgment, canon)
	if err != nil || reflect.ValueOf(got).UnsafePointer() != reflect.ValueOf(canon).UnsafePointer() {
		t.Fatalf("canonical indicators: got a copy or an error (%v)", err)
	}
	loose := Common{"victims": 3.0, "international_law_cited": []any{"palermo"}, "compensation_awarded_eur": int64(100)}
	got, err = CheckCanonical(KindJudgment, loose)
	want := Common{"victims": int64(3), "international_law_cited": []string{"palermo"}, "compensation_awarded_eur": 100.0}
	if err != nil || !reflect.DeepEqual(got, want) || loose["victims"] != 3.0 {
		t.Fatalf("loose indicators: got %#v, %v", got, err)
	}
	for _, bad := range []Common{
		{"victims": int64(-1)}, {"verdict": "maybe"}, {"international_law_cited": []string{"palermo", "palermo"}},
		{"international_law_cited": []string{"nowhere"}}, {"decision_date": "2024-02-30"}, {"x": int64(1)},
		{"compensation_awarded_eur": math.Inf(1)}, {"victims": "3"},
	} {
		_, err1 := CheckCanonical(KindJudgment, bad)
		_, err2 := CanonicalCommon(KindJudgment, bad)
		if err1 == nil || err2 == nil || err1.Error() != err2.Error() {
			t.Errorf("%v: CheckCanonical %v, CanonicalCommon %v", bad, err1, err2)
		}
	}
}

func TestDeriveIndicators(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c    Common
		want any // proceedings_days, nil for absent
	}{
		{Common{"indictment_date": "2023-01-10", "decision_date": "2024-01-10"}, int64(365)},
		{Common{"indictment_date": "2024-01-10", "decision_date": "2024-01-10"}, int64(0)},
		{Common{"indictment_date": "2024-02-28", "decision_date": "2024-03-01"}, int64(2)}, // leap year
		{Common{"indictment_date": "2024-03-01", "decision_date": "2024-02-28"}, nil},      // out of order
		{Common{"decision_date": "2024-02-28"}, nil},
		{Common{"indictment_date": "2024-03-01", "decision_date": "2024-03-11", "proceedings_days": int64(99)}, int64(10)},
	}
	for _, tt := range tests {
		DeriveIndicators(KindJudgment, tt.c)
		if got := tt.c["proceedings_days"]; got != tt.want {
			t.Errorf("%v: proceedings_days %v, want %v", tt.c, got, tt.want)
		}
	}
	c := Common{"indictment_date": "2023-01-10", "decision_date": "2024-01-10"}
	DeriveIndicators(KindPoliceCase, c)
	if _, ok := c["proceedings_days"]; ok {
		t.Error("derived a judgment indicator for a police case")
	}
}

func TestMapByName(t *testing.T) {
	t.Parallel()
	fi := FormInfo{ID: "xx.judgment", Version: 1, Kind: KindJudgment, Fields: []Field{
		IndicatorField(KindJudgment, "victims"),
		IndicatorField(KindJudgment, "verdict"),
		IndicatorField(KindJudgment, "international_law_cited"),
		IndicatorField(KindJudgment, "assets_frozen"),
		{ID: "defendants", Type: TypeInt, Personal: true}, // named like an indicator, but personal
		{ID: "court_level", Type: TypeText},               // free text is never mapped
		{ID: "article", Type: TypeChoice},
	}}
	a := Answers{"victims": 2.0, "verdict": "acquitted", "international_law_cited": []any{"palermo"},
		"assets_frozen": "", "defendants": 4.0, "court_level": "appeal", "article": "art_388"}
	got := MapByName(fi, a)
	want := Common{"victims": int64(2), "verdict": "acquitted", "international_law_cited": []string{"palermo"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MapByName:\n%#v\nwant\n%#v", got, want)
	}
}
