package hr

import "testing"

func TestInvalidRecords(t *testing.T) {
	t.Parallel()
	runInvalid(t, []invalid{
		{"unknown field", "hr.judgment@1", map[string]any{"presuda": "da"}, []string{`presuda: is not a field of hr.judgment@1`}},
		{"missing article", "hr.judgment@1", map[string]any{"article": nil}, []string{`article: is required`}},
		{"article of another country", "hr.judgment@1", map[string]any{"article": "art_388"},
			[]string{`article: must be one of art_106, art_106_2, art_105, art_157, art_326, other, got "art_388"`}},
		{"sentence as text", "hr.judgment@1", map[string]any{"sentence_months": "4 godine"}, []string{`sentence_months: must be 0..600, got "4 godine"`}},
		{"compensation negative", "hr.judgment@1", map[string]any{"compensation_awarded_eur": -100.0},
			[]string{`compensation_awarded_eur: must be 0..10000000000, got "-100"`}},
		{"compensation as text", "hr.judgment@1", map[string]any{"compensation_awarded_eur": "8.000,00 €"},
			[]string{`compensation_awarded_eur: must be 0..10000000000, got "8.000,00 €"`}},
		{"decision before indictment", "hr.judgment@1", map[string]any{"decision_date": "2022-11-02"},
			[]string{`decision_date: must not be before indictment_date (2022-11-03), got "2022-11-02"`}},
		{"decision in the future", "hr.judgment@1", map[string]any{"decision_date": "2026-01-01"},
			[]string{`decision_date: must not be in the future (after 2025-06-30), got "2026-01-01"`}},
		{"date written the Croatian way", "hr.judgment@1", map[string]any{"indictment_date": "3.11.2022."},
			[]string{`indictment_date: must be a date YYYY-MM-DD, got "3.11.2022."`}},
		{"invalid UTF-8", "hr.judgment@1", map[string]any{"defendant_initials": "I.\xffH."}, []string{`defendant_initials: must be valid UTF-8 text`}},
		{"initials too long", "hr.judgment@1", map[string]any{"defendant_initials": "Ivan Horvat i Marko Marić"},
			[]string{`defendant_initials: must be at most 20 characters, got "25 characters"`}},
		{"questioning outside list", "hr.judgment@1", map[string]any{"victim_questioning": "by_letter"},
			[]string{`victim_questioning: must be one of in_court, video_link, prior_recorded, separate_room, not_heard, got "by_letter"`}},
		{"hearing without court", "hr.trial_hearing@1", map[string]any{"court": nil}, []string{`court: is required`}},
		{"more answers than requests", "hr.police_case@1", map[string]any{"information_requests_answered": 3.0},
			[]string{`information_requests_answered: must not be more than information_requests_sent (2), got "3"`}},
		{"age group outside list", "hr.victim_support@1", map[string]any{"age_group": "youth"},
			[]string{`age_group: must be one of child, adult, got "youth"`}},
		{"type outside list", "hr.legislation@1", map[string]any{"type": "law"},
			[]string{`type: must be one of criminal_code, criminal_procedure, victim_compensation, bylaw, strategy, got "law"`}},
		{"meeting in the future", "hr.engagement@1", map[string]any{"date": "2025-07-01"},
			[]string{`date: must not be in the future (after 2025-06-30), got "2025-07-01"`}},
	})
}
