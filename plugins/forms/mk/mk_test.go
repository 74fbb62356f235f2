package mk

import "testing"

func TestInvalidRecords(t *testing.T) {
	t.Parallel()
	runInvalid(t, []invalid{
		{"unknown field", "mk.judgment@1", map[string]any{"обвинет": "А.Б."}, []string{`обвинет: is not a field of mk.judgment@1`}},
		{"missing verdict", "mk.judgment@1", map[string]any{"verdict": nil}, []string{`verdict: is required`}},
		{"article in Cyrillic", "mk.judgment@1", map[string]any{"article": "418-г"},
			[]string{`article: must be one of art_418a, art_418d, art_418b, art_418c, art_418, art_191, other, got "418-г"`}},
		{"sentence as text", "mk.judgment@1", map[string]any{"sentence_months": "8 години"}, []string{`sentence_months: must be 0..600, got "8 години"`}},
		{"decision before indictment", "mk.judgment@1", map[string]any{"decision_date": "2023-02-28"},
			[]string{`decision_date: must not be before indictment_date (2023-03-01), got "2023-02-28"`}},
		{"not a leap year", "mk.judgment@1", map[string]any{"decision_date": "2023-02-29"},
			[]string{`decision_date: must be a date YYYY-MM-DD, got "2023-02-29"`}},
		{"decision in the future", "mk.judgment@1", map[string]any{"decision_date": "2025-12-31"},
			[]string{`decision_date: must not be in the future (after 2025-06-30), got "2025-12-31"`}},
		{"invalid UTF-8", "mk.judgment@1", map[string]any{"court": "Основен суд \xd0"}, []string{`court: must be valid UTF-8 text`}},
		{"more child victims than victims", "mk.judgment@1", map[string]any{"child_victims": 2.0},
			[]string{`child_victims: must not be more than victims (1), got "2"`}},
		{"exploitation outside list", "mk.judgment@1", map[string]any{"exploitation": "surrogacy"},
			[]string{`exploitation: must be one of sexual, labour, begging, criminality, forced_marriage, organ, adoption, multiple, got "surrogacy"`}},
		{"adjournment reason outside list", "mk.trial_hearing@1", map[string]any{"adjourned_reason": "strike"},
			[]string{`adjourned_reason: must be one of defendant_absent, defence_absent, victim_absent, witness_absent, interpreter_absent, court_reasons, evidence_pending, other, got "strike"`}},
		{"suspects negative", "mk.police_case@1", map[string]any{"suspects": -4.0}, []string{`suspects: must be 0..100000, got "-4"`}},
		{"services not a list", "mk.victim_support@1", map[string]any{"services": "shelter"},
			[]string{`services: must be a list of values from shelter, medical, psychological, legal_aid, education, financial, repatriation, got "shelter"`}},
		{"greta as text", "mk.legislation@1", map[string]any{"greta_recommendation": "да"}, []string{`greta_recommendation: must be true or false, got "да"`}},
		{"purpose missing", "mk.engagement@1", map[string]any{"purpose": ""}, []string{`purpose: is required`}},
	})
}
