package report

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// TestCatalogue: every figure's query parses, with and without a period,
// groups by country first and then by its rows; its titles are there in
// the six languages; docs/report.md lists it with its query's text.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/report.md")
	if err != nil {
		t.Fatalf("docs/report.md lists the report's queries: %v", err)
	}
	p := &Period{From: "2015-01-01", To: "2016-12-31"}
	sections := map[string]bool{}
	for _, s := range Catalogue() {
		sections[s.Section] = true
		for _, per := range []*Period{nil, p} {
			q, err := s.parse(per)
			if err != nil {
				t.Errorf("%s: %v", s.ID, err)
				continue
			}
			var by []string
			for _, g := range q.By[1:] {
				by = append(by, g.Name)
			}
			want := s.Rows
			if want == "bin" {
				want = ""
			}
			if strings.Join(by, ",") != want {
				t.Errorf("%s: groups after country %v; its rows are %q", s.ID, by, s.Rows)
			}
			if ind, ok := s.indicator(q.Kind); s.Rows != "" && s.Rows != "year" && s.Rows != "bin" && (!ok || ind.Type != sdk.IndicatorEnum) {
				t.Errorf("%s: rows %q are no enum indicator of %s", s.ID, s.Rows, q.Kind)
			}
			if (per != nil && !s.Undated) != (q.Between != nil) {
				t.Errorf("%s over %v: between %v", s.ID, per, q.Between)
			}
		}
		if !strings.Contains(string(doc), "`"+s.Query+"`") || !strings.Contains(string(doc), s.ID) {
			t.Errorf("docs/report.md does not list %s with `%s`", s.ID, s.Query)
		}
		for _, key := range []sdk.UIKey{sdk.UIKey("report.fig." + s.ID), sdk.UIKey("report.sec." + s.Section)} {
			for _, lang := range Languages {
				if sdk.UIText(lang, key) == string(key) {
					t.Errorf("no %s text %s", lang, key)
				}
			}
		}
	}
	if want := fmt.Sprintf("A report asks %d queries", len(catalogue)); !strings.Contains(string(doc), want) {
		t.Errorf("docs/report.md does not say %q", want)
	}
	for _, s := range Sections {
		if !sections[s] {
			t.Errorf("section %s has no figure", s)
		}
	}
}
