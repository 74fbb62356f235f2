package plugintest

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Article is what a judgment entered under one value of a form's article
// question must map to, as the criminal code says (not as the form's own
// tables say: Articles compares the two).
type Article struct {
	// Offence is the offence indicator the article maps onto: "thb",
	// "thb_child", "slavery", …
	Offence string
	// MinMonths is the least prison term the article allows, in months,
	// when the form computes below_statutory_minimum from the sentence;
	// zero when it knows no minimum for the article and leaves the
	// indicator to the monitor.
	MinMonths int64
	// Set replaces answers of the golden record so that the article is
	// allowed on it (Bosnia and Herzegovina's sub-jurisdiction, say); a
	// nil value deletes the answer.
	Set map[string]any
}

// Articles checks every option of the field named field ("article") of
// every judgment form version against want, which must name each option:
// an article added to a form without its row in want fails, so a new
// article cannot ship without someone saying what it maps to. For each
// option it takes the golden record of the version (<kind>.v<N>.json),
// with the article set, a conviction, no child victims and
// below_statutory_minimum left open, and checks that
//
//   - it maps onto want's Offence;
//   - with want's MinMonths, a sentence a month below the minimum answers
//     below_statutory_minimum true and a sentence of the minimum false;
//     without, below_statutory_minimum stays unanswered.
func (s Suite) Articles(t *testing.T, field string, want map[string]Article) {
	t.Helper()
	s.articles(t, field, want)
}

func (s Suite) articles(t tb, field string, want map[string]Article) {
	t.Helper()
	specs := s.specs(t)
	checked := 0
	for _, ref := range slices.Sorted(maps.Keys(specs)) {
		sp := specs[ref]
		if sp.Info.Kind != sdk.KindJudgment {
			continue
		}
		var options []sdk.Option
		for _, f := range sp.Info.Fields {
			if f.ID == field {
				options = f.Options
			}
		}
		if len(options) == 0 {
			t.Errorf("%s: no field %s with options", ref, field)
			continue
		}
		for _, o := range options {
			w, ok := want[o.Value]
			if !ok {
				t.Errorf("%s: %s %q has no expected mapping: add it to the test's table, with the offence and the statutory minimum the code gives it", ref, field, o.Value)
				continue
			}
			checked++
			s.article(t, sp, field, o.Value, w)
		}
	}
	if checked == 0 {
		t.Fatalf("no judgment form with a %s question: nothing was checked", field)
	}
}

// article checks one option of one form version.
func (s Suite) article(t tb, sp sdk.Spec, field, value string, w Article) {
	t.Helper()
	at := sp.Info.Ref() + " " + field + " " + value
	path := s.goldenPath(sp.Info, ".json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%s: read the golden record: %v", at, err)
		return
	}
	base, err := sdk.ParseAnswers(b)
	if err != nil {
		t.Errorf("%s: %s: %v", at, path, err)
		return
	}
	base[field] = value
	base["verdict"] = "convicted"
	base["child_victims"] = 0.0
	delete(base, "below_statutory_minimum")
	for k, v := range w.Set {
		if v == nil {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	months := []int64{1}
	if w.MinMonths > 0 {
		months = []int64{w.MinMonths - 1, w.MinMonths}
	}
	for _, m := range months {
		a := maps.Clone(base)
		a["sentence_months"] = float64(m)
		c, err := sp.Normalize(context.Background(), a)
		if err != nil {
			t.Errorf("%s: a conviction of %d months: %v", at, m, err)
			return
		}
		if c["offence"] != w.Offence {
			t.Errorf("%s: offence %v, want %s", at, c["offence"], w.Offence)
		}
		got, answered := c["below_statutory_minimum"]
		switch {
		case w.MinMonths == 0 && answered:
			t.Errorf("%s: below_statutory_minimum %v for an article without a known minimum; want it left to the monitor", at, got)
		case w.MinMonths > 0 && (!answered || got != (m < w.MinMonths)):
			have := "unanswered"
			if answered {
				have = fmt.Sprint(got)
			}
			t.Errorf("%s: %d months (minimum %d): below_statutory_minimum %s, want %v", at, m, w.MinMonths, have, m < w.MinMonths)
		}
	}
}
