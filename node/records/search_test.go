package records

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestSearch: a search finds records by the words of their public
// answers (a court, an option's label in any language and either Serbian
// script, a date), all words required, and never by a personal or
// free-text answer (a case number, notes); deleted records and records
// other filters leave out are not found.
func TestSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newBook(t)
	base := answers(t, "rs", "judgment.v2.json")
	add := func(changes map[string]any) string {
		r, err := tb.Add(ctx, "rs.judgment", with(base, changes))
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	nis := add(map[string]any{"court": "Viši sud u Nišu", "case_number": "K 1/2024", "notes": "Petrović svedočio", "verdict": "acquitted", "sentence_months": nil})
	bg := add(map[string]any{"court": "Viši sud u Beogradu", "case_number": "K 2/2024", "verdict": "convicted"})
	gone := add(map[string]any{"court": "Viši sud u Nišu, odeljenje 2", "case_number": "K 3/2024"})
	if _, err := tb.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
	ids := func(text string, f Filter) string {
		t.Helper()
		l, err := tb.Search(ctx, f, text)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range l {
			out = append(out, s.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		text string
		want string
	}{
		{"nišu", nis},
		{"NIŠU", nis},
		{"нишу", ""},                   // Cyrillic text does not match a Latin answer...
		{"beograd", bg},                // ...but a part of a word does
		{"oslobađajuća", nis},          // the verdict's Serbian label
		{"ослобађајућа", nis},          // in Cyrillic
		{"acquittal", nis},             // in English
		{"viši osuđujuća", bg},         // every word must match
		{"viši nepostoji", ""},         // one that matches nothing
		{"K 1/2024", ""},               // the case number is personal
		{"petrović", ""},               // notes are free text
		{"2025-03-03", nis + "," + bg}, // a date, both records
		{bg[:10], bg},                  // the record's ID
	} {
		if got := ids(tc.text, Filter{}); got != tc.want && !(tc.want == nis+","+bg && got == bg+","+nis) {
			t.Errorf("search %q: %q, want %q", tc.text, got, tc.want)
		}
	}
	if got := ids("viši", Filter{Until: "2020-01-01"}); got != "" {
		t.Errorf("a filter leaving every record out: %q", got)
	}
	if _, err := tb.Search(ctx, Filter{}, strings.Repeat("x", MaxSearchText+1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("a search too long: %v", err)
	}
}
