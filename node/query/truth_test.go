package query

import (
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// A truth case pairs a query with the same question written by hand in Go
// over the records as the records package returns them (JSON records,
// fields and all): an evaluation that shares no code with Evaluate.
type truthCase struct {
	text  string
	keep  func(r records.Record) bool          // the where and between
	group func(r records.Record) []string      // the groups, as labels
	value func(r records.Record) (int64, bool) // the aggregated indicator in its units; nil for count
	edges []int64                              // histogram edges, in units
	share bool
	p     int // quantile in thousandths
}

// truthCell is what a cell holds, computed directly.
type truthCell struct {
	n, sum, tru int64
	values      []int64
	ids         []string
}

func intOf(r records.Record, name string) (int64, bool) {
	v, ok := r.Common[name].(int64)
	return v, ok
}

func strOf(r records.Record, name string) string {
	s, _ := r.Common[name].(string)
	return s
}

func boolLabel(r records.Record, name string) string {
	b, ok := r.Common[name].(bool)
	if !ok {
		return ""
	}
	return fmt.Sprint(b)
}

func centsOf(r records.Record, name string) (int64, bool) {
	f, ok := r.Common[name].(float64)
	return int64(math.Round(f * 100)), ok
}

func year(r records.Record) string { return r.Date[:4] }

// truth computes every cell of c over recs.
func (c truthCase) truth(recs []records.Record) map[string]*truthCell {
	out := map[string]*truthCell{}
	for _, r := range recs {
		if c.keep != nil && !c.keep(r) {
			continue
		}
		var v int64
		if c.value != nil {
			var ok bool
			if v, ok = c.value(r); !ok {
				continue
			}
		}
		g := c.group(r)
		if c.edges != nil {
			// Every bin of an observed group exists, empty or not.
			for b := 0; b <= len(c.edges); b++ {
				key := strings.Join(append(slices.Clone(g), binName(c.edges, b)), "|")
				if out[key] == nil {
					out[key] = &truthCell{}
				}
			}
			b := 0
			for b < len(c.edges) && v >= c.edges[b] {
				b++
			}
			g = append(g, binName(c.edges, b))
		}
		key := strings.Join(g, "|")
		if out[key] == nil {
			out[key] = &truthCell{}
		}
		t := out[key]
		t.n++
		t.sum += v
		t.tru += v // a share's value is 1 for true
		t.values = append(t.values, v)
		t.ids = append(t.ids, r.ID)
	}
	return out
}

func binName(edges []int64, b int) string {
	lo, hi := "(-inf", "inf)"
	if b > 0 {
		lo = fmt.Sprintf("[%d", edges[b-1])
	}
	if b < len(edges) {
		hi = fmt.Sprintf("%d)", edges[b])
	}
	return lo + "," + hi
}

// quantileOf is the smallest value with at least p/1000 of the values at
// or below it.
func quantileOf(values []int64, p int) int64 {
	v := slices.Sorted(slices.Values(values))
	for i := range v {
		if (i+1)*1000 >= p*len(v) {
			return v[i]
		}
	}
	return v[len(v)-1]
}

var truthCases = []truthCase{
	{
		text:  "count judgment by country, year where verdict = convicted",
		keep:  func(r records.Record) bool { return strOf(r, "verdict") == "convicted" },
		group: func(r records.Record) []string { return []string{r.Country, year(r)} },
	},
	{
		text: "mean(sentence_months) judgment by country where verdict = convicted and offence in (thb, thb_child)",
		keep: func(r records.Record) bool {
			o := strOf(r, "offence")
			return strOf(r, "verdict") == "convicted" && (o == "thb" || o == "thb_child")
		},
		group: func(r records.Record) []string { return []string{r.Country} },
		value: func(r records.Record) (int64, bool) { return intOf(r, "sentence_months") },
	},
	{
		text:  "share(compensation_claimed) judgment by country between 2015-01-01 and 2016-12-31",
		keep:  func(r records.Record) bool { return r.Date >= "2015-01-01" && r.Date <= "2016-12-31" },
		group: func(r records.Record) []string { return []string{r.Country} },
		value: func(r records.Record) (int64, bool) {
			b, ok := r.Common["compensation_claimed"].(bool)
			if b {
				return 1, ok
			}
			return 0, ok
		},
		share: true,
	},
	{
		text:  "sum(compensation_awarded_eur) judgment by court_level",
		group: func(r records.Record) []string { return []string{strOf(r, "court_level")} },
		value: func(r records.Record) (int64, bool) { return centsOf(r, "compensation_awarded_eur") },
	},
	{
		text:  "median(proceedings_days) judgment by country, court_level",
		group: func(r records.Record) []string { return []string{r.Country, strOf(r, "court_level")} },
		value: func(r records.Record) (int64, bool) { return intOf(r, "proceedings_days") },
		p:     500,
	},
	{
		text:  "quantile(sentence_months; 0.9) judgment by sub_jurisdiction",
		group: func(r records.Record) []string { return []string{r.SubJurisdiction} },
		value: func(r records.Record) (int64, bool) { return intOf(r, "sentence_months") },
		p:     900,
	},
	{
		text:  "histogram(sentence_months; 0, 12, 36, 60, 120) judgment by country",
		group: func(r records.Record) []string { return []string{r.Country} },
		value: func(r records.Record) (int64, bool) { return intOf(r, "sentence_months") },
		edges: []int64{0, 12, 36, 60, 120},
	},
	{
		text: "count judgment by verdict where not (court_level = appeal or victims >= 4) and child_victims <= 1",
		keep: func(r records.Record) bool {
			v, _ := intOf(r, "victims")
			c, _ := intOf(r, "child_victims")
			return !(strOf(r, "court_level") == "appeal" || v >= 4) && c <= 1
		},
		group: func(r records.Record) []string { return []string{strOf(r, "verdict")} },
	},
	{
		text:  "count judgment by compensation_claimed, country",
		group: func(r records.Record) []string { return []string{boolLabel(r, "compensation_claimed"), r.Country} },
	},
	{
		// Records without a sentence are unknown to "sentence_months > 60"
		// and so not selected; "!=" leaves them out too.
		text: "mean(victims) judgment by year where sentence_months > 60 or verdict != convicted",
		keep: func(r records.Record) bool {
			s, ok := intOf(r, "sentence_months")
			return ok && s > 60 || strOf(r, "verdict") != "convicted"
		},
		group: func(r records.Record) []string { return []string{year(r)} },
		value: func(r records.Record) (int64, bool) { return intOf(r, "victims") },
	},
	{
		text: "count judgment by country where country in (RS, BA) and sub_jurisdiction != brcko",
		keep: func(r records.Record) bool {
			return (r.Country == "RS" || r.Country == "BA") && r.SubJurisdiction != "" && r.SubJurisdiction != "brcko"
		},
		group: func(r records.Record) []string { return []string{r.Country} },
	},
}

// TestGroundTruth: over 600 synthetic judgments of four countries in one
// node's encrypted store, every figure released equals the figure
// computed directly from the records, every cell with fewer than k records
// is suppressed, and nothing else is.
func TestGroundTruth(t *testing.T) {
	t.Parallel()
	n := newNode(t)
	rng := mrand.New(mrand.NewPCG(7, 8))
	for _, cc := range []string{"rs", "hr", "ba", "mk"} {
		n.importAll(t, cc+".judgment", synthJudgments(t, cc, 150, rng))
	}
	recs := n.all(t, sdk.KindJudgment)
	if len(recs) != 600 {
		t.Fatalf("%d records", len(recs))
	}
	pr := newProtector(t, n.st, Policy{})
	const k = DefaultK
	for i, c := range truthCases {
		t.Run(c.text, func(t *testing.T) {
			ans, res := n.ask(t, pr, Request{Requester: fmt.Sprintf("analyst-%d", i)}, c.text)
			if ans.Refused != nil {
				t.Fatalf("refused: %+v", ans.Refused)
			}
			want := c.truth(recs)
			// The result names exactly the records behind each cell.
			for _, rc := range res.Cells {
				w := want[strings.Join(rc.Group, "|")]
				got := rc.RecordIDs()
				slices.Sort(got)
				if w == nil || int64(len(got)) != rc.N || !slices.Equal(got, slices.Sorted(slices.Values(w.ids))) {
					t.Errorf("cell %v: %d record IDs (N=%d) differ from the ground truth's", rc.Group, len(got), rc.N)
				}
			}
			if len(ans.Cells) != len(want) {
				t.Errorf("%d cells, want %d", len(ans.Cells), len(want))
			}
			released, suppressed := 0, 0
			for _, cell := range ans.Cells {
				key := strings.Join(cell.Group, "|")
				w, ok := want[key]
				if !ok {
					t.Errorf("cell %q is not in the ground truth", key)
					continue
				}
				small := func(x int64) bool { return x > 0 && x < k }
				mustSuppress := w.n < k && !(c.edges != nil && w.n == 0) || c.share && (small(w.tru) || small(w.n-w.tru))
				if cell.Suppressed != mustSuppress {
					t.Errorf("cell %q (n=%d true=%d): suppressed=%v (%s), want %v", key, w.n, w.tru, cell.Suppressed, cell.Reason, mustSuppress)
					continue
				}
				if cell.Suppressed {
					suppressed++
					if cell.Reason != SuppressedMinCell || cell.N != nil || cell.Sum != nil || cell.True != nil || cell.Quantile != nil {
						t.Errorf("suppressed cell %q carries figures or the wrong reason: %s", key, jsonString(t, cell))
					}
					continue
				}
				released++
				got := Figures{N: cell.N, Sum: cell.Sum, True: cell.True, Quantile: cell.Quantile}
				var exp Figures
				switch {
				case c.value == nil || c.edges != nil:
					exp.N = ptr(w.n)
				case c.share:
					exp.N, exp.True = ptr(w.n), ptr(w.tru)
				case c.p > 0:
					exp.N, exp.Quantile = ptr(w.n), ptr(quantileOf(w.values, c.p))
				case strings.HasPrefix(c.text, "mean"):
					exp.N, exp.Sum = ptr(w.n), ptr(w.sum)
				default:
					exp.Sum = ptr(w.sum)
				}
				if jsonString(t, got) != jsonString(t, exp) {
					t.Errorf("cell %q: got %s, want %s", key, jsonString(t, got), jsonString(t, exp))
				}
			}
			if released == 0 {
				t.Errorf("no cell released: the case checks nothing")
			}
			t.Logf("%d cells released, %d suppressed", released, suppressed)
			if ans.Coverage.Released != released || ans.Coverage.Suppressed != suppressed {
				t.Errorf("coverage %+v", ans.Coverage)
			}
			// No record ID is in the answer.
			enc := jsonString(t, ans)
			for _, r := range recs {
				if strings.Contains(enc, r.ID) {
					t.Fatalf("the answer holds record ID %s", r.ID)
				}
			}
		})
	}
}
