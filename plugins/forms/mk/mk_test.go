package mk

import (
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

func TestInvalidRecords(t *testing.T) {
	t.Parallel()
	suite().Invalid(t, []plugintest.Invalid{
		{Name: "unknown field", Form: "mk.judgment@1", Set: map[string]any{"обвинет": "А.Б."}, Want: []string{`обвинет: is not a field of mk.judgment@1`}},
		{Name: "missing verdict", Form: "mk.judgment@1", Set: map[string]any{"verdict": nil}, Want: []string{`verdict: is required`}},
		{Name: "article in Cyrillic", Form: "mk.judgment@1", Set: map[string]any{"article": "418-г"},
			Want: []string{`article: must be one of art_418a, art_418d, art_418b, art_418c, art_418, art_191, other, got "418-г"`}},
		{Name: "sentence as text", Form: "mk.judgment@1", Set: map[string]any{"sentence_months": "8 години"}, Want: []string{`sentence_months: must be 0..600, got "8 години"`}},
		{Name: "decision before indictment", Form: "mk.judgment@1", Set: map[string]any{"decision_date": "2023-02-28"},
			Want: []string{`decision_date: must not be before indictment_date (2023-03-01), got "2023-02-28"`}},
		{Name: "not a leap year", Form: "mk.judgment@1", Set: map[string]any{"decision_date": "2023-02-29"},
			Want: []string{`decision_date: must be a date YYYY-MM-DD, got "2023-02-29"`}},
		{Name: "decision in the future", Form: "mk.judgment@1", Set: map[string]any{"decision_date": "2025-12-31"},
			Want: []string{`decision_date: must not be in the future (after 2025-06-30), got "2025-12-31"`}},
		{Name: "invalid UTF-8", Form: "mk.judgment@1", Set: map[string]any{"court": "Основен суд \xd0"}, Want: []string{`court: must be valid UTF-8 text`}},
		{Name: "more child victims than victims", Form: "mk.judgment@1", Set: map[string]any{"child_victims": 2.0},
			Want: []string{`child_victims: must not be more than victims (1), got "2"`}},
		{Name: "exploitation outside list", Form: "mk.judgment@1", Set: map[string]any{"exploitation": "surrogacy"},
			Want: []string{`exploitation: must be one of sexual, labour, begging, criminality, forced_marriage, organ, adoption, multiple, got "surrogacy"`}},
		{Name: "adjournment reason outside list", Form: "mk.trial_hearing@1", Set: map[string]any{"adjourned_reason": "strike"},
			Want: []string{`adjourned_reason: must be one of defendant_absent, defence_absent, victim_absent, witness_absent, interpreter_absent, court_reasons, evidence_pending, other, got "strike"`}},
		{Name: "suspects negative", Form: "mk.police_case@1", Set: map[string]any{"suspects": -4.0}, Want: []string{`suspects: must be 0..100000, got "-4"`}},
		{Name: "services not a list", Form: "mk.victim_support@1", Set: map[string]any{"services": "shelter"},
			Want: []string{`services: must be a list of values from shelter, medical, psychological, legal_aid, education, financial, repatriation, got "shelter"`}},
		{Name: "greta as text", Form: "mk.legislation@1", Set: map[string]any{"greta_recommendation": "да"}, Want: []string{`greta_recommendation: must be true or false, got "да"`}},
		{Name: "purpose missing", Form: "mk.engagement@1", Set: map[string]any{"purpose": ""}, Want: []string{`purpose: is required`}},
	})
}
