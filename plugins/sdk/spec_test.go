package sdk

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// judgmentSpec is a small judgment form written the way a plugin author
// writes one.
func judgmentSpec() Spec {
	return Spec{
		Info: FormInfo{ID: "xx.judgment", Version: 1, Kind: KindJudgment, Country: "XX", Title: Label{"en": "Judgment"},
			Fields: []Field{
				{ID: "article", Type: TypeChoice, Required: true, Label: Label{"en": "Article"},
					Options: []Option{{Value: "art_1", Label: Label{"en": "Art. 1"}}, {Value: "art_2", Label: Label{"en": "Art. 2"}}}},
				IndicatorField(KindJudgment, "indictment_date"),
				IndicatorField(KindJudgment, "decision_date").Require(),
				IndicatorField(KindJudgment, "victims").Require(),
				IndicatorField(KindJudgment, "child_victims"),
				IndicatorField(KindJudgment, "verdict").Require(),
				IndicatorField(KindJudgment, "sentence_months"),
				{ID: "initials", Type: TypeString, Personal: true, Label: Label{"en": "Initials"}},
				NotesField("notes"),
			}},
		Rules: []Rule{
			DateNotBefore("decision_date", "indictment_date"),
			NotMoreThan("child_victims", "victims"),
			OnlyWhen("sentence_months", "verdict", "convicted", "plea_agreement"),
		},
		Map: func(fi FormInfo, a Answers) (Common, error) {
			c := MapByName(fi, a)
			c["offence"] = map[string]string{"art_1": "thb", "art_2": "thb_child"}[a["article"].(string)]
			return c, nil
		},
		Now: func() time.Time { return testNow },
	}
}

func judgmentAnswers() Answers {
	return Answers{"article": "art_2", "indictment_date": "2024-01-01", "decision_date": "2024-03-01",
		"victims": 2.0, "child_victims": 1.0, "verdict": "convicted", "sentence_months": 40.0,
		"initials": "A.B.", "notes": "The victim was heard by video link."}
}

func TestSpecNormalize(t *testing.T) {
	t.Parallel()
	s := judgmentSpec()
	ctx := context.Background()
	if errs, err := s.Validate(ctx, judgmentAnswers()); errs != nil || err != nil {
		t.Fatalf("Validate: %v %v", errs, err)
	}
	c, err := s.Normalize(ctx, judgmentAnswers())
	if err != nil {
		t.Fatal(err)
	}
	want := Common{"indictment_date": "2024-01-01", "decision_date": "2024-03-01", "proceedings_days": int64(60),
		"victims": int64(2), "child_victims": int64(1), "verdict": "convicted", "sentence_months": int64(40), "offence": "thb_child"}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Normalize:\n%#v\nwant\n%#v", c, want)
	}
	fi, err := s.Describe(ctx)
	if err != nil || fi.Ref() != "xx.judgment@1" {
		t.Errorf("Describe: %v %v", fi.Ref(), err)
	}
}

func TestSpecRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		set  Answers
		want []string
	}{
		{"decision before indictment", Answers{"decision_date": "2023-12-31"},
			[]string{`decision_date: must not be before indictment_date (2024-01-01), got "2023-12-31"`}},
		{"more child victims than victims", Answers{"child_victims": 3.0},
			[]string{`child_victims: must not be more than victims (2), got "3"`}},
		{"sentence on an acquittal", Answers{"verdict": "acquitted"},
			[]string{`sentence_months: may be answered only when verdict is convicted or plea_agreement`}},
		{"field errors first, rules skip malformed answers", Answers{"decision_date": "yesterday", "victims": "two"},
			[]string{`decision_date: must be a date YYYY-MM-DD, got "yesterday"`, `victims: must be 0..100000, got "two"`}},
		{"future decision", Answers{"decision_date": "2025-07-01"},
			[]string{`decision_date: must not be in the future (after 2025-06-30), got "2025-07-01"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := judgmentAnswers()
			for k, v := range tt.set {
				a[k] = v
			}
			s := judgmentSpec()
			errs, err := s.Validate(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			assertErrors(t, errs, tt.want)
			_, err = s.Normalize(context.Background(), a)
			if !errors.Is(err, ErrInvalidAnswers) {
				t.Fatalf("Normalize of invalid answers: %v", err)
			}
			if !strings.HasPrefix(err.Error(), "answers to xx.judgment@1 are invalid: "+tt.want[0]) {
				t.Errorf("Normalize error %q", err)
			}
		})
	}
}

// TestSpecRefusesBadMapping shows that a form whose Map produces what the
// catalogue does not allow cannot hand it to the host.
func TestSpecRefusesBadMapping(t *testing.T) {
	t.Parallel()
	for name, m := range map[string]func(FormInfo, Answers) (Common, error){
		"injected field": func(fi FormInfo, a Answers) (Common, error) {
			return Common{"defendant_name": a["initials"]}, nil
		},
		"value outside list": func(FormInfo, Answers) (Common, error) { return Common{"offence": "murder"}, nil },
		"map error":          func(FormInfo, Answers) (Common, error) { return nil, errors.New("boom") },
	} {
		s := judgmentSpec()
		s.Map = m
		c, err := s.Normalize(context.Background(), judgmentAnswers())
		if err == nil || c != nil {
			t.Errorf("%s: Normalize returned %v, %v", name, c, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), "form xx.judgment@1: invalid common indicators") && !strings.HasPrefix(err.Error(), "map xx.judgment@1 answers to indicators: boom") {
			t.Errorf("%s: error %q", name, err)
		}
	}
}

func TestSpecDefaultMapAndCancel(t *testing.T) {
	t.Parallel()
	s := judgmentSpec()
	s.Map = nil
	c, err := s.Normalize(context.Background(), judgmentAnswers())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c["offence"]; ok || c["verdict"] != "convicted" || c["proceedings_days"] != int64(60) {
		t.Errorf("MapByName default: %v", c)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Describe(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Describe on a cancelled context: %v", err)
	}
	if _, err := s.Validate(ctx, judgmentAnswers()); !errors.Is(err, context.Canceled) {
		t.Errorf("Validate on a cancelled context: %v", err)
	}
	if _, err := s.Normalize(ctx, judgmentAnswers()); !errors.Is(err, context.Canceled) {
		t.Errorf("Normalize on a cancelled context: %v", err)
	}
}

// TestFormEvolution follows the rule of Spec's doc comment: version 2 is
// added next to version 1, and a record entered on version 1 still
// validates and normalises, with version 1, to the same indicators.
func TestFormEvolution(t *testing.T) {
	t.Parallel()
	v1 := judgmentSpec()
	v2 := v1.Next(2, IndicatorField(KindJudgment, "international_law_cited"),
		Field{ID: "appeal_filed", Type: TypeBool, Label: Label{"en": "Appeal"}})
	served := map[string]Form{}
	for _, f := range []Form{v1, v2} {
		fi, _ := f.Describe(context.Background())
		served[fi.Ref()] = f
	}
	if err := CheckVersions([]FormInfo{v1.Info, v2.Info}); err != nil {
		t.Fatal(err)
	}
	if len(v1.Info.Fields) != 9 || len(v2.Info.Fields) != 11 || v2.Info.Version != 2 {
		t.Fatalf("Next changed version 1 or built version 2 wrong: %d, %d fields", len(v1.Info.Fields), len(v2.Info.Fields))
	}
	v2.Info.Fields[0].Options[0].Label["en"] = "changed"
	if v1.Info.Fields[0].Options[0].Label["en"] != "Art. 1" {
		t.Fatal("version 2 shares labels with version 1")
	}

	old := judgmentAnswers() // stored with form "xx.judgment@1"
	ctx := context.Background()
	f := served["xx.judgment@1"]
	if errs, err := f.Validate(ctx, old); errs != nil || err != nil {
		t.Fatalf("v1 record under v1: %v %v", errs, err)
	}
	c1, err := f.Normalize(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	// Version 2 only adds optional fields, so the old record is valid
	// under it too and maps to the same indicators.
	c2, err := served["xx.judgment@2"].Normalize(ctx, old)
	if err != nil || !reflect.DeepEqual(c1, c2) {
		t.Fatalf("v1 record under v2: %v %v, want %v", c2, err, c1)
	}
	// A record entered on version 2 uses the new fields, which version 1
	// does not know; the shared Map maps the new indicator.
	rec2 := judgmentAnswers()
	rec2["international_law_cited"] = []any{"palermo"}
	rec2["appeal_filed"] = true
	c, err := served["xx.judgment@2"].Normalize(ctx, rec2)
	if err != nil || !reflect.DeepEqual(c["international_law_cited"], []string{"palermo"}) {
		t.Fatalf("v2 record: %v %v", c, err)
	}
	errs, _ := served["xx.judgment@1"].Validate(ctx, rec2)
	assertErrors(t, errs, []string{"appeal_filed: is not a field of xx.judgment@1", "international_law_cited: is not a field of xx.judgment@1"})
}
