package query

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Options say how a query is checked.
type Options struct {
	// Limits cap the query's size; zero fields take DefaultLimits.
	Limits Limits
	// Private names the form fields that are personal or free text, with
	// what they are ("free-text field of rs.judgment"): a query naming one
	// is refused with a message that says so. PrivateFields builds it from
	// the forms a node serves.
	Private map[string]string
}

// keywords are reserved: they cannot name an indicator or be a value.
var keywords = []string{"count", "sum", "mean", "share", "median", "quantile", "histogram",
	"by", "where", "between", "and", "or", "not", "in", "true", "false"}

// Parse parses a query's text strictly and checks it against the common
// indicators and opts; the query is refused, with an *Error naming the
// byte offset, the problem and what is allowed, if anything is wrong.
// docs/query.md has the grammar:
//
//	count judgment by country, year where verdict = convicted
//	mean(sentence_months) judgment by country where offence in (thb, thb_child)
//	share(compensation_claimed) judgment between 2015-01-01 and 2016-12-31
func Parse(text string, opts Options) (*Query, error) {
	lim := opts.Limits.withDefaults()
	if len(text) > lim.MaxBytes {
		return nil, &Error{Offset: lim.MaxBytes, Msg: fmt.Sprintf("the query is %d bytes long; at most %d are allowed", len(text), lim.MaxBytes)}
	}
	if strings.TrimSpace(text) == "" {
		return nil, &Error{Offset: 0, Msg: "the query is empty: start with an aggregate (count, sum, mean, share, median, quantile, histogram), as in: count judgment by country"}
	}
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, lim: lim}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	if err := q.Check(opts); err != nil {
		return nil, err
	}
	return q, nil
}

// parser is a recursive-descent parser over the tokens of one query.
type parser struct {
	toks        []token
	i           int
	lim         Limits
	depth       int
	comparisons int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i = min(p.i+1, len(p.toks)-1); return t }

func at(t token) Pos { return Pos{Offset: t.off} }

// word reports whether t is the keyword kw. A keyword in another case is
// an error, so that "COUNT" does not pass as a name.
func (p *parser) isKeyword(t token, kw string) (bool, error) {
	if t.kind != tokWord {
		return false, nil
	}
	if t.text == kw {
		return true, nil
	}
	if strings.EqualFold(t.text, kw) {
		return false, &Error{Offset: t.off, Msg: fmt.Sprintf("keywords are written in lower case: %s, not %s", kw, t.text)}
	}
	return false, nil
}

func (p *parser) accept(kw string) (bool, error) {
	ok, err := p.isKeyword(p.peek(), kw)
	if ok {
		p.next()
	}
	return ok, err
}

func (p *parser) expectPunct(s, what string) error {
	t := p.next()
	if t.kind != tokPunct || t.text != s {
		return &Error{Offset: t.off, Msg: fmt.Sprintf("expected %q %s, got %s", s, what, t)}
	}
	return nil
}

// name reads an indicator or group name.
func (p *parser) name(what string) (string, Pos, error) {
	t := p.next()
	if t.kind != tokWord {
		return "", at(t), &Error{Offset: t.off, Msg: fmt.Sprintf("expected %s, got %s", what, t)}
	}
	for _, kw := range keywords {
		if strings.EqualFold(t.text, kw) {
			return "", at(t), &Error{Offset: t.off, Msg: fmt.Sprintf("expected %s, got the keyword %s", what, t.text)}
		}
	}
	return t.text, at(t), nil
}

func (p *parser) query() (*Query, error) {
	q := &Query{}
	if err := p.aggregate(&q.Agg); err != nil {
		return nil, err
	}
	kind, pos, err := p.name("a record kind after the aggregate (" + kindList() + ")")
	if err != nil {
		return nil, err
	}
	q.Kind, q.kindPos = sdk.Kind(kind), pos
	if ok, err := p.accept("by"); err != nil {
		return nil, err
	} else if ok {
		for {
			n, pos, err := p.name("a group (country, year, sub_jurisdiction or an enum or bool indicator)")
			if err != nil {
				return nil, err
			}
			q.By = append(q.By, Group{Name: n, Pos: pos})
			if t := p.peek(); t.kind != tokPunct || t.text != "," {
				break
			}
			p.next()
		}
	}
	if ok, err := p.accept("where"); err != nil {
		return nil, err
	} else if ok {
		if q.Where, err = p.or(); err != nil {
			return nil, err
		}
	}
	if err := p.between(q); err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, &Error{Offset: t.off, Msg: fmt.Sprintf("unexpected %s: after the kind come, in this order and each at most once, by GROUPS, where CONDITION, between DATE and DATE", t)}
	}
	return q, nil
}

// between parses an optional: "between" date "and" date.
func (p *parser) between(q *Query) error {
	t := p.peek()
	ok, err := p.accept("between")
	if err != nil || !ok {
		return err
	}
	from, err := p.date()
	if err != nil {
		return err
	}
	if ok, err := p.accept("and"); err != nil {
		return err
	} else if !ok {
		return &Error{Offset: p.peek().off, Msg: fmt.Sprintf("expected and between the two dates of between (between 2015-01-01 and 2016-12-31), got %s", p.peek())}
	}
	to, err := p.date()
	if err != nil {
		return err
	}
	q.Between = &DateRange{From: from.Text, To: to.Text, Pos: at(t)}
	return nil
}

func kindList() string {
	s := make([]string, len(sdk.Kinds))
	for i, k := range sdk.Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func (p *parser) aggregate(a *Aggregate) error {
	t := p.next()
	a.Pos = at(t)
	if t.kind == tokWord {
		for _, f := range funcs {
			if strings.EqualFold(t.text, string(f)) && t.text != string(f) {
				return &Error{Offset: t.off, Msg: fmt.Sprintf("keywords are written in lower case: %s, not %s", f, t.text)}
			}
		}
	}
	if t.kind != tokWord || !slices.Contains(funcs, Func(t.text)) {
		msg := fmt.Sprintf("a query starts with an aggregate: count, sum(x), mean(x), share(x), median(x), quantile(x; p) or histogram(x; edges); got %s", t)
		if t.kind == tokWord && (t.text == "min" || t.text == "max") {
			msg = "min and max are not offered: each reveals a single record; use median, quantile(x; p) or histogram(x; edges)"
		}
		return &Error{Offset: t.off, Msg: msg}
	}
	a.Func = Func(t.text)
	if a.Func == Count {
		if u := p.peek(); u.kind == tokPunct && u.text == "(" {
			return &Error{Offset: u.off, Msg: "count takes no indicator: it counts records (count judgment); to count records answering an indicator, add a where"}
		}
		return nil
	}
	if err := p.expectPunct("(", fmt.Sprintf("after %s (as in %s(sentence_months))", a.Func, a.Func)); err != nil {
		return err
	}
	var err error
	if a.Indicator, a.IndicatorPos, err = p.name("the indicator to aggregate"); err != nil {
		return err
	}
	switch a.Func {
	case Median:
		a.Permille = 500
	case Quantile:
		if err := p.expectPunct(";", "after the indicator of quantile, then p (quantile(sentence_months; 0.9))"); err != nil {
			return err
		}
		t := p.next()
		if t.kind != tokNumber {
			return &Error{Offset: t.off, Msg: fmt.Sprintf("expected p, a number between 0 and 1 such as 0.9, got %s", t)}
		}
		if a.Permille, err = parsePermille(t.text, at(t)); err != nil {
			return err
		}
	case Histogram:
		if err := p.expectPunct(";", "after the indicator of histogram, then its edges (histogram(sentence_months; 0, 12, 36))"); err != nil {
			return err
		}
		for {
			t := p.next()
			if t.kind != tokNumber {
				return &Error{Offset: t.off, Msg: fmt.Sprintf("expected a histogram edge (a number), got %s", t)}
			}
			v, err := parseNumber(t.text, at(t))
			if err != nil {
				return err
			}
			a.Edges = append(a.Edges, v)
			if len(a.Edges) > p.lim.MaxEdges {
				return &Error{Offset: t.off, Msg: fmt.Sprintf("a histogram has at most %d edges", p.lim.MaxEdges)}
			}
			if u := p.peek(); u.kind != tokPunct || u.text != "," {
				break
			}
			p.next()
		}
	}
	return p.expectPunct(")", "to close the aggregate")
}

// or parses: term { "or" term }.
func (p *parser) or() (Expr, error) {
	start := at(p.peek())
	x, err := p.and()
	if err != nil {
		return nil, err
	}
	terms := []Expr{x}
	for {
		ok, err := p.accept("or")
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		y, err := p.and()
		if err != nil {
			return nil, err
		}
		terms = append(terms, y)
	}
	if len(terms) == 1 {
		return x, nil
	}
	return &Or{Terms: flatten[*Or](terms, func(o *Or) []Expr { return o.Terms }), Pos: start}, nil
}

// and parses: factor { "and" factor }.
func (p *parser) and() (Expr, error) {
	start := at(p.peek())
	x, err := p.factor()
	if err != nil {
		return nil, err
	}
	terms := []Expr{x}
	for {
		// "and" after a where can also be between's: "between D and D"
		// never reaches here, since between ends the where first.
		ok, err := p.accept("and")
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		y, err := p.factor()
		if err != nil {
			return nil, err
		}
		terms = append(terms, y)
	}
	if len(terms) == 1 {
		return x, nil
	}
	return &And{Terms: flatten[*And](terms, func(a *And) []Expr { return a.Terms }), Pos: start}, nil
}

// flatten splices terms of the same operator (from parentheses) into one
// list, so that a query has one tree whatever its parentheses.
func flatten[T Expr](terms []Expr, inner func(T) []Expr) []Expr {
	var out []Expr
	for _, t := range terms {
		if same, ok := t.(T); ok {
			out = append(out, inner(same)...)
		} else {
			out = append(out, t)
		}
	}
	return out
}

func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > p.lim.MaxNesting {
		return &Error{Offset: t.off, Msg: fmt.Sprintf("the where nests more than %d levels deep (not and parentheses)", p.lim.MaxNesting)}
	}
	return nil
}

// factor parses: "not" factor | "(" expr ")" | comparison.
func (p *parser) factor() (Expr, error) {
	t := p.peek()
	if ok, err := p.accept("not"); err != nil {
		return nil, err
	} else if ok {
		if err := p.enter(t); err != nil {
			return nil, err
		}
		x, err := p.factor()
		if err != nil {
			return nil, err
		}
		p.depth--
		return &Not{X: x, Pos: at(t)}, nil
	}
	if t.kind == tokPunct && t.text == "(" {
		p.next()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		p.depth--
		if err := p.expectPunct(")", "to close the parenthesis opened at byte "+fmt.Sprint(t.off)); err != nil {
			return nil, err
		}
		return x, nil
	}
	return p.comparison()
}

// comparison parses: name op value | name ["not"] "in" "(" value { "," value } ")".
func (p *parser) comparison() (Expr, error) {
	field, pos, err := p.name("a condition (an indicator compared with a value, as in verdict = convicted), not or (")
	if err != nil {
		return nil, err
	}
	p.comparisons++
	if p.comparisons > p.lim.MaxComparisons {
		return nil, &Error{Offset: pos.Offset, Msg: fmt.Sprintf("a where holds at most %d comparisons", p.lim.MaxComparisons)}
	}
	c := &Compare{Field: field, Pos: pos}
	t := p.peek()
	notIn, err := p.accept("not")
	if err != nil {
		return nil, err
	}
	isIn, err := p.accept("in")
	if err != nil {
		return nil, err
	}
	switch {
	case notIn && !isIn:
		return nil, &Error{Offset: p.peek().off, Msg: fmt.Sprintf("expected in after %s not (%s not in (a, b)), got %s", field, field, p.peek())}
	case isIn:
		c.Op = In
		if notIn {
			c.Op = NotIn
		}
		if err := p.expectPunct("(", "to open the list of "+string(c.Op)); err != nil {
			return nil, err
		}
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			c.Values = append(c.Values, v)
			if len(c.Values) > p.lim.MaxInList {
				return nil, &Error{Offset: v.Pos.Offset, Msg: fmt.Sprintf("a list of %s holds at most %d values", c.Op, p.lim.MaxInList)}
			}
			if u := p.peek(); u.kind != tokPunct || u.text != "," {
				break
			}
			p.next()
		}
		return c, p.expectPunct(")", "to close the list of "+string(c.Op))
	}
	op := p.next()
	if op.kind != tokPunct || !slices.Contains(ops, Op(op.text)) {
		return nil, &Error{Offset: t.off, Msg: fmt.Sprintf("expected an operator after %s (=, !=, <, <=, >, >=, in, not in), got %s", field, op)}
	}
	c.Op = Op(op.text)
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	c.Values = []Value{v}
	return c, nil
}

// value parses a literal: a word, a number, a date, true or false.
func (p *parser) value() (Value, error) {
	t := p.next()
	switch t.kind {
	case tokNumber:
		return parseNumber(t.text, at(t))
	case tokDate:
		return Value{Kind: Date, Text: t.text, Pos: at(t)}, nil
	case tokWord:
		for _, b := range []string{"true", "false"} {
			if t.text == b {
				return Value{Kind: Bool, Text: b, Pos: at(t)}, nil
			}
			if strings.EqualFold(t.text, b) {
				return Value{}, &Error{Offset: t.off, Msg: fmt.Sprintf("write %s in lower case", b)}
			}
		}
		for _, kw := range keywords {
			if strings.EqualFold(t.text, kw) {
				return Value{}, &Error{Offset: t.off, Msg: fmt.Sprintf("expected a value, got the keyword %s", t.text)}
			}
		}
		return Value{Kind: Word, Text: t.text, Pos: at(t)}, nil
	}
	return Value{}, &Error{Offset: t.off, Msg: fmt.Sprintf("expected a value (a word such as convicted, a number, a date YYYY-MM-DD, true or false), got %s", t)}
}

func (p *parser) date() (Value, error) {
	t := p.next()
	if t.kind != tokDate {
		return Value{}, &Error{Offset: t.off, Msg: fmt.Sprintf("expected a date YYYY-MM-DD, got %s", t)}
	}
	return Value{Kind: Date, Text: t.text, Pos: at(t)}, nil
}
