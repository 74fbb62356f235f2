package query

import (
	"strings"
)

// String returns the query's canonical text: keywords in lower case, one
// space between tokens, ", " between list items, "; " after an
// aggregate's indicator, numbers in their shortest form (12.5, not
// 12.50), "and" and "or" chains flat, parentheses only around an "or"
// inside an "and" and around what "not" applies to. Parsing the canonical
// text gives the same query, whose canonical text is the same again; this
// exact text is what a requester signs (docs/query.md).
func (q *Query) String() string {
	var b strings.Builder
	b.WriteString(string(q.Agg.Func))
	switch q.Agg.Func {
	case Count:
	case Quantile:
		b.WriteString("(" + q.Agg.Indicator + "; " + formatPermille(q.Agg.Permille) + ")")
	case Histogram:
		b.WriteString("(" + q.Agg.Indicator + "; ")
		for i, e := range q.Agg.Edges {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(e.Text)
		}
		b.WriteString(")")
	default:
		b.WriteString("(" + q.Agg.Indicator + ")")
	}
	b.WriteString(" " + string(q.Kind))
	for i, g := range q.By {
		if i == 0 {
			b.WriteString(" by ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(g.Name)
	}
	if q.Where != nil {
		b.WriteString(" where ")
		writeExpr(&b, q.Where, false)
	}
	if q.Between != nil {
		b.WriteString(" between " + q.Between.From + " and " + q.Between.To)
	}
	return b.String()
}

// writeExpr writes e; inAnd says e is a term of an and (so an or needs
// parentheses).
func writeExpr(b *strings.Builder, e Expr, inAnd bool) {
	switch e := e.(type) {
	case *And:
		for i, t := range e.Terms {
			if i > 0 {
				b.WriteString(" and ")
			}
			writeExpr(b, t, true)
		}
	case *Or:
		if inAnd {
			b.WriteString("(")
		}
		for i, t := range e.Terms {
			if i > 0 {
				b.WriteString(" or ")
			}
			writeExpr(b, t, false)
		}
		if inAnd {
			b.WriteString(")")
		}
	case *Not:
		b.WriteString("not (")
		writeExpr(b, e.X, false)
		b.WriteString(")")
	case *Compare:
		b.WriteString(e.Field + " " + string(e.Op) + " ")
		if e.Op == In || e.Op == NotIn {
			b.WriteString("(")
			for i, v := range e.Values {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(v.Text)
			}
			b.WriteString(")")
			return
		}
		if len(e.Values) > 0 {
			b.WriteString(e.Values[0].Text)
		}
	}
}
