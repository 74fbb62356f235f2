package query

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Source is what Evaluate reads: the indicator space of a node's records.
// A *records.Book is one.
type Source interface {
	ScanIndicators(ctx context.Context, r records.IndicatorRange, fn func(v *records.IndicatorView) error) error
}

// EvalOptions tune Evaluate.
type EvalOptions struct {
	// Clamp lowers, per indicator name, the bound each value is clamped
	// to in CellResult.ClampedSum, which noised sums and means use (in the
	// indicator's own unit: months, EUR). The bound is at most the
	// indicator's Max, which is the default. Policy.Noise.Clamp holds it.
	Clamp map[string]float64
}

// Result is the raw outcome of a query over one node's records, before
// any disclosure control. It never leaves the node: Protect turns it into
// the Answer that does.
type Result struct {
	Query *Query
	// InRange counts the records of the kind whose event date is in the
	// between range (all of the kind without between): the whole that the
	// subset rule compares the where with.
	InRange int
	// Selected counts the records of InRange that the where selects.
	Selected int
	// Unanswered counts the selected records that do not answer the
	// aggregated indicator, and are in no cell.
	Unanswered int
	// Clamp is the bound, in the indicator's units, of each value in
	// ClampedSum; 0 when the aggregate has no sum.
	Clamp int64
	// Cells are the non-empty cells (a histogram's every bin of each
	// non-empty group), in group order.
	Cells []CellResult
}

// CellResult is one cell's raw aggregate state.
type CellResult struct {
	// Group holds the cell's value of each group of the query, in order
	// ("" where a record does not answer a grouped indicator), then, for a
	// histogram, the bin: "[0,12)", or "(-inf,0)" and "[120,inf)" at the ends.
	Group []string
	// N counts the records behind the cell's figures: those the where
	// selects, in this group, answering the aggregated indicator.
	// RecordIDs lists them.
	N int64
	// Sum is the sum of the indicator's values (sum, mean), in its units
	// (cents for amounts in EUR); ClampedSum the sum of the values each
	// clamped to Result.Clamp.
	Sum, ClampedSum int64
	// True counts the records whose bool indicator is true (share).
	True int64
	// Values are the indicator's values, sorted (median, quantile).
	Values []int64

	// ids holds the IDs of the N records, each after its length byte, in
	// chunks of idChunk bytes: no string per record, and no copying as the
	// cell grows.
	ids [][]byte
}

// idChunk is the size of a chunk of CellResult.ids.
const idChunk = 32 << 10

// addID appends a record ID (at most 255 bytes) to the cell's IDs.
func (c *CellResult) addID(id []byte) {
	last := len(c.ids) - 1
	if last < 0 || len(c.ids[last])+1+len(id) > cap(c.ids[last]) {
		c.ids = append(c.ids, make([]byte, 0, idChunk))
		last++
	}
	c.ids[last] = append(append(c.ids[last], byte(len(id))), id...)
}

// RecordIDs returns the IDs of the records behind the cell.
func (c *CellResult) RecordIDs() []string {
	out := make([]string, 0, c.N)
	c.eachID(func(id []byte) { out = append(out, string(id)) })
	return out
}

// eachID calls fn with each record ID of the cell, in place.
func (c *CellResult) eachID(fn func(id []byte)) {
	for _, chunk := range c.ids {
		for b := chunk; len(b) > 0; {
			n := int(b[0])
			fn(b[1 : 1+n])
			b = b[1+n:]
		}
	}
}

// Evaluate runs q over src's indicator space and returns every cell's raw
// state with the records behind it. It reads no record field and calls no
// plugin. q must have passed Check (Parse and ParseJSON check).
func Evaluate(ctx context.Context, q *Query, src Source, opts EvalOptions) (*Result, error) {
	p, err := q.plan(Options{Limits: Limits{MaxBytes: math.MaxInt32, MaxJSONBytes: math.MaxInt32, MaxGroups: math.MaxInt32,
		MaxNesting: math.MaxInt32, MaxComparisons: math.MaxInt32, MaxInList: math.MaxInt32, MaxEdges: math.MaxInt32}})
	if err != nil {
		return nil, err
	}
	e := newEvaluation(p, opts)
	rng := records.IndicatorRange{Kind: q.Kind}
	if q.Between != nil {
		rng.Since, rng.Until = q.Between.From, q.Between.To
	}
	err = src.ScanIndicators(ctx, rng, e.add)
	if err != nil {
		return nil, fmt.Errorf("evaluate %s: %w", q, err)
	}
	return e.result(), nil
}

// evaluation is one run of a plan.
type evaluation struct {
	p      *plan
	res    *Result
	value  func(r *row) (int64, bool) // the aggregated indicator's value; nil for count
	groups []*grouper
	cells  map[string]*cellAcc
	key    []byte
	row    row // the record being added, reused
	// last is the cell of the record before, under lastKey.
	last    *cellAcc
	lastKey []byte
	clamp   int64
	hist    bool
}

// cellAcc accumulates one group's records (one per bin for a histogram).
type cellAcc struct {
	codes []int
	bins  []CellResult // one entry, or a histogram's bins
}

func newEvaluation(p *plan, opts EvalOptions) *evaluation {
	e := &evaluation{p: p, res: &Result{Query: p.q}, cells: map[string]*cellAcc{}, hist: p.q.Agg.Func == Histogram}
	for _, g := range p.groups {
		e.groups = append(e.groups, newGrouper(g))
	}
	switch f := p.agg; {
	case p.q.Agg.Func == Count:
	case p.q.Agg.Func == Share:
		ord := f.ord
		e.value = func(r *row) (int64, bool) {
			b, ok := r.v.Bool(ord)
			if b {
				return 1, ok
			}
			return 0, ok
		}
	default:
		e.value = valueOf(f)
		e.clamp = maxUnits(f.ind)
		if c, ok := opts.Clamp[f.name]; ok && c >= 0 {
			u := int64(c)
			if f.ind.Type == sdk.IndicatorEUR {
				u = int64(math.Round(c * 100))
			}
			e.clamp = min(e.clamp, u)
		}
		if p.q.Agg.Func == Sum || p.q.Agg.Func == Mean {
			e.res.Clamp = e.clamp
		}
	}
	return e
}

// add takes one record of the scan.
func (e *evaluation) add(v *records.IndicatorView) error {
	e.res.InRange++
	e.row.v = v // reused: a row per record would escape to the heap
	r := &e.row
	if e.p.where != nil && e.p.where(r) != triTrue {
		return nil
	}
	e.res.Selected++
	var val int64
	if e.value != nil {
		var ok bool
		if val, ok = e.value(r); !ok {
			e.res.Unanswered++
			return nil
		}
	}
	e.key = e.key[:0]
	for _, g := range e.groups {
		e.key = binary.AppendUvarint(e.key, uint64(g.code(r)))
	}
	// Records of one cell often come one after another (always without
	// groups): skip the map then.
	acc, ok := e.last, e.last != nil && string(e.key) == string(e.lastKey)
	if !ok {
		acc, ok = e.cells[string(e.key)]
		e.last, e.lastKey = acc, append(e.lastKey[:0], e.key...)
	}
	if !ok {
		acc = &cellAcc{bins: make([]CellResult, 1)}
		for _, g := range e.groups {
			acc.codes = append(acc.codes, g.last)
		}
		if e.hist {
			acc.bins = make([]CellResult, len(e.p.edges)+1)
		}
		e.cells[string(e.key)] = acc
		e.last = acc
	}
	c := &acc.bins[0]
	if e.hist {
		// Bin i holds values v with edges[i-1] <= v < edges[i].
		c = &acc.bins[sort.Search(len(e.p.edges), func(i int) bool { return e.p.edges[i] > val })]
	}
	id := v.IDBytes()
	if len(id) > 255 {
		return fmt.Errorf("record ID of %d bytes", len(id))
	}
	c.addID(id)
	c.N++
	switch e.p.q.Agg.Func {
	case Sum, Mean:
		c.Sum += val
		c.ClampedSum += min(val, e.clamp)
	case Share:
		c.True += val
	case Median, Quantile:
		c.Values = append(c.Values, val)
	}
	return nil
}

// result orders the cells and labels them.
func (e *evaluation) result() *Result {
	for _, g := range e.groups {
		g.rank()
	}
	accs := make([]*cellAcc, 0, len(e.cells))
	for _, a := range e.cells {
		accs = append(accs, a)
	}
	slices.SortFunc(accs, func(a, b *cellAcc) int {
		for i, g := range e.groups {
			if c := g.order(a.codes[i]) - g.order(b.codes[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	for _, a := range accs {
		labels := make([]string, len(e.groups))
		for i, g := range e.groups {
			labels[i] = g.label(a.codes[i])
		}
		for b, c := range a.bins {
			c.Group = labels
			if e.hist {
				c.Group = append(slices.Clone(labels), e.binLabel(b))
			}
			slices.Sort(c.Values)
			e.res.Cells = append(e.res.Cells, c)
		}
	}
	return e.res
}

// binLabel names histogram bin b: "(-inf,0)", "[0,12)", "[120,inf)".
func (e *evaluation) binLabel(b int) string {
	t := e.p.agg.ind.Type
	lo, hi := "(-inf", "inf)"
	if b > 0 {
		lo = "[" + formatUnits(t, e.p.edges[b-1])
	}
	if b < len(e.p.edges) {
		hi = formatUnits(t, e.p.edges[b]) + ")"
	}
	return lo + "," + hi
}

// grouper computes one group's value of a record as a small code.
type grouper struct {
	f     field
	code0 func(r *row) int
	last  int
	// For country and sub_jurisdiction, the values seen, interned.
	interned map[string]int
	names    []string
	ranks    []int
}

func newGrouper(f field) *grouper {
	g := &grouper{f: f}
	switch {
	case f.kind == fCountry || f.kind == fSub:
		g.interned = map[string]int{}
		sub := f.kind == fSub
		g.code0 = func(r *row) int {
			b := r.v.CountryBytes()
			if sub {
				b = r.v.SubJurisdictionBytes()
			}
			if c, ok := g.interned[string(b)]; ok {
				return c
			}
			c := len(g.names)
			g.interned[string(b)] = c
			g.names = append(g.names, string(b))
			return c
		}
	case f.kind == fYear:
		g.code0 = func(r *row) int { return int(yearOf(r.v.EventDateBytes())) }
	case f.ind.Type == sdk.IndicatorEnum:
		ord := f.ord
		g.code0 = func(r *row) int {
			if i, ok := r.v.Enum(ord); ok {
				return i + 1
			}
			return 0
		}
	default: // bool
		ord := f.ord
		g.code0 = func(r *row) int {
			b, ok := r.v.Bool(ord)
			switch {
			case !ok:
				return 0
			case b:
				return 2
			}
			return 1
		}
	}
	return g
}

func (g *grouper) code(r *row) int { g.last = g.code0(r); return g.last }

// rank orders interned values alphabetically.
func (g *grouper) rank() {
	if g.interned == nil {
		return
	}
	order := make([]int, len(g.names))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if g.names[a] < g.names[b] {
			return -1
		}
		if g.names[a] > g.names[b] {
			return 1
		}
		return 0
	})
	g.ranks = make([]int, len(order))
	for r, c := range order {
		g.ranks[c] = r
	}
}

func (g *grouper) order(code int) int {
	if g.ranks != nil {
		return g.ranks[code]
	}
	return code
}

// label is a group value as answers write it; "" for a record that does
// not answer a grouped indicator.
func (g *grouper) label(code int) string {
	switch {
	case g.interned != nil:
		return g.names[code]
	case g.f.kind == fYear:
		return strconv.Itoa(code)
	case g.f.ind.Type == sdk.IndicatorEnum:
		if code == 0 {
			return ""
		}
		return g.f.ind.Options[code-1].Value
	}
	return [...]string{"", "false", "true"}[code]
}
