package ba

import (
	"context"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
)

func TestInvalidRecords(t *testing.T) {
	t.Parallel()
	runInvalid(t, []invalid{
		{"no sub-jurisdiction", "ba.judgment@1", map[string]any{"sub_jurisdiction": nil}, []string{`sub_jurisdiction: is required`}},
		{"sub-jurisdiction outside list", "ba.judgment@1", map[string]any{"sub_jurisdiction": "sarajevo"},
			[]string{`sub_jurisdiction: must be one of state, fbih, rs, brcko, got "sarajevo"`}},
		{"article of another code", "ba.judgment@1", map[string]any{"article": "fbih_210a"},
			[]string{`article: must be an article of the rs code (rs_145, rs_146, other), got "fbih_210a"`}},
		{"state article before an entity court", "ba.trial_hearing@1", map[string]any{"sub_jurisdiction": "brcko"},
			[]string{`article: must be an article of the brcko code (brcko_207a, brcko_207b, other), got "state_186"`}},
		{"police article of another code", "ba.police_case@1", map[string]any{"article": "state_186a"},
			[]string{`article: must be an article of the fbih code (fbih_210a, fbih_210b, other), got "state_186a"`}},
		{"article outside the codes", "ba.judgment@1", map[string]any{"article": "rs_147"},
			[]string{`article: must be one of state_186, state_186a, fbih_210a, fbih_210b, rs_145, rs_146, brcko_207a, brcko_207b, other, got "rs_147"`}},
		{"amount in euros on a KM form", "ba.judgment@1", map[string]any{"compensation_awarded_eur": 5000.0},
			[]string{`compensation_awarded_eur: is not a field of ba.judgment@1`}},
		{"negative KM", "ba.judgment@1", map[string]any{"assets_confiscated_km": -1.0},
			[]string{`assets_confiscated_km: must be 0..19558300000, got "-1"`}},
		{"sentence as text", "ba.judgment@1", map[string]any{"sentence_months": "3 godine"}, []string{`sentence_months: must be 0..600, got "3 godine"`}},
		{"decision before indictment", "ba.judgment@1", map[string]any{"indictment_date": "2024-10-02"},
			[]string{`decision_date: must not be before indictment_date (2024-10-02), got "2024-10-01"`}},
		{"decision in the future", "ba.judgment@1", map[string]any{"decision_date": "2030-01-01"},
			[]string{`decision_date: must not be in the future (after 2025-06-30), got "2030-01-01"`}},
		{"invalid UTF-8", "ba.judgment@1", map[string]any{"court": "Okru\xbeni sud"}, []string{`court: must be valid UTF-8 text`}},
		{"identifying body outside list", "ba.victim_support@1", map[string]any{"identifying_body": "ministry"},
			[]string{`identifying_body: must be one of police, prosecution, social_work, monitoring_team, foreigners_service, ngo, other, got "ministry"`}},
		{"body outside list", "ba.engagement@1", map[string]any{"body": "presidency"},
			[]string{`body: must be one of ministry_interior, ministry_justice, parliament, prosecution, court, social_welfare, other, got "presidency"`}},
		{"stage date missing", "ba.legislation@1", map[string]any{"stage_date": nil}, []string{`stage_date: is required`}},
	})
}

func TestKMToEuro(t *testing.T) {
	t.Parallel()
	s := specs(t)["ba.judgment@1"]
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
