package query

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// plan is a checked query, resolved against the indicator catalogue: what
// Evaluate runs.
type plan struct {
	q      *Query
	agg    field   // the aggregated indicator; zero for count
	edges  []int64 // histogram edges, in the indicator's units
	groups []field
	where  pred // nil selects every record
}

// Check checks q against the common indicators of its kind and opts: the
// kind, the aggregate and its indicator's type, every group and
// condition, and the limits. Parse and ParseJSON run it; a query built in
// Go should be checked before it is sent.
func (q *Query) Check(opts Options) error {
	_, err := q.plan(opts)
	return err
}

func (q *Query) plan(opts Options) (*plan, error) {
	lim := opts.Limits.withDefaults()
	if !slices.Contains(sdk.Kinds, q.Kind) {
		return nil, errorAt(q.kindPos, "unknown record kind %q: allowed are %s", clip(string(q.Kind), 40), kindList())
	}
	p := &plan{q: q}
	if err := p.aggregate(opts, lim); err != nil {
		return nil, err
	}
	if len(q.By) > lim.MaxGroups {
		return nil, errorAt(q.By[lim.MaxGroups].Pos, "a query has at most %d groups after by", lim.MaxGroups)
	}
	for i, g := range q.By {
		f, err := resolve(q.Kind, g.Name, g.Pos, opts)
		if err != nil {
			return nil, err
		}
		if f.kind == fIndicator && f.ind.Type != sdk.IndicatorEnum && f.ind.Type != sdk.IndicatorBool {
			hint := ""
			if f.numeric() {
				hint = fmt.Sprintf("; for ranges of %s use histogram(%s; edges)", f.name, f.name)
			}
			return nil, errorAt(g.Pos, "cannot group by %s (%s): group by country, year, sub_jurisdiction or an enum or bool indicator of %s (%s)%s",
				f.name, f.describe(), q.Kind, strings.Join(indicatorNames(q.Kind, []sdk.IndicatorType{sdk.IndicatorEnum, sdk.IndicatorBool}), ", "), hint)
		}
		for _, prev := range q.By[:i] {
			if prev.Name == g.Name {
				return nil, errorAt(g.Pos, "%s is already a group", g.Name)
			}
		}
		p.groups = append(p.groups, f)
	}
	if q.Where != nil {
		n := 0
		w, err := compileExpr(q.Kind, q.Where, opts, lim, 0, &n)
		if err != nil {
			return nil, err
		}
		p.where = w
	}
	if b := q.Between; b != nil {
		for _, d := range []Value{{Kind: Date, Text: b.From, Pos: b.Pos}, {Kind: Date, Text: b.To, Pos: b.Pos}} {
			if _, err := dateDays(d); err != nil {
				return nil, err
			}
		}
		if b.From > b.To {
			return nil, errorAt(b.Pos, "between %s and %s: the first date must not be after the second", b.From, b.To)
		}
	}
	return p, nil
}

func (p *plan) aggregate(opts Options, lim Limits) error {
	q, a := p.q, &p.q.Agg
	if !slices.Contains(funcs, a.Func) {
		return errorAt(a.Pos, "unknown aggregate %q: allowed are count, sum, mean, share, median, quantile, histogram", clip(string(a.Func), 40))
	}
	if a.Func == Count {
		if a.Indicator != "" || a.Permille != 0 || len(a.Edges) > 0 {
			return errorAt(a.Pos, "count takes no indicator, p or edges: it counts records")
		}
		return nil
	}
	if a.Indicator == "" {
		return errorAt(a.Pos, "%s needs an indicator, as in %s(sentence_months)", a.Func, a.Func)
	}
	f, err := resolve(q.Kind, a.Indicator, a.IndicatorPos, opts)
	if err != nil {
		return err
	}
	want, what := numericTypes, "a numeric indicator"
	if a.Func == Share {
		want, what = []sdk.IndicatorType{sdk.IndicatorBool}, "a bool indicator"
	}
	if f.kind != fIndicator || !slices.Contains(want, f.ind.Type) {
		return errorAt(a.IndicatorPos, "%s needs %s of %s (%s); %s takes %s",
			a.Func, what, q.Kind, strings.Join(indicatorNames(q.Kind, want), ", "), a.Indicator, f.describe())
	}
	p.agg = f
	switch a.Func {
	case Median:
		if a.Permille != 500 && a.Permille != 0 {
			return errorAt(a.Pos, "median is the 0.5 quantile; for another p write quantile(%s; p)", a.Indicator)
		}
		a.Permille = 500
	case Quantile:
		if a.Permille < 1 || a.Permille > 999 {
			return errorAt(a.Pos, "p of quantile must be strictly between 0 and 1 with at most three decimals")
		}
	default:
		if a.Permille != 0 {
			return errorAt(a.Pos, "%s takes no p", a.Func)
		}
	}
	if a.Func != Histogram {
		if len(a.Edges) > 0 {
			return errorAt(a.Pos, "%s takes no edges", a.Func)
		}
		return nil
	}
	if len(a.Edges) == 0 || len(a.Edges) > lim.MaxEdges {
		return errorAt(a.Pos, "histogram needs 1 to %d edges, got %d", lim.MaxEdges, len(a.Edges))
	}
	for i, e := range a.Edges {
		u, err := units(f, e)
		if err != nil {
			return err
		}
		if i > 0 && u <= p.edges[i-1] {
			return errorAt(e.Pos, "histogram edges must increase: %s does not come after %s", e.Text, a.Edges[i-1].Text)
		}
		p.edges = append(p.edges, u)
	}
	return nil
}

// tri is a truth value of Kleene's three-valued logic: a comparison with
// an indicator a record does not answer is unknown, as in SQL, and a
// where selects only the records for which it is true.
type tri uint8

const (
	triFalse tri = iota
	triUnknown
	triTrue
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// row is one record as a predicate sees it.
type row struct {
	v *records.IndicatorView
}

type pred func(r *row) tri

func compileExpr(k sdk.Kind, e Expr, opts Options, lim Limits, depth int, n *int) (pred, error) {
	switch e := e.(type) {
	case *And, *Or, *Not:
		if depth >= lim.MaxNesting {
			return nil, errorAt(e.pos(), "the where nests more than %d levels deep (and, or, not)", lim.MaxNesting)
		}
	}
	switch e := e.(type) {
	case *And:
		ps, err := compileTerms(k, e.Terms, opts, lim, depth, n, e.Pos, "and")
		if err != nil {
			return nil, err
		}
		return func(r *row) tri {
			out := triTrue
			for _, p := range ps {
				if t := p(r); t < out {
					if out = t; out == triFalse {
						return triFalse
					}
				}
			}
			return out
		}, nil
	case *Or:
		ps, err := compileTerms(k, e.Terms, opts, lim, depth, n, e.Pos, "or")
		if err != nil {
			return nil, err
		}
		return func(r *row) tri {
			out := triFalse
			for _, p := range ps {
				if t := p(r); t > out {
					if out = t; out == triTrue {
						return triTrue
					}
				}
			}
			return out
		}, nil
	case *Not:
		if e.X == nil {
			return nil, errorAt(e.Pos, "not needs a condition")
		}
		x, err := compileExpr(k, e.X, opts, lim, depth+1, n)
		if err != nil {
			return nil, err
		}
		return func(r *row) tri { return triTrue - x(r) }, nil
	case *Compare:
		*n++
		if *n > lim.MaxComparisons {
			return nil, errorAt(e.Pos, "a where holds at most %d comparisons", lim.MaxComparisons)
		}
		return compileCompare(k, e, opts, lim)
	case nil:
		return nil, &Error{Offset: -1, Msg: "empty condition"}
	}
	return nil, &Error{Offset: -1, Msg: fmt.Sprintf("unknown condition type %T", e)}
}

func compileTerms(k sdk.Kind, terms []Expr, opts Options, lim Limits, depth int, n *int, pos Pos, op string) ([]pred, error) {
	if len(terms) < 2 {
		return nil, errorAt(pos, "%s needs at least two conditions", op)
	}
	ps := make([]pred, len(terms))
	for i, t := range terms {
		p, err := compileExpr(k, t, opts, lim, depth+1, n)
		if err != nil {
			return nil, err
		}
		ps[i] = p
	}
	return ps, nil
}
