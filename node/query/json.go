package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// The JSON form of a query, for programs (docs/query.md):
//
//	{"aggregate": "mean", "indicator": "sentence_months", "kind": "judgment",
//	 "by": ["country"],
//	 "where": {"and": [{"field": "verdict", "op": "=", "value": "convicted"},
//	                   {"field": "offence", "op": "in", "values": ["thb", "thb_child"]}]},
//	 "between": {"from": "2015-01-01", "to": "2016-12-31"}}
//
// A where node is exactly one of {"and": [≥2 nodes]}, {"or": [≥2 nodes]},
// {"not": node} or a comparison {"field", "op", "value"} ("values" for in
// and not in). Values are JSON strings (words and dates), numbers and
// booleans.
type queryJSON struct {
	Aggregate string        `json:"aggregate"`
	Indicator string        `json:"indicator,omitempty"`
	P         json.Number   `json:"p,omitempty"`
	Edges     []json.Number `json:"edges,omitempty"`
	Kind      string        `json:"kind"`
	By        []string      `json:"by,omitempty"`
	Where     *exprJSON     `json:"where,omitempty"`
	Between   *betweenJSON  `json:"between,omitempty"`
}

type exprJSON struct {
	And    []*exprJSON `json:"and,omitempty"`
	Or     []*exprJSON `json:"or,omitempty"`
	Not    *exprJSON   `json:"not,omitempty"`
	Field  string      `json:"field,omitempty"`
	Op     string      `json:"op,omitempty"`
	Value  any         `json:"value,omitempty"`
	Values []any       `json:"values,omitempty"`
}

type betweenJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// ParseJSON decodes a query's JSON form strictly (no unknown member, no
// trailing data, at most Limits.MaxJSONBytes) and checks it like Parse. Errors name the JSON path of what is wrong.
func ParseJSON(data []byte, opts Options) (*Query, error) {
	lim := opts.Limits.withDefaults()
	if len(data) > lim.MaxJSONBytes {
		return nil, &Error{Offset: -1, Msg: fmt.Sprintf("the query's JSON is %d bytes; at most %d are allowed", len(data), lim.MaxJSONBytes)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var j queryJSON
	if err := dec.Decode(&j); err != nil {
		return nil, &Error{Offset: -1, Msg: "the query's JSON does not decode: " + clip(err.Error(), 200)}
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return nil, &Error{Offset: -1, Msg: "the query's JSON has data after its object"}
	}
	q, err := j.query(lim)
	if err != nil {
		return nil, err
	}
	if err := q.Check(opts); err != nil {
		return nil, err
	}
	return q, nil
}

func jpath(p string) Pos { return Pos{Offset: -1, Path: p} }

func (j *queryJSON) query(lim Limits) (*Query, error) {
	q := &Query{Kind: sdk.Kind(j.Kind), kindPos: jpath("kind")}
	q.Agg = Aggregate{Func: Func(j.Aggregate), Indicator: j.Indicator, Pos: jpath("aggregate"), IndicatorPos: jpath("indicator")}
	if j.P != "" {
		if q.Agg.Func != Quantile {
			return nil, errorAt(jpath("p"), "only quantile takes p")
		}
		p, err := parsePermille(j.P.String(), jpath("p"))
		if err != nil {
			return nil, err
		}
		q.Agg.Permille = p
	} else if q.Agg.Func == Quantile {
		return nil, errorAt(jpath("p"), "quantile needs p, a number strictly between 0 and 1")
	}
	if len(j.Edges) > lim.MaxEdges {
		return nil, errorAt(jpath("edges"), "a histogram has at most %d edges", lim.MaxEdges)
	}
	for i, e := range j.Edges {
		v, err := parseNumber(e.String(), jpath(fmt.Sprintf("edges[%d]", i)))
		if err != nil {
			return nil, err
		}
		q.Agg.Edges = append(q.Agg.Edges, v)
	}
	if len(j.By) > lim.MaxGroups {
		return nil, errorAt(jpath("by"), "a query has at most %d groups", lim.MaxGroups)
	}
	for i, g := range j.By {
		q.By = append(q.By, Group{Name: g, Pos: jpath(fmt.Sprintf("by[%d]", i))})
	}
	if j.Where != nil {
		w, err := j.Where.expr("where", lim, 0)
		if err != nil {
			return nil, err
		}
		q.Where = w
	}
	if j.Between != nil {
		q.Between = &DateRange{From: j.Between.From, To: j.Between.To, Pos: jpath("between")}
	}
	return q, nil
}

func (e *exprJSON) expr(path string, lim Limits, depth int) (Expr, error) {
	if e == nil {
		return nil, errorAt(jpath(path), "a condition is null")
	}
	forms := 0
	for _, set := range []bool{e.And != nil, e.Or != nil, e.Not != nil, e.Field != "" || e.Op != "" || e.Value != nil || e.Values != nil} {
		if set {
			forms++
		}
	}
	if forms != 1 {
		return nil, errorAt(jpath(path), `a condition is exactly one of {"and": [...]}, {"or": [...]}, {"not": {...}} or {"field", "op", "value" or "values"}`)
	}
	if depth > lim.MaxNesting {
		return nil, errorAt(jpath(path), "the where nests more than %d levels deep (and, or, not)", lim.MaxNesting)
	}
	terms := func(name string, list []*exprJSON) ([]Expr, error) {
		out := make([]Expr, len(list))
		for i, t := range list {
			x, err := t.expr(fmt.Sprintf("%s.%s[%d]", path, name, i), lim, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
	switch {
	case e.And != nil:
		ts, err := terms("and", e.And)
		return &And{Terms: ts, Pos: jpath(path)}, err
	case e.Or != nil:
		ts, err := terms("or", e.Or)
		return &Or{Terms: ts, Pos: jpath(path)}, err
	case e.Not != nil:
		x, err := e.Not.expr(path+".not", lim, depth+1)
		return &Not{X: x, Pos: jpath(path)}, err
	}
	c := &Compare{Field: e.Field, Op: Op(e.Op), Pos: jpath(path + ".field")}
	list := c.Op == In || c.Op == NotIn
	switch {
	case list && (e.Value != nil || e.Values == nil):
		return nil, errorAt(jpath(path), `%s takes "values": [...]`, c.Op)
	case !list && (e.Values != nil || e.Value == nil):
		return nil, errorAt(jpath(path), `op %q takes one "value"`, clip(e.Op, 10))
	}
	raw := e.Values
	if !list {
		raw = []any{e.Value}
	}
	if len(raw) > lim.MaxInList {
		return nil, errorAt(jpath(path+".values"), "a list of %s holds at most %d values", c.Op, lim.MaxInList)
	}
	for i, r := range raw {
		p := path + ".value"
		if list {
			p = fmt.Sprintf("%s.values[%d]", path, i)
		}
		v, err := valueJSON(r, jpath(p))
		if err != nil {
			return nil, err
		}
		c.Values = append(c.Values, v)
	}
	return c, nil
}

var (
	wordPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	datePattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// valueJSON converts a JSON value to a Value as the text form would read it.
func valueJSON(r any, pos Pos) (Value, error) {
	switch r := r.(type) {
	case json.Number:
		return parseNumber(r.String(), pos)
	case bool:
		if r {
			return Value{Kind: Bool, Text: "true", Pos: pos}, nil
		}
		return Value{Kind: Bool, Text: "false", Pos: pos}, nil
	case string:
		if datePattern.MatchString(r) {
			return Value{Kind: Date, Text: r, Pos: pos}, nil
		}
		if wordPattern.MatchString(r) {
			return Value{Kind: Word, Text: r, Pos: pos}, nil
		}
		return Value{}, errorAt(pos, "%q is neither a value of a closed list (letters, digits, _) nor a date YYYY-MM-DD", clip(r, 40))
	}
	return Value{}, errorAt(pos, "a value is a string, a number or true/false")
}

// MarshalJSON writes the query's JSON form; ParseJSON reads it back to
// the same query.
func (q *Query) MarshalJSON() ([]byte, error) {
	j := queryJSON{Aggregate: string(q.Agg.Func), Indicator: q.Agg.Indicator, Kind: string(q.Kind)}
	if q.Agg.Func == Quantile {
		j.P = json.Number(formatPermille(q.Agg.Permille))
	}
	for _, e := range q.Agg.Edges {
		j.Edges = append(j.Edges, json.Number(e.Text))
	}
	for _, g := range q.By {
		j.By = append(j.By, g.Name)
	}
	if q.Where != nil {
		j.Where = exprToJSON(q.Where)
	}
	if q.Between != nil {
		j.Between = &betweenJSON{From: q.Between.From, To: q.Between.To}
	}
	return json.Marshal(j)
}

func exprToJSON(e Expr) *exprJSON {
	switch e := e.(type) {
	case *And:
		out := &exprJSON{And: []*exprJSON{}}
		for _, t := range e.Terms {
			out.And = append(out.And, exprToJSON(t))
		}
		return out
	case *Or:
		out := &exprJSON{Or: []*exprJSON{}}
		for _, t := range e.Terms {
			out.Or = append(out.Or, exprToJSON(t))
		}
		return out
	case *Not:
		return &exprJSON{Not: exprToJSON(e.X)}
	case *Compare:
		out := &exprJSON{Field: e.Field, Op: string(e.Op)}
		vals := make([]any, len(e.Values))
		for i, v := range e.Values {
			switch v.Kind {
			case Number:
				vals[i] = json.Number(v.Text)
			case Bool:
				vals[i] = v.Text == "true"
			default:
				vals[i] = v.Text
			}
		}
		if e.Op == In || e.Op == NotIn {
			out.Values = vals
		} else if len(vals) > 0 {
			out.Value = vals[0]
		}
		return out
	}
	return nil
}
