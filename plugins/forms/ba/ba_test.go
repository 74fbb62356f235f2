package ba

import (
	"context"
	"slices"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

func TestInvalidRecords(t *testing.T) {
	t.Parallel()
	suite().Invalid(t, []plugintest.Invalid{
		{Name: "no sub-jurisdiction", Form: "ba.judgment@1", Set: map[string]any{"sub_jurisdiction": nil}, Want: []string{`sub_jurisdiction: is required`}},
		{Name: "sub-jurisdiction outside list", Form: "ba.judgment@1", Set: map[string]any{"sub_jurisdiction": "sarajevo"},
			Want: []string{`sub_jurisdiction: must be one of state, fbih, rs, brcko, got "sarajevo"`}},
		{Name: "article of another code", Form: "ba.judgment@1", Set: map[string]any{"article": "fbih_210a"},
			Want: []string{`article: must be an article of the rs code (rs_145, rs_146, other), got "fbih_210a"`}},
		{Name: "state article before an entity court", Form: "ba.trial_hearing@1", Set: map[string]any{"sub_jurisdiction": "brcko"},
			Want: []string{`article: must be an article of the brcko code (brcko_207a, brcko_207b, other), got "state_186"`}},
		{Name: "police article of another code", Form: "ba.police_case@1", Set: map[string]any{"article": "state_186a"},
			Want: []string{`article: must be an article of the fbih code (fbih_210a, fbih_210b, other), got "state_186a"`}},
		{Name: "article outside the codes", Form: "ba.judgment@1", Set: map[string]any{"article": "rs_147"},
			Want: []string{`article: must be one of state_186, state_186a, fbih_210a, fbih_210b, rs_145, rs_146, brcko_207a, brcko_207b, other, got "rs_147"`}},
		{Name: "amount in euros on a KM form", Form: "ba.judgment@1", Set: map[string]any{"compensation_awarded_eur": 5000.0},
			Want: []string{`compensation_awarded_eur: is not a field of ba.judgment@1`}},
		{Name: "negative KM", Form: "ba.judgment@1", Set: map[string]any{"assets_confiscated_km": -1.0},
			Want: []string{`assets_confiscated_km: must be 0..19558300000, got "-1"`}},
		{Name: "sentence as text", Form: "ba.judgment@1", Set: map[string]any{"sentence_months": "3 godine"}, Want: []string{`sentence_months: must be 0..600, got "3 godine"`}},
		{Name: "decision before indictment", Form: "ba.judgment@1", Set: map[string]any{"indictment_date": "2024-10-02"},
			Want: []string{`decision_date: must not be before indictment_date (2024-10-02), got "2024-10-01"`}},
		{Name: "decision in the future", Form: "ba.judgment@1", Set: map[string]any{"decision_date": "2030-01-01"},
			Want: []string{`decision_date: must not be in the future (after 2025-06-30), got "2030-01-01"`}},
		{Name: "invalid UTF-8", Form: "ba.judgment@1", Set: map[string]any{"court": "Okru\xbeni sud"}, Want: []string{`court: must be valid UTF-8 text`}},
		{Name: "identifying body outside list", Form: "ba.victim_support@1", Set: map[string]any{"identifying_body": "ministry"},
			Want: []string{`identifying_body: must be one of police, prosecution, social_work, monitoring_team, foreigners_service, ngo, other, got "ministry"`}},
		{Name: "body outside list", Form: "ba.engagement@1", Set: map[string]any{"body": "presidency"},
			Want: []string{`body: must be one of ministry_interior, ministry_justice, parliament, prosecution, court, social_welfare, other, got "presidency"`}},
		{Name: "stage date missing", Form: "ba.legislation@1", Set: map[string]any{"stage_date": nil}, Want: []string{`stage_date: is required`}},
	})
}

func TestKMToEuro(t *testing.T) {
	t.Parallel()
	s := suite().Specs(t)["ba.judgment@1"]
	a := sdk.Answers{"sub_jurisdiction": "state", "court": "Sud BiH", "court_level": "appeal", "article": "state_186",
		"decision_date": "2024-01-01", "defendants": 1.0, "victims": 1.0, "verdict": "acquitted",
		"compensation_awarded_km": 1.95583, "assets_confiscated_km": 0.0}
	c, err := s.Normalize(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if c["compensation_awarded_eur"] != 1.0 || c["assets_confiscated_eur"] != 0.0 {
		t.Errorf("KM to EUR: %v, %v", c["compensation_awarded_eur"], c["assets_confiscated_eur"])
	}
	if _, ok := c[sdk.FieldSubJurisdiction]; ok {
		t.Error("sub_jurisdiction became an indicator")
	}
}

// TestArticleOfAnotherCodeIsCoded: the article-of-another-code rule
// carries the one_of code and the articles allowed, so that the web
// interface words it in the monitor's language.
func TestArticleOfAnotherCodeIsCoded(t *testing.T) {
	t.Parallel()
	s := suite().Specs(t)["ba.judgment@1"]
	a := sdk.Answers{"sub_jurisdiction": "rs", "court": "Okružni sud u Banjoj Luci", "court_level": "first_instance", "article": "fbih_210a",
		"decision_date": "2024-01-01", "defendants": 1.0, "victims": 1.0, "verdict": "convicted"}
	errs, err := s.Validate(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		if e.Field == "article" {
			if e.Code != sdk.RuleOneOf || !slices.Equal(e.Args, []string{"rs_145", "rs_146", "other"}) {
				t.Errorf("article's problem: code %q, args %v; want one_of [rs_145 rs_146 other]", e.Code, e.Args)
			}
			return
		}
	}
	t.Fatalf("no problem with the article: %v", errs)
}
