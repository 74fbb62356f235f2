package ui

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node/query"
)

// TestBuilderText: the builder writes the query its choices make, in the
// language's canonical form; values outside the kind's catalogue (a kind
// changed since they were chosen, a value typed into the URL) are
// dropped, a yes/no filter keeps one value, an open end of the date range
// is the language's earliest or latest date; node/query's refusal comes
// back naming what is wrong.
func TestBuilderText(t *testing.T) {
	t.Parallel()
	countries := []string{"HR", "RS"}
	for _, tc := range []struct {
		name, form, want, problem string
	}{
		{"nothing chosen", "kind=judgment", "count judgment", ""},
		{"groups and a closed list", "kind=judgment&agg=count&by=country&by=verdict&f.court_level=first_instance&f.court_level=appeal",
			"count judgment by country, verdict where court_level in (first_instance, appeal)", ""},
		{"one value", "kind=judgment&f.verdict=convicted&f.country=RS", "count judgment where country = RS and verdict = convicted", ""},
		{"a mean", "kind=judgment&agg=mean&ind=proceedings_days&by=year", "mean(proceedings_days) judgment by year", ""},
		{"a quantile", "kind=judgment&agg=quantile&ind=proceedings_days&p=0.90", "quantile(proceedings_days; 0.9) judgment", ""},
		{"a histogram", "kind=judgment&agg=histogram&ind=victims&edges=1,+2,5", "histogram(victims; 1, 2, 5) judgment", ""},
		{"a share", "kind=police_case&agg=share&ind=cross_border&by=country", "share(cross_border) police_case by country", ""},
		{"open end", "kind=judgment&from=2015-01-01", "count judgment between 2015-01-01 and 9999-12-31", ""},
		{"both ends", "kind=judgment&from=2015-01-01&to=2016-12-31", "count judgment between 2015-01-01 and 2016-12-31", ""},
		{"another kind's indicator is dropped", "kind=police_case&by=verdict&f.verdict=convicted&ind=victims&agg=count", "count police_case", ""},
		{"a value off the list is dropped", "kind=judgment&f.verdict=convicted&f.verdict=hanged&f.country=FR", "count judgment where verdict = convicted", ""},
		{"yes or no: one value", "kind=judgment&f.compensation_claimed=true&f.compensation_claimed=false", "count judgment where compensation_claimed = true", ""},
		{"a set: any of", "kind=judgment&f.international_law_cited=palermo&f.international_law_cited=echr_art4",
			"count judgment where international_law_cited in (palermo, echr_art4)", ""},
		{"a bad date is dropped", "kind=judgment&from=2015-1-1", "count judgment", ""},
		{"unknown kind and aggregate", "kind=murder&agg=max", "count judgment", ""},
		{"mean of nothing", "kind=judgment&agg=mean", "", "indicator"},
		{"mean of a yes/no", "kind=judgment&agg=mean&ind=compensation_claimed", "", "compensation_claimed"},
		{"a bad p", "kind=judgment&agg=quantile&ind=proceedings_days&p=2", "", "quantile"},
	} {
		v, err := url.ParseQuery(tc.form)
		if err != nil {
			t.Fatal(err)
		}
		b := readBuilder(v, countries)
		got, err := b.compose(countries)
		if tc.problem != "" {
			var qe *query.Error
			if err == nil || !errors.As(err, &qe) || !strings.Contains(err.Error(), tc.problem) {
				t.Errorf("%s: %q, %v; want node/query's refusal naming %s", tc.name, got, err, tc.problem)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// TestBinLabel: histogram bins read as a reader expects.
func TestBinLabel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"(-inf,12)": "< 12", "[12,36)": "12–35", "[120,inf)": "≥ 120", "[0.5,1.5)": "[0.5, 1.5)", "odd": "odd"} {
		if got := binLabel(in); got != want {
			t.Errorf("binLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
