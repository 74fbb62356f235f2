package testnet

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/node/report"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// The report's figures computed by hand from the generator's ground truth
// (the indicators each record's form mapped it onto, before any node
// stored it): code that shares nothing with node/query's evaluation.

// cellKey names a cell of a figure: its country and row.
type cellKey struct{ country, row string }

// truthCell is what the ground truth holds in one cell.
type truthCell struct {
	n, tru int64
	sum    float64
	values []float64
}

// eventDate is the date a record is about (docs/records.md).
func eventDate(kind sdk.Kind, c sdk.Common) string {
	name := map[sdk.Kind]string{sdk.KindJudgment: "decision_date", sdk.KindTrialHearing: "date",
		sdk.KindPoliceCase: "opened_date", sdk.KindLegislation: "stage_date", sdk.KindEngagement: "date"}[kind]
	d, _ := c[name].(string)
	return d
}

func setHas(v any, want ...string) bool {
	var list []string
	switch x := v.(type) {
	case []string:
		list = x
	case []any:
		for _, e := range x {
			s, _ := e.(string)
			list = append(list, s)
		}
	}
	for _, w := range want {
		if slices.Contains(list, w) {
			return true
		}
	}
	return false
}

// wheres are the report's filters, written by hand.
var wheres = map[string]func(c sdk.Common) bool{
	"rights.international_law": func(c sdk.Common) bool {
		return setHas(c["international_law_cited"], "palermo", "coe_convention", "echr_art4", "eu_directive_2011_36")
	},
	"support.shelter": func(c sdk.Common) bool { return setHas(c["services"], "shelter") },
}

// expected computes every cell of figure s over the partners' truth.
func expected(t *testing.T, s report.Spec, p *report.Period, truths []Truth) (map[cellKey]*truthCell, *query.Query) {
	t.Helper()
	q, err := query.Parse(s.Text(p), query.Options{})
	if err != nil {
		t.Fatal(err)
	}
	keep := func(sdk.Common) bool { return true }
	if q.Where != nil {
		w, ok := wheres[s.ID]
		if !ok {
			t.Fatalf("figure %s filters records: write its filter in wheres", s.ID)
		}
		keep = w
	}
	var edges []float64
	for _, e := range q.Agg.Edges {
		edges = append(edges, float64(e.Hundredths)/100)
	}
	out := map[cellKey]*truthCell{}
	for _, tr := range truths {
		for _, r := range tr.Records {
			if r.Kind != q.Kind {
				continue
			}
			date := eventDate(r.Kind, r.Common)
			if q.Between != nil && (date < q.Between.From || date > q.Between.To) {
				continue
			}
			if !keep(r.Common) {
				continue
			}
			var v float64
			switch q.Agg.Func {
			case query.Count:
			case query.Share:
				b, ok := r.Common[q.Agg.Indicator].(bool)
				if !ok {
					continue
				}
				if b {
					v = 1
				}
			default:
				x, ok := sdk.Number(r.Common[q.Agg.Indicator])
				if !ok {
					continue
				}
				v = x
			}
			row := ""
			switch s.Rows {
			case "":
			case "year":
				row = date[:4]
			case "bin":
				// Every bin of a country with values is in its answer.
				for b := 0; b <= len(edges); b++ {
					k := cellKey{tr.Country, binOf(edges, b)}
					if out[k] == nil {
						out[k] = &truthCell{}
					}
				}
				b := 0
				for b < len(edges) && v >= edges[b] {
					b++
				}
				row = binOf(edges, b)
			default:
				if x, ok := r.Common[s.Rows]; ok {
					row = fmt.Sprint(x)
				}
			}
			k := cellKey{tr.Country, row}
			c := out[k]
			if c == nil {
				c = &truthCell{}
				out[k] = c
			}
			c.n++
			c.sum += v
			if v == 1 {
				c.tru++
			}
			c.values = append(c.values, v)
		}
	}
	return out, q
}

func binOf(edges []float64, b int) string {
	lo, hi := "(-inf", "inf)"
	if b > 0 {
		lo = "[" + strconv.FormatFloat(edges[b-1], 'f', -1, 64)
	}
	if b < len(edges) {
		hi = strconv.FormatFloat(edges[b], 'f', -1, 64) + ")"
	}
	return lo + "," + hi
}

// figure is the value a cell of the ground truth should show, in the
// figure's unit (EUR in euros, a share as 0..1).
func (c *truthCell) figure(f query.Func) (float64, bool) {
	if c == nil || c.n == 0 {
		return 0, f == query.Count || f == query.Sum || f == query.Histogram
	}
	switch f {
	case query.Count, query.Histogram:
		return float64(c.n), true
	case query.Sum:
		return c.sum, true
	case query.Mean:
		return c.sum / float64(c.n), true
	case query.Share:
		return float64(c.tru) / float64(c.n), true
	case query.Median:
		v := slices.Sorted(slices.Values(c.values))
		return v[(len(v)+1)/2-1], true // the smallest value with half of them at or below it
	}
	return math.NaN(), false
}
