package hr

import (
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

func TestInvalidRecords(t *testing.T) {
	t.Parallel()
	suite().Invalid(t, []plugintest.Invalid{
		{Name: "unknown field", Form: "hr.judgment@1", Set: map[string]any{"presuda": "da"}, Want: []string{`presuda: is not a field of hr.judgment@1`}},
		{Name: "missing article", Form: "hr.judgment@1", Set: map[string]any{"article": nil}, Want: []string{`article: is required`}},
		{Name: "article of another country", Form: "hr.judgment@1", Set: map[string]any{"article": "art_388"},
			Want: []string{`article: must be one of art_106, art_106_2, art_105, art_157, art_326, other, got "art_388"`}},
		{Name: "sentence as text", Form: "hr.judgment@1", Set: map[string]any{"sentence_months": "4 godine"}, Want: []string{`sentence_months: must be 0..600, got "4 godine"`}},
		{Name: "compensation negative", Form: "hr.judgment@1", Set: map[string]any{"compensation_awarded_eur": -100.0},
			Want: []string{`compensation_awarded_eur: must be 0..10000000000, got "-100"`}},
		{Name: "compensation as text", Form: "hr.judgment@1", Set: map[string]any{"compensation_awarded_eur": "8.000,00 €"},
			Want: []string{`compensation_awarded_eur: must be 0..10000000000, got "8.000,00 €"`}},
		{Name: "decision before indictment", Form: "hr.judgment@1", Set: map[string]any{"decision_date": "2022-11-02"},
			Want: []string{`decision_date: must not be before indictment_date (2022-11-03), got "2022-11-02"`}},
		{Name: "decision in the future", Form: "hr.judgment@1", Set: map[string]any{"decision_date": "2026-01-01"},
			Want: []string{`decision_date: must not be in the future (after 2025-06-30), got "2026-01-01"`}},
		{Name: "date written the Croatian way", Form: "hr.judgment@1", Set: map[string]any{"indictment_date": "3.11.2022."},
			Want: []string{`indictment_date: must be a date YYYY-MM-DD, got "3.11.2022."`}},
		{Name: "invalid UTF-8", Form: "hr.judgment@1", Set: map[string]any{"defendant_initials": "I.\xffH."}, Want: []string{`defendant_initials: must be valid UTF-8 text`}},
		{Name: "initials too long", Form: "hr.judgment@1", Set: map[string]any{"defendant_initials": "Ivan Horvat i Marko Marić"},
			Want: []string{`defendant_initials: must be at most 20 characters, got "25 characters"`}},
		{Name: "questioning outside list", Form: "hr.judgment@1", Set: map[string]any{"victim_questioning": "by_letter"},
			Want: []string{`victim_questioning: must be one of in_court, video_link, prior_recorded, separate_room, not_heard, got "by_letter"`}},
		{Name: "hearing without court", Form: "hr.trial_hearing@1", Set: map[string]any{"court": nil}, Want: []string{`court: is required`}},
		{Name: "more answers than requests", Form: "hr.police_case@1", Set: map[string]any{"information_requests_answered": 3.0},
			Want: []string{`information_requests_answered: must not be more than information_requests_sent (2), got "3"`}},
		{Name: "age group outside list", Form: "hr.victim_support@1", Set: map[string]any{"age_group": "youth"},
			Want: []string{`age_group: must be one of child, adult, got "youth"`}},
		{Name: "type outside list", Form: "hr.legislation@1", Set: map[string]any{"type": "law"},
			Want: []string{`type: must be one of criminal_code, criminal_procedure, victim_compensation, bylaw, strategy, got "law"`}},
		{Name: "meeting in the future", Form: "hr.engagement@1", Set: map[string]any{"date": "2025-07-01"},
			Want: []string{`date: must not be in the future (after 2025-06-30), got "2025-07-01"`}},
	})
}
