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

var combineCases = []truthCase{
	{
		text:  "count judgment by verdict",
		group: func(r records.Record) []string { return []string{strOf(r, "verdict")} },
	},
	{
		text:  "sum(compensation_awarded_eur) judgment by court_level",
		group: func(r records.Record) []string { return []string{strOf(r, "court_level")} },
		value: func(r records.Record) (int64, bool) { return centsOf(r, "compensation_awarded_eur") },
	},
	{
		text:  "mean(sentence_months) judgment by court_level",
		group: func(r records.Record) []string { return []string{strOf(r, "court_level")} },
		value: func(r records.Record) (int64, bool) { return intOf(r, "sentence_months") },
	},
	{
		text:  "share(compensation_claimed) judgment by verdict",
		group: func(r records.Record) []string { return []string{strOf(r, "verdict")} },
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
		text:  "median(sentence_months) judgment by court_level",
		group: func(r records.Record) []string { return []string{strOf(r, "court_level")} },
		value: func(r records.Record) (int64, bool) { return intOf(r, "sentence_months") },
		p:     500,
	},
	{
		text:  "quantile(proceedings_days; 0.25) judgment",
		group: func(r records.Record) []string { return []string{} },
		value: func(r records.Record) (int64, bool) { return intOf(r, "proceedings_days") },
		p:     250,
	},
	{
		text:  "histogram(sentence_months; 0, 24, 60) judgment",
		group: func(r records.Record) []string { return []string{} },
		value: func(r records.Record) (int64, bool) { return intOf(r, "sentence_months") },
		edges: []int64{0, 24, 60},
	},
}

// TestCombineGroundTruth: four nodes (RS, HR, BA, MK) answer; every
// combined figure equals the figure computed directly from the records of
// the nodes that released the cell; a cell suppressed somewhere is marked
// partial with the node named, never counted as zero; a quantile from
// several nodes is an estimate whose interval holds the pooled quantile.
// Missing, refused and mismatched answers are reported per node.
func TestCombineGroundTruth(t *testing.T) {
	t.Parallel()
	countries := []string{"rs", "hr", "ba", "mk"}
	nodes := make([]*testNode, len(countries))
	recs := make([][]records.Record, len(countries))
	rng := mrand.New(mrand.NewPCG(11, 12))
	for i, cc := range countries {
		nodes[i] = newNode(t)
		nodes[i].importAll(t, cc+".judgment", synthJudgments(t, cc, 40+20*i, rng))
		recs[i] = nodes[i].all(t, sdk.KindJudgment)
	}
	partials, estimates := 0, 0
	for qi, c := range combineCases {
		t.Run(c.text, func(t *testing.T) {
			q := mustParse(t, c.text)
			var parts []Part
			truths := make([]map[string]*truthCell, len(nodes))
			for i, n := range nodes {
				pr := newProtector(t, n.st, Policy{})
				ans, _ := n.ask(t, pr, Request{Requester: fmt.Sprint("analyst-", qi)}, c.text)
				parts = append(parts, Part{Node: strings.ToUpper(countries[i]), Answer: ans})
				truths[i] = c.truth(recs[i])
			}
			comb := Combine(q, parts)
			if len(comb.Nodes) != 4 {
				t.Fatalf("nodes: %+v", comb.Nodes)
			}
			anySuppressed := false
			for _, cell := range comb.Cells {
				key := strings.Join(cell.Group, "|")
				var pooled truthCell
				var weighted, weight float64 // count-weighted node quantiles
				suppressedAt := map[string]bool{}
				for _, s := range cell.Suppressed {
					suppressedAt[s.Node] = true
				}
				for i, tr := range truths {
					w, ok := tr[key]
					if !ok || suppressedAt[strings.ToUpper(countries[i])] {
						continue
					}
					pooled.n += w.n
					pooled.sum += w.sum
					pooled.tru += w.tru
					pooled.values = append(pooled.values, w.values...)
					if c.p > 0 && w.n > 0 {
						weighted += float64(quantileOf(w.values, c.p) * w.n)
						weight += float64(w.n)
					}
				}
				if cell.Partial != (len(cell.Suppressed) > 0) {
					t.Errorf("cell %q: partial=%v with %d suppressions", key, cell.Partial, len(cell.Suppressed))
				}
				if cell.Partial {
					anySuppressed = true
					partials++
				}
				if len(cell.Nodes) == 0 {
					if cell.Value != nil {
						t.Errorf("cell %q suppressed everywhere has a value", key)
					}
					continue
				}
				var want float64
				switch {
				case c.value == nil || c.edges != nil:
					want = float64(pooled.n)
				case c.share:
					want = float64(pooled.tru) / float64(pooled.n)
				case c.p > 0:
					want = float64(quantileOf(pooled.values, c.p))
				case strings.HasPrefix(c.text, "mean"):
					want = float64(pooled.sum) / float64(pooled.n)
				default:
					want = float64(pooled.sum) / 100 // EUR
				}
				if c.p > 0 && len(cell.Nodes) > 1 {
					estimates++
					if cell.Exact || cell.Interval == nil || want < cell.Interval.Low || want > cell.Interval.High {
						t.Errorf("cell %q: pooled quantile %v outside %+v (exact=%v)", key, want, cell.Interval, cell.Exact)
					}
					if est := weighted / weight; math.Abs(*cell.Value-est) > 1e-9*est {
						t.Errorf("cell %q: estimate %v, want the count-weighted mean %v", key, *cell.Value, est)
					}
					continue
				}
				if cell.Value == nil || math.Abs(*cell.Value-want) > 1e-9*math.Max(1, math.Abs(want)) || !cell.Exact {
					t.Errorf("cell %q: combined %v (exact=%v), want %v", key, deref(cell.Value), cell.Exact, want)
				}
				if cell.N != nil && *cell.N != pooled.n {
					t.Errorf("cell %q: n %d, want %d", key, *cell.N, pooled.n)
				}
			}
			if comb.Complete == anySuppressed {
				t.Errorf("complete=%v with suppressed cells=%v", comb.Complete, anySuppressed)
			}
			if !slices.IsSortedFunc(comb.Cells, func(a, b CombinedCell) int { return compareGroups(a.Group, b.Group) }) {
				t.Errorf("cells not in group order")
			}
		})
	}
	t.Logf("%d partial cells, %d quantile estimates checked", partials, estimates)
	if partials == 0 || estimates == 0 {
		t.Error("no partial cell or no multi-node quantile: the fixture checks too little")
	}

	// Coverage: a node that did not answer, one that refused, one that
	// answered another query.
	q := mustParse(t, "count judgment by verdict")
	pr := newProtector(t, nodes[0].st, Policy{})
	good, _ := nodes[0].ask(t, pr, Request{Requester: "cov"}, q.String())
	other, _ := nodes[1].ask(t, newProtector(t, nodes[1].st, Policy{}), Request{Requester: "cov"}, "count judgment by court_level")
	comb := Combine(q, []Part{
		{Node: "RS", Answer: good},
		{Node: "HR", Answer: other},
		{Node: "BA", Answer: Refuse(q, 5, "policy", "this node answers no queries about judgment")},
		{Node: "MK", Missing: "no answer by the deadline"},
	})
	want := []string{"RS answered ", "HR mismatch ", "BA refused policy", "MK missing no answer by the deadline"}
	for i, st := range comb.Nodes {
		if got := st.Node + " " + st.Status + " " + st.Reason; !strings.HasPrefix(got, want[i]) {
			t.Errorf("node %d: %q, want %q", i, got, want[i])
		}
	}
	if comb.Complete {
		t.Error("complete with three nodes missing")
	}
	for _, cell := range comb.Cells {
		if len(cell.Nodes) > 1 || len(cell.Nodes) == 1 && cell.Nodes[0] != "RS" {
			t.Errorf("cell %v holds figures of %v", cell.Group, cell.Nodes)
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// A cell suppressed at one node makes the combined cell partial, with the
// other node's figure alone and no zero taken for the suppressed one;
// noise standard deviations add.
func TestCombinePartialAndNoise(t *testing.T) {
	t.Parallel()
	q := mustParse(t, "mean(sentence_months) judgment by court_level")
	a := &Answer{Format: 1, Query: q.String(), Cells: []Cell{
		{Group: []string{"appeal"}, Figures: Figures{N: ptr(10), Sum: ptr(300), Noise: &FigureNoise{N: 2, Sum: 1200}}},
		{Group: []string{"supreme"}, Suppressed: true, Reason: SuppressedMinCell},
	}, Noise: &NoiseSpent{Epsilon: 1}}
	b := &Answer{Format: 1, Query: q.String(), Cells: []Cell{
		{Group: []string{"appeal"}, Figures: Figures{N: ptr(30), Sum: ptr(1500)}},
		{Group: []string{"supreme"}, Figures: Figures{N: ptr(6), Sum: ptr(600)}},
	}}
	c := Combine(q, []Part{{Node: "A", Answer: a}, {Node: "B", Answer: b}})
	if len(c.Cells) != 2 || c.Complete {
		t.Fatalf("%s", jsonString(t, c))
	}
	appeal, supreme := c.Cells[0], c.Cells[1]
	if *appeal.Value != 1800.0/40 || *appeal.N != 40 || appeal.Partial || appeal.NoiseSD == nil || *appeal.NoiseSD <= 0 {
		t.Errorf("appeal: %s", jsonString(t, appeal))
	}
	if *supreme.Value != 100 || !supreme.Partial || len(supreme.Suppressed) != 1 || supreme.Suppressed[0].Node != "A" || *supreme.N != 6 {
		t.Errorf("supreme: %s", jsonString(t, supreme))
	}
	if c.Nodes[0].Epsilon != 1 || c.Nodes[0].Suppressed != 1 || c.Nodes[1].Released != 2 {
		t.Errorf("nodes: %+v", c.Nodes)
	}
}
